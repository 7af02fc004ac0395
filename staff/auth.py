"""Staff accounts, sign-in with lockout, and server-side sessions.

Passwords are hashed with scrypt and a per-user salt and compared in constant
time; an unknown username costs the same as a wrong password. After
``MAX_FAILURES`` failed sign-ins within ``LOCKOUT`` a username is locked for
``LOCKOUT`` (known or not, so the answer does not reveal which accounts
exist); the failures are read from the audit log. A session is a random token
in an HttpOnly cookie; the database keeps only its HMAC (keyed with
``STAFF_SECRET_KEY``), with a CSRF token, an absolute expiry and an idle
timeout. Signing out deletes the row, so the old cookie is worthless.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final

import sqlalchemy as sa

from kneecare.cases.store import CaseStore, utc_now
from kneecare.cases.tables import audit_log, staff_sessions, staff_users

MAX_FAILURES: Final = 5
LOCKOUT: Final = timedelta(minutes=15)
MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 256
USERNAME_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_TOUCH_EVERY: Final = timedelta(seconds=60)


class AccountError(ValueError):
    """A username or password that cannot be used; says why."""


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


def hash_password(password: str) -> str:
    """'scrypt$n$r$p$salt$hash' with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` value."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode()[: MAX_PASSWORD_LENGTH * 4],
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, base64.b64decode(expected))


_DUMMY_HASH: Final = hash_password(secrets.token_urlsafe(16))


def check_new_credentials(username: str, password: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError("a username is 2 to 64 lower-case letters, digits, '.', '_' or '-'")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"a password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"
        )
    if password.lower() == username.lower() or len(set(password)) < 4:
        raise AccountError("that password is too easy to guess")


class Accounts:
    """Accounts and sessions in the case store's database."""

    def __init__(
        self,
        store: CaseStore,
        secret_key: str,
        *,
        session_hours: float = 10.0,
        idle_minutes: int = 60,
    ):
        self.store = store
        self._secret = secret_key.encode()
        self.session_length = timedelta(hours=session_hours)
        self.idle = timedelta(minutes=idle_minutes)

    # -- accounts -------------------------------------------------------------

    def create(self, username: str, password: str) -> None:
        check_new_credentials(username, password)
        with self.store.engine.begin() as connection:
            exists = connection.execute(
                sa.select(staff_users.c.id).where(staff_users.c.username == username)
            ).first()
            if exists:
                raise AccountError(f"an account {username!r} already exists")
            connection.execute(
                sa.insert(staff_users).values(
                    username=username,
                    password_hash=hash_password(password),
                    created_at=_naive(utc_now()),
                    disabled=False,
                )
            )

    def set_password(self, username: str, password: str) -> None:
        check_new_credentials(username, password)
        with self.store.engine.begin() as connection:
            result = connection.execute(
                sa.update(staff_users)
                .where(staff_users.c.username == username)
                .values(password_hash=hash_password(password), disabled=False)
            )
            if result.rowcount == 0:
                raise AccountError(f"no account {username!r}")
            connection.execute(
                sa.delete(staff_sessions).where(staff_sessions.c.username == username)
            )

    def disable(self, username: str) -> None:
        with self.store.engine.begin() as connection:
            result = connection.execute(
                sa.update(staff_users)
                .where(staff_users.c.username == username)
                .values(disabled=True)
            )
            if result.rowcount == 0:
                raise AccountError(f"no account {username!r}")
            connection.execute(
                sa.delete(staff_sessions).where(staff_sessions.c.username == username)
            )

    def usernames(self) -> list[str]:
        with self.store.engine.connect() as connection:
            return list(
                connection.execute(
                    sa.select(staff_users.c.username).order_by(staff_users.c.username)
                ).scalars()
            )

    # -- signing in and out ---------------------------------------------------

    def locked_until(self, username: str, now: datetime | None = None) -> datetime | None:
        """When the lock on ``username`` ends, or None if it is not locked."""
        moment = now or utc_now()
        with self.store.engine.connect() as connection:
            last_success = connection.execute(
                sa.select(sa.func.max(audit_log.c.at)).where(
                    audit_log.c.username == username, audit_log.c.action == "sign_in"
                )
            ).scalar_one_or_none()
            since = _naive(moment - 2 * LOCKOUT)
            if last_success is not None and last_success > since:
                since = last_success
            failures = (
                connection.execute(
                    sa.select(audit_log.c.at)
                    .where(
                        audit_log.c.username == username,
                        audit_log.c.action == "sign_in_failed",
                        audit_log.c.at > since,
                    )
                    .order_by(audit_log.c.at)
                )
                .scalars()
                .all()
            )
        lock_end: datetime | None = None
        window: list[datetime] = []
        for at in failures:
            window = [earlier for earlier in window if at - earlier < LOCKOUT] + [at]
            if len(window) >= MAX_FAILURES:
                lock_end, window = at + LOCKOUT, []
        if lock_end is not None and _naive(moment) < lock_end:
            return lock_end.replace(tzinfo=timezone.utc)
        return None

    def sign_in(
        self, username: str, password: str, remote_addr: str = "", now: datetime | None = None
    ) -> tuple[SignIn, str | None]:
        """(result, session token); every attempt is audited."""
        moment = now or utc_now()
        username = username.strip().lower()[:64]
        if self.locked_until(username, moment) is not None:
            self.store.audit(username, "sign_in_locked", remote_addr=remote_addr, now=moment)
            return SignIn.LOCKED, None
        with self.store.engine.connect() as connection:
            row = connection.execute(
                sa.select(staff_users.c.password_hash, staff_users.c.disabled).where(
                    staff_users.c.username == username
                )
            ).first()
        stored = row.password_hash if row is not None else _DUMMY_HASH
        correct = verify_password(password, stored) and row is not None and not row.disabled
        if not correct:
            self.store.audit(username, "sign_in_failed", remote_addr=remote_addr, now=moment)
            if self.locked_until(username, moment) is not None:
                return SignIn.LOCKED, None
            return SignIn.WRONG, None
        token = secrets.token_urlsafe(32)
        with self.store.engine.begin() as connection:
            connection.execute(
                sa.insert(staff_sessions).values(
                    token_hash=self._token_hash(token),
                    username=username,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=_naive(moment),
                    last_seen_at=_naive(moment),
                    expires_at=_naive(moment + self.session_length),
                )
            )
        self.store.audit(username, "sign_in", remote_addr=remote_addr, now=moment)
        return SignIn.OK, token

    def session(self, token: str | None, now: datetime | None = None) -> StaffSession | None:
        """The live session for a cookie's token, refreshing its idle timer."""
        if not token or len(token) > 100:
            return None
        moment = _naive(now or utc_now())
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


def _naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
