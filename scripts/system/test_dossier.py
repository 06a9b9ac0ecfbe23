"""The annual dossier from a served demo hub: the PDF opens in poppler (pdfinfo, pdftotext) and
carries the German text; the HTML is the same document for anyone; a year without entries is 404."""
import os
import shutil
import subprocess
import time

import pytest
import requests

from conftest import ROOT, free_port
from test_postgres import BINARY


@pytest.fixture()
def demo_hub(tmp_path):
    port = free_port()
    log = tmp_path / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    env.update({"ROUNDTABLE_BCRYPT_COST": "4", "ROUNDTABLE_WEB_ROOT": str(ROOT / "Web"), "ROUNDTABLE_ADMIN_SECOND_FACTOR": "optional"})
    with open(log, "wb") as out:
        process = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--data-dir", str(tmp_path / "data"), "--demo"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            assert process.poll() is None, log.read_text(errors="replace")[-2000:]
            try:
                if requests.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.time() < deadline, "hub did not become ready"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def poppler(tool):
    path = shutil.which(tool)
    assert path, f"{tool} is missing: scripts/ensure-system.sh --tests installs poppler-utils"
    return path


def test_dossier_pdf_reads_in_poppler(demo_hub, tmp_path):
    response = requests.get(demo_hub + "/api/v1/dossiers/2023/pdf")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="sozialplanung-fokus-2023.pdf"'
    assert response.content.startswith(b"%PDF-1.4\n")
    again = requests.get(demo_hub + "/api/v1/dossiers/2023/pdf")
    assert again.content == response.content, "the same inputs give the same bytes"
    path = tmp_path / "dossier.pdf"
    path.write_bytes(response.content)

    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True)
    assert info.stderr == "", info.stderr
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Title"].strip() == "Sozialplanung Fokus 2023"
    assert fields["PDF version"].strip() == "1.4"
    assert "595.28 x 841.89" in fields["Page size"], fields["Page size"]
    pages = int(fields["Pages"])
    assert pages > 1

    extracted = subprocess.run([poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    assert extracted.stderr == b"", extracted.stderr
    text = extracted.stdout.decode("utf-8")
    for expected in ["Sozialplanung Fokus 2023", "Inhalt", "Handlungsfeld", "Bildung", "Soziale Infrastruktur",
                     "Ämterlotsinnen/Ämterlotsen", "Sprachstandserhebung von Kindern in Kindertageseinrichtungen",
                     "Bekenntnis der Kreispolitik zur Istanbul-Konvention", "in hohem Maße steuerungsrelevant", "Maßnahmen",
                     "Einheitliches Verfahren zur Sprachstandserhebung in allen Kitas", "Kitas mit einheitlicher", "95.000 € pro Jahr",
                     "Übernahme der", "Wichtiges Anliegen, aber eine", "Einzelmaßnahme; nicht in das Dossier", f"Seite {pages} von {pages}"]:
        assert expected in text, f"missing {expected!r}"
    # The less relevant recommendation appears in the appendix only, not as a sheet.
    assert "Handlungsempfehlung HE-2023-006" not in text
    assert "HE-2023-006" in text


def test_dossier_html_and_missing_year(demo_hub):
    response = requests.get(demo_hub + "/api/v1/dossiers/2023/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert html.count('<article class="sheet"') == 6
    assert "<h1>Sozialplanung Fokus 2023</h1>" in html
    missing = requests.get(demo_hub + "/api/v1/dossiers/2019/pdf")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "dossier.notFound"
