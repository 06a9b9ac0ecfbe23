"""Report reminders go out by real SMTP (STARTTLS, AUTH) when an implementation report falls
due: the demo's 2023 recommendations that the council adopted and nobody reported on for a
year are overdue, so the maintenance run at start-up mails the coordinator of their
workspaces, once per entry; the implemented (002) and the not adopted (006) get none."""
from __future__ import annotations


def test_due_reports_are_reminded_by_mail(smtp_sink, hub_with_mail):
    subjects = set()
    for _ in range(5):
        message = smtp_sink.wait_for("koordination@roundtable.example", timeout=20)
        assert message["X-Sink-TLS"] == "True" and message["X-Sink-Authenticated"] == "True"
        subjects.add(str(message["Subject"]))
        body = message.get_content()
        assert "Umsetzungsbericht" in body and "/#/catalogue/HE-2023-00" in body
    assert subjects == {f"Umsetzungsbericht fällig: HE-2023-00{n}" for n in (1, 3, 4, 5, 7)}
