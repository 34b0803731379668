"""Text a runner sent, made safe to show: on a terminal, in XML, anywhere.

A snippet can print anything: NUL, ANSI escape sequences that move the cursor or retitle the
terminal, lone surrogates. Whatever the harness shows of it goes through `printable`, which keeps
newlines and tabs and writes every other control character as a visible escape (`\\x1b`).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates (not text at all)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every character a terminal or an XML file could take for more than text escaped."""
    return _UNSAFE.sub(_escape, text)
