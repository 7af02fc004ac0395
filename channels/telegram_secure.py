"""Telegram channel that only accepts updates carrying the webhook's secret token.

Rasa's own ``TelegramInput`` asks the Bot API who it is on every update and
sets the webhook with ``asyncio.run`` while the server is being built. This
subclass instead checks the ``X-Telegram-Bot-Api-Secret-Token`` header that
Telegram sends when the webhook was registered with a ``secret_token`` (403
otherwise, nothing processed), and registers the webhook with that secret once
the server has started. A body that is not an Update gets 400 and a JSON
error; each message is checked with ``kneecare.message_limits``, and one that
is too long gets a reply asking for a shorter one instead of being processed.
Buttons are sent as an inline keyboard whose keys name their question; a
pressed key's choice is echoed under the question ("You chose: No") and its
keyboard removed, and a key of an older question is refused politely instead
of answering the current one. A photo's caption is read like a message; a
picture, voice note or sticker without words gets a request to describe it in
words, with the emergency number.
``api_base_url`` points the bot at another Bot API server (a local fake in
tests, or a self-hosted server).

The chat id never reaches Rasa: the conversation id is a keyed pseudonym of
it (``telegram:...``, ``kneecare.conversation_ids``); the output channel keeps
the chat ids of recent conversations in memory only, to send the replies.

credentials.messaging.yml::

    channels.telegram_secure.TelegramSecureInput:
      access_token: "${TELEGRAM_TOKEN}"
      webhook_url: "${TELEGRAM_WEBHOOK_URL}"   # https://host/webhooks/telegram/webhook
      secret_token: "${TELEGRAM_SECRET_TOKEN}"
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.bad_input import json_body, json_error, message_too_long_reply
from channels.buttons import OFFER_RESUME, messages_for_rasa, returning_mid_questions, tracker_of
from channels.conversation_keys import conversation_keys
from kneecare.clinic import load_settings
from kneecare.conversation_ids import telegram_id
from kneecare.message_limits import Kind, check_incoming
from kneecare.messaging_replies import media_reply
from kneecare.sessions import is_stale

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
VALID_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
REMEMBERED_CHATS = 10_000  # chats whose replies may still be on their way
MEDIA = "\x00media"  # read_update: a message with no words (never a real text)
PRESSED_OLD_KEY = "\x00old-key"  # read_update: a key of a question no longer awaiting
MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
TAG_LENGTH = 12
TAGGED_DATA = re.compile(r"([0-9a-f]{12}):(\d{1,2})")
STALE_BUTTON = "That question has already been answered; please use the latest one."
ROW_TITLE_LENGTH = 12  # longer titles get a row each, so none is cut off
ALLOWED_UPDATES = ["message", "callback_query"]


def question_tag(text: str, buttons: list[dict[str, Any]]) -> str:
    """A short tag for one question (its words and its buttons), sent with each key."""
    payloads = "\n".join(str(button.get("payload") or button.get("title")) for button in buttons)
    return hashlib.sha256(f"{text}\n{payloads}".encode()).hexdigest()[:TAG_LENGTH]


def keyboard_rows(text: str, buttons: list[dict[str, Any]]) -> list[list[dict[str, str]]]:
    """Inline keyboard rows: short titles side by side, long ones one per row.

    Each key's ``callback_data`` is ``<question tag>:<button number>``: the
    number is turned back into the payload from the tracker when pressed, and
    only while the tag is that of the question awaiting an answer.
    """
    tag = question_tag(text, buttons)
    keys = [{"text": str(button["title"]), "callback_data": f"{tag}:{number}"}
            for number, button in enumerate(buttons, start=1)]
    if all(len(key["text"]) <= ROW_TITLE_LENGTH for key in keys) and len(keys) <= 3:
        return [keys]
    return [[key] for key in keys]


def pressed(data: str, awaiting_text: str | None,
            awaiting: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """(payload, title) of the pressed key, or (None, None) when its question is not the
    one awaiting an answer (an old keyboard) or the data is not ours."""
    match = TAGGED_DATA.fullmatch(data)
    if match is None or awaiting_text is None:
        return None, None
    if match.group(1) != question_tag(awaiting_text, awaiting):
        return None, None
    number = int(match.group(2))
    if not 1 <= number <= len(awaiting):
        return None, None
    button = awaiting[number - 1]
    return str(button.get("payload") or button.get("title")), str(button.get("title"))


async def awaiting_question(request: Request,
                            conversation_id: str) -> tuple[str | None, list[dict[str, Any]]]:
    """The words and buttons of the bot's latest question with buttons since the person
    last spoke, read from the running agent's tracker store."""
    tracker = await tracker_of(request, conversation_id)
    for event in reversed(list(tracker.events) if tracker else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            if is_stale(event.timestamp, time.time(), load_settings().session_hours):
                break  # asked longer ago than a conversation stays open
            return event.text or "", list(event.data["buttons"])
    return None, []


def chat_id_of(chat: Any) -> str:
    """The chat's id as Rasa's sender id; ValueError unless it is an integer, as Telegram's are."""
    chat_id = getattr(chat, "id", None)
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        raise ValueError("a Telegram chat id is an integer")
    return str(chat_id)


class TelegramSecureOutput(TelegramOutput):
    """Rasa's Telegram output with a configurable Bot API server, sending to pseudonyms."""

    def __init__(self, access_token: str | None, api_base_url: str | None = None) -> None:
        server = TelegramAPIServer.from_base(api_base_url) if api_base_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)
        self._chat_ids: OrderedDict[str, str] = OrderedDict()  # pseudonym -> chat id

    def remember(self, conversation_id: str, chat_id: str) -> None:
        """Where replies to ``conversation_id`` go (the most recent chats, in memory only)."""
        self._chat_ids[conversation_id] = chat_id
        self._chat_ids.move_to_end(conversation_id)
        while len(self._chat_ids) > REMEMBERED_CHATS:
            self._chat_ids.popitem(last=False)

    def chat_id(self, recipient_id: str) -> str:
        return self._chat_ids.get(recipient_id, recipient_id)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await super().send_response(self.chat_id(recipient_id), message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await super().send_text_message(self.chat_id(recipient_id), text, **kwargs)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        markup = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(**key) for key in row] for row in keyboard_rows(text, buttons)
        ])
        await self.send_message(recipient_id, text, reply_markup=markup)

    async def register_webhook(self, url: str, secret_token: str) -> bool:
        """setWebhook with a secret_token (aiogram 2.15 predates that parameter)."""
        return bool(await self.request("setWebhook", {
            "url": url,
            "secret_token": secret_token,
            "allowed_updates": json.dumps(ALLOWED_UPDATES),
        }))


class TelegramSecureInput(TelegramInput):
    """``/webhooks/telegram/webhook``, answering 403 without the right secret token."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: Rasa raised above")  # for the type checker
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_base_url=credentials.get("api_base_url"),
            start_payload=credentials.get("start_payload", "/greet"),
        )

    def __init__(self, access_token: str | None, verify: str | None, webhook_url: str | None,
                 secret_token: str | None = None, api_base_url: str | None = None,
                 start_payload: str = "/greet", debug_mode: bool = False) -> None:
        if not access_token:
            raise RasaException("telegram: access_token (from @BotFather) is required")
        if not secret_token or not VALID_SECRET.fullmatch(str(secret_token)):
            raise RasaException("telegram: secret_token must be 1-256 characters of "
                                "A-Z, a-z, 0-9, _ and -")
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = str(secret_token)
        self.api_base_url = api_base_url or None
        self.start_payload = start_payload

    def has_secret_token(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(_: Sanic, __: Any) -> None:
            if not self.webhook_url:
                return
            try:
                await out_channel.register_webhook(self.webhook_url, self.secret_token)
                logger.info("telegram: webhook set to %s", self.webhook_url)
            except TelegramAPIError as error:
                logger.error("telegram: could not set the webhook: %s", error)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.has_secret_token(request):
                logger.warning("telegram: rejected an update without the secret token")
                return response.text("forbidden", status=403)
            body, unreadable = json_body(request)
            if unreadable is not None:
                return json_error(400, unreadable)
            try:
                update = Update.to_object(body)
                received = await self.read_update(request, update, out_channel)
            # not shaped like an Update (OSError/OverflowError: a date out of range)
            except (TypeError, ValueError, AttributeError, OverflowError, OSError):
                return json_error(400, "the body is not a Telegram Update")
            if received is None:
                return response.text("success")
            chat_id, text = received
            sender_id = telegram_id(chat_id, conversation_keys())
            out_channel.remember(sender_id, chat_id)
            if text == MEDIA:
                await self.send_quietly(out_channel, sender_id,
                                        media_reply(load_settings().emergency_number))
                return response.text("success")
            if text == PRESSED_OLD_KEY:  # refused already; back after a long pause: the offer
                tracker = await tracker_of(request, sender_id)
                if not returning_mid_questions(tracker, time.time(),
                                               load_settings().session_hours):
                    return response.text("success")
                messages = [OFFER_RESUME, OFFER_RESUME]  # set the answers aside, then ask
            else:
                problem = check_incoming(sender_id, text)
                if problem is not None:
                    # answered 200 all the same: Telegram would send the update again
                    logger.info("telegram: did not pass on a message: %s", problem.detail)
                    if problem.kind is Kind.TOO_LONG and problem.field == "message":
                        await self.send_quietly(out_channel, sender_id, message_too_long_reply())
                    return response.text("success")
                messages = await messages_for_rasa(request, sender_id, text)
            try:
                for message in messages:
                    await on_new_message(UserMessage(
                        message, out_channel, sender_id, input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    ))
            except Exception:
                logger.exception("telegram: could not handle a message of %s", sender_id)
                if self.debug_mode:
                    raise
            return response.text("success")

        return telegram_webhook

    async def read_update(self, request: Request, update: Update,
                          out_channel: TelegramSecureOutput) -> tuple[str, str] | None:
        """(chat id, text for Rasa) from a message or a pressed button, else None.

        A message with no words (a photo, a voice note, a sticker) gives
        ``MEDIA``; a photo's caption is read like any message. A button of a
        question that is no longer awaiting an answer is refused politely.
        """
        if update.callback_query and update.callback_query.message:
            query = update.callback_query
            chat_id = chat_id_of(query.message.chat)
            text, buttons = await awaiting_question(request, telegram_id(chat_id,
                                                                         conversation_keys()))
            payload, title = pressed(query.data or "", text, buttons)
            await self.acknowledge_button(out_channel, query, title)
            return chat_id, PRESSED_OLD_KEY if payload is None else payload
        message = update.message
        if message is None:
            return None  # an edit or another kind of update: nothing new was said
        words = message.text if isinstance(message.text, str) else message.caption
        if not isinstance(words, str) or not words.strip():
            return chat_id_of(message.chat), MEDIA
        if words.split()[0].split("@")[0] == "/start":
            words = self.start_payload
        return chat_id_of(message.chat), words

    @staticmethod
    async def acknowledge_button(out_channel: TelegramSecureOutput, query: Any,
                                 title: str | None) -> None:
        """Stop the spinner; echo the choice under the question and remove its keyboard.

        A stale button (``title`` None) gets a short notice instead, and its
        keyboard goes too.
        """
        chat_id, message_id = query.message.chat.id, query.message.message_id
        try:
            if title is None:
                await out_channel.answer_callback_query(query.id, text=STALE_BUTTON)
                await out_channel.edit_message_reply_markup(chat_id, message_id,
                                                            reply_markup=None)
                return
            await out_channel.answer_callback_query(query.id)
            question = query.message.text or ""
            await out_channel.edit_message_text(f"{question}\n\nYou chose: {title}", chat_id,
                                                message_id, reply_markup=None)
        except TelegramAPIError as error:
            logger.warning("telegram: could not acknowledge a button: %s", error)

    @staticmethod
    async def send_quietly(out_channel: TelegramSecureOutput, sender_id: str, text: str) -> None:
        try:
            await out_channel.send_text_message(sender_id, text)
        except TelegramAPIError as error:
            logger.warning("telegram: could not send a reply: %s", error)

    def get_output_channel(self) -> TelegramSecureOutput:
        """The output channel; unlike Rasa's, it does not set the webhook here."""
        return TelegramSecureOutput(self.access_token, self.api_base_url)
