import contextlib
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.site.build import build_site
from generator.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def user_cache_dir(tmp_path_factory) -> Path:
    """sotay's per-user files (the search cache's key) go to a folder of this
    test run, not the user's own cache folder; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("user-cache")
    __import__("os").environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A copy of the two-procedure fixture handbook, as the current directory."""
    root = tmp_path / "kho"
    shutil.copytree(FIXTURES / "mini", root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def trained(mini) -> Path:
    """The mini handbook with a training block on khai sinh and one session."""
    with open(mini / "procedures/ho-tich/dang-ky-khai-sinh.yml", "a", encoding="utf-8") as f:
        f.write((FIXTURES / "training/khai-sinh-dao-tao.yml").read_text(encoding="utf-8"))
    (mini / "handbook/dao-tao").mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "training/ho-tich-co-ban.yml", mini / "handbook/dao-tao/ho-tich-co-ban.yml")
    return mini


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped handbook, built once per test run; tests must only read it."""
    return build_site(REPO, tmp_path_factory.mktemp("shipped") / "site")


def editions() -> list[str]:
    """Every edition of the shipped handbook: the national one and each province overlay."""
    from generator.content.provinces import NATIONAL, PROVINCES_DIR
    return [NATIONAL, *sorted(p.name for p in (REPO / PROVINCES_DIR).iterdir() if p.is_dir())]


def built_editions() -> list[str]:
    """The editions the suite builds: the default (mkdocs.yml's, the shipped
    site), the national one and one other province.  Every edition is
    validated (tests/test_editions.py); building them all would grow with
    each province for little more: one province of each kind is enough."""
    from generator.cli.edition import edition_for
    from generator.content.provinces import NATIONAL
    default = edition_for(REPO).province or NATIONAL
    others = [e for e in editions() if e not in (NATIONAL, default)]
    return list(dict.fromkeys([default, NATIONAL, *others[:1]]))


@pytest.fixture(scope="session")
def edition_site(shipped_site, tmp_path_factory):
    """The shipped handbook built for an edition ("toan-quoc" or a province
    id), each once per test run (the default edition is shipped_site); tests
    must only read it."""
    from generator.cli.edition import edition_for
    from generator.content.edition import Edition
    from generator.content.provinces import NATIONAL, province_id
    default = edition_for(REPO).province or NATIONAL
    built = {default: shipped_site}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = build_site(REPO, tmp_path_factory.mktemp(f"edition-{name}") / "site",
                                     edition=Edition(province=province_id(name)))
        return built[name]

    return get


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


IN_CI = __import__("os").environ.get("CI") == "true"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def require(available: bool, what: str, how: str) -> None:
    """Skip a test whose system tool is missing, saying how to install it;
    in CI (CI=true) the tool must be there, so the test fails instead."""
    if available:
        return
    message = f"thiếu {what}; cài bằng: {how}"
    if IN_CI:
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium driven by Playwright."""
    require(Path(CHROMIUM).exists(), "Chromium", "sudo apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "gói Python playwright", "make install (hoặc pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def serve_directory(directory: Path, headers: dict[str, str] | None = None):
    """A built site served over HTTP on 127.0.0.1 (service workers and fetch
    need http://, not file://); yields its base URL."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def shipped_url(shipped_site):
    with serve_directory(shipped_site) as url:
        yield url
