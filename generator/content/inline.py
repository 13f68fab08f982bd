"""The small inline markup editors may use in text fields, rendered safely.

Allowed, and nothing else:

- ``**đậm**`` → bold
- ``*nghiêng*`` → italic
- ``[chữ](https://…)`` → a link; only http(s), mailto: and tel: targets, or
  an internal page path (``/thu-tuc/…`` or a relative ``.html``/``.md`` path)
- abbreviations from the glossary get a tooltip (``<abbr title>``)

Everything is HTML-escaped first, so ``<script>``, ``{{ … }}`` and any other
markup appear literally.  The result is a ``Markup`` so Jinja does not escape
it twice.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![\*\w])")
_SAFE_TARGET = re.compile(r"^(https?://|mailto:|tel:|/(?!/)|\.{0,2}/?[\w\-./#]+$)", re.IGNORECASE)
_BAD_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.\-]*:", re.IGNORECASE)


def safe_href(target: str) -> str | None:
    """The link target if it is allowed, else None."""
    if _BAD_SCHEME.match(target) and not re.match(r"^(https?|mailto|tel):", target, re.IGNORECASE):
        return None
    return target if _SAFE_TARGET.match(target) else None


class Abbreviations:
    """Glossary abbreviations, matched as whole words and shown as tooltips."""

    def __init__(self, meanings: dict[str, str]):
        self.meanings = meanings
        words = sorted(meanings, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, words)) + r")(?![\w;])") if words else None

    def apply(self, html: str) -> str:
        if self.pattern is None:
            return html
        return self.pattern.sub(lambda m: f'<abbr title="{escape(self.meanings[m.group(1)])}">{m.group(1)}</abbr>', html)


def render_inline(text: str, abbreviations: Abbreviations | None = None, resolve=None) -> Markup:
    """``resolve`` turns a link written from the handbook's root ("/thu-tuc/…")
    into a link relative to the page being rendered, so the site also works
    from a sub-folder or straight from disk."""
    escaped = str(escape(text))
    parts: list[str] = []
    last = 0
    # Links first, on escaped text; their targets were escaped too, so quotes
    # cannot break out of the attribute.
    for m in LINK.finditer(escaped):
        parts.append(_emphasis(escaped[last : m.start()], abbreviations))
        label, target = m.group(1), m.group(2)
        href = safe_href(Markup(target).unescape())
        if href is not None and resolve is not None and href.startswith("/"):
            page, hash_, anchor = href[1:].partition("#")
            href = resolve(page) + hash_ + anchor
        if href is None:
            parts.append(_emphasis(label, abbreviations))
        else:
            rel = ' rel="noopener"' if href.startswith("http") else ""
            parts.append(f'<a href="{escape(href)}"{rel}>{_emphasis(label, abbreviations)}</a>')
        last = m.end()
    parts.append(_emphasis(escaped[last:], abbreviations))
    return Markup("".join(parts))


def _emphasis(text: str, abbreviations: Abbreviations | None) -> str:
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return abbreviations.apply(text) if abbreviations else text


def plain_text(text: str) -> str:
    """The words of an inline-markup text without the markup: for search."""
    text = LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    return _ITALIC.sub(r"\1", text)
