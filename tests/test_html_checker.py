"""Every built page of the shipped handbook passes the Nu Html Checker (vnu).

scripts/system-deps.sh installs the pinned npm package ``vnu-jar`` into
``.cache/tools``; the checker runs once, on the system Java, over all pages of the
shipped site plus our own stylesheets, and over a stock Material site built with
the same theme settings.  The stock site is what proves that each allow-list
entry below is Material's markup and not ours.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load

from conftest import REPO, require
from generator.site.build import quiet_mkdocs

VNU_JAR = REPO / ".cache/tools/node_modules/vnu-jar/build/dist/vnu.jar"


@dataclass(frozen=True)
class Allowed:
    message: str  # vnu's message, compared exactly
    markup: str  # regex, full match on the markup vnu highlights

    def covers(self, error: "VnuError") -> bool:
        return error.message == self.message and re.fullmatch(self.markup, error.markup) is not None


ALLOWED = [
    # Material's base.html: the hidden checkboxes that hold the drawer and search
    # state carry autocomplete="off" (so Firefox does not restore them on reload);
    # HTML allows autocomplete only on text-like inputs.
    Allowed(
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”,"
        " “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”,"
        " or “week”.",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__\1" autocomplete="off">',
    ),
    # Material's partials/nav-item.html: with navigation.sections a section heading
    # gets tabindex="{{ tabindex }}", where tabindex is only set for non-sections,
    # so sections render tabindex="".
    Allowed(
        "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
        r'<label class="md-nav__link ?(md-nav__link--active)?" for="(__nav(_\d+)+)" id="\2_label" tabindex="">',
    ),
]


@dataclass(frozen=True)
class VnuError:
    file: Path
    line: int | None
    message: str
    markup: str  # the highlighted part of vnu's extract

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}\n    {self.markup}"


@pytest.fixture(scope="session")  # session scope: checked before the shared site build
def java() -> str:
    """The java command; skips (fails in CI) if java or vnu.jar is missing."""
    java = shutil.which("java")
    require(java is not None, "lệnh java (cho Nu Html Checker)",
            "sudo apt-get install default-jre-headless, rồi chạy make test")
    require(VNU_JAR.is_file(), f"Nu Html Checker ({VNU_JAR.relative_to(REPO)})",
            "make test hoặc scripts/system-deps.sh (cần npm)")
    return java


def _build_stock_material(root: Path) -> Path:
    """A tiny site with nothing of ours but the theme settings (and repo links) of mkdocs.yml."""
    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        ours = yaml_load(handle)
    pages = {"index.md": "# Trang chủ\n\nĐoạn văn.\n\n## Mục\n\nNội dung.\n",
             "muc/index.md": "# Mục có trang chỉ mục\n\nA.\n", "muc/mot.md": "# Một\n\nB.\n",
             "muc/hai.md": "# Hai\n\nC.\n", "nhom/ba.md": "# Ba\n\nD.\n", "nhom/bon.md": "# Bốn\n\nE.\n"}
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Stock\n", encoding="utf-8")
    overrides = {key: ours[key] for key in ("theme", "repo_url", "repo_name", "edit_uri") if key in ours}
    with quiet_mkdocs():
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    return root / "site"


def _markup(message: dict) -> str:
    extract, start = message.get("extract", ""), message.get("hiliteStart")
    highlighted = extract[start:start + message.get("hiliteLength", 0)] if start is not None else ""
    # vnu sometimes starts the highlight a character early; CSS errors often highlight blanks.
    return highlighted.strip() if highlighted.strip() else extract.strip()


@pytest.fixture(scope="module")
def vnu_errors(java, shipped_site, tmp_path_factory) -> dict[str, list[VnuError]]:
    """vnu's errors, run once over both sites: {"shipped": [...], "stock": [...]}."""
    stock_site = _build_stock_material(tmp_path_factory.mktemp("stock-material"))
    roots = {"shipped": shipped_site.resolve(), "stock": stock_site.resolve()}
    files = sorted(str(p) for root in roots.values() for p in root.rglob("*.html"))
    files += sorted(str(p) for p in (shipped_site / "stylesheets").rglob("*.css"))
    # One java run for all files: starting the checker costs seconds. Our stylesheets are
    # checked too (not Material's bundle). --no-langdetect only drops language
    # warnings, which --errors-only hides anyway. The JIT stops at C1, which halves
    # this short run; C1's bigger frames need more than 1 MB of thread stack (vnu
    # says "StackOverflowError while evaluating HTML schema" with -Xss1m).
    done = subprocess.run(
        [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         "--no-langdetect", "--stdout", "--exit-zero-always", "--also-check-css", *files],
        capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, f"vnu lỗi (mã {done.returncode}):\n{done.stderr}{done.stdout}"
    errors: dict[str, list[VnuError]] = {"shipped": [], "stock": []}
    for message in json.loads(done.stdout)["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        where = next((name for name, root in roots.items() if path.is_relative_to(root)), "shipped")
        file = path.relative_to(roots[where]) if path.is_relative_to(roots[where]) else path
        errors[where].append(VnuError(file, message.get("lastLine"), message["message"], _markup(message)))
    return errors


def test_shipped_pages_have_no_html_errors_but_materials_own(vnu_errors):
    unexpected = [e for e in vnu_errors["shipped"] if not any(a.covers(e) for a in ALLOWED)]
    assert not unexpected, f"{len(unexpected)} lỗi HTML:\n" + "\n".join(map(str, unexpected))


def test_allow_list_holds_only_errors_stock_material_makes(vnu_errors):
    # An entry that no stock Material page needs any more must go from ALLOWED.
    stale = [a.message for a in ALLOWED if not any(a.covers(e) for e in vnu_errors["stock"])]
    assert not stale, "Material không còn sinh các lỗi này; bỏ khỏi ALLOWED:\n" + "\n".join(stale)
