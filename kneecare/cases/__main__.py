"""Command line for data protection tasks on the case store.

    python -m kneecare.cases upgrade      bring the schema up to date
    python -m kneecare.cases retention    delete cases and conversations older
                                          than retention_days (clinic.yml, 365)
    python -m kneecare.cases erase --conversation ID
    python -m kneecare.cases erase --contact PHONE_OR_EMAIL
    python -m kneecare.cases outbox       how many cases wait in the outbox because
                                          the database was unavailable
    python -m kneecare.cases retry        store them now (exit status 1 while
                                          some still wait)

Each deletion is written to the audit log (counts only, no personal data).
Erasure also removes matching cases that still wait in the outbox.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import kneecare.cases as cases
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
    commands.add_parser("outbox", help="count the cases waiting for the database")
    commands.add_parser("retry", help="store the cases waiting in the outbox")
    args = parser.parse_args(argv)

    if args.command == "outbox":
        files = cases.default_outbox().files()
        oldest = f" (oldest {files[0].name[:16]})" if files else ""
        print(f"{len(files)} cases waiting in the outbox{oldest}")
        return 0
    if args.command == "retry":
        try:
            delivery = cases.deliver_outbox()
        except Exception as error:  # the database is still unavailable
            waiting = len(cases.default_outbox().files())
            print(f"retry: the case database is unavailable ({type(error).__name__});"
                  f" {waiting} cases still waiting", file=sys.stderr)
            return 1
        print(f"stored {delivery.delivered} cases from the outbox; {delivery.waiting} waiting")
        return 1 if delivery.waiting else 0
    store = cases.default_store()
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
        report = cases.erase_conversation(args.conversation)
        action, what = "erase_conversation", "for that conversation"
    else:
        try:
            report = cases.erase_person(args.contact)
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
