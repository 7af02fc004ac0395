"""The phone region and e-mail patterns that contact validation and redaction share."""

from __future__ import annotations

import re
from typing import Final

DEFAULT_REGION: Final = "GB"

_LOCAL_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
EMAIL_PATTERN: Final = re.compile(rf"^{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@(?:{_LABEL}\.)+{_TLD}$")
EMAIL_IN_TEXT: Final = re.compile(rf"{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@(?:{_LABEL}\.)+{_TLD}\b")
