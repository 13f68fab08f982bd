import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A copy of the two-procedure fixture handbook, as the current directory."""
    root = tmp_path / "kho"
    shutil.copytree(FIXTURES / "mini", root)
    monkeypatch.chdir(root)
    return root


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
