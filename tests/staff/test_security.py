"""The staff view shows nothing without sign-in, and resists the usual attacks."""

from __future__ import annotations

import http.cookiejar
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kneecare.cases.opt_outs import clear_opt_out, record_opt_out
from kneecare.cases.outbox import Outbox, PendingCase
from kneecare.triage import TriageAnswers, assess
from staff.auth import Accounts
from tests.staff.client import Client
from tests.staff.conftest import PASSWORD, StaffServer, run_accounts

SESSION = "kc_staff_session"


@pytest.fixture
def signed_in(staff_server: StaffServer) -> Client:
    client = Client(staff_server.base_url)
    reply = client.sign_in("reception", PASSWORD)
    assert (reply.status, reply.location) == (303, "/queue")
    return client


@pytest.mark.parametrize("path", ["/", "/queue", "/queue?status=all", "/cases/1"])
def test_pages_redirect_to_the_sign_in_form_without_a_session(
    staff_server: StaffServer, path: str
) -> None:
    reply = Client(staff_server.base_url).get(path)
    assert reply.status == 303
    assert reply.location in ("/signin", "/queue")


def test_the_export_and_posts_answer_401_without_a_session(staff_server: StaffServer) -> None:
    client = Client(staff_server.base_url)
    assert client.get("/export.csv").status == 401
    assert client.post("/cases/1/status", {"status": "closed", "csrf_token": "x"}).status == 401
    assert client.post("/signout", {}).status == 401


def test_session_cookies_are_http_only_and_same_site_strict(staff_server: StaffServer) -> None:
    client = Client(staff_server.base_url)
    form = client.get("/signin")
    signin_cookie = form.headers["Set-Cookie"]
    assert "HttpOnly" in signin_cookie and "SameSite=Strict" in signin_cookie
    reply = client.post("/signin", {"username": "reception", "password": PASSWORD,
                                    "csrf_token": form.csrf_token()})
    cookies = reply.headers.get_all("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith(SESSION + "="))
    assert "HttpOnly" in session_cookie and "SameSite=Strict" in session_cookie
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]


def test_signing_in_without_the_form_token_is_refused(staff_server: StaffServer) -> None:
    client = Client(staff_server.base_url)
    no_cookie = client.post("/signin", {"username": "reception", "password": PASSWORD})
    assert no_cookie.status == 403
    client.get("/signin")
    forged = client.post("/signin", {"username": "reception", "password": PASSWORD,
                                     "csrf_token": "forged"})
    assert forged.status == 403 and client.cookie(SESSION) is None


def test_five_wrong_passwords_make_this_computer_wait(staff_server: StaffServer) -> None:
    Accounts(staff_server.store, "unused").create("locked.out", PASSWORD)
    client = Client(staff_server.base_url)
    statuses = [client.sign_in("locked.out", f"wrong-password-{n}").status for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    right_password = client.sign_in("locked.out", PASSWORD)
    assert right_password.status == 429 and "Try again in 1 minute" in right_password.body
    assert client.cookie(SESSION) is None
    actions = [e.action for e in staff_server.store.audit_entries() if e.username == "locked.out"]
    assert actions.count("sign_in_failed") == 5 and actions[0] == "sign_in_locked"


def test_unknown_usernames_are_throttled_the_same_way(staff_server: StaffServer) -> None:
    client = Client(staff_server.base_url)
    statuses = [client.sign_in("nobody", "whatever-it-is").status for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]


def test_no_one_elsewhere_can_lock_a_colleague_out(staff_server: StaffServer) -> None:
    """Failures from another address (through the local proxy) do not stop the colleague."""
    Accounts(staff_server.store, "unused").create("colleague", PASSWORD)
    attacker = Client(staff_server.base_url, forwarded_for="203.0.113.66")
    statuses = [attacker.sign_in("colleague", f"guess-{n}").status for n in range(7)]
    assert statuses[-1] == 429
    at_the_desk = Client(staff_server.base_url, forwarded_for="198.51.100.10")
    assert at_the_desk.sign_in("colleague", PASSWORD).status == 303
    assert at_the_desk.cookie(SESSION)
    # a forwarded address is believed only from the local proxy, so the attacker
    # cannot reset their own count by sending another one from outside
    failed = [e.remote_addr for e in staff_server.store.audit_entries()
              if e.username == "colleague" and e.action == "sign_in_failed"]
    assert set(failed) == {"203.0.113.66"}


def test_a_status_change_without_the_csrf_token_is_refused(
    staff_server: StaffServer, signed_in: Client
) -> None:
    case_id = staff_server.physio_case
    before = staff_server.store.get_case(case_id)
    missing = signed_in.post(f"/cases/{case_id}/status", {"status": "closed", "note": "x"})
    forged = signed_in.post(f"/cases/{case_id}/status",
                            {"status": "closed", "note": "x", "csrf_token": "forged"})
    assert (missing.status, forged.status) == (403, 403)
    after = staff_server.store.get_case(case_id)
    assert before is not None and after is not None and after.status == before.status


def test_a_session_cannot_be_reused_after_signing_out(
    staff_server: StaffServer, signed_in: Client
) -> None:
    token = signed_in.cookie(SESSION)
    assert token
    page = signed_in.get("/queue")
    assert page.status == 200
    signed_out = signed_in.post("/signout", {"csrf_token": page.csrf_token()})
    assert signed_out.status == 303 and signed_out.location == "/signin?signed_out=1"
    assert "You have signed out." in signed_in.get("/signin?signed_out=1").body
    assert signed_in.cookie(SESSION) is None  # the browser was told to forget it
    stolen = Client(staff_server.base_url)
    stolen.jar.set_cookie(http.cookiejar.Cookie(
        0, SESSION, token, None, False, "127.0.0.1", False, False, "/", True, False, None,
        False, None, None, {},
    ))
    assert stolen.get("/queue").status == 303
    assert stolen.get("/export.csv").status == 401


def test_bad_input_gets_a_clear_4xx_page(staff_server: StaffServer, signed_in: Client) -> None:
    for path, status in [("/queue?status=lost", 400), ("/queue?level=urgent", 400),
                         ("/cases/99999", 404), ("/cases/abc", 404),
                         ("/cases/99999999999999", 404), ("/nowhere", 404),
                         ("/export.csv?status=lost", 400)]:
        reply = signed_in.get(path)
        assert reply.status == status, path
        assert "Traceback" not in reply.body and "File \"" not in reply.body
    page = signed_in.get(f"/cases/{staff_server.physio_case}")
    bad = signed_in.post(f"/cases/{staff_server.physio_case}/status",
                         {"status": "lost", "csrf_token": page.csrf_token()})
    assert bad.status == 400 and "unknown status" in bad.body


def test_staff_actions_are_written_to_the_audit_log(
    staff_server: StaffServer, signed_in: Client
) -> None:
    case_id = staff_server.callback_case
    page = signed_in.get(f"/cases/{case_id}")
    assert page.status == 200 and "+447911123456" in page.body
    changed = signed_in.post(f"/cases/{case_id}/status", {
        "status": "contacted", "note": "left a voicemail", "csrf_token": page.csrf_token()})
    assert (changed.status, changed.location) == (303, f"/cases/{case_id}")
    export = signed_in.get("/export.csv?status=all")
    assert export.status == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in export.headers["Content-Disposition"]
    assert "+447911123456" not in export.body
    entries = [e for e in staff_server.store.audit_entries() if e.username == "reception"]
    latest = [(e.action, e.case_id) for e in entries[:4]]
    assert latest == [("export", None), ("status_change", case_id), ("view_case", case_id),
                      ("sign_in", None)]
    assert entries[1].detail.endswith("-> contacted")


def test_the_accounts_command_refuses_weak_passwords(staff_server: StaffServer) -> None:
    short = run_accounts(staff_server.env, "create", "weak", "--password-stdin", password="short")
    assert short.returncode == 1 and "12 to 256 characters" in short.stderr
    taken = run_accounts(staff_server.env, "create", "reception", "--password-stdin",
                         password=PASSWORD + "!")
    assert taken.returncode == 1 and "already exists" in taken.stderr


def test_the_queue_says_how_many_cases_wait_in_the_outbox(staff_server: StaffServer,
                                                          signed_in: Client) -> None:
    assert "waiting to be saved" not in signed_in.get("/queue").body
    outbox = Outbox(Path(staff_server.env["CASE_OUTBOX_DIR"]), staff_server.store.cipher)
    answers = TriageAnswers(pain_duration_days=21, pain_score=5, limits_activity=True,
                            alters_gait=False, injury=False, age=40)
    kept = [outbox.keep(PendingCase.triage(f"web:{n}", "socketio", assess(answers), answers,
                                           datetime.now(timezone.utc))) for n in range(2)]
    try:
        page = signed_in.get("/queue").body
        assert "2 cases are waiting to be saved" in page
    finally:
        for path in kept:
            path.unlink()


def test_a_case_page_says_when_the_person_opted_out_of_texts(staff_server: StaffServer,
                                                             signed_in: Client) -> None:
    case_id = staff_server.callback_case
    case = staff_server.store.get_case(case_id)
    assert case is not None
    assert "Opted out of texts" not in signed_in.get(f"/cases/{case_id}").body
    record_opt_out(staff_server.store.engine, case.conversation_id)
    try:
        assert "Opted out of texts" in signed_in.get(f"/cases/{case_id}").body
    finally:
        clear_opt_out(staff_server.store.engine, case.conversation_id)


def test_the_accounts_command_unlocks_an_account(staff_server: StaffServer) -> None:
    unlocked = run_accounts(staff_server.env, "unlock", "reception")
    assert unlocked.returncode == 0 and unlocked.stdout.strip() == "unlocked reception"
    entries = staff_server.store.audit_entries(action="account_unlocked")
    assert entries and entries[0].username == "reception"
    unknown = run_accounts(staff_server.env, "unlock", "nobody")
    assert unknown.returncode == 1 and "no account 'nobody'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
