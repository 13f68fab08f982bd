"""Training session plans (``handbook/dao-tao/<id>.yml``): load them and
cross-check every id they name against the procedures' ``dao_tao`` blocks.

Per-procedure training content (objectives, scenarios, quiz questions,
practice dossiers) is validated with the procedure (``validate.py``); this
module checks what spans files: ids unique in the whole handbook, and each
id a session names existing in a procedure the session covers.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from . import model
from .errors import ErrorSink, shown
from .files import content_files
from .located import Context, Reference, item_location, location
from .validate import convert
from .yamlsource import compose, read_text

SESSIONS_DIR = "handbook/dao-tao"


def session_files(root: Path, sink: ErrorSink | None = None) -> list[Path]:
    """The session files; with ``sink``, what is not a regular file there
    (and handbook/dao-tao itself not being a folder) is reported."""
    return content_files(root, SESSIONS_DIR, (".yml",), sink, recursive=False)


def load_sessions(root: Path, sink: ErrorSink, refs: list[Reference]) -> dict[str, model.Session]:
    sessions: dict[str, model.Session] = {}
    for path in session_files(root, sink):
        display = path.relative_to(root).as_posix()
        if not re.match(model.SLUG, path.stem):
            sink.add(display, 1, 1, f"tên tệp '{path.name}' không hợp lệ",
                     "tên tệp là mã của buổi đào tạo: chữ thường không dấu, số và dấu gạch ngang, ví dụ ho-tich-co-ban.yml.")
            continue
        text = read_text(path, display, sink)
        node = compose(text, display, sink) if text is not None else None
        if node is None:
            continue
        session = convert(node, model.Session, Context(display, sink, refs))
        if session is not None:
            session.id, session.path = path.stem, display
            sessions[session.id] = session
    return sessions


@dataclass
class Item:
    """A scenario, quiz question or practice dossier with the procedure it belongs to."""

    kind: str  # "scenarios", "quiz" or "dossiers"
    value: object
    procedure: model.Procedure


# The lists of a procedure's 'dao_tao' whose items a session names by id (attributes of
# model.Training, and of model.AgendaBlock for the ids a block names).
KINDS = ("scenarios", "quiz", "dossiers")


def _name(kind: str) -> str:
    """One item of the kind inside a sentence: 'tình huống', 'câu hỏi', 'hồ sơ thực hành'."""
    return model.item_label_of(model.schema_field(model.Training, kind))


def training_items(procedures) -> dict[tuple[str, str], list[Item]]:
    """(kind, id) → every item written with that id (more than one is an error)."""
    found: dict[tuple[str, str], list[Item]] = {}
    for p in procedures:
        if p.training is None:
            continue
        for kind in KINDS:
            for value in getattr(p.training, kind):
                found.setdefault((kind, value.key), []).append(Item(kind, value, p))
    return found


def check_training(procedures: dict[str, model.Procedure], sessions: dict[str, model.Session], sink: ErrorSink) -> None:
    """Ids are unique in the whole handbook (a session names them without
    the procedure); every id a session names exists, in a procedure the
    session covers, in a block of the right kind."""
    items = training_items(procedures.values())
    for (kind, key), written in items.items():
        for dup in written[1:]:
            first = written[0]
            line, col = location(dup.value, "key")
            fl, _ = location(first.value, "key")
            sink.add(dup.procedure.path, line, col,
                     f"mã {_name(kind)} '{key}' đã dùng ở {first.procedure.path}:{fl}",
                     "mã tình huống, câu hỏi, hồ sơ thực hành phải khác nhau trong cả sổ tay; thêm tên thủ tục vào mã.")
    for s in sessions.values():
        covered = set(s.procedures)
        if not covered <= set(procedures):
            continue  # a covered procedure did not load: its own errors say why
        for block in s.agenda:
            for i, pid in enumerate(block.procedures):
                if pid in procedures and pid not in covered:
                    line, col = item_location(block, "procedures", i)
                    sink.add(s.path, line, col, f"thủ tục '{pid}' không có trong 'thu_tuc' của buổi học",
                             f"thêm '{pid}' vào 'thu_tuc' ở đầu tệp.")
            for kind in KINDS:
                for i, key in enumerate(getattr(block, kind)):
                    line, col = item_location(block, kind, i)
                    written = items.get((kind, key))
                    if not written:
                        sink.add(s.path, line, col, f"không có {_name(kind)} mã '{shown(key)}'",
                                 "" if sink.full(s.path) else _suggest(key, [k for (kd, k) in items if kd == kind], covered, items, kind))
                    elif written[0].procedure.id not in covered:
                        sink.add(s.path, line, col,
                                 f"{_name(kind)} '{key}' thuộc thủ tục '{written[0].procedure.id}', không có trong 'thu_tuc' của buổi học",
                                 f"thêm '{written[0].procedure.id}' vào 'thu_tuc', hoặc chọn {_name(kind)} của thủ tục đã có.")


def _suggest(key: str, known: list[str], covered: set[str], items, kind: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"có phải ý bạn là '{close[0]}'?"
    here = sorted(k for (kd, k), w in items.items() if kd == kind and w[0].procedure.id in covered)
    if here:
        return f"các mã có trong thủ tục của buổi: {', '.join(here[:8])}" + ("…" if len(here) > 8 else "")
    return f"thêm mục '{model.key_of(model.Training, kind)}' trong khối 'dao_tao' của một thủ tục của buổi học."
