"""Refuse a provider message that was already handled (``kneecare.cases.inbound``).

When the case database cannot be reached the message is handled: answering
someone twice is better than not answering someone who may need 999.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def first_time_seen(provider: str, message_id: str | None) -> bool:
    """False only when ``message_id`` is known to have been handled before."""
    if not message_id:
        return True
    from kneecare.cases import default_store
    from kneecare.cases.inbound import first_sighting

    try:
        return first_sighting(default_store().engine, provider, message_id)
    except Exception as error:  # the database is down: handle it rather than drop it
        logger.warning("could not check whether a %s message was seen before (%s)",
                       provider, type(error).__name__)
        return True
