"""Full builds: the site MkDocs produces from the model, and atomic replacement."""

from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.content.errors import ContentErrors

from test_loader import KHAI_SINH, replace_in


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_build_produces_procedure_field_and_catalogue_pages(mini):
    site = build_site(mini)
    html = page(site, "thu-tuc/ho-tich/dang-ky-khai-sinh")
    assert "<title>Đăng ký khai sinh - Sổ tay thử nghiệm</title>" in html
    assert "Bước 1. Tiếp nhận hồ sơ" in html
    assert 'aria-label="Thành phần hồ sơ"' in html
    assert "Luật Hộ tịch số <a href=\"../../../van-ban/60-2014-qh13/\"" in html
    # The edit button opens the YAML file that made the page.
    assert 'href="https://example.org/kho/edit/main/procedures/ho-tich/dang-ky-khai-sinh.yml"' in html
    # The page's table of contents comes from our headings.
    assert 'href="#quy-trinh"' in html
    assert "Đăng ký kết hôn" in page(site, "thu-tuc/ho-tich")
    assert "Danh mục thủ tục hành chính" in page(site, "thu-tuc")
    assert "Ủy ban nhân dân" in page(site, "thuat-ngu")
    # The YAML registries are not published as files.
    assert not (site / "data").exists()


def test_template_syntax_and_script_in_content_appear_literally(mini):
    replace_in(mini, KHAI_SINH, "ten: Đăng ký khai sinh", "ten: \"{{ 7*7 }} <script>alert(1)</script>\"")
    site = build_site(mini)
    html = page(site, "thu-tuc/ho-tich/dang-ky-khai-sinh")
    assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<title>{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt; - Sổ tay thử nghiệm</title>" in html
    assert ">49<" not in html


def test_broken_edit_leaves_previous_site_intact(mini):
    site = build_site(mini)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    with pytest.raises(ContentErrors):
        build_site(mini)
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in mini.iterdir() if p.name.startswith(".site.")] in ([], [".site.lock"])


def test_rebuild_replaces_site_and_cleans_temporaries(mini):
    site = build_site(mini)
    (site / "stale.html").write_text("old", encoding="utf-8")
    replace_in(mini, KHAI_SINH, "ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh cho trẻ")
    build_site(mini)
    assert not (site / "stale.html").exists()
    assert "Đăng ký khai sinh cho trẻ" in page(site, "thu-tuc/ho-tich/dang-ky-khai-sinh")
    leftovers = [p.name for p in mini.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock"]
    assert leftovers == []


def test_schema_page_documents_every_key(mini):
    from generator.content import model
    site = build_site(mini)
    html = page(site, "bien-tap/luoc-do")
    for cls in (model.Procedure, model.Step, model.Fee, model.DossierItem, model.Deadline):
        for f in model.schema_fields(cls):
            assert f"<code>{f.metadata['key']}</code>" in html
    assert "Tóm tắt một hai câu" in html


def _snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _sotay(*args, cwd):
    import signal
    import subprocess
    import sys

    # Ctrl-C as at a terminal, even when the tests themselves run in the
    # background (a shell starts background jobs with SIGINT ignored).
    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_two_builds_at_once_do_not_corrupt_each_other(mini):
    first, second = _sotay("build", cwd=mini), _sotay("build", cwd=mini)
    assert first.wait(120) == 0 and second.wait(120) == 0, (first.stderr.read(), second.stderr.read())
    site = mini / "site"
    assert (site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").exists()
    assert (site / "search/search_index.json").exists()
    assert not [p.name for p in mini.iterdir() if p.name.startswith(".site.building-")]


def test_ctrl_c_during_a_build_leaves_the_previous_site_exactly_as_it_was(tmp_path):
    import shutil
    import signal
    import time

    from conftest import REPO

    # The shipped handbook, not the two-procedure fixture: its build lasts
    # seconds, so the interrupt lands inside it even on a busy machine.
    mini = tmp_path / "kho"
    for part in ("procedures", "handbook", "schema", "mkdocs.yml"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, mini / part)
    build_site(mini)
    before = _snapshot(mini / "site")
    (mini / "procedures/ho-tich/dang-ky-khai-sinh.yml").write_text(
        (mini / "procedures/ho-tich/dang-ky-khai-sinh.yml").read_text(encoding="utf-8").replace(
            "ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh (sửa)"), encoding="utf-8")
    proc = _sotay("build", cwd=mini)
    # Interrupt once the build is under way (its temporary folder exists).
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site.building-") for p in mini.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be interrupted"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) != 0
    assert _snapshot(mini / "site") == before
    assert not [p.name for p in mini.iterdir() if p.name.startswith(".site.building-")]
