"""Hostile text planted in every text field of a procedure never becomes
markup or script in the built site: the HTML is parsed and checked."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from html.parser import HTMLParser

import pytest
import yaml

from generator.content import model, validate
from generator.site.build import build_site
from generator.content.errors import ContentErrors
from generator.content.validate import type_hints

PAYLOADS = [
    '<script>alert("XSS-01")</script>',
    '"><img src=x onerror=alert("XSS-02")>',
    "'><svg onload=alert('XSS-03')>",
    '<iframe src="https://evil.example/XSS-04"></iframe>',
    "<style>body{display:none}/*XSS-05*/</style>",
    "[bấm XSS-06](javascript:alert(1))",
    "[bấm XSS-07](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[XSS-08](https://example.org/" onmouseover="alert(1))',
    "{{ 7*7 }} {% raw %}XSS-09{% endraw %} {# XSS-10 #}",
    "**<b onclick=alert(1)>XSS-11</b>**",
    "＜script＞XSS-12＜/script＞",
    "&lt;script&gt;XSS-13&lt;/script&gt;",
    "[XSS-14](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">XSS-15</a>',
    "XSS-16 <math><mtext></p><script>alert(1)</script>",
    '<!-- XSS-17 --><base href="https://evil.example/">',
    "[XSS-18](//evil.example/x)",
    "*[XSS-19]: <script>alert(1)</script>",
]
# Every field gets all payloads at once, so any field emitted raw is caught.
ALL = " · ".join(PAYLOADS)
MARK = re.compile(r"XSS-\d\d")
DANGEROUS_TAGS = {"iframe", "object", "embed", "style", "base", "frame", "frameset", "applet", "link", "meta"}
BAD_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)

# Optional parts the fixture leaves out, added so that every text field exists.
EXTRAS = {
    "co_quan_phoi_hop": ["x"],
    "dieu_kien": ["x"],
    "nguon": [{"ten": "x", "url": "https://example.org/?q=%3Cscript%3E"}],
    "can_xac_minh": [{"truong": "phi", "ly_do": "x"}],
}


def _text_type(tp) -> bool:
    return tp in (str, model.Inline)


def plant(data, cls, counter) -> None:
    """Replace every free-text value of ``data`` (a ``cls`` as YAML data) by a payload."""
    hints = type_hints(cls)
    for f in model.schema_fields(cls):
        key, meta, tp = f.metadata["key"], f.metadata, hints[f.name]
        if key not in data or meta.get("choices") or meta.get("ref") or key == "truong":  # truong names a key
            continue
        if typing.get_origin(tp) in (typing.Union, __import__("types").UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        if _text_type(tp):
            data[key] = f"{ALL} #{key}{next(counter)}"
        elif typing.get_origin(tp) is list:
            item = typing.get_args(tp)[0]
            if _text_type(item):
                data[key] = [f"{ALL} #{key}{next(counter)}" for _ in data[key]]
            elif dataclasses.is_dataclass(item):
                for entry in data[key]:
                    plant(entry, item, counter)
        elif dataclasses.is_dataclass(tp):
            plant(data[key], tp, counter)


class Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_data = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and BAD_URL.match(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in DANGEROUS_TAGS and MARK.search(" ".join(v or "" for _, v in attrs)):
            self.problems.append(f"<{tag}> from content")
        if tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            self.problems.append(f"<{tag}>")
        self.in_script = tag in ("script", "style")
        # A data block (JSON, JSON-LD) may carry content's text as data: it must
        # parse as JSON and hold no "<" (so no text can close the block).
        self.in_data = tag == "script" and dict(attrs).get("type") in ("application/json", "application/ld+json")

    def handle_endtag(self, tag):
        self.in_script = self.in_data = False

    def handle_data(self, data):
        if self.in_data:
            if "<" in data:
                self.problems.append("data block containing '<'")
            try:
                json.loads(data)
            except ValueError:
                self.problems.append("data block that is not JSON")
            return
        if self.in_script and MARK.search(data):
            self.problems.append(f"script or style containing {MARK.search(data).group()}")
        elif not self.in_script:
            self.text.append(data)


def test_payloads_in_every_text_field_stay_text(mini, monkeypatch):
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(EXTRAS)
    data["thoi_han"]["ghi_chu"] = "x"
    data["phi"][0]["ghi_chu"] = "x"
    data["cach_thuc"][0]["ghi_chu"] = "x"
    data["ho_so"][0].update(mau="x", ghi_chu="x")
    data["quy_trinh"][0].update(meo=["x"], he_thong=["x"], thoi_gian="x")
    plant(data, model.Procedure, iter(range(10_000)))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    # First line of defence: links with a forbidden target are refused, each located.
    with pytest.raises(ContentErrors) as refused:
        build_site(mini)
    assert refused.value.errors and all("liên kết" in e.message and e.line > 1 for e in refused.value.errors)
    assert not (mini / "site").exists()
    # Second line, tested on its own: were validation to let them through,
    # rendering still neutralises every payload.
    monkeypatch.setattr(validate, "_check_links", lambda value, node, ctx: True)
    site = build_site(mini)
    page = site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html"
    planted = 0
    for html_file in site.rglob("*.html"):
        checker = Checker()
        checker.feed(html_file.read_text(encoding="utf-8"))
        assert not checker.problems, f"{html_file.relative_to(site)}: {checker.problems}"
        if html_file == page:
            text = "".join(checker.text)
            planted = len(set(MARK.findall(text)))
            assert "{{ 7*7 }}" in text and "{% raw %}" in text  # templates not evaluated
            assert "<script>" in text and 'onerror=alert("XSS-02")' in text  # shown as text
    assert planted >= 15, "payloads must reach the page, else this test proves nothing"

    # The search index is read as HTML by the theme: no raw markup from content.
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        if doc["location"].startswith("thu-tuc/ho-tich/dang-ky-khai-sinh/"):
            for key in ("title", "text", "keywords", "body"):
                assert "<" not in doc[key] and ">" not in doc[key], (key, doc[key])
