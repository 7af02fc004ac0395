"""Twilio SMS and WhatsApp channel that only accepts requests signed by Twilio.

Rasa's own ``TwilioInput`` processes any POST to its webhook. This subclass
checks the ``X-Twilio-Signature`` header with ``RequestValidator(auth_token)``
over the public URL Twilio called (``public_url``, because behind a proxy the
URL Rasa sees differs) and the form parameters; anything unsigned or wrongly
signed gets 403 and is neither processed nor answered.

Replies go out through Twilio's REST API from the number the person wrote to
(the inbound ``To``), so one webhook serves an SMS number and a WhatsApp
sender alike. Buttons become numbered options and a reply of "1", "2", ...
picks the matching payload (see ``channels.buttons``). A message over
``kneecare.message_limits.MAX_MESSAGE_CHARS`` characters gets a reply asking
for a shorter one and is not processed.

The person's number never reaches Rasa: the conversation id is a keyed
pseudonym of it (``sms:...`` or ``whatsapp:...``, ``kneecare.conversation_ids``),
replies go to the number of the request being answered, and the number
travels on only encrypted, in the message's metadata (``reply_address``), for
the call-back's "call me on this number". A request Twilio sends again (same
``MessageSid``, as after a timeout or a replay) is answered but not processed
twice (``channels.seen_messages``). ``api_base_url`` points the REST
client elsewhere, e.g. at a fake Twilio API in tests.

credentials.messaging.yml::

    channels.twilio_signed.TwilioSignedInput:
      account_sid: "${TWILIO_ACCOUNT_SID}"
      auth_token: "${TWILIO_AUTH_TOKEN}"
      twilio_number: "${TWILIO_NUMBER}"
      public_url: "${TWILIO_PUBLIC_URL}"   # https://host/webhooks/twilio/webhook
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from channels.bad_input import message_too_long_reply
from channels.buttons import messages_for_rasa, numbered_options
from channels.conversation_keys import conversation_keys
from channels.more import asks_for_more, full_text_of_last_answer
from channels.opt_out import is_opted_out, keyword_reply, set_opt_out
from channels.seen_messages import first_time_seen
from channels.sms_text import plain_sms
from kneecare.clinic import load_settings
from kneecare.conversation_ids import twilio_id
from kneecare.message_limits import Kind, check_incoming, check_text
from kneecare.messaging_replies import Keyword, keyword_of, media_reply

logger = logging.getLogger(__name__)
# twilio's HTTP client logs every request and its headers at INFO; keep only problems
http_logger = logging.getLogger(f"{__name__}.http")
http_logger.setLevel(logging.WARNING)

# the first sentence (up to 100 characters) of a long message: an outcome or an answer
HEADLINE = re.compile(r"([^\n.?!:]{3,99}[.!:])(?=\s+\S)")
HEADLINE_AFTER = 200  # characters: shorter messages are left as they are
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
API_TIMEOUT_SECONDS = 15


class TwilioSignedOutput(TwilioOutput):
    """Sends through Twilio's REST API without blocking the event loop."""

    def __init__(self, account_sid: str | None, auth_token: str | None,
                 twilio_number: str | None, api_base_url: str | None = None,
                 reply_to: dict[str, str] | None = None) -> None:
        # TwilioOutput's constructor builds a blocking HTTP client; use the async one.
        http_client = AsyncTwilioHttpClient(pool_connections=False, timeout=API_TIMEOUT_SECONDS,
                                            logger=http_logger)
        Client.__init__(self, account_sid, auth_token, http_client=http_client)
        self.twilio_number = twilio_number
        # conversation id -> the address to send to (the request being answered)
        self.reply_to = dict(reply_to or {})
        if api_base_url:
            self.api.base_url = api_base_url.rstrip("/")

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        recipient = self.reply_to.get(str(message_data.get("to") or ""), "")
        if not recipient:
            logger.error("twilio: no address to reply to in this request; message not sent")
            return None
        message_data = {**message_data, "to": recipient}
        if "body" in message_data and not recipient.startswith("whatsapp:"):
            message_data = {**message_data, "body": plain_sms(str(message_data["body"]))}
        try:
            return await self.messages.create_async(**message_data)
        except (TwilioRestException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Twilio did not accept a message: %r", error)
            return None

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        """One message: the text, then "1. Yes", "2. No", ... (reply with the number)."""
        await self._send_message({"to": recipient_id, "from_": self.twilio_number,
                                  "body": numbered_options(text, buttons)})


class WhatsAppOutput(TwilioSignedOutput):
    """Replies on WhatsApp: the full texts (no SMS variants), first sentence in *bold*."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"  # domain.yml's SMS variants are for "twilio" only

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        if "body" in message_data:
            message_data = {**message_data, "body": whatsapp_text(str(message_data["body"]))}
        return await super()._send_message(message_data)


def whatsapp_text(text: str) -> str:
    """The first sentence as a bold headline, when a longer message follows it."""
    match = HEADLINE.match(text) if len(text) > HEADLINE_AFTER else None
    if match is None or "*" in match.group(1):
        return text
    return f"*{match.group(1)}*{text[match.end(1):]}"


def signed_params(request: Request) -> RequestParameters:
    """Every form field, blank ones too: Twilio signs them all, Sanic's request.form drops them."""
    if request.content_type.startswith("application/x-www-form-urlencoded"):
        fields = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        return RequestParameters(fields)
    return request.form


class TwilioSignedInput(TwilioInput):
    """``/webhooks/twilio/webhook``, answering 403 unless Twilio signed the request."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: Rasa raised above")  # for the type checker
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            public_url=credentials.get("public_url"),
            api_base_url=credentials.get("api_base_url"),
            twilio_confirms_opt_out=str(credentials.get("twilio_confirms_opt_out") or "")
            .lower() in ("true", "yes", "1"),
        )

    def __init__(self, account_sid: str | None, auth_token: str | None,
                 twilio_number: str | None, public_url: str | None = None,
                 api_base_url: str | None = None, debug_mode: bool = False,
                 twilio_confirms_opt_out: bool = False) -> None:
        if not auth_token:
            raise RasaException("twilio: auth_token is needed to check X-Twilio-Signature")
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.public_url = public_url or None
        self.api_base_url = api_base_url or None
        self.validator = RequestValidator(auth_token)
        # Twilio's Advanced Opt-Out sends its own STOP confirmation: then we send none
        self.twilio_confirms_opt_out = twilio_confirms_opt_out
        if not self.public_url:
            logger.warning("twilio: no public_url; signatures are checked against the URL "
                           "Rasa sees, which differs behind a proxy or tunnel")

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public URL (plus any query), else the request's."""
        if not self.public_url:
            return request.url
        if request.query_string and "?" not in self.public_url:
            return f"{self.public_url}?{request.query_string}"
        return self.public_url

    def is_signed_by_twilio(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return False
        return bool(self.validator.validate(self.signed_url(request), signed_params(request),
                                            signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_signed_by_twilio(request):
                logger.warning("twilio: rejected a request without a valid X-Twilio-Signature")
                return response.text("invalid signature", status=403)
            address = request.form.get("From")
            text = request.form.get("Body") or ""
            problem = check_incoming(address, text or " ")
            if problem is not None and problem.field != "message":
                logger.info("twilio: did not pass on a message: %s", problem.detail)
                return response.text(EMPTY_TWIML, content_type="text/xml")
            sender = twilio_id(address, conversation_keys())
            output = self.output_channel_for(request.form.get("To"), {sender: address})
            if not first_time_seen("twilio", request.form.get("MessageSid")):
                logger.info("twilio: ignored a message it had already handled (same MessageSid)")
                return response.text(EMPTY_TWIML, content_type="text/xml")
            for message in await self.answered_here(sender, text, output, request):
                try:
                    await on_new_message(UserMessage(
                        message, output, sender, input_channel=self.name(),
                        metadata={"reply_address": conversation_keys().encrypt(address)},
                    ))
                except Exception:
                    logger.exception("twilio: could not handle a message of %s", sender)
                    if self.debug_mode:
                        raise
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook

    async def answered_here(self, sender: str, text: str, output: TwilioSignedOutput,
                            request: Request) -> list[str]:
        """Answer what the channel handles itself; else the messages Rasa should get.

        STOP, START and HELP (``kneecare.messaging_replies``), messages from a
        sender who opted out (nothing is sent until START), pictures and voice
        notes without words, and messages too long to read.
        """
        keyword = keyword_of(text)
        if keyword is Keyword.STOP:
            set_opt_out(sender, stopped=True)
            if not self.twilio_confirms_opt_out:
                await output.send_text_message(sender, keyword_reply(keyword))
            return []
        if keyword is Keyword.HELP:
            await output.send_text_message(sender, keyword_reply(keyword))
            return []
        if keyword is Keyword.START:
            set_opt_out(sender, stopped=False)
            await output.send_text_message(sender, keyword_reply(keyword))
            return ["/greet"]  # and the menu
        if is_opted_out(sender):
            logger.info("twilio: %s opted out; nothing is sent until START", sender)
            return []
        problem = check_text(text)
        if problem is not None and problem.kind is Kind.TOO_LONG:
            await output.send_text_message(sender, message_too_long_reply())
            return []
        if problem is not None:  # a picture, a voice note or nothing at all
            logger.info("twilio: %s media item(s) and no words", request.form.get("NumMedia"))
            await output.send_text_message(sender, media_reply(load_settings().emergency_number))
            return []
        if asks_for_more(text):
            full = await full_text_of_last_answer(request, sender)
            if full:
                await output.send_text_message(sender, full)
                return []
        text = text.replace("¡", "@")  # some carriers corrupt @ in SMS
        return await messages_for_rasa(request, sender, text)

    def output_channel_for(self, our_number: str | None,
                           reply_to: dict[str, str] | None = None) -> TwilioSignedOutput:
        """Reply from the number (or whatsapp: sender) the person wrote to, to their number."""
        sender = our_number or self.twilio_number
        output = WhatsAppOutput if str(sender or "").startswith("whatsapp:") \
            else TwilioSignedOutput
        return output(self.account_sid, self.auth_token, sender, self.api_base_url, reply_to)

    def get_output_channel(self) -> OutputChannel:
        return self.output_channel_for(None)
