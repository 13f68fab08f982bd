"""Hand-written pages (handbook/**/*.md) may use only a small Markdown subset:
raw HTML, attribute lists with attributes, script links and front matter are
refused at their line and column, `sotay build` builds nothing, and the same
text inside code is accepted (it is shown as text)."""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from markupsafe import Markup
from mkdocs.structure.pages import _ExtractTitleTreeprocessor

from generator.content.errors import ErrorSink
from generator.content.handbook import load_handbook
from generator.site import outputs
from generator.content.markdown import ALLOWED_TAGS, MARKDOWN_SUFFIXES, MAX_ERRORS, check_page
from generator.content.urlscheme import SAFE_SCHEMES

from conftest import REPO, write

PAGE = "handbook/trang-thu.md"
BEFORE = "# Trang thử\n\nĐoạn mở đầu.\n\n"  # the attack starts on line 5
AFTER = "\n\nĐoạn cuối.\n"

# (id, text, marker, message): the error is on the line holding the marker,
# at the marker's column.
ATTACKS = [
    ("script", "Xem <script>alert(1)</script> nhé.", "<script>", "thẻ HTML <script>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>", "<ScRiPt>", "thẻ HTML <ScRiPt>"),
    ("img-onerror", "Ảnh <img src=x onerror=alert(1)>", "<img", "thẻ HTML <img>"),
    ("svg-onload", "<svg/onload=alert(1)>", "<svg", "thẻ HTML <svg"),
    ("iframe", '<iframe src="https://example.org"></iframe>', "<iframe", "thẻ HTML <iframe>"),
    ("style-tag", "<style>body{display:none}</style>", "<style>", "thẻ HTML <style>"),
    ("style-attribute", '<span style="color:red">đỏ</span>', "<span", "thẻ HTML <span>"),
    ("link-tag", '<a href="https://example.org">x</a>', "<a ", "thẻ HTML <a>"),
    ("allowed-tag-onclick", 'Bấm <kbd onclick="alert(1)">Ctrl</kbd>', "<kbd", "thẻ <kbd> không được kèm thuộc tính"),
    ("allowed-tag-slash-attribute", "Xuống dòng<br/onmouseover=alert(1)>", "<br", "thẻ <br> không được kèm thuộc tính"),
    # The theme prints a level-1 heading into <title> through striptags, which unescapes "&lt;".
    ("title-entity", "# &lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;", "&lt;/title", "tiêu đề cấp 1"),
    ("title-code", "# `</title><img src=x onerror=alert(1)>`", "</title", "tiêu đề cấp 1"),
    ("title-setext-number", "Tên &#60;/title&#62;\n=====", "&#60;", "tiêu đề cấp 1"),
    ("doctype", "<!DOCTYPE html>", "<!DOCTYPE", "khai báo hay chỉ thị HTML"),
    ("processing-instruction", "<?php echo 1; ?>", "<?php", "khai báo hay chỉ thị HTML"),
    ("attr-list-onmouseover", '## Mục {: onmouseover="alert(1)" }', "onmouseover", "danh sách thuộc tính"),
    ("attr-list-style", 'Đoạn văn.\n{: style="display:none" }', "style=", "danh sách thuộc tính"),
    ("attr-list-href", '[Trang](index.md){: href="javascript:alert(1)" }', "href=", "danh sách thuộc tính"),
    ("attr-list-bare-brace", "*x*{{ onclick=alert(1) }}", "{ onclick", "danh sách thuộc tính"),
    ("attr-list-theme-id", "Đoạn văn.\n{: #__config }", "#__config", "danh sách thuộc tính"),
    ("fence-attributes", '``` {.yaml onclick="alert(1)"}\nx: 1\n```', "onclick", "danh sách thuộc tính"),
    ("inline-javascript", "[Bấm](javascript:alert(1))", "javascript:", "giao thức 'javascript:'"),
    ("inline-mixed-case", "[Bấm](JaVaScRiPt:alert(1))", "JaVaScRiPt", "giao thức 'javascript:'"),
    ("inline-angle", "[Bấm](<javascript:alert(1)>)", "javascript", "giao thức 'javascript:'"),
    ("inline-entity-colon", "[Bấm](javascript&#58;alert(1))", "javascript", "giao thức 'javascript:'"),
    ("inline-named-entity", "[Bấm](javascript&colon;alert(1))", "javascript", "giao thức 'javascript:'"),
    ("inline-entity-letter", "[Bấm](&#x6A;avascript:alert(1))", "&#x6A;", "giao thức 'javascript:'"),
    ("inline-entity-tab", "[Bấm](java&#9;script:alert(1))", "java", "giao thức 'javascript:'"),
    ("inline-entity-newline", "[Bấm](java&NewLine;script:alert(1))", "java", "giao thức 'javascript:'"),
    ("inline-leading-space-control", "[Bấm](&#32;&#1;javascript:alert(1))", "javascript", "giao thức 'javascript:'"),
    ("inline-newline", "[Bấm](java\nscript:alert(1))", "java", "giao thức 'javascript:'"),
    ("inline-escaped-dot", "[Bấm](javascript\\.x:alert(1))", "javascript", "giao thức 'javascript.x:'"),
    # Python-Markdown puts the text of a code span or a reference link in a target into the href.
    ("inline-code-in-target", "[Bấm](`javascript:alert(1)`)", "`javascript", "đầu liên kết không được có mã"),
    ("inline-code-splits-scheme", "[Bấm](java`script`:alert(1))", "`script", "đầu liên kết không được có mã"),
    ("inline-code-splits-slashes", "[Bấm](/`/`evil.example)", "`/`", "đầu liên kết không được có mã"),
    ("inline-reference-in-target", "[r 1]: https://example.org\n\n[Bấm]([java][r 1]script:alert(1))", "[java]",
     "đầu liên kết không được có mã"),
    ("image-data", "![ảnh](data:image/svg+xml;base64,PHN2Zz4=)", "data:", "giao thức 'data:'"),
    ("inline-vbscript", "[x](vbscript:msgbox(1))", "vbscript", "giao thức 'vbscript:'"),
    ("inline-file", "[x](file:///etc/passwd)", "file:", "giao thức 'file:'"),
    ("protocol-relative", "[x](//evil.example/a.js)", "//evil", "'//'"),
    ("protocol-relative-backslash", "[x](/\\evil.example/a.js)", "/\\evil", "'//'"),
    ("reference", "[tl]: javascript:alert(1)\n\nXem [tài liệu][tl].", "javascript", "giao thức 'javascript:'"),
    ("reference-next-line", "[tl]:\n    JAVASCRIPT:alert(1)\n\nXem [tài liệu][tl].", "JAVASCRIPT", "giao thức 'javascript:'"),
    ("reference-angle", "[tl]: <vbscript:msgbox(1)>\n\n[x][tl]", "vbscript", "giao thức 'vbscript:'"),
    ("reference-protocol-relative", "[tl]: //evil.example\n\n[x][tl]", "//evil", "'//'"),
    ("autolink", "<javascript://%0aalert(1)>", "javascript", "giao thức 'javascript:'"),
    ("autolink-data", "<data:text/html,x>", "data", "giao thức 'data:'"),
    ("autolink-with-attributes", "<http:x/onmouseover=alert(1)>", "<http", "liên kết trong dấu <…> không hợp lệ"),
    # Python-Markdown reads the rest of a line that starts with a comment as raw HTML.
    ("code-after-comment", "<!-- ghi chú --> `<img src=x onerror=alert(1)>`", "<img", "thẻ HTML <img>"),
    # A code span may cross lines: then the second line's spans pair differently.
    ("code-across-lines", "`mở\nđóng` <img src=x onerror=alert(1)> `x`", "<img", "thẻ HTML <img>"),
    # In a table, an escaped backtick pairs the spans differently.
    ("code-in-table", "| a | b |\n|---|---|\n| \\``a ` <b onclick=1> `` | c |", "<b ", "thẻ HTML <b>"),
]
IDS = [a[0] for a in ATTACKS]


def where(text: str, marker: str) -> tuple[int, int]:
    """Line and column of ``marker`` in the page written with ``text``."""
    page = BEFORE + text
    at = page.index(marker)
    line = page.count("\n", 0, at) + 1
    return line, at - (page.rfind("\n", 0, at) + 1) + 1


def page_errors(root: Path) -> list[str]:
    """What loading the whole handbook reports about its hand-written pages."""
    _, sink = load_handbook(root)
    return [e.format() for e in sink.errors if e.path.endswith(MARKDOWN_SUFFIXES)]


@pytest.mark.parametrize("name,text,marker,message", ATTACKS, ids=IDS)
def test_attack_is_refused_at_its_place_and_nothing_is_built(mini, run, name, text, marker, message):
    write(mini / PAGE, BEFORE + text + AFTER)
    line, column = where(text, marker)
    result = run("validate")
    assert result.exit_code == 1
    located = [l for l in result.output.splitlines() if l.startswith(f"{PAGE}:{line}:{column}: ")]
    assert located and message in located[0], result.output
    assert "gợi ý:" in result.output and "Traceback" not in result.output
    # The build refuses it and leaves the published site as it was.
    site = mini / "site"
    write(site / "index.html", "bản cũ\n")
    write(site / outputs.MARKER, outputs.MARKER_TEXT)  # a build of ours, which sotay may replace
    result = run("build")
    assert result.exit_code == 1 and f"{PAGE}:{line}:{column}: " in result.output
    assert sorted(p.name for p in site.iterdir()) == sorted([outputs.MARKER, "index.html"])
    assert (site / "index.html").read_text(encoding="utf-8") == "bản cũ\n"
    assert [p.name for p in mini.iterdir() if p.name.startswith(".site.building")] == []


INLINE_SAFE = [a for a in ATTACKS if "\n" not in a[1] and "`" not in a[1] and "|" not in a[1]]


@pytest.mark.parametrize("name,text,marker,message", INLINE_SAFE, ids=[a[0] for a in INLINE_SAFE])
def test_same_text_in_code_is_shown_as_text(mini, name, text, marker, message):
    """Inside inline code and a fenced block the attack is only text; the
    copy outside code, on the last line, is the one refused."""
    page = f"# Trang thử\n\nMã: `{text}`, còn ``{text}`` cũng vậy.\n\n```\n{text}\n```\n\n~~~~ .html\n{text}\n~~~~\n\n{text}\n"
    write(mini / PAGE, page)
    last = page.count("\n")
    errors = page_errors(mini)
    assert errors and all(e.startswith(f"{PAGE}:{last}:") for e in errors), errors


def test_tab_and_control_tricks_in_a_link_are_read_as_the_browser_reads_them():
    # read_text already refuses tabs and controls in a file; check_page does
    # not rely on it.
    for text in ["[x](java\tscript:alert(1))", "[x](\x01javascript:alert(1))", "[x](java\rscript:alert(1))",
                 "[x](\tjavascript:alert(1))", "[x](java\u200bscript:alert(1))", "[x]( \n javascript:alert(1))"]:
        sink = ErrorSink()
        check_page(text, "p.md", sink)
        assert [e.message for e in sink.errors] == ["liên kết dùng giao thức 'javascript:' không được phép"], repr(text)


def test_front_matter_is_refused(mini):
    # YAML escapes would put "<script>" into the page's title, printed unescaped.
    write(mini / PAGE, '---\ntitle: "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"\n---\n\n# Trang thử\n')
    write(mini / "handbook/meta.md", "Title: Trang\n\n# Trang\n")
    errors = page_errors(mini)
    assert [e.split(": ", 1)[0] for e in errors] == ["handbook/meta.md:1:1", f"{PAGE}:1:1"]
    assert all("phần khai báo ở đầu trang" in e for e in errors)


def test_page_and_folder_names_are_plain(mini):
    """MkDocs prints the path into the edit link and a name-made title into
    the navigation, unescaped."""
    write(mini / 'handbook/a" onmouseover="alert(1).md', "# Trang\n")
    write(mini / "handbook/<img src=x onerror=alert(1)>/index.md", "Không có tiêu đề.\n")
    write(mini / "handbook/Huong Dan.md", "# Hướng dẫn\n")
    write(mini / "handbook/bien-tap/huong-dan-moi.md", "# Hướng dẫn mới\n")
    errors = page_errors(mini)
    assert sorted(e.split(": ", 1)[0] for e in errors) == [
        'handbook/<img src=x onerror=alert(1)>/index.md:1:1', "handbook/Huong Dan.md:1:1",
        'handbook/a" onmouseover="alert(1).md:1:1']
    assert all("không hợp lệ" in e for e in errors)


def test_page_is_read_like_content_files(mini):
    """UTF-8, NFC and the forbidden characters, as for YAML files."""
    write(mini / PAGE, "# Trang thử\n\nCó ký\u200btự ẩn.\n")
    (mini / "handbook/cu.md").write_bytes(b"# Trang\n\nTi\xea\xd2ng Vi\xea\xf2t\n")  # Windows-1258
    errors = page_errors(mini)
    assert any(e.startswith(f"{PAGE}:3:6: ký tự rộng bằng 0") for e in errors), errors
    assert any(e.startswith("handbook/cu.md:") and "không phải UTF-8" in e for e in errors), errors


def test_allowed_subset_is_accepted(mini, run):
    write(mini / PAGE, """\
        # Trang thử {#trang-thu}

        Bấm <kbd>Ctrl</kbd> + <kbd>P</kbd> để in.<br>
        H<sub>2</sub>O, m<sup>2</sup>. <!-- ghi chú cho người biên tập -->

        [Trang chủ](index.md), [Cổng](https://dichvucong.gov.vn "Cổng"), [thư](mailto:a@b.vn), [gọi](tel:1022),
        <https://dichvucong.gov.vn>, <a@b.vn>, [mục](#trang-thu), ![ảnh](anh.png), [tl][tl].

        [tl]: https://example.org/tai-lieu
        *[UBND]: Ủy ban nhân dân

        Đoạn có lớp.
        {: .quan-trong #muc-1 }

        !!! note "Ghi nhớ"
            Thẻ `<script>` và `{: onclick=x }` trong mã chỉ là chữ; \\{ cũng vậy.

        ```yaml
        chi_khi: 'nguoi_di = "cha-me"'   # <script>
        ```
        """)
    assert page_errors(mini) == []
    assert run("validate").exit_code == 0


def test_shipped_pages_are_within_the_subset():
    names = {f"handbook/{rel}" for rel in load_handbook(REPO)[0].markdown}
    assert {"handbook/index.md", "handbook/quy-trinh-mot-cua.md", "handbook/bien-tap/tinh-huong.md",
            "handbook/bien-tap/dao-tao.md"} <= names
    assert page_errors(REPO) == []


HOSTILE = {
    "angles": "<" * 500_000,
    "brackets": "[[[[(" * 100_000,
    "link-starts": "](" * 250_000,
    "braces": "{" * 499_999 + "}",
    "brace-tokens": "{.a" * 166_000 + "}",
    "backticks": "`" * 500_000,
    "backtick-runs": "`` `" * 125_000,
    "comments": "<!--" * 125_000,
    "entities": "](&#" + "0" * 499_990,
    "large-number": "](&#" + "9" * 499_990,
    "many-entities": "](" + "&#9;" * 120_000,
    "fences": "```x\n" * 100_000,
    "fence-lengths": "".join("`" * k + "\n" for k in range(3, 1000)),
    "references": "[a]:\n" * 100_000,
    "tags": "<a " * 166_000,
    "backslashes": "\\" * 500_000,
    "autolinks": "<a:" * 166_000,
    "mail": "<a@" * 166_000,
    "lines": "\n" * 500_000,
    "pipes": "`|" * 250_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_page_is_scanned_without_hanging(name):
    text = HOSTILE[name]
    assert len(text.encode()) <= 512 * 1024
    sink = ErrorSink()
    failures: list[BaseException] = []

    def scan():
        try:
            check_page(text, "p.md", sink)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    worker = threading.Thread(target=scan, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), f"check_page did not finish on {name}"
    assert failures == []
    assert len(sink.errors) <= MAX_ERRORS + 1


# What any page accepted by check_page turns into, rendered with the site's
# own Markdown extensions: no tag, attribute or link target outside the subset.
_CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
_EXTENSIONS = ["toc", "tables", "fenced_code"]  # MkDocs' built-ins
_EXTENSION_CONFIGS: dict = {}
for _item in _CONFIG["markdown_extensions"]:
    _name, _options = next(iter(_item.items())) if isinstance(_item, dict) else (_item, None)
    _EXTENSIONS.append(_name)
    if _options:
        _EXTENSION_CONFIGS[_name] = _options
MARKDOWN_TAGS = {"p", "a", "img", "code", "pre", "em", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                 "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "abbr", "div", "dl", "dt", "dd",
                 "input", "label", "span", "hr", *ALLOWED_TAGS}


def _scheme(url: str) -> str | None:
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("".join(map(chr, range(0x21))))
    if re.match(r"[/\\][/\\]", url):
        return "//"
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return m.group(1).lower() if m else None


class _Unsafe(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        if tag not in MARKDOWN_TAGS:
            self.found.append(tag)
        for key, value in attrs:
            if key.startswith("on") or (key == "style" and not (value or "").startswith("text-align")):
                self.found.append((tag, key))
            if key in ("href", "src") and value is not None and _scheme(value) not in (None, *SAFE_SCHEMES):
                self.found.append((tag, key, value))
            if key == "id" and (value or "").startswith("__"):
                self.found.append((tag, key, value))

    handle_startendtag = handle_starttag


PIECES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b onclick=1>", "<div onclick=1>\n", "`", "``",
          "```\n", "~~~ {.a onclick=1}\n", "``` {.a}b}\n", "``` {.a}\n", "\n", "\n\n", " ", "    ", "> ", "- ", "# ",
          "| ", "|---|\n", "\\", "<!--", "-->", "<!-->", "[x](", ")", "javascript:alert(1)", "java&#9;script:", "&#106;",
          "<", ">", "{", "}", "{: onclick=x}", "*x*", "[a]: ", "[a]", "*[a]: ", "!!! note \"", "\"", ": ", "<http://a>",
          "<javascript://x>", "<a@b>", "<kbd>", "</kbd>", "<br>", "<br/onclick=x>", "<?", "?>", "<![CDATA[", "]]>",
          "//e.vn", "data:x", "x", "`javascript:alert(1)`", "java`script`:", "[r]: http://a\n\n", "[java][r]",
          "&lt;/title&gt;", "`</title>`", "\n===\n", "&#60;/title"]


@settings(max_examples=400, deadline=None)
@given(st.booleans(), st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))
def test_whatever_is_accepted_renders_without_script(heading, pieces):
    text = ("# " if heading else "") + "".join(pieces)
    sink = ErrorSink()
    check_page(text, "p.md", sink)
    if sink.errors:
        return
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    title = _ExtractTitleTreeprocessor()  # how MkDocs takes a page's title from its first heading
    title._register(md)
    rendered = md.convert(text)
    parser = _Unsafe()
    parser.feed(rendered)
    parser.close()
    assert parser.found == [], rendered
    # Material prints the title as <title>{{ page.title | striptags }}</title>.
    assert "</title" not in Markup(title.title or "").striptags().lower(), title.title


@pytest.mark.parametrize("name,text,marker,message", ATTACKS[:6], ids=IDS[:6])
def test_validate_checks_a_named_page_as_a_page(mini, run, name, text, marker, message):
    """`sotay validate handbook/….md` checks the page against the allowed
    Markdown, not as a procedure file (no YAML, no procedure id in its name)."""
    write(mini / PAGE, BEFORE + "Chỉ chữ.\n" + AFTER)
    for named in (PAGE, "handbook"):  # the page, or its folder
        result = run("validate", named)
        assert result.exit_code == 0, result.output
        assert "trang viết tay" in result.output
    write(mini / PAGE, BEFORE + text + AFTER)
    line, column = where(text, marker)
    result = run("validate", PAGE)
    assert result.exit_code == 1
    located = [l for l in result.output.splitlines() if l.startswith(f"{PAGE}:{line}:{column}: ")]
    assert located and message in located[0], result.output
    assert "YAML" not in result.output and "mã định danh của thủ tục" not in result.output


@pytest.mark.parametrize("named", ["handbook/data/linh-vuc.yml", "mkdocs.yml", "handbook/data"])
def test_validate_says_what_it_accepts_for_anything_else(mini, run, named):
    result = run("validate", named)
    assert result.exit_code == 1
    assert "nhận tệp thủ tục" in result.output and "trang viết tay" in result.output
    assert "khóa không hợp lệ" not in result.output and "Traceback" not in result.output
