"""How many SMS segments a text costs (what the clinic pays per message sent).

A single SMS carries 160 GSM-7 characters (an extension character such as
"€" or "[" counts twice); a longer text is split into segments of 153, each
carrying a small header. One character outside GSM-7 makes the whole text
UCS-2: 70 characters, or 67 a segment when split.
"""

from __future__ import annotations

from typing import Final

GSM7_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION: Final = "^{}\\[~]|€\f"


def segments(text: str) -> int:
    """The number of SMS segments ``text`` is sent as (none for an empty text: nothing is
    sent, as Rasa's output channels skip it)."""
    if not text:
        return 0
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        septets = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, part = 160, 153
    else:
        septets = sum(2 if ord(char) > 0xFFFF else 1 for char in text)  # UTF-16 units
        single, part = 70, 67
    if septets <= single:
        return 1
    return -(-septets // part)
