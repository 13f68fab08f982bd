"""What a guided procedure gives the page: its questions, each conditional
item's compiled condition (for the browser) and the condition in words (for
the page without JavaScript, and for print)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..content import conditions, model
from ..content.errors import ErrorSink
from ..content.files import read_content
from ..content.inline import plain_text
from ..content.yamlsource import MAX_FILE_BYTES


@dataclass
class Guide:
    procedure: str
    version: str  # changes whenever the procedure file changes
    questions: list[dict] = field(default_factory=list)
    compiled: dict[str, list] = field(default_factory=dict)  # item id → compiled condition
    words: dict[str, str] = field(default_factory=dict)  # item id → "Chỉ khi" text
    due: dict = field(default_factory=dict)  # deadlines and the holiday calendar, for the due-date box

    def data(self) -> dict:
        """The JSON the page's script reads (from a JSON block, never run)."""
        return {"id": self.procedure, "version": self.version, "questions": self.questions,
                "conditions": self.compiled, "due": self.due}


def deadline_data(d: model.Deadline) -> dict:
    return {"kind": d.kind, "amount": d.amount, "cutoff": d.cutoff}


def calendar_data(holidays: dict[int, model.HolidayYear]) -> dict:
    """The holiday registry as the browser's due-date calculator reads it."""
    return {
        "years": sorted(holidays),
        "off": {d.day.isoformat(): d.name for y in holidays.values() for d in y.days_off},
        "make_up": {d.day.isoformat(): d.name for y in holidays.values() for d in y.make_up},
        "unverified": {str(year): y.unverified for year, y in holidays.items() if y.unverified},
    }


def due_data(p: model.Procedure, holidays: dict[int, model.HolidayYear]) -> dict:
    if not holidays or p.deadline.kind == "chua-xac-minh":
        return {}
    channels = [{"kind": c.kind, "label": model.CHANNELS[c.kind], "deadline": deadline_data(c.deadline)}
                for c in p.channels if c.deadline]
    return {"deadline": deadline_data(p.deadline), "channels": channels, "calendar": calendar_data(holidays)}


def item_ids(p: model.Procedure) -> dict[int, str]:
    """Stable ids for the page's items, keyed by the Python object's id():
    hs-N dossier, b-N step, b-N-M checklist item, phi-N fee, ly-N note."""
    ids = {}
    for i, d in enumerate(p.dossier, 1):
        ids[id(d)] = f"hs-{i}"
    for i, s in enumerate(p.steps, 1):
        ids[id(s)] = f"b-{i}"
        for j, c in enumerate(s.checklist, 1):
            ids[id(c)] = f"b-{i}-{j}"
    for i, f in enumerate(p.fees, 1):
        ids[id(f)] = f"phi-{i}"
    for i, n in enumerate(p.notes, 1):
        ids[id(n)] = f"ly-{i}"
    return ids


def build_guide(p: model.Procedure, root: Path) -> Guide:
    source = root / p.path
    data = read_content(source, p.path, ErrorSink(), MAX_FILE_BYTES)  # None: not there, or not a regular file
    version = hashlib.sha256(data).hexdigest()[:12] if data is not None else "0"
    guide = Guide(procedure=p.id, version=version)
    labels = {q.key: q.label for q in p.questions}
    choice_labels = {q.key: dict(q.choices) for q in p.questions}
    guide.questions = [
        {"key": q.key, "text": q.text, "label": q.label, "kind": q.kind,
         "choices": [[k, v] for k, v in q.choices.items()], "help": plain_text(q.help) if q.help else ""}
        for q in p.questions
    ]
    ids = item_ids(p)
    items = [*p.dossier, *p.fees, *p.notes]
    for s in p.steps:
        items.append(s)
        items += [c for c in s.checklist if isinstance(c, model.CheckItem)]
    for item in items:
        if getattr(item, "condition", None):
            compiled = conditions.compile_condition(item.condition)
            guide.compiled[ids[id(item)]] = compiled
            guide.words[ids[id(item)]] = conditions.describe(compiled, labels, choice_labels)
    return guide


def condition_words(p: model.Procedure, condition: model.Condition) -> str:
    """A condition of ``p`` in words ("Trẻ sinh ra ở nước ngoài và …"), for printed checklists."""
    return conditions.describe(conditions.compile_condition(condition), {q.key: q.label for q in p.questions},
                               {q.key: dict(q.choices) for q in p.questions})
