"""Staff accounts, sign-in with lockout, and server-side sessions.

Passwords are checked in ``staff.passwords`` (an unknown username costs the
same as a wrong password); failed sign-ins are throttled per computer by
``staff.throttle``. A session is a random token in an HttpOnly cookie; the
database keeps only its HMAC (keyed with ``STAFF_SECRET_KEY``), with a CSRF
token, an absolute expiry and an idle timeout. Signing out deletes the row, so
the old cookie is worthless. Every sign-in attempt is audited.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final

import sqlalchemy as sa

from kneecare.cases.records import to_db, utc_now
from kneecare.cases.store import CaseStore
from kneecare.cases.tables import staff_sessions, staff_users
from staff import throttle
from staff.passwords import DUMMY_HASH, AccountError, verify_password
from staff.staff_users import StaffUsers
from staff.throttle import FIRST_PAUSE, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, MAX_PAUSE

__all__ = [
    "FIRST_PAUSE",
    "FREE_FAILURES",
    "FREE_FAILURES_PER_ADDRESS",
    "MAX_PAUSE",
    "AccountError",
    "Accounts",
    "SignIn",
    "StaffSession",
]

_TOUCH_EVERY: Final = timedelta(seconds=60)


class SignIn(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member."""

    username: str
    csrf_token: str
    expires_at: datetime


class Accounts(StaffUsers):
    """Accounts (see ``StaffUsers``) and sessions in the case store's database."""

    def __init__(
        self,
        store: CaseStore,
        secret_key: str,
        *,
        session_hours: float = 10.0,
        idle_minutes: int = 60,
    ):
        super().__init__(store)
        self._secret = secret_key.encode()
        self.session_length = timedelta(hours=session_hours)
        self.idle = timedelta(minutes=idle_minutes)

    # -- signing in and out ---------------------------------------------------

    def locked_until(
        self, username: str, now: datetime | None = None, remote_addr: str = ""
    ) -> datetime | None:
        """When ``remote_addr`` may next try ``username``, or None if it may now."""
        return throttle.locked_until(self.store.engine, username, now or utc_now(), remote_addr)

    def sign_in(
        self, username: str, password: str, remote_addr: str = "", now: datetime | None = None
    ) -> tuple[SignIn, str | None]:
        """(result, session token); every attempt is audited."""
        moment = now or utc_now()
        username = username.strip().lower()[:64]
        if self.locked_until(username, moment, remote_addr) is not None:
            self.store.audit(username, "sign_in_locked", remote_addr=remote_addr, now=moment)
            return SignIn.LOCKED, None
        with self.store.engine.connect() as connection:
            row = connection.execute(
                sa.select(staff_users.c.password_hash, staff_users.c.disabled).where(
                    staff_users.c.username == username
                )
            ).first()
        stored = row.password_hash if row is not None else DUMMY_HASH
        correct = verify_password(password, stored) and row is not None and not row.disabled
        if not correct:
            self.store.audit(username, "sign_in_failed", remote_addr=remote_addr, now=moment)
            if self.locked_until(username, moment, remote_addr) is not None:
                return SignIn.LOCKED, None
            return SignIn.WRONG, None
        token = secrets.token_urlsafe(32)
        with self.store.engine.begin() as connection:
            connection.execute(
                sa.insert(staff_sessions).values(
                    token_hash=self._token_hash(token),
                    username=username,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=to_db(moment),
                    last_seen_at=to_db(moment),
                    expires_at=to_db(moment + self.session_length),
                )
            )
        self.store.audit(username, "sign_in", remote_addr=remote_addr, now=moment)
        return SignIn.OK, token

    def session(self, token: str | None, now: datetime | None = None) -> StaffSession | None:
        """The live session for a cookie's token, refreshing its idle timer."""
        if not token or len(token) > 100:
            return None
        moment = to_db(now or utc_now())
        key = self._token_hash(token)
        with self.store.engine.begin() as connection:
            row = connection.execute(
                sa.select(staff_sessions).where(staff_sessions.c.token_hash == key)
            ).first()
            if row is None:
                return None
            if row.expires_at <= moment or row.last_seen_at + self.idle <= moment:
                connection.execute(
                    sa.delete(staff_sessions).where(staff_sessions.c.token_hash == key)
                )
                return None
            if moment - row.last_seen_at >= _TOUCH_EVERY:
                connection.execute(
                    sa.update(staff_sessions)
                    .where(staff_sessions.c.token_hash == key)
                    .values(last_seen_at=moment)
                )
        return StaffSession(
            username=row.username,
            csrf_token=row.csrf_token,
            expires_at=row.expires_at.replace(tzinfo=timezone.utc),
        )

    def sign_out(self, token: str) -> None:
        with self.store.engine.begin() as connection:
            connection.execute(
                sa.delete(staff_sessions).where(
                    staff_sessions.c.token_hash == self._token_hash(token)
                )
            )

    # -- tokens ---------------------------------------------------------------

    def _token_hash(self, token: str) -> str:
        return hmac.new(self._secret, b"session:" + token.encode(), hashlib.sha256).hexdigest()

    def signin_form_token(self, nonce: str) -> str:
        """The CSRF token of the sign-in form, bound to a nonce cookie."""
        return hmac.new(self._secret, b"signin:" + nonce.encode(), hashlib.sha256).hexdigest()
