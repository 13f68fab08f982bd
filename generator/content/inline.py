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

Every scan is linear in the length of the text, whatever the text (content
files may hold half a megabyte of ``[[[[`` or ``**a **a``): a link's label
holds no ``[`` and its target no ``[``, so no two link attempts read the
same characters; bold is paired by one pass over the ``**`` (``_bold``);
italic never reads past the next ``*``.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^\[)\s]+)\)")
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


def _bold(text: str, before: str = "", after: str = "") -> str:
    """Each ``**words**`` as ``before + words + after``: what
    ``re.sub(r"\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*", …)`` gives, in one pass.

    From left to right, a ``**`` followed by a non-space opens; it closes at
    the first ``**`` after at least one character that follows a non-space,
    on the same line; an opener with no closer is left as it is and the
    search goes on at its next character."""
    # Every "**" (overlapping: "***" holds two) that may close: after a non-space.
    closers, j = [], text.find("**", 1)
    while j >= 0:
        if not text[j - 1].isspace():
            closers.append(j)
        j = text.find("**", j + 1)
    if not closers:
        return text
    out, pos, k, newline = [], 0, 0, -1
    i = text.find("**")
    while i >= 0 and k < len(closers):
        if i + 2 < len(text) and not text[i + 2].isspace():
            while k < len(closers) and closers[k] < i + 3:
                k += 1  # closers only move right, as openers do
            if newline < i + 2:
                newline = text.find("\n", i + 2)
                newline = len(text) if newline < 0 else newline
            if k < len(closers) and closers[k] < newline:
                j = closers[k]
                out += [text[pos:i], before, text[i + 2 : j], after]
                pos = j + 2
                i = text.find("**", pos)
                continue
        i = text.find("**", i + 1)
    out.append(text[pos:])
    return "".join(out)


def _emphasis(text: str, abbreviations: Abbreviations | None) -> str:
    text = _bold(text, "<strong>", "</strong>")
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return abbreviations.apply(text) if abbreviations else text


def plain_text(text: str) -> str:
    """The words of an inline-markup text without the markup: for search."""
    text = LINK.sub(r"\1", text)
    text = _bold(text)
    return _ITALIC.sub(r"\1", text)
