"""What a guided procedure gives the page: its questions, each conditional
item's compiled condition (for the browser) and the condition in words (for
the page without JavaScript, and for print); and the rules a dossier follows
once the answers or the channel are known (``tailored``, ``deadline_for``),
which ``sotay guide`` and ``sotay due`` apply and the page's guide.js applies
again in the browser."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import conditions, model
from ..content.inline import plain_text
from ..content.wording import deadline_text
from . import duedate
from .duedate import WorkCalendar


@dataclass
class Guide:
    procedure: str
    version: str  # changes whenever the procedure file changes
    questions: list[dict] = field(default_factory=list)
    compiled: dict[str, list] = field(default_factory=dict)  # item id → compiled condition
    words: dict[str, str] = field(default_factory=dict)  # item id → "Chỉ khi" text
    due: dict = field(default_factory=dict)  # deadlines and the holiday calendar, for the due-date box
    versions: dict | None = None  # a procedure with dated versions: site/dated.case_data

    def data(self) -> dict:
        """The JSON the page's script reads (from a JSON block, never run)."""
        data = {"id": self.procedure, "version": self.version, "questions": self.questions,
                "conditions": self.compiled, "due": self.due}
        if self.versions:
            data["versions"] = self.versions
            own = self.versions["list"][self.versions["own"]]
            if self.versions["own"]:  # each later version keeps its own cases (its items are not the first's)
                data["store"] = f"{self.procedure}@{own['start']}"
        return data


def deadline_data(d: model.Deadline) -> dict:
    # "text" and "basis": the words `sotay due` opens its explanation with, so
    # the page's day-by-day counting (duedate.js) says exactly the same.
    return {"kind": d.kind, "amount": d.amount, "cutoff": d.cutoff,
            "text": deadline_text(d, counting=True), "basis": duedate.BASIS.get(d.kind, "")}


def calendar_data(holidays: dict[int, model.HolidayYear], province: model.Province | None = None) -> dict:
    """The holiday registry, and the edition's office hours (minutes from
    midnight), as the browser's due-date calculator reads them."""
    calendar = WorkCalendar.from_registry({}, province)
    return {
        "hours": [[a.hour * 60 + a.minute, b.hour * 60 + b.minute] for a, b in calendar.hours],
        "hours_text": calendar.hours_text(),
        "hours_assumed": calendar.hours_of is None,
        "years": sorted(holidays),
        "off": {d.day.isoformat(): d.name for y in holidays.values() for d in y.days_off},
        "make_up": {d.day.isoformat(): d.name for y in holidays.values() for d in y.make_up},
        "unverified": {str(year): y.unverified for year, y in holidays.items() if y.unverified},
        "registry": duedate.REGISTRY,
    }


def due_data(p: model.Procedure, holidays: dict[int, model.HolidayYear], province: model.Province | None = None) -> dict:
    if not holidays or p.deadline.kind == "chua-xac-minh":
        return {}
    channels = [{"kind": c.kind, "label": model.CHANNELS[c.kind], "deadline": deadline_data(c.deadline)}
                for c in p.channels if c.deadline]
    return {"deadline": deadline_data(p.deadline), "channels": channels, "calendar": calendar_data(holidays, province)}


def deadline_for(p: model.Procedure, channel: str | None) -> tuple[model.Deadline, str]:
    """The deadline of a dossier of ``p`` submitted through ``channel`` (a key
    of model.CHANNELS; None when not said), and where it comes from, in words:
    the channel's own deadline when the procedure gives it one, else the
    procedure's.  Raises ValueError, in Vietnamese, when ``p`` does not accept
    that channel.  (The due-date box of the page, guide.js, offers the same
    choice: "Thời hạn chung" or a channel that has its own deadline.)"""
    if not channel:
        return p.deadline, "thời hạn chung của thủ tục"
    offered = {c.kind: c for c in p.channels}
    name = model.CHANNELS.get(channel, channel).lower()
    if channel not in offered:
        raise ValueError(f"thủ tục '{p.id}' không nhận hồ sơ {name}; các cách thức: {', '.join(offered)}")
    if offered[channel].deadline is None:
        return p.deadline, "thời hạn chung của thủ tục"
    return offered[channel].deadline, f"thời hạn riêng của cách thức {name}"


def applies(item: object, answers: dict) -> bool:
    """Whether an item (document, step, checklist item, fee, note) applies to
    a case with these answers: it has no 'chi_khi', or its condition holds."""
    cond = getattr(item, "condition", None)
    return not cond or conditions.evaluate(conditions.compile_condition(cond), answers)


def tailored(p: model.Procedure, answers: dict) -> dict:
    """The dossier, steps (with their checklists), notes and fees that apply
    to a case with these answers (a question not answered leaves out what
    depends on it).  The page's guide.js hides the same items in the browser,
    with the same conditions compiled by ``build_guide``."""
    ids = item_ids(p)
    steps = []
    for s in p.steps:
        if not applies(s, answers):
            continue
        items = [c for c in s.checklist if applies(c, answers)]
        steps.append({"id": ids[id(s)], "name": s.name, "role": s.role,
                      "checklist": [plain_text(c.text if isinstance(c, model.CheckItem) else c) for c in items]})
    return {
        "dossier": [{"id": ids[id(d)], "name": plain_text(d.name), "form": model.DOC_FORMS[d.form], "copies": d.copies}
                    for d in p.dossier if applies(d, answers)],
        "steps": steps,
        "notes": [plain_text(n.text) for n in p.notes if applies(n, answers)],
        "fees": [f.name for f in p.fees if applies(f, answers)],
    }


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


def answer_labels(p: model.Procedure) -> dict[str, dict]:
    """The words of each question's answers, for conditions in words: a
    choice's label by its code; a yes/no question's own answer words (when
    it names them) by True and False."""
    return {q.key: q.answer_words() if q.yes_label and q.no_label else dict(q.choices) for q in p.questions}


def build_guide(p: model.Procedure) -> Guide:
    guide = Guide(procedure=p.id, version=p.version or "0")
    labels = {q.key: q.label for q in p.questions}
    choice_labels = answer_labels(p)
    guide.questions = [
        {"key": q.key, "text": q.text, "label": q.label, "kind": q.kind,
         "choices": [[k, v] for k, v in q.choices.items()], "help": plain_text(q.help) if q.help else "",
         **({"yes": q.answer_words()[True], "no": q.answer_words()[False]} if q.kind == "co-khong" else {})}
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
                               answer_labels(p))


def untailored(p: model.Procedure) -> dict:
    """Every dossier item, step, checklist item, note and fee, each with the
    condition under which it applies in words (None: always)."""
    ids = item_ids(p)

    def when(item) -> str | None:
        cond = getattr(item, "condition", None)
        return condition_words(p, cond) if cond else None

    return {
        "dossier": [{"id": ids[id(d)], "name": plain_text(d.name), "form": model.DOC_FORMS[d.form],
                     "copies": d.copies, "condition": when(d)} for d in p.dossier],
        "steps": [{"id": ids[id(s)], "name": s.name, "role": s.role, "condition": when(s),
                   "checklist": [{"id": ids[id(c)], "text": plain_text(c.text if isinstance(c, model.CheckItem) else c),
                                  "condition": when(c)} for c in s.checklist]}
                  for s in p.steps],
        "notes": [{"id": ids[id(n)], "text": plain_text(n.text), "condition": when(n)} for n in p.notes],
        "fees": [{"id": ids[id(f)], "name": f.name, "condition": when(f)} for f in p.fees],
    }
