"""Text from traces and specs made safe to write into XML, SVG and HTML, and still readable.

XML 1.0 forbids most control characters (NUL, ESC, ...), lone surrogates and U+FFFE/U+FFFF: one of
them written raw makes an SVG file not well-formed, so it does not render at all. `visible` spells
each of them, and every other control character, the way Python writes it (`\\x1b`, `\\x00`,
`\\ud800`), so a reader sees what the snippet traced; tab, newline and carriage return are kept.
"""

from __future__ import annotations

import re
from html import escape

_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every character XML forbids, and every other control but tab, newline and
    carriage return, written out as an escape (`\\x1b`)."""
    return _UNSEEN.sub(_spelled, text)


def xml_text(text: str) -> str:
    """`text` as XML character data or an attribute value: visible, then &, <, >, and quotes escaped."""
    return escape(visible(text))
