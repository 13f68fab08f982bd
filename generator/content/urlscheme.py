"""Link targets in hand-written pages, read as a browser reads an ``href``.

A link or image (``[x](url)``, ``[id]: url``, ``<url>``) may be a relative
path, or ``http:``, ``https:``, ``mailto:``, ``tel:``; never ``javascript:``,
``data:``, ``vbscript:``, ``file:`` or any other scheme, nor ``//host``.  The
scheme is read as a browser reads it: entities decoded (``javascript&#58;``),
tabs and newlines removed, leading spaces and controls stripped, letter case
ignored.  At most ``MAX_URL_PREFIX`` characters are read: beyond, blank or
invisible padding is refused rather than read on.

``markdown.py`` finds the links; this module says whether a target is allowed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
MAX_URL_PREFIX = 256

# Python-Markdown's backslash escapes (Markdown.ESCAPED_CHARS); "<" is not one.
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!")
_AUTOLINK_REST = re.compile(r"[^<>]*")
_PLAIN_REST = re.compile(r"[^ \t\n\"'/<>]*")
_MAIL_REST = re.compile(r"[^<> \n]*")
_LINK_SPACE = re.compile(r"[ \t\n]*")
_REF_SPACE = re.compile(r"[ \t]*(?:\n[ \t>]*)?")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")

URL_HINT = ("chỉ dùng liên kết https://…, http://…, mailto:…, tel:… hoặc đường dẫn tới trang khác "
            "trong sổ tay (ví dụ quy-trinh-mot-cua.md).")


class Refusal(NamedTuple):
    at: int  # where in the page the refused target begins
    message: str
    hint: str


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf")


def refusal(text: str, start: int, kind: str) -> Refusal | None:
    """Why the link target that begins at ``start`` of ``text`` is refused,
    or None if it is allowed.  ``kind``: "link" (``](``), "ref" (``]:``) or
    "auto" (``<…>``)."""
    n = len(text)
    j = start
    if kind != "auto":
        # "[x](  <url>)", "[id]:\n> url" (the next line may be in a block quote).
        j = (_REF_SPACE if kind == "ref" else _LINK_SPACE).match(text, j).end()
        if j < n and text[j] == "<":
            j += 1
    state, first, scheme = "lead", j, []
    steps, padded = 0, False
    while j < n:
        chars, nxt = decoded(text, j)
        for ch in chars:
            steps += 1
            if steps > MAX_URL_PREFIX:
                if state == "scheme" and not padded:
                    return None  # a long word: no scheme a browser would run
                return Refusal(first, "liên kết bắt đầu bằng quá nhiều khoảng trắng hay ký tự vô hình",
                               "xóa các khoảng trắng, ký tự vô hình hay mã &#…; ở đầu liên kết.")
            if ch in "`[" and kind == "link":
                # Python-Markdown puts the text of a code span or of a
                # reference link inside a link target into the href:
                # "[x](`javascript:…`)" is a javascript: link.
                return Refusal(j, "đầu liên kết không được có mã `…` hay dấu [",
                               "ghi thẳng địa chỉ liên kết, ví dụ [chữ](https://…).")
            if state == "lead":
                if ch.isspace() or _invisible(ch):
                    continue
                state, first = "start", j
            elif ch in "\t\n\r" or _invisible(ch):
                padded = True
                continue
            if state == "start":
                if ch in "/\\":
                    state = "slash"
                elif ch.isascii() and ch.isalpha():
                    state = "scheme"
                    scheme.append(ch)
                else:
                    return None
            elif state == "slash":
                if ch in "/\\":
                    return Refusal(first, "liên kết bắt đầu bằng '//' (không ghi giao thức) không được phép",
                                   "ghi đủ https:// ở đầu liên kết.")
                return None
            elif ch.isascii() and (ch.isalnum() or ch in "+-."):
                scheme.append(ch)
            elif ch == ":":
                name = "".join(scheme).lower()
                if name in SAFE_SCHEMES:
                    return None
                shown = name if len(name) <= 30 else name[:30] + "…"
                return Refusal(first, f"liên kết dùng giao thức '{shown}:' không được phép", URL_HINT)
            else:
                return None
        j = nxt
    return None


def decoded(text: str, j: int) -> tuple[str, int]:
    """The character(s) a browser sees at ``j`` in an attribute value:
    character references decoded, Markdown's backslash escapes removed."""
    c = text[j]
    if c == "&":
        m = _ENTITY.match(text, j)
        if m is not None:
            ref = m.group()
            if ref.startswith("&#"):
                # Any number of leading zeros; a number too large for a
                # character reads as U+FFFD (and must not reach int()).
                hexa = ref[2:3] in ("x", "X")
                digits = ref[3 if hexa else 2:].rstrip(";").lstrip("0") or "0"
                ref = f"&#{'x' if hexa else ''}{digits if len(digits) <= 8 else 'FFFD' if hexa else '65533'};"
            decoded = html.unescape(ref)
            if decoded != ref:
                return decoded, m.end()
    elif c == "\\" and j + 1 < len(text) and text[j + 1] in _ESCAPABLE:
        return text[j + 1], j + 2
    return c, j + 1


def autolink(text: str, colon: int) -> bool:
    """Whether ``<scheme:…>`` (``colon`` after the scheme) is one of
    Python-Markdown's autolinks, which carry no attributes."""
    if text.startswith("://", colon):
        # Python-Markdown's autolink: "<scheme://" then anything but "<" and ">".
        return text.startswith(">", _AUTOLINK_REST.match(text, colon + 3).end())
    # "<tel:123>": without spaces, quotes or slashes it cannot carry attributes.
    return text.startswith(">", _PLAIN_REST.match(text, colon + 1).end())


def automail(text: str, i: int) -> bool:
    """Python-Markdown's ``<([^<> !]+@[^@<> ]+)>`` at ``i`` (kept to one
    line): always rendered as a mailto: link built by Markdown itself."""
    k = _MAIL_REST.match(text, i + 1).end()
    at = text.rfind("@", i + 1, k)
    if not text.startswith(">", k) or at <= i + 1 or at >= k - 1:
        return False
    return text.find("!", i + 1, at) < 0  # "!" may only follow the last "@"
