"""Staff accounts: create one, set its password, disable or unlock it, list them.

Accounts live in the case store's database. A new password must pass
``check_new_credentials``; setting a password or disabling an account ends
its sessions.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from kneecare.cases.records import to_db, utc_now
from kneecare.cases.store import CaseStore
from kneecare.cases.tables import staff_sessions, staff_users
from staff.passwords import AccountError, check_new_credentials, hash_password
from staff.throttle import UNLOCK_ACTION

MANAGER = "practice_manager"
ROLES = ("reception", MANAGER)


class StaffUsers:
    """The staff accounts in the case store's database."""

    def __init__(self, store: CaseStore):
        self.store = store

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
                    created_at=to_db(utc_now()),
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

    def disable(self, username: str, by: str = "the command line") -> None:
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
        self.store.audit(username, "account_disabled", detail=f"disabled by {by}")

    def unlock(self, username: str, by: str, now: datetime | None = None) -> None:
        """Lift the sign-in pauses of ``username`` (audited, with who did it)."""
        if username not in self.usernames():
            raise AccountError(f"no account {username!r}")
        self.store.audit(username, UNLOCK_ACTION, detail=f"unlocked by {by}", now=now)

    def set_role(self, username: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
        with self.store.engine.begin() as connection:
            result = connection.execute(
                sa.update(staff_users).where(staff_users.c.username == username).values(role=role)
            )
            if result.rowcount == 0:
                raise AccountError(f"no account {username!r}")

    def is_manager(self, username: str) -> bool:
        with self.store.engine.connect() as connection:
            role = connection.execute(
                sa.select(staff_users.c.role).where(
                    staff_users.c.username == username, sa.not_(staff_users.c.disabled)
                )
            ).scalar_one_or_none()
        return bool(role == MANAGER)

    def overview(self) -> list[tuple[str, str, bool]]:
        """(username, role, disabled) of every account, by name."""
        columns = (staff_users.c.username, staff_users.c.role, staff_users.c.disabled)
        with self.store.engine.connect() as connection:
            rows = connection.execute(sa.select(*columns).order_by(staff_users.c.username))
            return [(row.username, row.role, bool(row.disabled)) for row in rows]

    def usernames(self) -> list[str]:
        with self.store.engine.connect() as connection:
            return list(
                connection.execute(
                    sa.select(staff_users.c.username).order_by(staff_users.c.username)
                ).scalars()
            )
