"""Injected storage faults (libfiu, Debian's fiu-utils): write and fsync failures under load.

The hub runs under `fiu-run -x` (libfiu's POSIX preload). While four clients write, `fiu-ctrl`
makes `pwrite`/`pwrite64` (the SQLite pages and WAL frames), `fdatasync` and `fsync` fail at
random, then switches the faults off again. Expected: a failed commit is answered
`503 store.unavailable` (with Retry-After) in the documented envelope (never 201 without persistence), the hub stays up and writes
again as soon as the disk behaves, and after a `kill -9` every acknowledged write is on disk
and `PRAGMA integrity_check` passes.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import requests

from conftest import ROOT, free_port
from test_backup import BINARY, clean_env, integrity, sign_in
from test_crash import Writers, start, stored_names

FIU_RUN = shutil.which("fiu-run")
FIU_CTRL = shutil.which("fiu-ctrl")
FAULTS = ["posix/io/rw/pwrite", "posix/io/sync/fdatasync", "posix/io/sync/fsync"]


def fiu(control: str, pid: int, command: str) -> None:
    subprocess.run([FIU_CTRL, "-f", control, "-c", command, str(pid)], check=True, capture_output=True, timeout=10)


def test_write_and_fsync_failures_never_acknowledge_lost_writes(tmp_path):
    assert FIU_RUN and FIU_CTRL, "fiu-utils is missing: scripts/ensure-system.sh --tests installs it"
    data, log, port = tmp_path / "data", tmp_path / "hub.log", free_port()
    database = data / "roundtable.sqlite"
    control = str(tmp_path / "fiu-ctrl")
    base = f"http://127.0.0.1:{port}"

    # Prepare the data without faults, then serve under libfiu.
    process, _ = start(data, port, log, demo=True)
    process.terminate()
    process.wait(timeout=15)
    env = clean_env(ROUNDTABLE_ADMIN_SECOND_FACTOR="optional")
    out = open(log, "ab")
    process = subprocess.Popen([FIU_RUN, "-x", "-f", control, str(BINARY), "serve", "--port", str(port), "--data-dir", str(data)],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            assert process.poll() is None and time.time() < deadline, log.read_text(errors="replace")[-3000:]
            try:
                if requests.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        auth = sign_in(base)
        with Writers(base, auth, "Fehler") as writers:
            while writers.count() < 50:
                time.sleep(0.01)
            for fault in FAULTS:
                fiu(control, process.pid, f"enable_random name={fault},probability=0.2")
            faulty_from = writers.count()
            time.sleep(3)
            for fault in FAULTS:
                fiu(control, process.pid, f"disable name={fault}")
            during = writers.count() - faulty_from
            with writers.lock:
                failed = {key: n for key, n in writers.errors.items() if key[0] in "45"}
            # The hub recovers by itself: writes succeed again.
            recovered_from = writers.count()
            deadline = time.time() + 30
            while writers.count() < recovered_from + 50:
                assert time.time() < deadline, f"no writes after the faults ended: {writers.errors}\n" + log.read_text(errors="replace")[-3000:]
                time.sleep(0.01)
            assert process.poll() is None, "the hub died under storage faults"
            assert requests.get(base + "/readyz", timeout=5).status_code == 200
        assert sum(failed.values()) > 0, f"the faults were not hit (no failed request): {writers.errors}"
        assert set(failed) == {"503 store.unavailable"}, f"storage faults must be answered 503 store.unavailable: {failed}"
        assert not [key for key in writers.errors if "undocumented" in key], writers.errors

        listed = requests.get(base + "/api/v1/workspaces", headers=auth, timeout=5).json()
        served = {w["name"] for w in listed["items"] if w["name"].startswith("Fehler ")}
        assert writers.acknowledged <= served, f"{len(writers.acknowledged - served)} acknowledged writes not served"

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert integrity(database) == "ok"
        on_disk = stored_names(database, "Fehler")
        assert writers.acknowledged <= on_disk, f"{len(writers.acknowledged - on_disk)} acknowledged writes lost"
        assert on_disk <= writers.attempted
        # The hub starts again on the file.
        process, _ = start(data, port, log, demo=False)
        print(f"\nstorage faults (pwrite, fdatasync, fsync at 20 % for 3 s under 4 writers): {during} writes acknowledged while faulty, "
              f"failed requests {failed}; {len(writers.acknowledged)} acknowledged in all, all on disk after kill -9, "
              f"integrity_check ok, restart ok")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
