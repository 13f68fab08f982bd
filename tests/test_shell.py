"""Procedure pages written from the shell (generator/site/shell.py) are the pages
MkDocs itself would render, link for link."""

import posixpath
import re

import pytest

import generator.site.plugin as plugin
from generator.site.build import build_site

ATTR = re.compile(r'\b(href|src)="([^"#:]*)(#[^"]*)?"')


def normalised(html: str, page_url: str) -> str:
    """Whitespace collapsed and relative links made absolute: the two paths
    spell a link to the same page differently ("../" or "../../ho-tich/")."""
    def absolute(m):
        target = m.group(2)
        if target and not target.startswith("/"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), target))
        return f'{m.group(1)}="{target}{m.group(3) or ""}"'

    return re.sub(r"\s+", " ", ATTR.sub(absolute, html))


@pytest.mark.parametrize("offline", [False, True])
def test_shell_pages_equal_mkdocs_pages(mini, tmp_path, monkeypatch, offline):
    fast = build_site(mini, tmp_path / "fast", offline=offline)
    monkeypatch.setattr(plugin, "SHELL_PAGES", False)
    slow = build_site(mini, tmp_path / "slow", offline=offline)
    pages = sorted(p.relative_to(slow) for p in slow.glob("thu-tuc/*/*/index.html"))
    assert len(pages) == 2
    assert sorted(p.relative_to(fast) for p in fast.glob("thu-tuc/*/*/index.html")) == pages
    for rel in pages:
        url = "/" + rel.as_posix()
        assert normalised((fast / rel).read_text(encoding="utf-8"), url) == \
            normalised((slow / rel).read_text(encoding="utf-8"), url), rel
    assert not (fast / "thu-tuc/_khung").exists()  # the shell itself is not published
    assert sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(slow) for p in slow.rglob("*") if p.is_file())


def test_sitemap_lists_procedures_not_the_shell(mini, tmp_path):
    import gzip

    site = build_site(mini, tmp_path / "site", site_url="https://so-tay.example/")
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "_khung" not in text
    for pid in ("dang-ky-khai-sinh", "dang-ky-ket-hon"):
        assert f"<loc>https://so-tay.example/thu-tuc/ho-tich/{pid}/</loc>" in text
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
