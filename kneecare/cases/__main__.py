"""Command line for data protection tasks on the case store.

    python -m kneecare.cases upgrade      bring the schema up to date
    python -m kneecare.cases retention    delete cases and conversations older
                                          than retention_days (clinic.yml, 365)
    python -m kneecare.cases erase --conversation ID
    python -m kneecare.cases erase --contact PHONE_OR_EMAIL

Each deletion is written to the audit log (counts only, no personal data).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kneecare.cases import default_store
from kneecare.cases.contact import InvalidContact, install_log_redaction
from kneecare.cases.settings import case_settings


def main(argv: list[str] | None = None) -> int:
    install_log_redaction()
    parser = argparse.ArgumentParser(
        prog="python -m kneecare.cases",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("upgrade", help="bring the database schema up to date")
    retention = commands.add_parser("retention", help="delete data older than retention_days")
    retention.add_argument("--days", type=int, help="override retention_days from clinic.yml")
    erase = commands.add_parser("erase", help="erase a conversation or a person's call-backs")
    target = erase.add_mutually_exclusive_group(required=True)
    target.add_argument("--conversation", metavar="ID")
    target.add_argument("--contact", metavar="PHONE_OR_EMAIL")
    args = parser.parse_args(argv)

    store = default_store()
    operator = f"cli:{getpass.getuser()}"
    if args.command == "upgrade":
        print("case database is up to date")
        return 0
    if args.command == "retention":
        days = args.days or case_settings().retention_days
        if days < 1:
            parser.error("--days must be at least 1")
        report = store.delete_older_than(days)
        action, what = "retention", f"older than {days} days"
    elif args.conversation:
        report = store.erase_conversation(args.conversation)
        action, what = "erase_conversation", "for that conversation"
    else:
        try:
            report = store.erase_person(args.contact)
        except InvalidContact as error:
            print(f"erase: {error}", file=sys.stderr)
            return 2
        action, what = "erase_person", "for that contact"
    detail = f"{report.cases} cases, {report.conversations} conversations"
    store.audit(operator, action, detail=detail)
    print(f"deleted {detail} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
