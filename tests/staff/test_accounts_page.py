"""The practice manager's Accounts page: unlock and disable, audited; others get a 403."""

from __future__ import annotations

import pytest

from staff.auth import Accounts
from tests.staff.client import Client
from tests.staff.conftest import PASSWORD, StaffServer


@pytest.fixture(scope="module")
def manager(staff_server: StaffServer) -> Client:
    accounts = Accounts(staff_server.store, "unused")
    accounts.create("manager", PASSWORD)
    accounts.set_role("manager", "practice_manager")
    client = Client(staff_server.base_url)
    assert client.sign_in("manager", PASSWORD).status == 303
    return client


def test_reception_cannot_open_the_accounts_page(staff_server: StaffServer) -> None:
    client = Client(staff_server.base_url)
    assert client.sign_in("reception", PASSWORD).status == 303
    page = client.get("/accounts")
    assert page.status == 403 and "Only the practice manager" in page.body
    assert "Traceback" not in page.body


def test_the_manager_unlocks_a_locked_colleague(staff_server: StaffServer,
                                                manager: Client) -> None:
    Accounts(staff_server.store, "unused").create("forgetful", PASSWORD)
    desk = Client(staff_server.base_url, forwarded_for="198.51.100.77")
    statuses = [desk.sign_in("forgetful", f"wrong-{n}").status for n in range(5)]
    assert statuses[-1] == 429
    page = manager.get("/accounts")
    assert page.status == 200 and "forgetful" in page.body
    done = manager.post("/accounts/forgetful/unlock", {"csrf_token": page.csrf_token()})
    assert done.status == 303 and done.location == "/accounts?done=unlocked+forgetful"
    assert "Done: unlocked forgetful." in manager.get(done.location).body
    assert desk.sign_in("forgetful", PASSWORD).status == 303
    entry = staff_server.store.audit_entries(action="account_unlocked")[0]
    assert entry.username == "forgetful" and "unlocked by manager" in entry.detail


def test_the_manager_disables_an_account_and_it_cannot_sign_in(staff_server: StaffServer,
                                                               manager: Client) -> None:
    Accounts(staff_server.store, "unused").create("leaver", PASSWORD)
    token = manager.get("/accounts").csrf_token()
    assert manager.post("/accounts/leaver/disable", {"csrf_token": token}).status == 303
    assert Client(staff_server.base_url).sign_in("leaver", PASSWORD).status == 401
    entry = staff_server.store.audit_entries(action="account_disabled")[0]
    assert entry.username == "leaver" and "disabled by manager" in entry.detail


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/accounts/nobody/unlock", 400, "No account &#39;nobody&#39;."),
        ("/accounts/reception/promote", 400, "Unknown account action"),
        ("/accounts/manager/disable", 400, "You cannot disable your own account."),
    ],
)
def test_bad_account_actions_get_clear_errors(manager: Client, path: str, status: int,
                                              message: str) -> None:
    token = manager.get("/accounts").csrf_token()
    reply = manager.post(path, {"csrf_token": token})
    assert reply.status == status and message in reply.body
    assert "Traceback" not in reply.body


def test_an_account_action_without_the_form_token_is_refused(manager: Client) -> None:
    assert manager.post("/accounts/reception/disable", {}).status == 403
