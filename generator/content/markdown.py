"""Hand-written pages (``handbook/**/*.md``): a small Markdown subset, checked.

MkDocs publishes these pages as written, and a static host such as GitHub
Pages sends no Content-Security-Policy, so raw HTML or a ``javascript:`` link
in a page would be script stored in the handbook.  ``check_page`` reads a
page's Markdown source and refuses, at its line and column, anything outside
this subset:

- HTML tags: only ``<br>``, ``<kbd>``, ``<sub>`` and ``<sup>`` (and their
  closing tags), with no attributes at all.  HTML comments ``<!-- … -->`` are
  allowed; what is inside them is checked like the rest of the page.
- Attribute lists (the ``attr_list`` extension, ``{: … }`` or ``{ … }``): only
  ``#id`` and ``.class`` words, never ``key=value``.  Python-Markdown reads a
  brace group as attributes in many places (after a heading, at the end of a
  block, right after emphasis or a link, on a fence line), so every brace
  group with a closing brace on its line is checked.  Jinja-looking text
  ``{{ … }}`` is refused too: it is never evaluated (no plugin renders page
  Markdown as a template), but ``*x*{{ onclick=… }}`` is an attribute list.
  The one exception is a placeholder, ``{{noi_tiep_nhan}}``: the sotay
  plugin replaces it by the edition's plain text before Markdown reads the
  page, and ``placeholders.py`` checks its name.
- Links and images (``[x](url)``, ``[id]: url``, ``<url>``): a relative path,
  or ``http:``, ``https:``, ``mailto:``, ``tel:``, the scheme read as a
  browser reads an ``href`` (``urlscheme.py``).
- No metadata block at the top of the page (YAML front matter or
  ``key: value`` lines): MkDocs would print its values, YAML escapes included,
  into the page unescaped.

Code is shown as text, so fenced code blocks and inline code spans are not
checked, but only where Python-Markdown (with the extensions in mkdocs.yml)
certainly treats them as code: a fence opens at the start of a line and
closes with the same fence (``fenced_code``'s rule); a code span opens and
closes on one line, holds no ``|`` (a table row may split there), and sits in
a paragraph where every earlier backtick was paired on its own line and no
HTML comment began (after a comment that starts a line, Python-Markdown reads
the rest of the line as raw HTML).  Anything less certain is checked as
ordinary text: a needless refusal there is a nuisance, a missed tag would be
script.

The scan is linear in the size of the page: regular expressions that cannot
backtrack far, no search repeated from many starting points, link schemes
read from at most ``urlscheme.MAX_URL_PREFIX`` characters; it stops after
``MAX_ERRORS`` problems.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from . import placeholders, urlscheme
from .errors import ErrorSink
from .yamlsource import read_text

PAGES_DIR = "handbook"
# The suffixes MkDocs renders as pages (mkdocs.utils.markdown_extensions).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
ALLOWED_TAGS = ("br", "kbd", "sub", "sup")
VOID_TAGS = ("br",)
MAX_ERRORS = 20

# Where something may need a look: a backslash run before "`" or "{", a
# backtick (while code spans are trusted), "<" that may open a tag, "](" or
# "]:" followed by what may begin a URL scheme, "{"; "-->" inside a comment.
_ESCAPES = r"(?<!\\)\\++(?=[`{])"
_TAG = r"<(?=[A-Za-z/!?])"
_LINK = r"\][(:](?![ \t\n<>]*[\]()*_\"'!#?.,;:|~0-9=+%@$^{}-])"
_NEXT = re.compile("|".join([_ESCAPES, "`", _TAG, _LINK, r"\{"]))
_NEXT_UNSURE = re.compile("|".join([r"(?<!\\)\\++(?=\{)", _TAG, _LINK, r"\{"]))
_NEXT_IN_COMMENT = re.compile("|".join([r"(?<!\\)\\++(?=\{)", r"<(?=[A-Za-z/?]|!(?!--))", _LINK, r"\{", "--!?>"]))
_RUN_OF_BACKSLASHES = re.compile(r"\\+")
_RUN_OF_BACKTICKS = re.compile("`+")
_BLANK_LINE = re.compile(r"\n(?=[ ]*(?:\n|\Z))")
_FENCE_LINE = re.compile(r"^(?:`{3,}|~{3,})", re.MULTILINE)
_ATX_H1 = re.compile(r"^#(?!#)", re.MULTILINE)
_SETEXT_H1 = re.compile(r"(?<=\n)=+[ ]*$", re.MULTILINE)
# "<" and the character references a browser (or markupsafe's unescape) reads as "<".
_LESS_THAN = re.compile(r"<|&(?:lt|LT|#0*60(?![0-9])|#[xX]0*3[cC](?![0-9a-fA-F]))")
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LANG = re.compile(r"\.?[\w#.+-]*[ ]*")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_META_LINE = re.compile(r"[ ]{0,3}[A-Za-z0-9_-]+:")  # mkdocs.utils.meta.META_RE
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")

_TAG_HINT = ("chỉ dùng được <br>, <kbd>, <sub>, <sup> (không kèm thuộc tính); muốn hiện dấu < như chữ "
             "thường thì viết &lt; hoặc đặt đoạn đó trong dấu `…`.")


def check_pages(root: Path, pages: list[str], sink: ErrorSink) -> list[placeholders.Use]:
    """Read every hand-written page (``pages``: paths relative to handbook/,
    from the loader's one walk) as content (UTF-8, NFC, size limit,
    forbidden characters) and check it against the allowed subset.
    Returns the placeholders the pages write (placeholders.py)."""
    uses = []
    for rel in pages:
        display = f"{PAGES_DIR}/{rel}"
        # MkDocs prints a page's path into its edit link, and a title made
        # from the file or folder name into the navigation, unescaped.
        if not all(_SAFE_NAME.fullmatch(part) for part in Path(rel).parts):
            sink.add(display, 1, 1, f"tên tệp hay thư mục của trang '{display}' không hợp lệ",
                     "chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ bien-tap/huong-dan-moi.md.")
        text = read_text(root / PAGES_DIR / rel, display, sink)
        if text is not None:
            check_page(text, display, sink)
            uses.extend(placeholders.page_uses(text, display, sink))
    return uses


def is_page(rel: str) -> bool:
    """Whether MkDocs renders this file of handbook/ as a page."""
    return rel.lower().endswith(MARKDOWN_SUFFIXES)


def check_page(text: str, display: str, sink: ErrorSink) -> None:
    """Record in ``sink`` every construct of the page's Markdown source that
    is outside the allowed subset, at its line and column."""
    _Scan(text.replace("\r\n", "\n").replace("\r", "\n"), display, sink).run()


class _Scan:
    def __init__(self, text: str, display: str, sink: ErrorSink):
        self.text, self.display, self.sink = text, display, sink
        self.errors = 0
        self.stopped = False
        self.reported_urls: set[int] = set()
        # Code spans are skipped only while their pairing is certain (see the
        # module docstring); a blank line starts a new paragraph.
        self.trust = True
        self.comment_open = False
        self.current = (0, -1)  # start and end of the line last asked for
        self.blank = (-1, -1)  # the next blank line's start, as found from a position
        self.last_brace: dict[int, int] = {}
        self.fences = self._fences()
        self.fence_starts = sorted(self.fences)

    # -- positions and errors -------------------------------------------------

    def line(self, i: int) -> tuple[int, int]:
        """Start and end (its newline, or the end of text) of the line holding ``i``.
        The scan moves forward, so each line is looked up once."""
        start, end = self.current
        if not start <= i <= end:
            end = self.text.find("\n", i)
            self.current = start, end = self.text.rfind("\n", 0, i) + 1, len(self.text) if end < 0 else end
        return start, end

    def next_blank(self, i: int) -> int:
        """Start of the first blank line (spaces only) at or after ``i``, or the end of text."""
        found_from, at = self.blank
        if not found_from <= i < at:
            m = _BLANK_LINE.search(self.text, max(i - 1, 0))
            self.blank = found_from, at = i, (len(self.text) if m is None else m.start() + 1)
        return at

    def error(self, i: int, message: str, hint: str) -> None:
        if self.stopped:
            return
        line = self.text.count("\n", 0, i)
        column = i - (self.text.rfind("\n", 0, i) + 1) + 1
        if self.errors >= MAX_ERRORS:
            self.sink.add(self.display, line + 1, column, "quá nhiều lỗi trong trang này; dừng kiểm tra tại đây",
                          "sửa các lỗi ở trên rồi chạy lại sotay validate.")
            self.stopped = True
            return
        self.errors += 1
        self.sink.add(self.display, line + 1, column, message, hint)

    # -- fenced code blocks ---------------------------------------------------

    def _fences(self) -> dict[int, int]:
        """Start of each fenced code block → where scanning resumes after it.

        Mirrors Python-Markdown's fenced_code: an opening fence at the start
        of a line (optionally ``{attrs}``, ``.lang``, ``hl_lines="…"``), closed
        by the first later line that is the same fence and nothing but spaces.
        An opening fence without its closing line is ordinary text."""
        text = self.text
        lines = []  # (start, end, fence) of each line that begins with a fence
        closers: dict[str, list[int]] = {}
        for m in _FENCE_LINE.finditer(text):
            start, fence = m.start(), m.group()
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            lines.append((start, end, fence))
            if not text[m.end():end].strip(" "):
                closers.setdefault(fence, []).append(start)
        blocks: dict[int, int] = {}
        resume = 0
        for start, end, fence in lines:
            if start < resume:
                continue  # inside the block found last
            later = closers.get(fence, [])
            k = bisect_right(later, start)
            if k == len(later):
                continue
            opening = self._opening_rest(text[start + len(fence):end])
            if opening is None:
                continue
            if opening >= 0:  # "```{attrs}": attributes on the code block
                self._brace(start + len(fence) + opening)
            close_end = text.find("\n", later[k])
            resume = blocks[start] = len(text) if close_end < 0 else close_end + 1
        return blocks

    @staticmethod
    def _opening_rest(rest: str) -> int | None:
        """Whether what follows the fence on its line makes an opening fence:
        None if not, else the offset of its ``{attrs}`` group (-1 if none)."""
        stripped = rest.lstrip(" ")
        if stripped.startswith("{"):
            # fenced_code gives up on the fence when attr_list leaves a "}"
            # unread; with one "}" only, it never does.
            ok = stripped.endswith("}") and stripped.count("}") == 1
            return len(rest) - len(stripped) if ok else None
        if _LANG.fullmatch(stripped):
            return -1
        at = stripped.find("hl_lines=")
        if at < 0 or not _LANG.fullmatch(stripped[:at]):
            return None
        value = stripped[at + len("hl_lines="):].rstrip(" ")
        return -1 if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0] else None

    # -- the scan ---------------------------------------------------------------

    def run(self) -> None:
        self._front_matter()
        self._titles()
        text, n = self.text, len(self.text)
        fences, fence_starts = self.fences, self.fence_starts
        fk = 0
        i = 0
        while i < n and not self.stopped:
            while fk < len(fence_starts) and fence_starts[fk] < i:
                fk += 1
            stop = fence_starts[fk] if fk < len(fence_starts) else n
            if stop == i:
                i = fences[i]  # blank lines inside do not end the paragraph
                continue
            if self.comment_open:
                pattern = _NEXT_IN_COMMENT
            elif self.trust:
                pattern = _NEXT
            else:
                # Backticks do not matter until a blank line ends the paragraph.
                pattern = _NEXT_UNSURE
                stop = min(stop, self.next_blank(i))
            m = pattern.search(text, i, stop)
            if m is None:
                if stop < n and not self.comment_open and not self.trust and stop == self.next_blank(i):
                    self.trust = True
                i = stop
                continue
            i = m.start()
            c = text[i]
            if c == "\\":
                i = self._backslashes(i)
            elif c == "`":
                i = self._backticks(i)
            elif c == "<":
                i = self._angle(i)
            elif c == "]":
                i = self._bracket(i)
            elif c == "{":
                i = self._brace(i)
            else:
                i = self._comment_end(i)

    def _front_matter(self) -> None:
        text = self.text
        first = text[: self.line(0)[1]]
        yaml_block = first.rstrip(" \t") == "---" and _FRONT_MATTER_END.search(text, len(first)) is not None
        if yaml_block or _META_LINE.match(first):
            self.error(0, "trang viết tay không được có phần khai báo ở đầu trang (front matter, dạng khóa: giá trị)",
                       "tiêu đề trang lấy từ dòng '# …' đầu tiên; xóa khối '---' … '---' ở đầu tệp. Nếu dòng đầu là "
                       "câu có dấu hai chấm (ví dụ 'Note: …'), thêm một dòng tiêu đề '# …' lên trước.")

    def _titles(self) -> None:
        """A level-1 heading may become the page's title, which the theme
        prints into <title> through Jinja's ``striptags`` — and that filter
        turns "&lt;" back into "<": "# &lt;/title&gt;&lt;script&gt;…" (or the
        same typed inside `…`) would close the <title> and run.  So a level-1
        heading holds no "<" in any form."""
        text = self.text
        lines = [m.start() for m in _ATX_H1.finditer(text)]
        # A setext heading: the line above a "====" line.
        lines += [text.rfind("\n", 0, m.start() - 1) + 1 for m in _SETEXT_H1.finditer(text)]
        for start in sorted(set(lines)):
            k = bisect_right(self.fence_starts, start) - 1
            if k >= 0 and start < self.fences[self.fence_starts[k]]:
                continue  # inside a fenced code block: not a heading
            end = text.find("\n", start)
            for m in _LESS_THAN.finditer(text, start, len(text) if end < 0 else end):
                self.error(m.start(), "tiêu đề cấp 1 (dòng '# …') không được chứa dấu <, kể cả viết &lt; hay đặt trong `…`",
                           "tiêu đề cấp 1 có thể thành tên trang trong thẻ <title> của trình duyệt; bỏ dấu < khỏi tiêu đề.")

    def _backslashes(self, i: int) -> int:
        text = self.text
        j = _RUN_OF_BACKSLASHES.match(text, i).end()
        if (j - i) % 2 == 1 and j < len(text) and text[j] in "`{":
            # An escaped backtick is a literal one (the rest of its run may
            # still open a code span); an escaped brace opens no attribute list.
            return j + 1
        return j

    def _backticks(self, i: int) -> int:
        text = self.text
        j = _RUN_OF_BACKTICKS.match(text, i).end()
        if not self.trust:
            return j
        count, end = j - i, self.line(i)[1]
        k = j
        while k < end:
            k = text.find("`", k, end)
            if k < 0:
                break
            m = _RUN_OF_BACKTICKS.match(text, k, end).end()
            if m - k == count:
                # A pipe inside may split the span in a table row.
                if "|" not in text[j:k]:
                    return m
                break
            k = m
        self.trust = False
        return j

    def _angle(self, i: int) -> int:
        text, n = self.text, len(self.text)
        nxt = text[i + 1] if i + 1 < n else ""
        if text.startswith("<!--", i):
            self.comment_open, self.trust = True, False
            return i + 4
        if nxt in ("!", "?"):
            after = text[i + 2] if i + 2 < n else " "
            if not after.isspace():
                self.error(i, "khai báo hay chỉ thị HTML (<!…>, <?…>) không được phép",
                           "xóa phần này; muốn ghi chú mà không hiện trên trang thì viết <!-- … -->.")
            return i + 2
        if nxt == "/":
            m = _TAG_NAME.match(text, i + 2)
            if m is None:
                return i + 1
            name = m.group().lower()
            close = m.end()
            while close < n and text[close] == " ":
                close += 1
            if name not in ALLOWED_TAGS or name in VOID_TAGS or not text.startswith(">", close):
                self._tag_error(i, m.group(), name)
            return i + 2
        if not (nxt.isascii() and nxt.isalpha()):
            return i + 1
        scheme = _SCHEME.match(text, i + 1)
        if text.startswith(":", scheme.end()):
            self._autolink(i, scheme.end())
            return i + 1
        if urlscheme.automail(text, i):
            return i + 1
        m = _TAG_NAME.match(text, i + 1)
        name = m.group().lower()
        close = m.end()
        while close < n and text[close] == " ":
            close += 1
        if name in VOID_TAGS and text.startswith("/", close):
            close += 1
        if name not in ALLOWED_TAGS or not text.startswith(">", close):
            self._tag_error(i, m.group(), name)
        return i + 1

    def _tag_error(self, i: int, written: str, name: str) -> None:
        if name in ALLOWED_TAGS:
            self.error(i, f"thẻ <{name}> không được kèm thuộc tính hay viết khác",
                       f"viết đúng <{name}>" + ("" if name in VOID_TAGS else f"…</{name}>")
                       + "; bỏ mọi thuộc tính (on…, style, class…).")
            return
        slash = "/" if self.text.startswith("</", i) else ""
        shown = written if len(written) <= 30 else written[:30] + "…"
        self.error(i, f"thẻ HTML <{slash}{shown}> không được phép trong trang viết tay", _TAG_HINT)

    def _autolink(self, i: int, colon: int) -> None:
        """``<scheme:…>``: an autolink when well formed, else raw HTML."""
        if not self._url(i + 1, "auto"):
            return
        if urlscheme.autolink(self.text, colon) or urlscheme.automail(self.text, i):
            return
        self.error(i, "liên kết trong dấu <…> không hợp lệ",
                   "viết <https://địa-chỉ> liền một mạch, không có dấu cách, hoặc [chữ](https://địa-chỉ).")

    def _bracket(self, i: int) -> int:
        text = self.text
        if text.startswith("(", i + 1):
            self._url(i + 2, "link")
        elif text.startswith(":", i + 1):
            start = self.line(i)[0]
            # "*[HTML]: Hyper Text…" defines an abbreviation (a tooltip), not a link.
            if not (text.startswith("*[", start) and text.find("]", start) == i):
                self._url(i + 2, "ref")
        return i + 1

    def _url(self, start: int, kind: str) -> bool:
        """Check the link target that begins at ``start``; True if it is
        allowed.  A refusal is reported once at its place."""
        refused = urlscheme.refusal(self.text, start, kind)
        if refused is None:
            return True
        if refused.at not in self.reported_urls:
            self.reported_urls.add(refused.at)
            self.error(*refused)
        return False

    def _brace(self, i: int) -> int:
        """``{…}`` that attr_list may read as attributes: only #id and .class."""
        text = self.text
        if m := placeholders.PATTERN.match(text, i):
            return m.end()  # filled before Markdown reads the page; its name is checked by placeholders.py
        line, end = self.line(i)
        if line not in self.last_brace:
            self.last_brace[line] = text.rfind("}", line, end)
        if self.last_brace[line] <= i:
            return i + 1  # no closing brace on the line: never an attribute list
        j = i + 1
        if j < end and text[j] == ":":
            j += 1
        while j < end and text[j] == " ":
            j += 1
        if j >= end or text[j] == "}":
            return i + 1  # "{}", "{ }": not an attribute list either
        while True:
            while j < end and text[j] == " ":
                j += 1
            if j >= end or text[j] == "}":
                return j
            token = j
            if text[j] in "#.":
                k = j + 1
                while k < end and text[k] in _NAME_CHARS:
                    k += 1
                # An id starts with a letter or digit: "__config" and the
                # like belong to the theme's own page elements.
                if k > j + 1 and (k == end or text[k] in " }") and (text[j] == "." or text[j + 1] not in "_-"):
                    j = k
                    continue
            while j < end and text[j] not in " }":
                j += 1
            written = text[token:j]
            shown = written if len(written) <= 40 else written[:40] + "…"
            self.error(token, f"danh sách thuộc tính {{…}} chỉ được có #mã và .lớp, không được có '{shown}'",
                       "xóa phần này (thuộc tính như onclick=…, style=…, href=… không được phép); muốn hiện dấu "
                       "ngoặc nhọn như chữ thường thì viết \\{ hoặc đặt đoạn đó trong dấu `…`.")
            return max(j, i + 1)

    def _comment_end(self, i: int) -> int:
        text = self.text
        for close in ("-->", "--!>"):
            if text.startswith(close, i):
                # Code spans stay unsure until the paragraph ends: after a
                # comment that starts a line, Python-Markdown reads the rest
                # of the line as raw HTML.
                self.comment_open = False
                return i + len(close)
        return i + 1
