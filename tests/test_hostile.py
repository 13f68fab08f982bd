"""The hostile/broken input corpus (tests/hostile): each file is refused with
its error at the expected place, with no traceback, and nothing is written;
in a forked process with a time limit, since some files are made to make a
check slow (see test_bounds.py).  Procedures are added beside the fixture's;
registries (tests/hostile/data) replace the fixture's file of the same name."""

import shutil
from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.content.errors import ContentErrors
from generator.content.handbook import load_handbook
from generator.content.yamlsource import MAX_FILE_BYTES

from test_bounds import within

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = [line.split(": ", 1) for line in (HOSTILE / "expected.txt").read_text(encoding="utf-8").splitlines()]
EXPECTED_DATA = [line.split(": ", 1) for line in (HOSTILE / "data/expected.txt").read_text(encoding="utf-8").splitlines()]


def test_corpus_is_large_enough():
    assert len(EXPECTED) >= 40


@pytest.mark.parametrize("where,message", EXPECTED, ids=[w.split(":")[0] for w, _ in EXPECTED])
def test_hostile_file_is_refused_at_its_location(mini, where, message):
    name, line, column = where.split(":")
    target = mini / "procedures/ho-tich" / name
    shutil.copyfile(HOSTILE / name, target)
    rel = f"procedures/ho-tich/{name}"
    found = within(_errors, mini, rel)
    assert any((l, c) == (int(line), int(column)) and message in m for l, c, m in found), found
    # The CLI's build refuses it too, and writes nothing.
    assert within(_refused, mini)
    assert not (mini / "site").exists()


def _errors(root, rel):
    _, sink = load_handbook(root)
    return [(e.line, e.column, e.message) for e in sink.errors if e.path == rel]


def _refused(root) -> bool:
    try:
        build_site(root)
    except ContentErrors:
        return True
    return False


@pytest.mark.parametrize("where,message", EXPECTED_DATA, ids=[w.split(":")[0] for w, _ in EXPECTED_DATA])
def test_hostile_registry_is_refused_at_its_location(mini, where, message):
    name, line, column = where.split(":")
    registry = name.split("--")[0] + ".yml"
    shutil.copyfile(HOSTILE / "data" / name, mini / "handbook/data" / registry)
    rel = f"handbook/data/{registry}"
    _, sink = load_handbook(mini)
    found = [(e.line, e.column, e.message) for e in sink.errors if e.path == rel]
    assert any((l, c) == (int(line), int(column)) and message in m for l, c, m in found), found
    with pytest.raises(ContentErrors):
        build_site(mini)
    assert not (mini / "site").exists()


def test_oversized_file_refused(mini):
    big = mini / "procedures/ho-tich/qua-lon.yml"
    big.write_text("ten: " + "a" * (MAX_FILE_BYTES + 1), encoding="utf-8")
    _, sink = load_handbook(mini)
    assert any(e.path.endswith("qua-lon.yml") and "tệp quá lớn" in e.message for e in sink.errors)


def test_bad_file_name_refused(mini):
    shutil.copyfile(mini / "procedures/ho-tich/dang-ky-khai-sinh.yml", mini / "procedures/ho-tich/Dang Ky.yml")
    _, sink = load_handbook(mini)
    assert any(e.path.endswith("Dang Ky.yml") and "tên tệp" in e.message for e in sink.errors)
