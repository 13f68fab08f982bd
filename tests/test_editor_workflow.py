"""CONTRIBUTING.md's local path, end to end: sotay new → edit → validate
--strict → fmt --check → the pull request's semantic diff; the new file is
accepted by the JSON Schema editors get in VS Code."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import REPO


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_new_procedure_from_scaffold_to_reviewed_diff(mini, run):
    git(mini, "init", "-q", "-b", "main")
    git(mini, "config", "user.email", "bien-tap@example.org")
    git(mini, "config", "user.name", "Biên tập viên")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "trước")
    rel = "procedures/ho-tich/dang-ky-giam-ho.yml"

    # 1. sotay new writes a valid, canonical skeleton.
    assert run("new", "--field", "ho-tich", "--title", "Đăng ký giám hộ", "--level", "xa").exit_code == 0
    assert run("fmt", "--check", rel).exit_code == 0
    # 2. Strict validation (as in the pull request) refuses leftover placeholders, each located.
    strict = run("validate", "--strict")
    assert strict.exit_code == 1 and f"{rel}:7:20: còn chỗ chưa điền" in strict.output
    local = run("validate")  # locally the same places are reminders, not errors
    assert local.exit_code == 0 and f"{rel}:7:20: cảnh báo: còn chỗ chưa điền" in local.output
    # 3. The editor fills them in (here: every "CẦN ĐIỀN: …" value becomes real text).
    path = mini / rel
    path.write_text(re.sub(r'"CẦN ĐIỀN: ([^"]*)"', lambda m: '"Nội dung ' + m.group(1).rstrip(".") + '"',
                           path.read_text(encoding="utf-8")), encoding="utf-8")
    assert run("validate", "--strict").exit_code == 0
    assert run("fmt", rel).exit_code == 0 and run("fmt", "--check", rel).exit_code == 0
    # 4. The reviewer's summary names the new procedure.
    summary = run("diff", "HEAD").output
    assert "Đăng ký giám hộ" in summary and rel in summary
    rows = json.loads(run("diff", "HEAD", "--json").output)["procedures"]
    assert [(r["path"], r["status"]) for r in rows] == [(rel, "added")]
    # 5. VS Code's schema accepts the file too.
    from jsonschema import Draft202012Validator

    schema = json.loads((REPO / "schema/thu-tuc.schema.json").read_text(encoding="utf-8"))
    from test_jsonschema import load  # dates kept as text, as the editor's YAML server reads them

    assert [e.message for e in Draft202012Validator(schema).iter_errors(load(path))] == []
