"""The package keeps the shape ARCHITECTURE.md describes: modules small
enough to read in one sitting, and data flowing one way out of content/."""

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"
MAX_LINES = 500
# Modules that only declare (no logic to follow): long because the schema is.
DECLARATIVE = {"content/model.py"}
# What content/ may import from the rest of the package: the two modules below every stage.
BELOW_EVERY_STAGE = {"urls", "textutil"}


def modules() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    assert len(found) > 30
    return found


def test_no_module_but_the_declarative_ones_is_over_500_lines():
    long = {p.relative_to(PACKAGE).as_posix(): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(DECLARATIVE) <= set(long), "a declarative exception is short now: drop it from DECLARATIVE"
    assert {name: n for name, n in long.items() if name not in DECLARATIVE} == {}


def package_imports(path: Path) -> set[str]:
    """The generator modules ``path`` imports, as dotted names under generator/."""
    here = path.relative_to(PACKAGE).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = list(here[: len(here) - node.level + 1]) + (module.split(".") if module else [])
            elif module == "generator" or module.startswith("generator."):
                parts = module.split(".")[1:]
            else:
                continue
            found |= {".".join(parts) for _ in node.names} if module else {".".join(parts + [a.name]) for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("generator.") for a in node.names if a.name.startswith("generator.")}
    return found


def test_content_imports_no_later_stage():
    """content/ reads, validates and models; the stages after it (site, search,
    guided, editing, training, cli) may import it, never the other way round."""
    wrong = {}
    for path in (PACKAGE / "content").glob("*.py"):
        outside = {m for m in package_imports(path)
                   if m.split(".")[0] != "content" and m.split(".")[0] not in BELOW_EVERY_STAGE}
        if outside:
            wrong[path.name] = sorted(outside)
    assert wrong == {}
    assert "urls" in package_imports(PACKAGE / "content/checks.py")  # the check does see imports out of content/
