"""No sotay command deletes or replaces what it did not make.

Every path a command writes to (`build --site-dir`, `export --zip`,
`training pack --output`, `new`) is checked first: the project
itself and what contains it, its content folders, the home folder, folders
and files that are not ours, devices and pipes are refused with one
Vietnamese line naming the path, exit status 1, and left exactly as they were.
"""

import os
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import require
from generator.site.build import build_site
from generator.site.pdf import chromium_path
from generator.site.outputs import MARKER, OutputRefused

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
SESSION = "handbook/dao-tao/ho-tich-co-ban.yml"


def tree(folder: Path) -> dict[str, object]:
    """Everything under ``folder``: file bytes, folders, links and pipes."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[rel] = f"-> {os.readlink(path)}"
        elif stat.S_ISREG(mode):
            found[rel] = path.read_bytes()
        else:
            found[rel] = stat.S_IFMT(mode)
    return found


def assert_refused(result, path: Path) -> None:
    assert result.exit_code == 1, result.output
    assert str(path) in result.output, result.output
    assert result.output.startswith("Lỗi: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output



# --- sotay build --site-dir ---------------------------------------------------------------------


def _home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def _foreign(tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "ảnh cưới.jpg").write_bytes(b"\xff\xd8 photos")
    return usb


def _link_to_procedures(tmp_path, monkeypatch):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "kho" / "procedures", target_is_directory=True)
    return link


@pytest.mark.parametrize("target", [
    lambda tmp, mp: tmp / "kho",  # the project itself (once deleted it, .git and all)
    lambda tmp, mp: tmp,  # a folder containing the project
    lambda tmp, mp: tmp / "kho" / "procedures",
    lambda tmp, mp: tmp / "kho" / "handbook",
    lambda tmp, mp: tmp / "kho" / "procedures" / "site",  # new, but inside the content
    _link_to_procedures,
    _foreign,  # e.g. --site-dir /media/usb instead of /media/usb/so-tay
    _home,
], ids=["project", "ancestor", "procedures", "handbook", "inside-procedures", "link-to-procedures", "foreign", "home"])
def test_build_refuses_a_site_dir_it_did_not_make(mini, run, tmp_path, monkeypatch, target):
    target = target(tmp_path, monkeypatch)
    before = tree(tmp_path)
    result = run("build", "--site-dir", str(target))
    assert_refused(result, target)
    assert tree(tmp_path) == before


def test_build_refuses_a_default_site_folder_holding_something_else(mini, run):
    (mini / "site").mkdir()
    (mini / "site" / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    before = tree(mini)
    assert_refused(run("build"), mini / "site")
    assert tree(mini) == before


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_build_site_never_replaces_a_file_with_a_site(mini, tmp_path, kind):
    target = tmp_path / "so-tay"
    if kind == "file":
        target.write_text("báo cáo", encoding="utf-8")
    else:
        os.mkfifo(target)
    before = tree(tmp_path)
    with pytest.raises(OutputRefused, match=str(target)):
        build_site(mini, target)
    assert tree(tmp_path) == before


@pytest.mark.parametrize("offline", [False, True])
def test_an_empty_folder_is_built_into_marked_and_rebuilt_in_place(mini, run, tmp_path, offline):
    target = tmp_path / "usb" / "so-tay"
    target.mkdir(parents=True)
    flags = ["--offline"] if offline else []
    assert run("build", *flags, "--site-dir", str(target)).exit_code == 0
    assert (target / "index.html").is_file() and (target / MARKER).is_file()
    (target / "cu.html").write_text("bản cũ", encoding="utf-8")
    result = run("build", *flags, "--site-dir", str(target))
    assert result.exit_code == 0, result.output
    assert not (target / "cu.html").exists() and (target / MARKER).is_file()


def test_default_site_from_before_the_marker_is_still_rebuilt(mini, run):
    assert run("build").exit_code == 0
    site = mini / "site"
    (site / MARKER).unlink()  # as built by an older sotay
    (site / "cu.html").write_text("bản cũ", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert not (site / "cu.html").exists() and (site / MARKER).is_file()


# --- sotay export --zip -------------------------------------------------------------------------


def _fifo(tmp_path):
    os.mkfifo(tmp_path / "so-tay.zip")
    return tmp_path / "so-tay.zip"


def _foreign_file(tmp_path):
    (tmp_path / "so-tay.zip").write_bytes(b"bao cao quy 3")
    return tmp_path / "so-tay.zip"


def _foreign_zip(tmp_path):
    with zipfile.ZipFile(tmp_path / "so-tay.zip", "w") as archive:
        archive.writestr("anh/cuoi.jpg", b"photos")
    return tmp_path / "so-tay.zip"


def _link_to_a_file(tmp_path):
    (tmp_path / "bao-cao.txt").write_text("báo cáo", encoding="utf-8")
    (tmp_path / "so-tay.zip").symlink_to(tmp_path / "bao-cao.txt")
    return tmp_path / "so-tay.zip"


@pytest.mark.parametrize("target", [
    _fifo, _foreign_file, _foreign_zip, _link_to_a_file,
    lambda tmp: tmp / "kho" / "procedures" / "so-tay.zip",
    lambda tmp: tmp / "kho" / "handbook" / "so-tay.zip",
], ids=["fifo", "foreign-file", "foreign-zip", "link", "inside-procedures", "inside-handbook"])
def test_export_refuses_a_zip_path_it_did_not_make(mini, run, tmp_path, target):
    target = target(tmp_path)
    before = tree(tmp_path)
    assert_refused(run("export", "--zip", str(target)), target)
    assert tree(tmp_path) == before


def test_export_into_a_content_folder_is_refused(mini, run, tmp_path):
    before = tree(tmp_path)
    result = run("export", "--zip", "procedures")  # a folder: the zip would go inside it
    assert_refused(result, mini / "procedures")
    assert tree(tmp_path) == before


def test_export_replaces_its_own_zip_but_not_a_foreign_one(mini, run, tmp_path):
    ours = tmp_path / "so-tay.zip"
    assert run("export", "--zip", str(ours)).exit_code == 0
    first = ours.stat().st_ino
    with zipfile.ZipFile(ours) as archive:
        assert f"so-tay/{MARKER}" not in archive.namelist()  # the marker stays out of what users unzip
        archive.extractall(tmp_path / "unzipped")
    result = run("export", "--zip", str(ours))
    assert result.exit_code == 0, result.output
    assert ours.stat().st_ino != first and zipfile.is_zipfile(ours)
    # A zip someone else made, even from an unzipped export, is not replaced.
    foreign = tmp_path / "cua-toi.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.write(tmp_path / "unzipped" / "so-tay" / "index.html", "so-tay/index.html")
    before = foreign.read_bytes()
    assert_refused(run("export", "--zip", str(foreign)), foreign)
    assert foreign.read_bytes() == before


# --- sotay training pack --output ---------------------------------------------------------------


@pytest.mark.parametrize("target", [
    lambda tmp: (os.mkfifo(tmp / "pack.html"), tmp / "pack.html")[1],
    lambda tmp: ((tmp / "pack.html").write_text("<p>trang của tôi</p>", encoding="utf-8"), tmp / "pack.html")[1],
    lambda tmp: tmp / "kho" / "handbook" / "pack.html",
    lambda tmp: tmp / "kho" / "procedures" / "ho-tich" / "pack.html",
], ids=["fifo", "foreign-file", "inside-handbook", "inside-procedures"])
def test_pack_refuses_an_output_it_did_not_make(trained, run, tmp_path, target):
    target = target(tmp_path)
    before = tree(tmp_path)
    assert_refused(run("training", "pack", "ho-tich-co-ban", "--output", str(target)), target)
    assert tree(tmp_path) == before


def test_pack_refuses_a_foreign_pdf_before_writing_anything(trained, run, tmp_path):
    (tmp_path / "pack.pdf").write_bytes(b"%PDF-1.4 hop dong")
    before = tree(tmp_path)
    assert_refused(run("training", "pack", "ho-tich-co-ban", "--pdf", "--output", str(tmp_path / "pack.html")),
                   tmp_path / "pack.pdf")
    assert tree(tmp_path) == before


def test_pack_pdf_replaces_its_own_pdf_but_not_a_foreign_one(trained, run, tmp_path):
    require(chromium_path() is not None, "Chromium", "sudo apt-get install chromium")
    html, pdf = tmp_path / "pack.html", tmp_path / "pack.pdf"
    assert run("training", "pack", "ho-tich-co-ban", "--pdf", "--output", str(html)).exit_code == 0
    first = pdf.stat().st_ino
    result = run("training", "pack", "ho-tich-co-ban", "--pdf", "--output", str(html))
    assert result.exit_code == 0, result.output
    assert pdf.stat().st_ino != first and pdf.read_bytes().startswith(b"%PDF-")
    pdf.write_bytes(b"%PDF-1.7 hop dong da ky")  # someone's own PDF under that name now
    before = tree(tmp_path)
    assert_refused(run("training", "pack", "ho-tich-co-ban", "--pdf", "--output", str(html)), pdf)
    assert tree(tmp_path) == before


def test_pack_replaces_its_own_file_but_not_a_foreign_one(trained, run, tmp_path):
    ours = tmp_path / "pack.html"
    assert run("training", "pack", "ho-tich-co-ban", "--output", str(ours)).exit_code == 0
    ours.write_text(ours.read_text(encoding="utf-8").replace("Hộ tịch cơ bản", "Bản cũ"), encoding="utf-8")
    assert run("training", "pack", "ho-tich-co-ban", "--output", str(ours)).exit_code == 0
    assert "Bản cũ" not in ours.read_text(encoding="utf-8")
    foreign = tmp_path / "trang.html"
    foreign.write_text("<!doctype html><title>Trang của tôi</title>", encoding="utf-8")
    assert_refused(run("training", "pack", "ho-tich-co-ban", "--output", str(foreign)), foreign)
    assert foreign.read_text(encoding="utf-8") == "<!doctype html><title>Trang của tôi</title>"


# --- sotay new ------------------------------------------------------------------------------------


def test_new_never_writes_outside_procedures_nor_through_a_link(mini, run, tmp_path):
    before = tree(tmp_path)
    result = run("new", "--field", "ho-tich", "--title", "Thử", "--id", "../../thu", "--level", "xa")
    assert result.exit_code == 1 and "'../../thu' không hợp lệ" in result.output, result.output
    assert tree(tmp_path) == before
    (mini / "procedures/ho-tich/dang-ky-giam-ho.yml").symlink_to(tmp_path / "ngoai.yml")  # dangling
    before = tree(tmp_path)
    result = run("new", "--field", "ho-tich", "--title", "Đăng ký giám hộ", "--level", "xa")
    assert result.exit_code == 1 and "procedures/ho-tich/dang-ky-giam-ho.yml đã có" in result.output, result.output
    assert tree(tmp_path) == before and not (tmp_path / "ngoai.yml").exists()
