"""Plain SMS text: the few typographic characters our responses use, in the GSM-7 alphabet.

One character outside GSM-7 (a bullet "•", a curly apostrophe) makes the
whole SMS go out as UCS-2: 70 characters a segment instead of 160, so the
longest screening question cost about ten segments instead of four.
WhatsApp and the other channels keep the original text.
"""

from __future__ import annotations

# GSM 03.38 default alphabet and its extension table (the extension costs two septets)
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
PLAIN = str.maketrans({
    "•": "-", "·": "-", "‣": "-", "◦": "-",
    "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‑": "-",
    "…": "...", "\u00a0": " ", "\u202f": " ", "×": "x",
})


def plain_sms(text: str) -> str:
    """``text`` with typographic characters replaced by their GSM-7 look-alikes."""
    return text.translate(PLAIN)


def is_gsm7(text: str) -> bool:
    """Whether an SMS of ``text`` can go out in the GSM-7 alphabet (160 a segment)."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)
