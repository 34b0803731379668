"""Syntax highlighting of snippet regions with Pygments."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(cssclass="hl", wrapcode=True)


def highlighted(code: str, language: str) -> str:
    """`code` as highlighted HTML; plain (escaped) text for a language Pygments does not know."""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return highlight(code, lexer, _FORMATTER)


def stylesheet() -> str:
    return _FORMATTER.get_style_defs(".hl")
