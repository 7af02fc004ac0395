"""Command line for staff accounts.

    python -m staff.accounts create USERNAME [--password-stdin]
    python -m staff.accounts passwd USERNAME [--password-stdin]
    python -m staff.accounts disable USERNAME
    python -m staff.accounts unlock USERNAME
    python -m staff.accounts role USERNAME {reception,practice_manager}
    python -m staff.accounts list

Without ``--password-stdin`` the password is asked for twice, without echo.
Changing a password or disabling an account ends that person's sessions.
A practice manager can also unlock and disable accounts in the staff view's
Accounts page. Unlocking lifts the pauses after too many failed sign-ins; it is audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kneecare.cases.crypto import cipher_from_settings
from kneecare.cases.database import upgrade_database
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore
from staff.auth import AccountError, Accounts
from staff.settings import StaffSettingsError, get_settings
from staff.staff_users import ROLES


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise AccountError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m staff.accounts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("create", "passwd"):
        command = commands.add_parser(name)
        command.add_argument("username")
        command.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of stdin",
        )
    commands.add_parser("disable").add_argument("username")
    commands.add_parser("unlock").add_argument("username")
    role = commands.add_parser("role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    commands.add_parser("list")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except StaffSettingsError as error:
        print(f"staff.accounts: {error}", file=sys.stderr)
        return 2
    upgrade_database(settings.database_url)
    store = CaseStore(settings.database_url, cipher_from_settings(case_settings()))
    accounts = Accounts(store, settings.secret_key)
    try:
        if args.command == "list":
            print("\n".join(accounts.usernames()))
        elif args.command == "disable":
            accounts.disable(args.username)
            print(f"disabled {args.username}")
        elif args.command == "unlock":
            accounts.unlock(args.username, by="the command line")
            print(f"unlocked {args.username}")
        elif args.command == "role":
            accounts.set_role(args.username, args.role)
            detail = f"{args.role} by the command line"
            accounts.store.audit(args.username, "role_set", detail=detail)
            print(f"{args.username} is now {args.role}")
        elif args.command == "create":
            accounts.create(args.username, _password(args.password_stdin))
            print(f"created {args.username}")
        else:
            accounts.set_password(args.username, _password(args.password_stdin))
            print(f"changed the password of {args.username}")
    except AccountError as error:
        print(f"staff.accounts: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
