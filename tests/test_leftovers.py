"""However sotay stops (Ctrl-C, SIGTERM, SIGHUP, or killed outright), it leaves
no temporary folder behind for good and never a half-replaced site; and it
never removes a folder that is not its own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from generator import tempdirs
from generator.site.build import build_site

from test_serve import fetch, free_port, wait_for

STOPS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def sotay(*args, cwd, env=None, ignored=()):
    # The stop signals at their defaults, as under a terminal, even when the
    # tests run in the background or under nohup (which ignore some of them).
    def defaults():
        for signum in STOPS:
            signal.signal(signum, signal.SIG_IGN if signum in ignored else signal.SIG_DFL)

    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=defaults)


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def ours(folder: Path, prefix: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(prefix))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A copy of the shipped handbook, built once, then edited (so a new build
    would change the site); its build lasts seconds, so a signal lands inside it."""
    root = tmp_path_factory.mktemp("shipped") / "kho"
    for part in ("procedures", "handbook", "schema", "mkdocs.yml"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, root / part)
    build_site(root)
    path = root / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh (sửa)"),
                    encoding="utf-8")
    return root


def start_build_and_wait_for_its_folder(root: Path, ignored=()) -> subprocess.Popen:
    proc = sotay("build", cwd=root, ignored=ignored)
    deadline = time.monotonic() + 120
    while not ours(root, ".site.building-"):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
        time.sleep(0.01)
    return proc


@pytest.mark.parametrize("signum", STOPS, ids=lambda s: signal.Signals(s).name)
def test_a_stopped_build_leaves_the_previous_site_and_no_temporary_folder(shipped, signum):
    before = snapshot(shipped / "site")
    proc = start_build_and_wait_for_its_folder(shipped)
    proc.send_signal(signum)
    assert proc.wait(60) != 0
    stderr = proc.stderr.read()
    assert "Traceback" not in stderr
    if signum != signal.SIGINT:
        assert proc.returncode == 128 + signum and "Đã dừng" in stderr
    assert snapshot(shipped / "site") == before
    assert ours(shipped, ".site.") == [".site.lock"]


def test_under_nohup_a_hangup_does_not_stop_the_build(shipped):
    proc = start_build_and_wait_for_its_folder(shipped, ignored=(signal.SIGHUP,))
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(120) == 0, proc.stderr.read()
    assert "Đăng ký khai sinh (sửa)" in (shipped / "site/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(
        encoding="utf-8")
    assert ours(shipped, ".site.") == [".site.lock"]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def plant(parent: Path, name: str, marker: str | None) -> Path:
    """A folder that looks like a leftover, with some content and the given marker text."""
    folder = parent / name
    (folder / "site/thu-tuc").mkdir(parents=True)
    (folder / "site/thu-tuc/index.html").write_text("<p>cũ</p>", encoding="utf-8")
    if marker is not None:
        (folder / tempdirs.MARKER).write_text(marker, encoding="ascii")
    return folder


def foreign_lookalikes(parent: Path, prefix: str, dead: int, alive: int) -> list[Path]:
    """Folders sotay must not remove, however much they look like its leftovers."""
    elsewhere = parent.parent / f"elsewhere-{prefix.strip('.')}"
    plant(elsewhere, f"{prefix}{dead}-target", f"sotay {dead}\n")
    link = parent / f"{prefix}{dead}-link"
    link.symlink_to(elsewhere / f"{prefix}{dead}-target")
    return [
        plant(parent, f"{prefix}{dead}-nomarker", None),  # the pattern without our marker
        plant(parent, f"{prefix}{dead}-otherpid", f"sotay {dead + 1}\n"),  # a marker naming another process
        plant(parent, f"{prefix}{dead}-badmark", "something else\n"),
        plant(parent, f"{prefix}{alive}-running", f"sotay {alive}\n"),  # its process still runs
        plant(parent, f"{prefix}x{dead}-abc", f"sotay {dead}\n"),  # not the naming pattern
        plant(parent, f"{prefix}{dead}-abc.bak", f"sotay {dead}\n"),
        plant(parent, f"{prefix[:-1]}{dead}-abc", f"sotay {dead}\n"),
        link,
        elsewhere / f"{prefix}{dead}-target",
    ]


@pytest.fixture
def running():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def test_a_killed_build_is_swept_by_the_next_one_and_nothing_else(shipped, running):
    proc = start_build_and_wait_for_its_folder(shipped)
    proc.kill()  # SIGKILL: no chance to clean up
    proc.wait(60)
    left = [shipped / n for n in ours(shipped, ".site.building-")]
    assert left, "a killed build leaves its folder (the case the sweep is for)"
    dead = dead_pid()
    stale = plant(shipped, f".site.building-{dead}-abc123_x", f"sotay {dead}\n")
    keep = foreign_lookalikes(shipped, ".site.building-", dead, running)
    old_style = plant(shipped, f".site.old-{dead}-0", None)  # what earlier versions left: no marker, not ours to judge

    build_site(shipped)
    assert not any(p.exists() for p in [*left, stale])
    assert all(p.exists() or p.is_symlink() for p in [*keep, old_style])
    assert (shipped / "site/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").exists()


@pytest.fixture
def tmpdir_env(tmp_path, monkeypatch):
    """A temporary directory of its own for sotay (TMPDIR), in this process and its children."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@pytest.mark.parametrize("signum", STOPS, ids=lambda s: signal.Signals(s).name)
def test_a_stopped_server_removes_its_temporary_site(mini, tmpdir_env, signum):
    port = free_port()
    proc = sotay("serve", "--port", str(port), cwd=mini, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_for(lambda: fetch(f"http://127.0.0.1:{port}/"))
        assert len(ours(tmpdir_env, "sotay-serve-")) == 1
        proc.send_signal(signum)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in proc.stderr.read()
    assert ours(tmpdir_env, "sotay-serve-") == []


def test_the_server_and_export_sweep_their_killed_predecessors(mini, tmpdir_env, running):
    from generator.site.export import export_zip
    from generator.site.serve import preview

    dead = dead_pid()
    stale, keep = [], []
    for prefix in ("sotay-serve-", "sotay-export-"):
        stale.append(plant(tmpdir_env, f"{prefix}{dead}-k1ll3d_", f"sotay {dead}\n"))
        keep += foreign_lookalikes(tmpdir_env, prefix, dead, running)

    with preview(mini, "127.0.0.1", free_port(), lambda message: None):
        assert not stale[0].exists() and stale[1].exists()
    export_zip(mini, mini / "so-tay.zip")
    assert not stale[1].exists()
    assert all(p.exists() or p.is_symlink() for p in keep)


def age(folder: Path, days: float) -> Path:
    """Set the folder's and everything in it's times ``days`` back."""
    when = time.time() - days * 86400
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (when, when), follow_symlinks=False)
    return folder


def test_the_server_sweeps_old_unmarked_folders_of_earlier_versions_and_nothing_else(mini, tmpdir_env):
    """Earlier versions of sotay serve made `sotay-serve-XXXXXXXX` (tempfile's
    name) with no marker and could leave it behind; a folder of that exact
    shape, holding only what serve writes and untouched for over a day, is ours."""
    from generator.site.serve import preview

    def legacy(name: str, days: float = 3, extra: str | None = None) -> Path:
        folder = plant(tmpdir_env, name, None)
        (folder / ".site.lock").write_text("", encoding="ascii")
        (folder / ".site.building-4242-ab12cd_e").mkdir()
        if extra:
            (folder / extra).write_text("không phải của sotay", encoding="utf-8")
        return age(folder, days)

    empty = tmpdir_env / "sotay-serve-emptyab2"
    empty.mkdir()
    stale = [legacy("sotay-serve-k1ll3d_x"), age(empty, 2),
             age(plant(tmpdir_env, f"sotay-serve-{dead_pid()}-k1ll3d_", None), 2)]  # its marker never written
    in_use = legacy("sotay-serve-inuse123")
    os.utime(in_use / "site/thu-tuc/index.html")  # a file written just now
    a_file = tmpdir_env / "sotay-serve-afile123"
    a_file.write_text("tệp, không phải thư mục", encoding="utf-8")
    elsewhere = legacy("elsewhere")
    link = tmpdir_env / "sotay-serve-linkto12"
    link.symlink_to(elsewhere)
    keep = [legacy("sotay-serve-recent12", days=0.5),  # maybe still used by an old version
            legacy("sotay-serve-foreign1", extra="ghi-chu.txt"),  # holds what serve never writes
            legacy("sotay-serve-short"), legacy("sotay-serve-toolong12"),  # not tempfile's 8 characters
            legacy("sotay-servexyzabc12"), in_use, age(a_file, 3), link, elsewhere]

    with preview(mini, "127.0.0.1", free_port(), lambda message: None):
        pass
    assert [p.name for p in stale if p.exists()] == []
    assert [p.name for p in keep if not (p.exists() or p.is_symlink())] == []
    assert (elsewhere / "site/thu-tuc/index.html").exists()



def _worker_stop_handlers(path, root, cache):
    return signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)


def test_parallel_load_workers_end_quietly(monkeypatch):
    """A large catalogue is read by a pool of forked workers, which the pool
    ends with SIGTERM. The workers must not keep the stop handler that turns
    SIGTERM into an exception (for the parent's clean-up): a worker ended that
    way prints a traceback after a command that succeeded."""
    from generator.content import handbook

    if (os.cpu_count() or 1) < 2:
        pytest.skip("cần ít nhất 2 nhân CPU để đọc thủ tục song song")
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    for s in saved:
        signal.signal(s, signal.SIG_DFL)
    try:
        tempdirs.stop_on_signals()
        monkeypatch.setattr(handbook, "_load_procedure", _worker_stop_handlers)  # forked workers see it
        seen = handbook._load_procedures([Path("x.yml")] * handbook.PARALLEL_FROM, REPO, None)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert len(seen) == handbook.PARALLEL_FROM
    assert set(seen) == {(signal.SIG_DFL, signal.SIG_DFL)}
