"""The scale benchmark's synthetic corpus is valid content, builds, and the
benchmark prints every figure (tiny N: this checks the tooling, not speed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.content.checks import is_completeness_note

from conftest import REPO
from generator.site.build import build_site
from generator.content.handbook import load_handbook

sys.path.insert(0, str(REPO / "benchmarks"))
import bench  # noqa: E402
import synthetic  # noqa: E402

SOTAY = Path(sys.executable).with_name("sotay")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "kho"
    stats = synthetic.make_project(root, 30, seed=3)
    assert stats["procedures"] == 30 and stats["with_questions"] > 0
    return root


def test_synthetic_project_is_valid_without_warnings(project):
    hb, sink = load_handbook(project)
    # Real-shaped pieces mixed at random may fall short of the shipped pages' standard: notes only.
    assert [e.format() for e in sink.items if not is_completeness_note(e)] == []
    assert len(hb.procedures) == 30
    # spread over the fields: as many as there are procedures to spread
    assert len({p.field_id for p in hb.procedures.values()}) == min(30, len(hb.fields))
    assert not any(p.code for p in hb.procedures.values())
    assert any(p.questions for p in hb.procedures.values())
    assert len({p.title.casefold() for p in hb.procedures.values()}) == 30
    cmd = [str(SOTAY)] if SOTAY.exists() else [sys.executable, "-m", "generator.cli"]
    done = subprocess.run([*cmd, "validate", "--strict"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_synthetic_project_builds(project, tmp_path):
    site = build_site(project, tmp_path / "site")
    pages = list((site / "thu-tuc").glob("*/*/index.html"))
    assert len(pages) == 30


def test_same_seed_same_corpus(tmp_path):
    a = synthetic.make_project(tmp_path / "a", 5, seed=9)
    b = synthetic.make_project(tmp_path / "b", 5, seed=9)
    assert a == b
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a/procedures").rglob("*.yml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b/procedures").rglob("*.yml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_bench_prints_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/bench.py"), "--procedures", "20", "--skip-baseline",
                           "--json", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    for label in bench.FIGURES:
        assert label in done.stdout, label
    run = __import__("json").loads(out.read_text())["runs"][0]
    assert run["n"] == 20 and run["ours"]["build_seconds"] > 0 and run["ours"]["search_index_gzip"] > 0


def test_serve_benchmark_sees_each_edit_served_and_puts_the_files_back(project):
    import serve as serve_bench

    before = {p: p.read_bytes() for p in [*project.rglob("*.yml")]}
    figures = serve_bench.bench_serve(project, runs=1)
    for edit in serve_bench.EDITS:
        assert 0 < figures[edit]["median_seconds"] < 120
    assert {p: p.read_bytes() for p in before} == before


def test_desk_case_benchmark_plays_the_case_to_a_printed_form_01(chromium, shipped_url):
    """The README's desk figures come from this route: it must still reach the
    printed case and then a printed Mẫu 01 on the shipped khai sinh page."""
    import desk_case

    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_init_script("window.print = () => { window.__printed = true }")
    page = context.new_page()
    page.goto(shipped_url + desk_case.KHAI_SINH)
    officer = desk_case.play(page)
    assert page.evaluate("window.__printed === true")
    case_pages, case_text = desk_case.printed(page)
    assert case_pages <= 2 and "GIẤYTIẾPNHẬNHỒSƠ" not in case_text
    clicks = officer.clicks
    page.evaluate("window.__printed = false; dispatchEvent(new Event('afterprint'))")
    assert desk_case.print_form_01(page, officer)
    assert page.evaluate("window.__printed === true")
    pages, text = desk_case.printed(page)
    assert pages == 1 and "GIẤYTIẾPNHẬNHỒSƠVÀHẸNTRẢKẾTQUẢ" in text
    assert officer.clicks == clicks + 2  # Mẫu 01 is chosen already: open the box, print
    context.close()
