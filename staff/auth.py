"""Staff accounts, sign-in with lockout, and server-side sessions.

Passwords are hashed with scrypt and a per-user salt and compared in constant
time; an unknown username costs the same as a wrong password. Failed sign-ins
are throttled per client address and username, with growing pauses: after
``FREE_FAILURES`` failures (within ``THROTTLE_WINDOW``, since the last success)
the next try must wait ``FIRST_PAUSE``, then twice as long, up to
``MAX_PAUSE``; one address failing across many usernames is throttled the
same way after ``FREE_FAILURES_PER_ADDRESS``. So someone outside cannot lock
a colleague out: the colleague's own computer is not throttled. Known and
unknown usernames are treated alike, and the failures are read from the
audit log. A session is a random token
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

from kneecare.cases.records import utc_now
from kneecare.cases.store import CaseStore
from kneecare.cases.tables import audit_log, staff_sessions, staff_users

FREE_FAILURES: Final = 4  # per address and username
FREE_FAILURES_PER_ADDRESS: Final = 20  # per address, whichever usernames
FIRST_PAUSE: Final = timedelta(minutes=1)
MAX_PAUSE: Final = timedelta(minutes=15)
THROTTLE_WINDOW: Final = timedelta(hours=1)
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

    def locked_until(self, username: str, now: datetime | None = None,
                     remote_addr: str = "") -> datetime | None:
        """When ``remote_addr`` may next try ``username``, or None if it may now."""
        moment = _naive(now or utc_now())
        with self.store.engine.connect() as connection:
            last_success = connection.execute(
                sa.select(sa.func.max(audit_log.c.at)).where(
                    audit_log.c.username == username, audit_log.c.action == "sign_in"
                )
            ).scalar_one_or_none()
            since = moment - THROTTLE_WINDOW
            if last_success is not None and last_success > since:
                since = last_success
            failed_here = sa.and_(audit_log.c.action == "sign_in_failed",
                                  audit_log.c.remote_addr == remote_addr[:64],
                                  audit_log.c.at > since)
            for_user = connection.execute(
                sa.select(audit_log.c.at).where(failed_here, audit_log.c.username == username)
                .order_by(audit_log.c.at)).scalars().all()
            for_address = connection.execute(
                sa.select(audit_log.c.at).where(failed_here).order_by(audit_log.c.at)
            ).scalars().all()
        ends = [end for end in (_pause_end(for_user, FREE_FAILURES),
                                _pause_end(for_address, FREE_FAILURES_PER_ADDRESS))
                if end is not None and moment < end]
        return max(ends).replace(tzinfo=timezone.utc) if ends else None

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
        stored = row.password_hash if row is not None else _DUMMY_HASH
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


def _pause_end(failures: list[datetime], free: int) -> datetime | None:
    """When the pause after these failures ends: none for the first ``free``, then growing."""
    beyond = len(failures) - free
    if beyond <= 0:
        return None
    pause: timedelta = min(MAX_PAUSE, FIRST_PAUSE * int(2 ** (beyond - 1)))
    return failures[-1] + pause


def _naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
