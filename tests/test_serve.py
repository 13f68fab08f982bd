"""`sotay serve`: live rebuilds, errors shown, last good site kept."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from test_loader import KHAI_SINH, replace_in


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("điều kiện không xảy ra trong thời gian chờ")


@pytest.fixture
def server(mini):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "serve", "--port", str(port)],
        cwd=mini, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_binds_loopback_rebuilds_and_survives_a_bad_edit(mini, server):
    url = server + "/thu-tuc/ho-tich/dang-ky-khai-sinh/"
    assert "Bước 1. Tiếp nhận hồ sơ" in wait_for(lambda: fetch(url))

    replace_in(mini, KHAI_SINH, "ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận và kiểm tra")
    wait_for(lambda: "Bước 1. Tiếp nhận và kiểm tra" in fetch(url))

    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    def error_page():
        page = fetch(url)
        return page if "Bản dựng mới có lỗi" in page else None

    page = wait_for(error_page)
    assert "khóa không hợp lệ &#39;tomtat&#39;" in page
    assert "Bước 1. Tiếp nhận và kiểm tra" in page  # last good build still served

    replace_in(mini, KHAI_SINH, "tomtat:", "tom_tat:")
    wait_for(lambda: "Bản dựng mới có lỗi" not in fetch(url))


def test_rebuilds_reuse_only_what_did_not_change(mini, tmp_path):
    """sotay serve keeps loaded files and written pages between rebuilds; every
    kind of edit still shows on the next rebuild."""
    from generator.site.serve import make_builder

    site = tmp_path / "site"
    errors = []
    rebuild = make_builder(mini, site, errors.append)

    def page(name):  # as the server reads it: a page left to write after the reload is written first
        rebuild.cache().write_now(f"thu-tuc/ho-tich/{name}/index.html")
        return (site / f"thu-tuc/ho-tich/{name}/index.html").read_text(encoding="utf-8")

    rebuild()
    assert errors == [None]
    assert "Đăng ký kết hôn" in page("dang-ky-khai-sinh")  # the related procedure's title
    # The procedure's own file.
    replace_in(mini, KHAI_SINH, "tom_tat: Đăng ký khai sinh cho trẻ em", "tom_tat: Đăng ký khai sinh (đã sửa) cho trẻ em")
    rebuild()
    assert "Đăng ký khai sinh (đã sửa) cho trẻ em" in page("dang-ky-khai-sinh")
    # Another procedure's title, shown on this page as a related procedure.
    replace_in(mini, "procedures/ho-tich/dang-ky-ket-hon.yml", "ten: Đăng ký kết hôn", "ten: Đăng ký kết hôn trong nước")
    rebuild()
    assert "Đăng ký kết hôn trong nước" in page("dang-ky-khai-sinh")
    # A registry: the legal document's title in the citation.
    replace_in(mini, "handbook/data/van-ban.yml", "trich_yeu: Luật Hộ tịch", "trich_yeu: Luật Hộ tịch (sửa đổi)")
    rebuild()
    assert "Luật Hộ tịch (sửa đổi)" in page("dang-ky-khai-sinh")
    # A broken file is reported, and fixing it brings the page back.
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich", "linh_vuc: [")
    rebuild()
    assert errors[-1] and "dang-ky-khai-sinh.yml" in errors[-1]
    replace_in(mini, KHAI_SINH, "linh_vuc: [", "linh_vuc: ho-tich")
    rebuild()
    assert errors[-1] is None and "Đăng ký khai sinh (đã sửa)" in page("dang-ky-khai-sinh")


BROKEN_REGISTRY = {
    "YAML": ("handbook/data/van-ban.yml", "trich_yeu: Luật Hộ tịch", "trich_yeu: [Luật Hộ tịch"),
    "schema": ("handbook/data/van-ban.yml", "loai: luat", "loai: luat-moi"),
    "reference": ("handbook/data/van-ban.yml", "ngay_hieu_luc: 2016-01-01", "ngay_hieu_luc: 2016-01-01\n  thay_the_boi: 99/2099/QH99"),
    "key": ("handbook/data/linh-vuc.yml", "ho-tich:", "ho-tich:\nHộ tịch 2:\n  ten: Hộ tịch 2\n  thu_tu: 9\nho-tich-cu:"),
}


@pytest.mark.parametrize("broken", list(BROKEN_REGISTRY))
def test_a_broken_registry_stays_reported_until_it_is_fixed(mini, tmp_path, broken):
    """sotay serve keeps an unchanged registry's parsed YAML and entries
    between rebuilds, and with them what reading them said and the
    references they make: the error is reported on every rebuild until the
    file is fixed, not only on the one after the bad save."""
    from generator.site.serve import make_builder

    path, old, new = BROKEN_REGISTRY[broken]
    errors = []
    rebuild = make_builder(mini, tmp_path / "site", errors.append)
    try:
        rebuild()
        replace_in(mini, path, old, new)
        rebuild()
        replace_in(mini, KHAI_SINH, "ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận và kiểm tra")  # another file
        rebuild()
        replace_in(mini, path, new, old)
        rebuild()
    finally:
        rebuild.close()
    assert errors[0] is None and errors[3] is None
    assert f"{path}:" in errors[1] and errors[2] == errors[1]


def page_if(page: str, condition) -> str | None:
    return page if condition(page) else None


def _failure(kind: str, root) -> Exception:
    """Unexpected failures of a rebuild: a bug, a system error naming a path, a template's missing key."""
    return {
        "bug": RuntimeError("lỗi lập trình giả lập"),
        "os": PermissionError(13, "Permission denied", str(root / "site-tam")),
        "template": KeyError("thieu_khoa"),
    }[kind]


@pytest.mark.parametrize("kind", ["bug", "os", "template"])
def test_an_unexpected_rebuild_failure_keeps_serving_the_last_good_build(mini, monkeypatch, kind):
    """A rebuild that crashes (not a content error) must not leave requests
    hanging: pages still come back, with the error on them, until a rebuild
    succeeds again."""
    import threading

    import generator.site.serve as serve_module

    real_build = serve_module.build_site
    failing = threading.Event()

    def build_site(*args, **kwargs):
        if failing.is_set():
            raise _failure(kind, mini)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(serve_module, "build_site", build_site)
    said = []
    with serve_module.preview(mini, "127.0.0.1", free_port(), said.append) as server:
        thread = threading.Thread(target=server.serve, daemon=True)
        thread.start()
        try:
            url = server.url + "thu-tuc/ho-tich/dang-ky-khai-sinh/"
            assert "Bước 1. Tiếp nhận hồ sơ" in wait_for(lambda: fetch(url))  # once the server listens

            failing.set()
            replace_in(mini, KHAI_SINH, "ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận và kiểm tra")
            page = wait_for(lambda: page_if(fetch(url), lambda p: "Bản dựng mới có lỗi" in p))
            # One sentence: for a system error, the path and the cause, as the command line says it.
            sentence = "site-tam: " if kind == "os" else "Lỗi không mong muốn"
            assert sentence in page and "Traceback" not in page
            assert "Bước 1. Tiếp nhận hồ sơ" in page  # the last good build
            assert "Bản dựng mới có lỗi" in fetch(server.url)  # every page answers, not only this one
            assert '"docs"' in fetch(server.url + "search/search_index.json")  # and every file
            assert any(sentence in m for m in said) and not any("Traceback" in m for m in said)

            failing.clear()
            replace_in(mini, KHAI_SINH, "ten: Tiếp nhận và kiểm tra", "ten: Tiếp nhận và xem xét")
            page = wait_for(lambda: page_if(fetch(url), lambda p: "Bản dựng mới có lỗi" not in p))
            assert "Bước 1. Tiếp nhận và xem xét" in page
        finally:
            server.shutdown()
            thread.join(10)


def test_with_debug_an_unexpected_rebuild_failure_shows_its_traceback(mini, tmp_path, monkeypatch):
    import generator.site.serve as serve_module

    def build_site(*args, **kwargs):
        raise RuntimeError("lỗi lập trình giả lập")

    monkeypatch.setattr(serve_module, "build_site", build_site)
    quiet, loud = [], []
    serve_module.make_builder(mini, tmp_path / "site", quiet.append)()
    serve_module.make_builder(mini, tmp_path / "site", loud.append, debug=True)()
    assert "Lỗi không mong muốn: lỗi lập trình giả lập" in quiet[0] and "Traceback" not in quiet[0]
    assert "Lỗi không mong muốn: lỗi lập trình giả lập" in loud[0] and "Traceback" in loud[0]


def test_error_banner_uses_a_font_that_draws_vietnamese_marks():
    """Monospace fonts often draw Vietnamese tone marks apart from their letters;
    the banner uses the site's own text font, then sans-serif ones."""
    import re

    from generator.site.serve import PreviewServer

    server = PreviewServer.__new__(PreviewServer)
    server.build_error = "procedures/a.yml:1:1: khóa không hợp lệ 'tomtat'"
    html = server._inject_js_into_html(b"<html><body><p>x</p></body></html>", 1).decode()
    style = re.search(r'<div role="alert" style="([^"]*)"', html)[1]
    families = re.search(r"font(?:-family)?:\s*(?:[\d.]+px(?:/[\d.]+)?\s+)?([^;]+)", style)[1]
    assert "monospace" not in style and "courier" not in style.lower()
    assert families.rstrip().endswith("sans-serif")
    assert "--md-text-font-family" in families


def _tree(site) -> dict:
    """Every file's bytes and every folder (None): a folder left behind counts."""
    return {p.relative_to(site).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(site.rglob("*"))}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """A copy of the shipped handbook (many procedures, so "similar procedures"
    and the registries' pages have something to change)."""
    import shutil

    from conftest import REPO

    root = tmp_path_factory.mktemp("catalogue") / "kho"
    for part in ("procedures", "handbook", "schema", "mkdocs.yml"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, root / part)
    return root


EDITS = {
    # The summary feeds every procedure's "similar procedures" and the search index.
    "procedure summary": (KHAI_SINH, "tom_tat: >-\n  Đăng ký", "tom_tat: >-\n  Trẻ em, cha mẹ, giấy chứng sinh. Đăng ký"),
    # A step: this page only (the suggestions are reused).
    "procedure step": (KHAI_SINH, "ten: Tiếp nhận, kiểm tra hồ sơ", "ten: Tiếp nhận và kiểm tra hồ sơ"),
    # A registry every procedure page cites.
    "registry": ("handbook/data/van-ban.yml", "trich_yeu: Luật Hộ tịch", "trich_yeu: Luật Hộ tịch (sửa đổi)"),
    # A document amending one that procedures cite: the two legal pages (what amends what), not the procedures.
    "amending document": ("handbook/data/van-ban.yml", "  - 18/2026/NĐ-CP\n  - 87/2020/NĐ-CP\n", "  - 18/2026/NĐ-CP\n"),
    # The title of a document replacing a cited one: its page, the replaced one's, the versions citing it.
    "replacing document": ("handbook/data/van-ban.yml", "trich_yeu: Luật Hộ tịch\n  co_quan_ban_hanh: Quốc hội\n  ngay_ban_hanh: '2026",
                           "trich_yeu: Luật Hộ tịch (mới)\n  co_quan_ban_hanh: Quốc hội\n  ngay_ban_hanh: '2026"),
    # A field's name: every open-data record and catalogue row of the field, its page.
    "field registry": ("handbook/data/linh-vuc.yml", "ten: Hộ tịch", "ten: Hộ tịch và quốc tịch"),
    # A placeholder: where the procedure's texts use the edition's words.
    "placeholder": ("procedures/ho-tich/dang-ky-ket-hon.yml", "vai_tro: Công chức tiếp nhận tại {{noi_tiep_nhan}}",
                    "vai_tro: Công chức tiếp nhận"),
    # A hand-written page.
    "hand-written page": ("handbook/index.md", "\n", "\nMột dòng mới ở trang chủ.\n"),
    # A hand-written page's heading: its table of contents and search entries (the others' are put back).
    "hand-written heading": ("handbook/huong-dan-su-dung.md", "## Đọc một trang thủ tục", "## Đọc trang của một thủ tục"),
    # A glossary term: the glossary page Material's search indexes, and the pages using the abbreviation.
    "glossary term": ("handbook/data/thuat-ngu.yml", "BHYT: { nghia: Bảo hiểm y tế }", "BHYT: { nghia: Bảo hiểm y tế bắt buộc }"),
    # The triage tree: its page, which Material's search indexes too.
    "triage": ("handbook/data/cong-dan-can-gi.yml", "ten: Làm giấy tờ khai sinh cho trẻ", "ten: Làm giấy tờ khai sinh cho con"),
    # A title: every list of procedures, the legal documents it cites, search, similar procedures.
    "procedure title": (KHAI_SINH, "ten: Đăng ký khai sinh\nlinh_vuc", "ten: Đăng ký khai sinh cho trẻ\nlinh_vuc"),
    # A cited article: the legal document's page lists it.
    "citation": (KHAI_SINH, "dieu: Điều 11, Điều 13, Điều 14, Điều 15, Điều 16", "dieu: Điều 13, Điều 14, Điều 15, Điều 16"),
    # A training scenario: the training pages.
    "training item": (KHAI_SINH, "ten: Khai sinh cho trẻ đã sinh gần ba tháng", "ten: Khai sinh cho trẻ sinh đã 81 ngày"),
    # A quiz question's basis: what the trainer's page says needs updating before the next version.
    "training basis": (KHAI_SINH, "van_ban: 60/2014/QH13\n        dieu: Khoản 1 Điều 15\n    - ma: khai-sinh-cau-giay-to",
                       "van_ban: 123/2015/NĐ-CP\n        dieu: Điều 9\n    - ma: khai-sinh-cau-giay-to"),
    # A training session's own file: its two pages and the training index.
    "training session": ("handbook/dao-tao/ho-tich-co-ban.yml", "bat_dau: \"08:00\"", "bat_dau: \"07:30\""),
    # The title of a procedure without versions citing a document that ends later: the change calendar lists it.
    "title citing an ending document": ("procedures/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.yml",
                                        "ten: Chứng thực bản sao từ bản chính giấy tờ, văn bản",
                                        "ten: Chứng thực bản sao từ bản chính giấy tờ và văn bản"),
    # The title of a procedure charging a local fee (the change calendar's fee changes list it).
    "title charging a local fee": ("procedures/xay-dung/cap-giay-phep-xay-dung-nha-o-rieng-le.yml",
                                   "ten: Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
                                   "ten: Cấp giấy phép xây dựng mới cho nhà ở riêng lẻ"),
    # A deadline: the procedure's row in the catalogue and on its field's page.
    "deadline": ("procedures/ho-tich/dang-ky-khai-tu.yml", '  loai: trong-ngay\n  gio_cat: "15:00"',
                 '  loai: trong-ngay\n  gio_cat: "16:00"'),
    # A later version's note: its own page (written from the deeper shell) and the change calendar.
    "version": (KHAI_SINH, "Luật Hộ tịch số 03/2026/QH16 có hiệu lực, thay thế",
                "Luật Hộ tịch số 03/2026/QH16 bắt đầu có hiệu lực, thay thế"),
}


def served_and_fresh(catalogue, tmp_path, path, old, new, edition=None):
    """The served site before the edit, after the serve rebuild, and a fresh
    `sotay build` of the edited files (the edit undone afterwards)."""
    from generator.site.build import build_site
    from generator.site.serve import make_builder

    assert old in (catalogue / path).read_text(encoding="utf-8")
    errors = []
    options = {"edition": edition} if edition else {}
    rebuild = make_builder(catalogue, tmp_path / "served", errors.append, **options)
    try:
        rebuild()
        before = _tree(tmp_path / "served")
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            assert errors == [None, None]
            rebuild.cache().settle()  # the pages written once the site is live (deferred.py), too
            served = _tree(tmp_path / "served")
            fresh = _tree(build_site(catalogue, tmp_path / "fresh", **options))
        finally:
            replace_in(catalogue, path, new, old)
    finally:
        rebuild.close()
    return before, served, fresh


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_is_the_site_a_full_build_makes(catalogue, tmp_path, edit):
    """What sotay serve reuses between rebuilds (loaded files, pages,
    suggestions, linked unchanged pages) never makes its site differ from
    a fresh `sotay build` of the same files."""
    before, served, fresh = served_and_fresh(catalogue, tmp_path, *EDITS[edit])
    assert served != before  # the edit shows
    assert sorted(served) == sorted(fresh)
    assert [name for name in served if served[name] != fresh[name]] == []


def _inodes(rebuild, site, rels) -> dict:
    """Each file's inode once the pages left to write are written: a page
    keeping its inode is the served file linked, not rendered again."""
    rebuild.cache().settle()
    return {rel: (site / rel).stat().st_ino for rel in rels}


def test_list_pages_are_rendered_again_only_when_what_they_show_changes(catalogue, tmp_path):
    """A step edit of a procedure with versions (khai sinh) reaches neither the
    lists nor the change calendar, whose entry for it shows its versions'
    differences, not the step; a version's note reaches the calendar.  A page
    not rendered again is the served file itself, linked into the new site
    (served = fresh build: test_a_rebuild_after_an_edit_is_the_site_a_full_build_makes)."""
    from generator.site.serve import make_builder

    lists = ("sap-co-hieu-luc/index.html", "thu-tuc/index.html", "thu-tuc/ho-tich/index.html",
             "van-ban/index.html", "van-ban/60-2014-qh13/index.html")
    site = tmp_path / "served"
    errors = []
    rebuild = make_builder(catalogue, site, errors.append)

    def inodes():
        return _inodes(rebuild, site, lists)

    try:
        rebuild()
        first = inodes()
        path, old, new = EDITS["procedure step"]
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            assert inodes() == first
        finally:
            replace_in(catalogue, path, new, old)
        rebuild()
        path, old, new = EDITS["version"]
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            now = inodes()
            assert now["sap-co-hieu-luc/index.html"] != first["sap-co-hieu-luc/index.html"]
            assert "bắt đầu có hiệu lực, thay thế" in (site / "sap-co-hieu-luc/index.html").read_text(encoding="utf-8")
            assert {rel: i for rel, i in now.items() if rel != lists[0]} == {rel: i for rel, i in first.items() if rel != lists[0]}
        finally:
            replace_in(catalogue, path, new, old)
        assert errors == [None] * 4
    finally:
        rebuild.close()


def test_pages_material_indexes_are_rendered_again_only_when_they_change_and_keep_their_search_entries(catalogue, tmp_path):
    """Hand-written pages and the generated pages Material's search reads
    (glossary, triage) are linked, not rendered, after an edit elsewhere; their
    search entries stay in the index, in their place.  A hand-written page
    edited is rendered again (the others too: their titles reach every
    page's navigation), and its entries are the new ones."""
    from generator.site.serve import make_builder

    indexed = ("index.html", "huong-dan-su-dung/index.html", "bien-tap/du-lieu-mo/index.html",
               "thuat-ngu/index.html", "cong-dan-can-gi/index.html")
    site = tmp_path / "served"
    errors = []
    rebuild = make_builder(catalogue, site, errors.append)

    def state():
        inodes = _inodes(rebuild, site, indexed)
        docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        return inodes, [(d["location"].partition("#")[0], d["title"]) for d in docs]

    try:
        rebuild()
        inodes, entries = state()
        assert ("huong-dan-su-dung/", "Đọc một trang thủ tục") in entries
        assert ("thuat-ngu/", "Thuật ngữ viết tắt") in entries and ("", "Sổ tay nghiệp vụ số cấp xã") in entries
        path, old, new = EDITS["procedure step"]
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            assert state() == (inodes, entries)
        finally:
            replace_in(catalogue, path, new, old)
        rebuild()
        path, old, new = EDITS["hand-written heading"]
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            now, now_entries = state()
            assert now["huong-dan-su-dung/index.html"] != inodes["huong-dan-su-dung/index.html"]
            changed = entries.index(("huong-dan-su-dung/", "Đọc một trang thủ tục"))
            assert now_entries == entries[:changed] + [("huong-dan-su-dung/", "Đọc trang của một thủ tục")] + entries[changed + 1:]
        finally:
            replace_in(catalogue, path, new, old)
        assert errors == [None] * 4
    finally:
        rebuild.close()


def test_pages_an_edit_changes_elsewhere_are_written_after_the_reload_and_first_when_asked_for(catalogue, tmp_path):
    """After a legal document's title changes, the pages open in a browser and
    the edited file's are written before the site goes live; the other pages
    citing it are written just after, and one asked for before then is written
    first: every answer is the page a fresh build makes, none is old or missing."""
    from generator.site.build import build_site
    from generator.site.serve import PreviewServer, make_builder

    opened, other = "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html", "thu-tuc/ho-tich/dang-ky-khai-tu/index.html"
    errors = []
    rebuild = make_builder(catalogue, tmp_path / "served", errors.append)
    server = PreviewServer(builder=rebuild, host="127.0.0.1", port=free_port(), root=str(tmp_path / "served"))

    def ask(rel, referer=None):
        environ = {"PATH_INFO": "/" + rel, "REQUEST_METHOD": "GET"}
        if referer:
            environ["HTTP_REFERER"] = f"http://127.0.0.1/{referer}"
        answer = server.serve_request(environ, lambda status, headers: answer_status.append(status))
        return b"".join(answer)

    answer_status: list = []
    path, old, new = EDITS["registry"]
    try:
        rebuild()
        assert b"<!doctype html>" in ask(opened)  # the officer's open page
        ask("livereload/1/1", referer="thu-tuc/ho-tich/dang-ky-ket-hon/")  # a tab polling for reloads
        unrelated = tmp_path / "served" / "thu-tuc/xay-dung/cap-giay-phep-xay-dung-nha-o-rieng-le/index.html"
        inode = unrelated.stat().st_ino
        replace_in(catalogue, path, old, new)
        try:
            rebuild()
            assert errors == [None, None]
            # A page citing nothing that leads to the edited document is linked from the last site, not rendered.
            assert unrelated.stat().st_ino == inode
            deferred = rebuild.cache().deferred
            deferred.halt()  # as if the background had not got there yet
            pending = set(deferred.pending)
            assert other in pending and len(pending) > 10
            assert opened not in pending and "thu-tuc/ho-tich/dang-ky-ket-hon/index.html" not in pending
            assert not (tmp_path / "served" / other).exists()
            served_other = ask(other)
            assert answer_status[-1].startswith("200") and other not in deferred.pending
            # A folder's address typed without its final slash: written, then MkDocs' redirect to it.
            typed = sorted(rel for rel in deferred.pending if rel.endswith("/index.html"))[0]
            ask(typed.removesuffix("/index.html"))
            assert answer_status[-1].startswith("302") and (tmp_path / "served" / typed).is_file()
            fresh = build_site(catalogue, tmp_path / "fresh")
            assert served_other == (fresh / other).read_bytes()
            assert (tmp_path / "served" / opened).read_bytes() == (fresh / opened).read_bytes()
            deferred.start(deferred.site, errors.append)
            rebuild.cache().settle()
            assert _tree(tmp_path / "served") == _tree(fresh)
        finally:
            replace_in(catalogue, path, new, old)
    finally:
        server.server_close()
        rebuild.close()


def test_pages_left_to_write_survive_one_failing_page_and_nothing_is_written_once_closed(tmp_path):
    """One page that cannot be written (a bug, a full disk) is said once and stays
    to write (a request tries again); the pages after it are still written; once
    serve stops, a late request writes nothing into the folder being removed."""
    import threading

    from generator.site.deferred import Deferred

    def render(rel):
        if rel.startswith("b/"):
            raise OSError(28, "No space left on device", rel)
        return f"<p>{rel}</p>"

    said = []
    deferred = Deferred(threading.Lock())
    deferred.defer(["a/index.html", "b/index.html", "c/index.html"], render)
    deferred.start(tmp_path, said.append)
    deferred.finish()
    assert (tmp_path / "a/index.html").read_text() == "<p>a/index.html</p>" and (tmp_path / "c/index.html").is_file()
    assert list(deferred.pending) == ["b/index.html"] and len(said) == 1 and isinstance(said[0], OSError)
    assert [p.name for p in tmp_path.rglob("*tmp*")] == []
    deferred.closed = True
    deferred.render = lambda rel: "<p>muộn</p>"
    deferred.write("b/index.html")
    assert not (tmp_path / "b/index.html").exists()


def test_pages_left_to_write_wait_for_the_next_rebuilds_folders_but_not_a_request(tmp_path):
    """The background writer starts once the next rebuild's folders are made
    (the two would otherwise share the machine for seconds, and a quick second
    save would find no folder made); a page asked for meanwhile is written at
    once, and a rebuild that halts the writer while it waits is not held up."""
    import threading

    from generator.site.deferred import Deferred

    deferred = Deferred(threading.Lock())
    deferred.defer(["a/index.html", "b/index.html"], lambda rel: f"<p>{rel}</p>")
    folders_made = threading.Event()
    deferred.start(tmp_path, lambda exc: None, after=folders_made)
    time.sleep(0.3)
    assert list(tmp_path.iterdir()) == []
    with deferred.lock:  # as serve.PreviewServer asks for a page
        deferred.write("b/index.html")
    assert (tmp_path / "b/index.html").read_text() == "<p>b/index.html</p>"
    started = time.monotonic()
    deferred.halt()
    assert time.monotonic() - started < 1 and not (tmp_path / "a").exists()
    deferred.start(tmp_path, lambda exc: None, after=folders_made)
    folders_made.set()
    deferred.finish()
    assert (tmp_path / "a/index.html").is_file() and not deferred.pending


def test_an_old_site_is_removed_only_between_rebuilds(mini, tmp_path, monkeypatch):
    """Removing the previous site (thousands of files at a real catalogue's size)
    waits while a rebuild runs, so it never slows one; a rebuild that fails lets
    it go on; the removal does not follow a link out of the folder."""
    import threading

    from generator import tempdirs
    from generator.site import build

    outside = tmp_path / "outside"
    (outside / "kept").mkdir(parents=True)
    (outside / "kept" / "page.html").write_text("giữ")
    old = tempdirs.make(tmp_path, ".site.building-")
    for rel in ("site/a/b", "site/c"):
        (old / rel).mkdir(parents=True)
    (old / "site/a/b/index.html").write_text("cũ")
    (old / "site/c/index.html").write_text("cũ")
    os.symlink(outside / "kept", old / "site/a/link")

    cache = build.BuildCache()
    states = []
    real_build = build.mkdocs_build

    def observed(config, dirty=False):
        states.append(cache.idle.is_set())
        if len(states) == 1:  # the first rebuild: an old site is left to remove meanwhile
            remover = threading.Thread(target=tempdirs.remove, args=(old,), kwargs={"pause": cache.idle.wait})
            remover.start()
            remover.join(0.5)
            states.append((old / "site/a/b/index.html").exists() and (old / "site/c/index.html").exists())
            observed.remover = remover
        return real_build(config, dirty=dirty)

    monkeypatch.setattr(build, "mkdocs_build", observed)
    try:
        build.build_site(mini, tmp_path / "served", cache=cache)
        assert states == [False, True] and cache.idle.is_set()
        observed.remover.join(10)
        assert not old.exists() and (outside / "kept" / "page.html").read_text() == "giữ"
        replace_in(mini, KHAI_SINH, "ma_thu_tuc:", "ma_thu_tuc: [")
        with pytest.raises(Exception):
            build.build_site(mini, tmp_path / "served", cache=cache)
        assert cache.idle.is_set()
    finally:
        cache.close()


def test_a_rebuild_after_a_procedure_is_renamed_keeps_no_folder_of_its_old_pages(catalogue, tmp_path):
    """A rebuild starts from the folders of the site being served, made ahead
    of time; the folders of a procedure no longer there (its page, its
    versions' pages) are not left in the new site, empty or not, and the
    site is the one a fresh build makes."""
    import re

    from generator.site.build import build_site
    from generator.site.serve import make_builder

    old_id, new_id = "dang-ky-cham-dut-giam-ho-co-yeu-to-nuoc-ngoai", "cham-dut-giam-ho-co-yeu-to-nuoc-ngoai"
    source = catalogue / f"procedures/ho-tich/{old_id}.yml"
    mention = re.compile(rf"(?<![-\w]){old_id}(?![-\w])")
    errors = []
    rebuild = make_builder(catalogue, tmp_path / "served", errors.append)
    changed: dict = {}
    try:
        rebuild()
        before = _tree(tmp_path / "served")
        folders = [name for name in before if before[name] is None and f"/{old_id}" in name]
        assert len(folders) >= 2  # its page and at least one version's page
        for path in [*(catalogue / "procedures").rglob("*.yml"), *(catalogue / "handbook").rglob("*.yml")]:
            text = path.read_text(encoding="utf-8")
            if mention.search(text):
                changed[path] = text
                path.write_text(mention.sub(new_id, text), encoding="utf-8")
        source.rename(source.with_name(f"{new_id}.yml"))
        rebuild()
        assert errors == [None, None], errors[-1]
        rebuild.cache().settle()
        served = _tree(tmp_path / "served")
        fresh = _tree(build_site(catalogue, tmp_path / "fresh"))
    finally:
        rebuild.close()
        if not source.exists():
            source.with_name(f"{new_id}.yml").rename(source)
        for path, text in changed.items():
            path.write_text(text, encoding="utf-8")
    assert [name for name in served if f"/{old_id}" in name] == []
    assert any(f"/{new_id}" in name for name in served)
    # Closed, the builder leaves no build folder (a spare made ahead of time) beside the site.
    assert [p.name for p in tmp_path.iterdir() if ".building-" in p.name] == []
    assert sorted(served) == sorted(fresh)
    assert [name for name in served if served[name] != fresh[name]] == []


def _events(observer_factory, tmp_path, actions) -> list:
    """The files ``observer_factory()``'s watch on ``tmp_path`` reports while ``actions`` run."""
    import threading

    from watchdog.events import FileSystemEventHandler

    seen, lock = [], threading.Lock()
    handler = FileSystemEventHandler()

    def record(event):
        if not event.is_directory:
            with lock:
                seen.append(os.path.basename(event.src_path))
    handler.on_any_event = record
    observer = observer_factory()
    observer.schedule(handler, str(tmp_path), recursive=True)
    observer.start()
    try:
        time.sleep(0.2)
        actions()
        time.sleep(1.2)  # polling (the fallback) looks every 0.5 s
    finally:
        observer.stop()
        observer.join()
    return seen


def test_serve_notices_writes_but_not_its_own_reads(tmp_path):
    """Edits start a rebuild as they are saved (the system's file events, not
    polling); the rebuild reading every file must not start another one."""
    from generator.site.watch import ChangeObserver

    (tmp_path / "a.yml").write_text("a: 1\n", encoding="utf-8")
    assert _events(ChangeObserver, tmp_path, lambda: (tmp_path / "a.yml").read_text(encoding="utf-8")) == []
    assert "a.yml" in _events(ChangeObserver, tmp_path, lambda: (tmp_path / "a.yml").write_text("a: 2\n", encoding="utf-8"))


def test_serve_falls_back_to_polling_without_file_events(tmp_path):
    """Where the system gives no file events (e.g. inotify's watch limit), edits are still noticed."""
    from watchdog.observers import Observer

    from generator.site.watch import ChangeObserver

    class Refused(Observer):
        def start(self):
            raise OSError(28, "inotify watch limit reached")

    (tmp_path / "a.yml").write_text("a: 1\n", encoding="utf-8")
    seen = _events(lambda: ChangeObserver(native=Refused), tmp_path,
                   lambda: (tmp_path / "a.yml").write_text("a: 22\n", encoding="utf-8"))
    assert "a.yml" in seen


def test_a_province_edition_rebuild_after_its_province_file_changes_is_a_full_build(catalogue, tmp_path):
    """In a province's edition, procedures are filled with the province's
    words; an edit of those words reaches every page and record on the next
    rebuild, as in a fresh build (nothing filled last time is reused)."""
    from generator.content.edition import Edition

    before, served, fresh = served_and_fresh(catalogue, tmp_path, "handbook/tinh/ha-noi/tinh.yml",
                                             "  ten: Điểm phục vụ hành chính công", "  ten: Điểm phục vụ một cửa",
                                             edition=Edition(province="ha-noi"))
    assert served != before
    assert any("Điểm phục vụ một cửa" in text.decode("utf-8", "replace") for text in served.values() if text is not None)
    assert sorted(served) == sorted(fresh)
    assert [name for name in served if served[name] != fresh[name]] == []


def test_serve_rebuilds_under_strict_mkdocs_settings(mini, tmp_path):
    """`strict: true` in mkdocs.yml: rebuilds skip nothing (MkDocs would fail a
    dirty build on its own warning) and still show the edit."""
    from generator.site.serve import make_builder

    config = mini / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("strict: false", "strict: true") if "strict:" in text else text + "strict: true\n",
                      encoding="utf-8")
    errors = []
    rebuild = make_builder(mini, tmp_path / "served", errors.append)
    rebuild()
    replace_in(mini, KHAI_SINH, "ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận và kiểm tra")
    rebuild()
    assert errors == [None, None]
    assert "Tiếp nhận và kiểm tra" in (tmp_path / "served/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
