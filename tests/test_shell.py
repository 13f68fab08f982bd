"""Procedure pages written from the shell (generator/site/shell.py) are the pages
MkDocs itself would render, link for link."""

import datetime as dt
import posixpath
import re

import pytest

import generator.site.plugin as plugin
from generator.content.edition import Edition
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


def with_version(root):
    """Marriage registration with a later version (its own page, one folder deeper)."""
    from test_versions import KET_HON, TEST_LAW, VERSION, append

    append(root, KET_HON, VERSION)
    append(root, "handbook/data/van-ban.yml", TEST_LAW)
    return Edition(on=dt.date(2025, 2, 28))


@pytest.mark.parametrize("offline,versions", [(False, False), (True, False), (False, True), (True, True)])
def test_shell_pages_equal_mkdocs_pages(mini, tmp_path, monkeypatch, offline, versions):
    edition = with_version(mini) if versions else None
    fast = build_site(mini, tmp_path / "fast", offline=offline, edition=edition)
    monkeypatch.setattr(plugin, "SHELL_PAGES", False)
    slow = build_site(mini, tmp_path / "slow", offline=offline, edition=edition)
    pages = sorted(p.relative_to(slow) for p in [*slow.glob("thu-tuc/*/*/index.html"),
                                                 *slow.glob("thu-tuc/*/*/*/index.html")])
    assert len(pages) == (3 if versions else 2)
    assert sorted(p.relative_to(fast) for p in [*fast.glob("thu-tuc/*/*/index.html"),
                                                *fast.glob("thu-tuc/*/*/*/index.html")]) == pages
    for rel in pages:
        url = "/" + rel.as_posix()
        assert normalised((fast / rel).read_text(encoding="utf-8"), url) == \
            normalised((slow / rel).read_text(encoding="utf-8"), url), rel
    assert not (fast / "thu-tuc/_khung").exists()  # the shell itself is not published
    assert sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(slow) for p in slow.rglob("*") if p.is_file())


def test_sitemap_lists_procedures_and_versions_not_the_shells(mini, tmp_path):
    import gzip

    site = build_site(mini, tmp_path / "site", site_url="https://so-tay.example/", edition=with_version(mini))
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "_khung" not in text
    for path in ("ho-tich/dang-ky-khai-sinh/", "ho-tich/dang-ky-ket-hon/", "ho-tich/dang-ky-ket-hon/ap-dung-tu-2025-03-01/"):
        assert text.count(f"<loc>https://so-tay.example/thu-tuc/{path}</loc>") == 1
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text


def test_forked_writers_write_the_pages_one_process_writes(mini, tmp_path, monkeypatch):
    import generator.site.shell as shell

    one = build_site(mini, tmp_path / "one")  # two procedures: written in this process
    monkeypatch.setattr(shell, "PARALLEL_FROM", 1)
    monkeypatch.setattr(shell, "CHUNK", 1)
    monkeypatch.setattr(shell.os, "cpu_count", lambda: 2)
    forked = build_site(mini, tmp_path / "forked")
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert sorted(p.relative_to(forked) for p in forked.rglob("*") if p.is_file()) == files
    assert [rel for rel in files if (one / rel).read_bytes() != (forked / rel).read_bytes()] == []


def test_each_forked_writer_writes_one_share_and_exits(tmp_path):
    """A writer's copy of the parent's memory grows with what it writes: every
    child writes one chunk, and no more than ``workers`` processes write at once."""
    import os
    import time

    import generator.site.shell as shell

    def work(chunk):
        started = time.monotonic()
        time.sleep(0.1)
        (tmp_path / f"{chunk[0]}").write_text(f"{os.getpid()} {started} {time.monotonic()}")

    shell._in_forked_workers(work, [[n] for n in range(8)], 3)
    runs = [(tmp_path / str(n)).read_text().split() for n in range(8)]
    by_child = [pid for pid, _, _ in runs if int(pid) != os.getpid()]
    assert by_child and len(set(by_child)) == len(by_child)  # a fresh child for every chunk
    events = sorted([(float(a), 1) for _, a, _ in runs] + [(float(b), -1) for _, _, b in runs])
    alive, most = 0, 0
    for _, step in events:
        alive += step
        most = max(most, alive)
    assert most <= 3


def test_a_failing_writer_fails_the_build(tmp_path):
    import generator.site.shell as shell

    def work(chunk):
        if chunk == [5]:
            raise ValueError("trang 5 hỏng")

    with pytest.raises(ValueError, match="trang 5 hỏng"):
        shell._in_forked_workers(work, [[n] for n in range(8)], 2)
