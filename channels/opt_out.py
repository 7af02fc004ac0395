"""STOP, START and HELP for the texting channels, and the opt-out kept in the case database.

When the database cannot be reached, a sender counts as not opted out (the
safer mistake is to answer someone who may need 999) and a STOP is still
confirmed, with the failure logged for the clinic to act on.
"""

from __future__ import annotations

import logging

from kneecare.clinic import load_settings
from kneecare.messaging_replies import Keyword, help_reply, start_confirmation, stop_confirmation

logger = logging.getLogger(__name__)


def is_opted_out(conversation_id: str) -> bool:
    from kneecare.cases import default_store
    from kneecare.cases.opt_outs import opted_out

    try:
        return conversation_id in opted_out(default_store().engine, [conversation_id])
    except Exception as error:
        logger.error("could not read the opt-outs (%s)", type(error).__name__)
        return False


def set_opt_out(conversation_id: str, stopped: bool) -> None:
    from kneecare.cases import default_store
    from kneecare.cases.opt_outs import clear_opt_out, record_opt_out

    try:
        if stopped:
            record_opt_out(default_store().engine, conversation_id)
        else:
            clear_opt_out(default_store().engine, conversation_id)
    except Exception as error:
        logger.error("could not record %s for %s (%s)", "STOP" if stopped else "START",
                     conversation_id, type(error).__name__)


def keyword_reply(keyword: Keyword) -> str:
    clinic = load_settings()
    if keyword is Keyword.STOP:
        return stop_confirmation(clinic.name, clinic.phone)
    if keyword is Keyword.START:
        return start_confirmation(clinic.name)
    return help_reply(clinic.name, clinic.phone, clinic.emergency_number)
