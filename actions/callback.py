"""The call-back request: consent first, then a name and a phone number or e-mail.

Contact details never sit in the tracker in plain text: the validation
encrypts them into the slots, the submit action decrypts them once to store
the request for reception, then clears the slots. Logs name the
conversation, never the person.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.clinic import clinic
from actions.message_metadata import client_key_of
from kneecare.callback_replies import (
    means_this_number,
    read_contact_route,
    read_name,
    texting_number,
)
from kneecare.cases.contact import CONTACT_SLOTS
from kneecare.form_replies import INTENT_ANSWERS
from kneecare.language.parse import parse_yes_no

logger = logging.getLogger(__name__)

CONSENT_PURPOSE = (
    "Name and phone number or e-mail, used only by the clinic's reception to contact "
    "the person about their knee; deleted after the clinic's retention period."
)


def _cipher() -> Any:
    from kneecare.cases import default_cipher  # needs the key, not the database

    return default_cipher()


class ValidateCallbackForm(FormValidationAction):
    """Reads consent, the name and the contact route, one question at a time."""

    def name(self) -> str:
        return "validate_callback_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        asked = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        intent = (message.get("intent") or {}).get("name")
        if asked and intent == "stop":
            return []  # let the rule end the form politely
        events: list[EventType] = []
        reply_address = (message.get("metadata") or {}).get("reply_address")
        value = self._read(asked, text, intent, reply_address) if asked else None
        if asked and value is None:
            events += [SlotSet(asked, None), SlotSet("answer_unclear", True)]
            return [*events, SlotSet("requested_slot", asked)]
        if asked:
            events.append(SlotSet(asked, value))
        if tracker.get_slot("answer_unclear"):
            events.append(SlotSet("answer_unclear", False))
        if value is False:  # no consent: ask nothing more
            return [*events, SlotSet("requested_slot", None)]
        filled = {
            **{slot: tracker.get_slot(slot) for slot in CONTACT_SLOTS},
            **({asked: value} if asked else {}),
        }
        remaining = [slot for slot in CONTACT_SLOTS if filled.get(slot) is None]
        return [*events, SlotSet("requested_slot", remaining[0] if remaining else None)]

    @staticmethod
    def _read(asked: str, text: str, intent: str | None, reply_address: Any = None) -> Any:
        if asked == "callback_consent":
            answer = INTENT_ANSWERS.get(intent or "") or parse_yes_no(text)
            return {"yes": True, "no": False}.get(answer or "")
        if asked == "contact_name":
            name = read_name(text)
            return _cipher().encrypt(name) if name else None
        if asked == "contact_route":
            contact = read_contact_route(text)
            if contact is None and means_this_number(text) and isinstance(reply_address, str):
                # SMS and WhatsApp: the channel passed the number, encrypted
                contact = texting_number(_cipher().decrypt(reply_address) or "")
            if contact is None:
                return None
            return _cipher().encrypt(contact.phone or contact.email)
        return None


class ActionSubmitCallbackRequest(Action):
    """Stores a consented request for reception and forgets the details."""

    def name(self) -> str:
        return "action_submit_callback_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        forget = [SlotSet("contact_name", None), SlotSet("contact_route", None)]
        if tracker.get_slot("callback_consent") is not True:
            return [*forget, SlotSet("callback_consent", False), SlotSet("callback_saved", None)]
        saved = self._store(tracker)
        expected = clinic().when_to_expect_a_call(dt.datetime.now(dt.timezone.utc))
        return [
            *forget,
            SlotSet("callback_consent", True),
            SlotSet("callback_saved", saved),
            SlotSet("callback_expected", expected),
        ]

    @staticmethod
    def _store(tracker: Tracker) -> bool:
        from kneecare.cases import CaseKeptInOutbox, ContactDetails, record_callback_request

        try:
            cipher = _cipher()
            name = cipher.decrypt(tracker.get_slot("contact_name")) or ""
            route = cipher.decrypt(tracker.get_slot("contact_route")) or ""
            is_email = "@" in route
            contact = ContactDetails.create(
                name, phone=None if is_email else route, email=route if is_email else None
            )
            record_callback_request(
                tracker.sender_id,
                tracker.get_latest_input_channel() or "unknown",
                contact,
                reason="call-back requested in the chat",
                level=tracker.get_slot("triage_level"),
                consent_purpose=CONSENT_PURPOSE,
                client_key=client_key_of(tracker),
            )
        except CaseKeptInOutbox:  # logged by the store, retried from the outbox
            logger.warning("the call-back request of %s waits in the outbox", tracker.sender_id)
            return False
        except Exception:
            logger.exception("could not store the call-back request of %s", tracker.sender_id)
            return False
        return True
