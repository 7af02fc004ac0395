"""Failed sign-ins pause the next try from that address, longer each time; others are free."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import upgrade_database
from kneecare.cases.store import CaseStore
from staff.auth import (
    FIRST_PAUSE,
    FREE_FAILURES,
    FREE_FAILURES_PER_ADDRESS,
    MAX_PAUSE,
    Accounts,
    SignIn,
)
from staff.passwords import AccountError

PASSWORD = "correct horse battery"
START = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    upgrade_database(url)
    made = Accounts(CaseStore(url, ContactCipher(Fernet.generate_key())), "s" * 48)
    made.create("ana", PASSWORD)
    return made


def fail(accounts: Accounts, at: datetime, address: str = "203.0.113.5",
         username: str = "ana") -> SignIn:
    return accounts.sign_in(username, "wrong-password", remote_addr=address, now=at)[0]


def test_the_pause_grows_and_is_capped(accounts: Accounts) -> None:
    at = START
    for _ in range(FREE_FAILURES):
        assert fail(accounts, at) is SignIn.WRONG
        at += timedelta(seconds=5)
    assert fail(accounts, at) is SignIn.LOCKED  # the failure that starts the pauses
    pauses = []
    for _ in range(6):
        until = accounts.locked_until("ana", at, "203.0.113.5")
        assert until is not None
        pauses.append(until - at)
        at = until  # try again the moment the pause ends
        fail(accounts, at)
    assert pauses[:3] == [FIRST_PAUSE, FIRST_PAUSE * 2, FIRST_PAUSE * 4]
    assert max(pauses) == MAX_PAUSE


def test_other_addresses_and_a_success_are_not_held_back(accounts: Accounts) -> None:
    for second in range(FREE_FAILURES + 2):
        fail(accounts, START + timedelta(seconds=second))
    later = START + timedelta(seconds=30)
    assert accounts.locked_until("ana", later, "203.0.113.5") is not None
    assert accounts.sign_in("ana", PASSWORD, remote_addr="198.51.100.9", now=later)[0] is SignIn.OK
    # the success resets the count for everyone
    assert accounts.locked_until("ana", later, "203.0.113.5") is None


def test_one_address_trying_many_usernames_is_paused_too(accounts: Accounts) -> None:
    at = START
    results = []
    for number in range(FREE_FAILURES_PER_ADDRESS + 1):
        results.append(fail(accounts, at, username=f"user{number}"))
        at += timedelta(seconds=1)
    assert results[:-1] == [SignIn.WRONG] * FREE_FAILURES_PER_ADDRESS
    assert results[-1] is SignIn.LOCKED
    assert fail(accounts, at, address="198.51.100.9", username="someone") is SignIn.WRONG


def test_an_unlock_lifts_the_pause_and_is_audited(accounts: Accounts) -> None:
    at = START
    for _ in range(FREE_FAILURES + 1):
        fail(accounts, at)
        at += timedelta(seconds=5)
    assert accounts.locked_until("ana", at, "203.0.113.5") is not None
    accounts.unlock("ana", by="the practice manager", now=at)
    assert accounts.locked_until("ana", at, "203.0.113.5") is None
    assert accounts.sign_in("ana", PASSWORD, remote_addr="203.0.113.5", now=at)[0] is SignIn.OK
    entry = accounts.store.audit_entries(action="account_unlocked")[0]
    assert entry.username == "ana" and "the practice manager" in entry.detail


def test_unlocking_an_unknown_account_is_a_clear_error(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="no account 'nobody'"):
        accounts.unlock("nobody", by="the command line")
