"""Syntax highlighting of snippet regions with Pygments."""

from __future__ import annotations

from functools import cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(cssclass="hl", wrapcode=True)


@cache
def _lexer(language: str) -> Lexer:
    """The lexer of `language` (looking one up is slow); plain text for one Pygments does not know."""
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return get_lexer_by_name("text")


def highlighted(code: str, language: str) -> str:
    """`code` as highlighted HTML (escaped)."""
    return highlight(code, _lexer(language), _FORMATTER)


def stylesheet() -> str:
    return _FORMATTER.get_style_defs(".hl")
