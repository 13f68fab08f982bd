"""The repository's own guard rails: the GitHub workflow runs what .ci/run
runs plus the editors' checks; templates, CODEOWNERS, pre-commit and
CONTRIBUTING.md point at things that exist."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github/workflows/kiem-tra.yml"


def ci_command() -> str:
    lines = [line.strip() for line in (REPO / ".ci/run").read_text().splitlines()]
    return next(line.removeprefix("exec ").strip() for line in lines if line.startswith("exec "))


def workflow_steps() -> list[dict]:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def test_workflow_runs_the_ci_command_with_ci_true():
    steps = [s for s in workflow_steps() if s.get("run", "").strip() == ci_command()]
    assert steps, f"no workflow step runs '{ci_command()}'"
    assert steps[0].get("env", {}).get("CI") == "true"


def test_workflow_checks_content_format_diff_build_and_deploys_main():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    runs = " ; ".join(s.get("run", "") for s in workflow_steps())
    for command in ["sotay validate --strict", "sotay fmt --check", "sotay diff", "sotay build"]:
        assert command in runs, command
    assert "GITHUB_STEP_SUMMARY" in runs
    uses = [s.get("uses", "") for s in workflow_steps()]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    deploy = flow["jobs"]["xuat-ban"]
    assert "refs/heads/main" in deploy["if"] and any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    assert {"pull_request", "push"} <= set(flow[True])  # YAML 1.1 reads the key "on" as True


@pytest.mark.parametrize("command", ["validate --strict", "fmt --check", "diff", "new", "stale", "legal impact", "guide", "due"])
def test_commands_named_in_the_docs_exist(run, command):
    assert run(*shlex.split(command), "--help").exit_code == 0, command


def test_contributing_walks_through_every_step():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in ["Sửa trang này", "Báo lỗi nội dung", "Checks", "Tóm tắt thay đổi nội dung", "sotay new",
                   "sotay validate --strict", "sotay fmt", "sotay diff", "make serve", ".vscode", "CODEOWNERS"]:
        assert needle in text, needle


def test_templates_and_codeowners_point_at_real_things():
    forms = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / ".github/ISSUE_TEMPLATE").glob("*.yml")}
    report = forms["bao-loi-noi-dung.yml"]
    assert "thu_tuc" in {field.get("id") for field in report["body"]}  # prefilled by the page's link
    assert {"name", "description", "body"} <= set(forms["de-xuat-thu-tuc-moi.yml"])
    assert "- [ ]" in (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for line in (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path = line.split()[0]
            assert path == "*" or (REPO / path.strip("/")).exists(), path


def test_pre_commit_hooks_call_sotay():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert entries == ["sotay fmt", "sotay validate"]


def test_procedure_pages_link_to_edit_and_report(mini):
    """With a repository configured (repo_url in mkdocs.yml), a procedure
    links to its YAML file and to the content-error form."""
    from generator.site.build import build_site

    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "repo_url: https://example.org/kho", "repo_url: https://github.com/don-vi/so-tay"), encoding="utf-8")
    html = (build_site(mini) / "thu-tuc/ho-tich/dang-ky-ket-hon/index.html").read_text(encoding="utf-8")
    assert 'class="md-source"' in html and "don-vi/so-tay" in html
    assert re.search(r'href="https://github.com/[^"]+/edit/main/procedures/ho-tich/dang-ky-ket-hon.yml"[^>]*>Sửa trang này', html)
    assert re.search(r'href="https://github.com/[^"]+/issues/new\?template=bao-loi-noi-dung.yml&amp;[^"]*thu_tuc=', html)
