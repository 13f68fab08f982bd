"""Training on the shipped handbook: the real sessions and the README's trainer path."""

import html
import re
import shutil
from pathlib import Path

from pypdf import PdfReader

from conftest import CHROMIUM, REPO, require
from generator.cli.edition import edition_for
from generator.content.handbook import load_handbook
from generator.content.inline import plain_text
from generator.site.pdf import chromium_path
from generator.training.pack import build_pack


def visible(html_text: str) -> str:
    """What a reader sees, spacing aside: tags dropped (abbreviation tooltips,
    links), entities decoded."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())


def words(text: str) -> str:
    return "".join(plain_text(text).split())


def test_shipped_training_content(shipped_site):
    """Four sessions or more over 15 procedures or more; on every session the
    trainer's page has every answer and the trainee's page none of them."""
    hb, sink = load_handbook(REPO, edition=edition_for(REPO))  # the edition the shipped site is built in
    assert sink.errors == []
    assert len(hb.sessions) >= 4
    assert len([p for p in hb.procedures.values() if p.training]) >= 15
    for sid, session in hb.sessions.items():
        pack = build_pack(session, hb.procedures)
        assert pack.scenarios and pack.quiz and pack.dossiers, sid
        trainee = visible((shipped_site / f"dao-tao/{sid}/hoc-vien/index.html").read_text(encoding="utf-8"))
        trainer = visible((shipped_site / f"dao-tao/{sid}/index.html").read_text(encoding="utf-8"))
        secrets = [q.value.explanation for q in pack.quiz]
        secrets += [x.description for d in pack.dossiers for x in d.value.defects]
        secrets += [h for s in pack.scenarios for h in [*s.value.handling, *s.value.mistakes]]
        for secret in map(words, secrets):
            assert secret in trainer, (sid, secret)
            assert secret not in trainee, (sid, secret)


def test_readme_trainer_path_from_new_to_printed_pack(tmp_path, monkeypatch, run):
    """The README's trainer section, command by command, on a copy of the shipped handbook."""
    require(chromium_path() is not None and Path(CHROMIUM).exists(), "Chromium", "sudo apt-get install chromium")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Đào tạo", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].split() for line in block.splitlines() if line.startswith(".venv/bin/sotay ")]
    assert [c[1:3] for c in commands] == [["training", "new"], ["training", "pack"], ["training", "pack"]]
    root = tmp_path / "kho"
    for part in ("procedures", "handbook", "schema", "mkdocs.yml"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, root / part)
    monkeypatch.chdir(root)
    for command in commands:
        result = run(*command[1:])
        assert result.exit_code == 0, (command, result.output)
    session_id = commands[0][3]
    hb, sink = load_handbook(root)
    assert sink.errors == []
    pack = build_pack(hb.sessions[session_id], hb.procedures)
    assert pack.session.minutes == 120 and pack.scenarios and pack.dossiers and pack.quiz
    for edition in ("giang-vien", "hoc-vien"):
        pdf = root / f"dao-tao-{session_id}-{edition}.pdf"
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
        starts = [p for p in pages if p.startswith("Tình huống ")]
        assert len(starts) == len(pack.scenarios), edition
