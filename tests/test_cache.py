"""The validated-catalogue cache (.cache/sotay/handbook.sqlite): one-procedure
commands skip the full validation on an unchanged tree, say the same thing as
after a full load, notice every change, still refuse a handbook with errors,
and shrug off a cache file that is broken or crafted."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

import generator.cli.cache as cache

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
CACHE = ".cache/sotay/handbook.sqlite"
COMMANDS = {
    "list": ["list", "--json"],
    "list-field": ["list", "--field", "ho-tich"],
    "due": ["due", "dang-ky-khai-sinh", "--received", "2025-01-24 09:30", "--json"],
    "guide": ["guide", "dang-ky-khai-sinh", "--json"],
    "guide-answered": ["guide", "dang-ky-khai-sinh", "--json", "-a", "qua_han=có"],
    "search": ["search", "khai", "sinh", "--json"],
}


@pytest.fixture
def loads(monkeypatch):
    """Record what the cache module asks load_handbook for; with
    ``loads.refuse_full``, a full load (only=None) fails the test."""
    calls: list = []
    real = cache.load_handbook

    def spy(root, only=None, **kw):
        calls.append(only)
        if spy.refuse_full and only is None:
            raise AssertionError("full load on an unchanged tree")
        return real(root, only=only, **kw)

    spy.refuse_full = False
    spy.calls = calls
    monkeypatch.setattr(cache, "load_handbook", spy)
    return spy


def outputs(run) -> dict[str, str]:
    out = {}
    for name, args in COMMANDS.items():
        result = run(*args)
        assert result.exit_code == 0, result.output
        out[name] = result.output
    return out


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_tree_uses_the_cache_and_says_the_same(mini, run, loads):
    if "qua_han" not in (mini / KHAI_SINH).read_text(encoding="utf-8"):
        COMMANDS.pop("guide-answered")
    full = outputs(run)  # the first command loads everything and writes the cache
    assert (mini / CACHE).is_file()
    loads.refuse_full = True
    loads.calls.clear()
    cached = outputs(run)
    assert cached == full
    # due and guide loaded their own file only; list and search loaded nothing
    assert [[p.name for p in only] for only in loads.calls] == [["dang-ky-khai-sinh.yml"]] * (
        len([c for c in COMMANDS if c.startswith(("due", "guide"))]))


def test_whole_validate_writes_the_cache(mini, run, loads):
    assert run("validate").exit_code == 0
    loads.refuse_full = True
    assert run("list").exit_code == 0 and run("due", "dang-ky-khai-sinh", "--received", "2025-01-24 09:30").exit_code == 0


def _add_procedure(root):
    text = (root / KHAI_SINH).read_text(encoding="utf-8")
    text = text.replace("ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh lưu động", 1)
    text = text.replace('ma_thu_tuc: "1.000001"', 'ma_thu_tuc: "1.999999"', 1)
    (root / "procedures/ho-tich/khai-sinh-luu-dong.yml").write_text(text, encoding="utf-8")


CHANGES = {
    "edited procedure": (lambda r: edit(r, KHAI_SINH, "ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh cho trẻ em"),
                         "Đăng ký khai sinh cho trẻ em", None),
    "added file": (_add_procedure, "Đăng ký khai sinh lưu động", None),
    "removed file": (lambda r: (r / "procedures/ho-tich/khai-sinh-luu-dong.yml").unlink(), None, "khai-sinh-luu-dong"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_shows_in_the_next_command(mini, run, change):
    apply, shown, gone = CHANGES[change]
    if gone:
        _add_procedure(mini)  # what is removed below
        assert gone in [r["id"] for r in json.loads(run("list", "--json").output)]
        assert run("due", gone, "--received", "2025-01-24 09:30").exit_code == 0
    assert run("list", "--json").exit_code == 0
    apply(mini)
    rows = json.loads(run("list", "--json").output)
    if shown:
        assert shown in [r["title"] for r in rows]
    if gone:
        assert gone not in [r["id"] for r in rows]
        result = run("due", gone, "--received", "2025-01-24 09:30")
        assert result.exit_code != 0 and f"không có thủ tục '{gone}'" in result.output


def test_an_edited_registry_shows_in_the_next_command(mini, run):
    fields = mini / "handbook/data/linh-vuc.yml"
    assert run("list").exit_code == 0
    text = fields.read_text(encoding="utf-8")
    name = next(r["field_name"] for r in json.loads(run("list", "--json").output) if r["field"] == "ho-tich")
    fields.write_text(text.replace(name, name + " và chứng thực", 1), encoding="utf-8")
    assert f"[{name} và chứng thực]" in run("list").output
    result = run("search", "khai", "sinh", "--json")
    assert json.loads(result.output)[0]["field_name"] == name + " và chứng thực"


def test_an_edited_holiday_calendar_shows_in_due(mini, run):
    before = run("due", "dang-ky-khai-sinh", "--received", "2025-01-24 09:30", "--json")
    assert before.exit_code == 0
    (mini / "handbook/data/ngay-nghi.yml").unlink()
    after = run("due", "dang-ky-khai-sinh", "--received", "2025-01-24 09:30", "--json")
    assert after.output != before.output


BREAKS = {
    "the asked procedure": (KHAI_SINH, "tom_tat:", "tomtat:"),
    "another procedure": (None, "tom_tat:", "tomtat:"),
    "a registry": ("handbook/data/linh-vuc.yml", "ten:", "tenn:"),
}


@pytest.mark.parametrize("broken", list(BREAKS))
@pytest.mark.parametrize("command", ["due", "guide", "list", "search"])
def test_errors_are_refused_even_with_a_valid_cache(mini, run, broken, command):
    assert outputs(run)  # a valid cache of the tree before the mistake
    rel, old, new = BREAKS[broken]
    if rel is None:
        rel = next(p.relative_to(mini).as_posix() for p in sorted((mini / "procedures").rglob("*.yml"))
                   if p.name != "dang-ky-khai-sinh.yml")
    edit(mini, rel, old, new)
    result = run(*COMMANDS[command])
    assert result.exit_code == 1
    assert f"{rel}:" in result.output


def test_a_symlink_in_the_tree_is_refused_with_a_valid_cache(mini, run):
    assert outputs(run)
    (mini / "procedures/ho-tich/lien-ket.yml").symlink_to(mini / KHAI_SINH)
    result = run(*COMMANDS["due"])
    assert result.exit_code == 1 and "procedures/ho-tich/lien-ket.yml:1:1" in result.output


def _set(root, key, value):
    con = sqlite3.connect(root / CACHE)
    con.execute("UPDATE entries SET value = ? WHERE key = ?", (value, key))
    con.commit()
    con.close()


def _rows(root):
    con = sqlite3.connect(root / CACHE)
    rows = json.loads(con.execute("SELECT value FROM entries WHERE key = 'rows'").fetchone()[0])
    con.close()
    return rows


def _garbage(root):
    (root / CACHE).write_bytes(b"\x80\x04\x95garbage, not a database\x00" * 50)


def _wrong_schema(root):
    (root / CACHE).unlink()
    con = sqlite3.connect(root / CACHE)
    con.execute("CREATE TABLE other (a INTEGER)")
    con.commit()
    con.close()


def _pickle(root):
    import pickle

    _set(root, "rows", pickle.dumps({"x": 1}))


def _wrong_types(root):
    _set(root, "rows", json.dumps({"__class__": "os.system", "args": ["echo pwned"]}))


def _wrong_row_types(root):
    rows = _rows(root)
    rows[0]["title"] = ["a", "list"]
    _set(root, "rows", json.dumps(rows))


def _fields_as_list(root):
    _set(root, "fields", json.dumps(["ho-tich"]))


def _path_outside(root):
    (root.parent / "ngoai.yml").write_text("ten: Bí mật ngoài dự án\n", encoding="utf-8")
    rows = _rows(root)
    for r in rows:
        r["path"] = "../ngoai.yml"
    _set(root, "rows", json.dumps(rows))


def _search_docs_wrong(root):
    _set(root, "search_docs", json.dumps([{"id": 1}]))


def _deep_json(root):
    _set(root, "rows", "[" * 100000 + "]" * 100000)


def _folder_instead(root):
    (root / CACHE).unlink()
    (root / CACHE).mkdir()


HOSTILE = {f.__name__.strip("_"): f for f in (_garbage, _wrong_schema, _pickle, _wrong_types, _wrong_row_types,
                                              _fields_as_list, _path_outside, _search_docs_wrong, _deep_json)}


@pytest.mark.parametrize("spoil", list(HOSTILE))
def test_a_broken_or_crafted_cache_is_ignored_and_rebuilt(mini, run, spoil):
    before = outputs(run)
    HOSTILE[spoil](mini)
    assert outputs(run) == before
    assert "Bí mật" not in "".join(before.values())
    con = sqlite3.connect(mini / CACHE)  # rebuilt by the first command after
    assert dict(con.execute("SELECT key, value FROM entries"))["format"] == json.dumps([cache.FORMAT, cache.__version__])
    con.close()


def test_a_folder_where_the_cache_goes_is_left_alone(mini, run):
    before = outputs(run)
    _folder_instead(mini)
    assert outputs(run) == before
    assert (mini / CACHE).is_dir()


def test_cache_from_another_version_is_ignored(mini, run, monkeypatch, loads):
    outputs(run)
    monkeypatch.setattr(cache, "__version__", "99.0")
    loads.calls.clear()
    assert run("list").exit_code == 0
    assert loads.calls == [None]  # validated again
    shutil.rmtree(mini / ".cache")
