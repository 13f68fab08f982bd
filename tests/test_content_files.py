"""Content is regular files inside the project.

A symlink, a FIFO, a device, a socket or a folder where a content file is
expected is refused with an error at its path, without being opened or
followed; an unreadable content folder is an error, not a silent gap in the
site; and the operating system's own errors (no permission, disk full, name
too long…) reach the user as one Vietnamese sentence naming the path.
"""

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.errors import ContentErrors
from generator.content.handbook import load_handbook
from generator.site.build import build_site

SECRET = "BI-MAT-KHONG-DUOC-LO-7f3a"
SYMLINK = "liên kết tượng trưng"


def _errors_at(sink, rel: str) -> list[str]:
    return [e.message for e in sink.errors if e.path == rel and (e.line, e.column) == (1, 1)]


def _sotay(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI in its own process with a memory cap, so a regression (a read
    that never ends, or reads without limit) fails the test instead of
    hanging or exhausting the machine running the suite."""
    cap = 2 * 1024**3

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    try:
        return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=root, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"sotay {' '.join(args)} did not finish in {timeout} s (a read that blocks?)")


# --- symlinks ------------------------------------------------------------------------------


def _secret_procedure(mini: Path) -> str:
    """A valid procedure holding SECRET, as a file outside the project."""
    text = (mini / "procedures/ho-tich/dang-ky-khai-sinh.yml").read_text(encoding="utf-8")
    lines = [f"ten: Thủ tục {SECRET}" if line.startswith("ten:") else line for line in text.splitlines()]
    lines = [line for line in lines if not line.startswith("ma_thu_tuc:")]
    return "\n".join(lines) + "\n"


SYMLINK_PLACES = [
    "procedures/ho-tich/bi-mat.yml",
    "handbook/data/van-ban.yml",
    "handbook/data/thuat-ngu.yml",
    "handbook/dao-tao/bi-mat.yml",
    "handbook/bi-mat.md",
    "handbook/index.md",
    "handbook/mau/bi-mat.pdf",
    "handbook/stylesheets/bi-mat.css",
]


@pytest.mark.parametrize("rel", SYMLINK_PLACES)
def test_symlink_to_a_file_outside_is_refused_and_never_read(mini, tmp_path, rel, run):
    outside = tmp_path / "ngoai-du-an.txt"
    if rel.startswith("procedures/"):
        outside.write_text(_secret_procedure(mini), encoding="utf-8")
    elif rel.endswith(".yml"):
        shutil.copyfile(mini / "handbook/data/van-ban.yml" if "data" in rel else mini / "handbook/data/linh-vuc.yml",
                        outside)
        outside.write_text(outside.read_text(encoding="utf-8") + f"# {SECRET}\n", encoding="utf-8")
    else:
        outside.write_text(f"# Trang\n\nPATH={SECRET}\n", encoding="utf-8")
    link = mini / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)

    _, sink = load_handbook(mini)
    messages = _errors_at(sink, rel)
    assert any(SYMLINK in m and "symlink" in m for m in messages), [e.format() for e in sink.errors]
    assert SECRET not in "\n".join(e.format() for e in sink.items)
    with pytest.raises(ContentErrors) as refused:
        build_site(mini)
    assert SECRET not in str(refused.value)
    assert not (mini / "site").exists()

    result = run("validate")
    assert result.exit_code == 1
    assert f"{rel}:1:1: " in result.output and SYMLINK in result.output
    assert SECRET not in result.output


def test_symlink_inside_the_project_is_refused_too(mini):
    # A link to another content file would publish one file twice, under a
    # name the editors did not write; content is files, not links.
    link = mini / "procedures/ho-tich/ban-sao.yml"
    link.symlink_to(mini / "procedures/ho-tich/dang-ky-khai-sinh.yml")
    _, sink = load_handbook(mini)
    assert any(SYMLINK in m for m in _errors_at(sink, "procedures/ho-tich/ban-sao.yml"))


@pytest.mark.parametrize("rel", ["procedures/goc", "procedures/ho-tich/goc", "handbook/goc", "handbook/dao-tao",
                                 "handbook/mau/goc", "handbook/.an"])
def test_symlinked_folder_is_refused_and_not_walked(mini, rel, monkeypatch):
    link = mini / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to("/")
    walked = []
    real_scandir = os.scandir

    def scandir(path="."):
        walked.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, sink = load_handbook(mini)
    assert any(SYMLINK in m for m in _errors_at(sink, rel)), [e.format() for e in sink.errors]
    assert not [w for w in walked if w == str(link) or w.startswith(str(link) + os.sep)]


@pytest.mark.parametrize("folder", ["procedures", "handbook"])
def test_content_folder_itself_a_symlink_is_refused(mini, tmp_path, folder):
    moved = tmp_path / "noi-khac"
    (mini / folder).rename(moved)
    (mini / folder).symlink_to(moved)
    _, sink = load_handbook(mini)
    assert any(SYMLINK in m for m in _errors_at(sink, folder)), [e.format() for e in sink.errors]


def test_page_behind_a_symlinked_folder_is_not_a_link_target(mini, tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "trang.md").write_text("# Trang\n", encoding="utf-8")
    (mini / "handbook/ngoai").symlink_to(outside)
    _, sink = load_handbook(mini)
    assert any(SYMLINK in m for m in _errors_at(sink, "handbook/ngoai"))


# --- special files --------------------------------------------------------------------------


def _make_special(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(str(path))
        except OSError:
            pytest.skip("the socket path is too long for this system")
        finally:
            s.close()
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()


SPECIAL_PLACES = [
    ("procedures/ho-tich/ong.yml", "fifo"),
    ("handbook/dao-tao/ong.yml", "fifo"),
    ("handbook/data/van-ban.yml", "fifo"),
    ("handbook/data/ngay-nghi.yml", "fifo"),
    ("handbook/data/khac.yml", "fifo"),
    ("handbook/ong.md", "fifo"),
    ("handbook/mau/ong.pdf", "fifo"),
    ("handbook/stylesheets/ong.css", "fifo"),
    ("procedures/ho-tich/s.yml", "socket"),
    ("procedures/ho-tich/thu-muc.yml", "folder"),
    ("handbook/dao-tao/thu-muc.yml", "folder"),
    ("procedures/ho-tich/khong.yml", "dev-zero"),
    ("handbook/data/thuat-ngu.yml", "dev-zero"),
    ("handbook/dao-tao/khong.yml", "dev-zero"),
]


def test_special_files_are_refused_without_being_opened(mini):
    # All at once, in one run of the CLI in its own process: a FIFO that is
    # opened blocks forever and /dev/zero never ends, so a regression must
    # fail on the timeout or the memory cap rather than hang the suite.
    for rel, kind in SPECIAL_PLACES:
        _make_special(mini / rel, kind)
    done = _sotay(mini, "validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Lỗi không mong muốn" not in done.stderr, done.stderr
    for rel, kind in SPECIAL_PLACES:
        located = [line for line in done.stderr.splitlines() if line.startswith(f"{rel}:1:1: ")]
        expected = SYMLINK if kind == "dev-zero" else "không phải tệp thường"
        assert len(located) == 1 and expected in located[0], (rel, done.stderr)


def test_oversized_file_is_refused_before_it_is_read(mini):
    for rel in ("procedures/ho-tich/qua-lon.yml", "handbook/data/van-ban.yml", "handbook/dao-tao/qua-lon.yml"):
        (mini / rel).parent.mkdir(exist_ok=True)
        with open(mini / rel, "wb") as f:
            f.truncate(64 * 1024**3)  # sparse: no disk space, but reading it whole needs 64 GB of memory
    done = _sotay(mini, "validate")
    assert done.returncode == 1 and "Lỗi không mong muốn" not in done.stderr, done.stderr
    for rel in ("procedures/ho-tich/qua-lon.yml", "handbook/data/van-ban.yml", "handbook/dao-tao/qua-lon.yml"):
        assert f"{rel}:1:1: tệp quá lớn" in done.stderr, done.stderr


# --- folders --------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["procedures/ho-tich", "handbook/dao-tao", "handbook/mau", "handbook"])
def test_unreadable_content_folder_is_an_error(mini, rel, monkeypatch):
    (mini / "handbook/dao-tao").mkdir(exist_ok=True)
    denied = str(mini / rel)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).rstrip(os.sep) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, sink = load_handbook(mini)
    messages = _errors_at(sink, rel)
    assert any("không đọc được thư mục" in m and "không có quyền" in m for m in messages), \
        [e.format() for e in sink.errors]
    with pytest.raises(ContentErrors):
        build_site(mini)


def test_file_where_the_sessions_folder_should_be_is_an_error(mini):
    (mini / "handbook/dao-tao").write_text("ten: buổi học\n", encoding="utf-8")
    _, sink = load_handbook(mini)
    assert any("không phải thư mục" in m for m in _errors_at(sink, "handbook/dao-tao"))


# --- operating-system errors in the CLI ---------------------------------------------------------


def _assert_one_vietnamese_line(result, path: str, cause: str) -> None:
    assert result.exit_code == 1
    out = result.output
    assert "Traceback" not in out and "Lỗi không mong muốn" not in out, out
    line = out.strip()
    assert "\n" not in line, out
    assert path in line and cause in line, out


def test_build_into_a_path_under_a_regular_file(mini, run):
    (mini / "tep").write_text("", encoding="utf-8")
    result = run("build", "--site-dir", str(mini / "tep/con/site"))
    _assert_one_vietnamese_line(result, str(mini / "tep"), "không phải thư mục")


def test_build_into_a_name_too_long(mini, run):
    result = run("build", "--site-dir", str(mini / ("a" * 300)))
    _assert_one_vietnamese_line(result, "a" * 300, "quá dài")
    # With --debug, the error itself comes through, for the developers.
    debug = CliRunner().invoke(cli, ["--debug", "build", "--site-dir", str(mini / ("a" * 300))])
    assert isinstance(debug.exception, OSError)


def test_new_procedure_where_a_file_has_the_folder_name(mini, run):
    registry = mini / "handbook/data/linh-vuc.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + "tu-phap:\n  ten: Tư pháp\n  thu_tu: 2\n",
                        encoding="utf-8")
    (mini / "procedures/tu-phap").write_text("", encoding="utf-8")
    result = run("new", "--field", "tu-phap", "--title", "Chứng thực bản sao", "--level", "xa")
    _assert_one_vietnamese_line(result, "procedures/tu-phap", "đã có")


def test_registries_behind_a_symlinked_folder_are_not_read(mini, tmp_path):
    outside = tmp_path / "ngoai"
    shutil.copytree(mini / "handbook/data", outside)
    # Read, it would be quoted in an error: "khóa không hợp lệ '…'".
    (outside / "thuat-ngu.yml").write_text(f"UBND: {{ nghia: Ủy ban nhân dân, {SECRET}: x }}\n", encoding="utf-8")
    shutil.rmtree(mini / "handbook/data")
    (mini / "handbook/data").symlink_to(outside)
    _, sink = load_handbook(mini)
    assert any(SYMLINK in m for m in _errors_at(sink, "handbook/data")), [e.format() for e in sink.errors]
    assert SECRET not in "\n".join(e.format() for e in sink.items)


@pytest.mark.parametrize("rel", ["handbook/bi-mat.md", "handbook/stylesheets/bi-mat.css"])
def test_plain_mkdocs_build_refuses_a_symlink_too(mini, tmp_path, rel, caplog):
    # MkDocs copies every file of docs_dir (handbook/) into the site, following
    # links; the sotay plugin loads the handbook first and stops the build.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    outside = tmp_path / "ngoai.txt"
    outside.write_text(f"PATH={SECRET}\n", encoding="utf-8")
    (mini / rel).parent.mkdir(parents=True, exist_ok=True)
    (mini / rel).symlink_to(outside)
    site = tmp_path / "site"
    config = load_config(str(mini / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises(Abort):  # MkDocs' answer to the plugin's PluginError, logged
            build(config)
    finally:
        config.plugins.on_shutdown()
    assert f"{rel}:1:1: " in caplog.text and SYMLINK in caplog.text
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace") for p in published)


@pytest.mark.skipif(shutil.which("git") is None, reason="cần git")
def test_diff_of_the_working_tree_does_not_read_a_symlink(mini, tmp_path, run):
    def git(*args):
        subprocess.run(["git", *args], cwd=mini, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
        "commit", "-q", "--allow-empty", "-m", "goc")
    outside = tmp_path / "ngoai.yml"
    outside.write_text(_secret_procedure(mini), encoding="utf-8")
    (mini / "procedures/ho-tich/bi-mat.yml").symlink_to(outside)
    result = run("diff")
    assert SECRET not in result.output
