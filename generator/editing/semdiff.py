"""What changed in a procedure between two versions, field by field, in Vietnamese.

``sotay diff`` (``versiondiff.py``) loads each procedure file as it was at
BASE and as it is at HEAD into the typed model; this module compares the two
models, not the text: re-indenting, re-quoting or reordering keys says
nothing, while "the deadline went from 3 to 5 working days" or "step 'Y'
moved up" is said in words an editor reviewing a pull request can check
against the legal text.

A change is a ``Change``: the YAML field (dotted for a part of an item,
``phi.so_tien``), the kind (added, removed, changed, renamed, moved), the item
it concerns, the value before and after as short text, and the sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content import model
from ..content.wording import date_vi, deadline_text, vnd
from ..textutil import fold
from .review import cap

# --- the result ------------------------------------------------------------------------


@dataclass
class Change:
    field: str  # YAML key, dotted for a part of an item: "phi.so_tien", "quy_trinh.kiem_tra"
    kind: str  # added | removed | changed | renamed | moved
    text: str  # the sentence, plain text
    before: str | None = None
    after: str | None = None
    item: str | None = None  # the fee, document, step… concerned

    def to_json(self) -> dict:
        return {"field": self.field, "kind": self.kind, "item": self.item,
                "before": self.before, "after": self.after, "text": self.text}


# --- showing values ---------------------------------------------------------------------

MAX_SHOWN = 100


def _clip(text: str, limit: int = MAX_SHOWN) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: Any, choices: dict[str, str] | None = None) -> str:
    """A value as short readable text."""
    if value is None or value == [] or value == {}:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.date):
        return date_vi(value)
    if isinstance(value, model.Deadline):
        return deadline_text(value)
    if isinstance(value, str) and choices:
        return choices.get(value, value)
    if isinstance(value, list):
        return _clip(", ".join(show(v, choices) for v in value))
    if isinstance(value, dict):
        return _clip(", ".join(f"{k}: {show(v)}" for k, v in value.items()))
    if dataclasses.is_dataclass(value):
        parts = [f"{f.metadata['key']}: {show(getattr(value, f.name), f.metadata.get('choices'))}"
                 for f in model.schema_fields(type(value)) if getattr(value, f.name) not in (None, [], {})]
        return _clip("{" + ", ".join(parts) + "}")
    return _clip(str(value))


def _short(value: Any) -> bool:
    """Fits in a sentence as 'a → b'."""
    if isinstance(value, str):
        return len(value) <= 80 and "\n" not in value.strip()
    return value is None or isinstance(value, (int, dt.date))


def fee_amount(f: model.Fee) -> str:
    if f.local_key:
        return f"theo mức địa phương ({f.local_key})"
    if f.amount is None:
        return "chưa xác minh"
    if f.amount == 0:
        return "miễn phí"
    return vnd(f.amount) + (f"/{f.unit}" if f.unit else "")


def _q(text: str) -> str:
    return f"'{_clip(text, 80)}'"


# Keys are named by their labels in the model (``spec(label=…)``): a procedure's
# key in sentence case at the start of a line, a key inside an item in lower case
# after the item's name, one item of a list by ``model.item_label_of``.
#
# The one exception: a change line names the procedure's deadline in short,
# "Thời hạn: 5 ngày làm việc → 3 ngày làm việc", where the page (and the model)
# say "Thời hạn giải quyết".
_CHANGE_LINE_LABELS = {"deadline": "Thời hạn"}


def _label(f: dataclasses.Field) -> str:
    """How a change line names one of the procedure's keys."""
    return _CHANGE_LINE_LABELS.get(f.name) or f.metadata["label"]


def _sub_label(cls: type, attr: str) -> str:
    """How a change line names a key inside an item, after the item's name."""
    return model.lower_first(model.label_of(cls, attr))


# --- matching items of two lists ---------------------------------------------------------


@dataclass
class ListDiff:
    pairs: list[tuple[int, int]]  # (old index, new index) of the same item, including renamed ones
    renamed: set[tuple[int, int]]
    added: list[int]  # new indices
    removed: list[int]  # old indices
    moved: list[tuple[int, int]]  # pairs whose relative order changed


def match_lists(
    old: list, new: list, key: Callable[[Any], Any], *,
    rename: Callable[[Any, Any], float] | None = None, threshold: float = 0.7,
) -> ListDiff:
    """Pair the items of two lists: same key first (in order, so duplicates
    pair up one to one), then, if ``rename`` scores them, the most similar of
    the rest (an item whose name was edited).  Items whose relative order
    changed are the pairs outside the longest common ordering."""
    by_key: dict[Any, list[int]] = {}
    for i, item in enumerate(old):
        by_key.setdefault(key(item), []).append(i)
    pairs: list[tuple[int, int]] = []
    unmatched_new = []
    for j, item in enumerate(new):
        waiting = by_key.get(key(item))
        if waiting:
            pairs.append((waiting.pop(0), j))
        else:
            unmatched_new.append(j)
    unmatched_old = sorted(i for left in by_key.values() for i in left)
    renamed: set[tuple[int, int]] = set()
    if rename and unmatched_old and unmatched_new:
        scored = sorted(
            ((rename(old[i], new[j]), abs(i - j), i, j) for i in unmatched_old for j in unmatched_new),
            key=lambda t: (-t[0], t[1], t[2], t[3]),
        )
        for score, _, i, j in scored:
            if score < threshold:
                break
            if i in unmatched_old and j in unmatched_new:
                unmatched_old.remove(i)
                unmatched_new.remove(j)
                pairs.append((i, j))
                renamed.add((i, j))
    in_old = sorted(pairs)
    in_new = sorted(pairs, key=lambda p: p[1])
    blocks = difflib.SequenceMatcher(None, in_old, in_new, autojunk=False).get_matching_blocks()
    kept = {in_old[b.a + k] for b in blocks for k in range(b.size)}
    moved = sorted((p for p in pairs if p not in kept), key=lambda p: p[1])
    return ListDiff(sorted(pairs, key=lambda p: p[1]), renamed, unmatched_new, unmatched_old, moved)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


def _position(name: str, i: int, j: int) -> str:
    if j < i:
        return f"{name} chuyển từ vị trí {i + 1} lên {j + 1}"
    if j > i:
        return f"{name} chuyển từ vị trí {i + 1} xuống {j + 1}"
    return f"{name} đổi thứ tự (vẫn ở vị trí {j + 1})"


# --- comparing items ---------------------------------------------------------------------


def _text_list_changes(old: list, new: list, path: str, item: str | None, prefix: str, noun: str,
                       choices: dict[str, str] | None = None, text: Callable[[Any], str] = str) -> list[Change]:
    """Changes between two lists of texts: added, removed, edited (similar), moved."""
    d = match_lists(old, new, text, rename=lambda a, b: _similar(text(a), text(b)), threshold=0.75)
    out = []
    for i, j in d.pairs:
        if (i, j) in d.renamed:
            a, b = show(text(old[i]), choices), show(text(new[j]), choices)
            out.append(Change(path, "changed", f"{prefix}sửa {noun}: '{a}' → '{b}'", a, b, item))
    for j in d.added:
        b = show(text(new[j]), choices)
        out.append(Change(path, "added", f"{prefix}thêm {noun}: {b}", None, b, item))
    for i in d.removed:
        a = show(text(old[i]), choices)
        out.append(Change(path, "removed", f"{prefix}bỏ {noun}: {a}", a, None, item))
    for i, j in d.moved:
        name = show(text(new[j]), choices)
        out.append(Change(path, "moved", prefix + _position(f"{noun} '{name}'", i, j), str(i + 1), str(j + 1), item))
    return out


def item_changes(old: Any, new: Any, path: str, item: str | None, prefix: str,
                 skip: tuple[str, ...] = ()) -> list[Change]:
    """Field by field changes inside one item (a fee, a step…): 'a → b' for
    short values, items added and removed for lists of texts, 'sửa' otherwise."""
    out: list[Change] = []
    for f in model.schema_fields(type(new)):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a == b or f.name in skip:
            continue
        key = f.metadata["key"]
        label = model.lower_first(f.metadata["label"])
        where = f"{path}.{key}"
        choices = f.metadata.get("choices")
        texts = all(isinstance(v, str) for v in (a or []) + (b or [])) if isinstance(a or b, list) else False
        if texts and (a or b):
            out += _text_list_changes(a or [], b or [], where, item, prefix, model.item_label_of(f), choices)
        elif isinstance(a, model.Deadline) or isinstance(b, model.Deadline):
            before = show(a) if a else "(theo thời hạn chung)"
            after = show(b) if b else "(theo thời hạn chung)"
            text = f"{prefix}{label}: {before} → {after}" if before != after else f"{prefix}sửa {label}"
            out.append(Change(where, "changed", text, before, after, item))
        elif _short(a) and _short(b):
            before, after = show(a, choices), show(b, choices)
            out.append(Change(where, "changed", f"{prefix}{label}: {before} → {after}", before, after, item))
        else:
            out.append(Change(where, "changed", f"{prefix}sửa {label}", show(a), show(b), item))
    return out


@dataclass
class ListSpec:
    """How to talk about the items of one list field of the procedure."""

    key: Callable[[Any], Any]  # what identifies an item
    name: Callable[[Any], str]  # how it is named in a sentence
    noun: Callable[[Any], str] | None = None  # "lệ phí" for this item; default: the field's item label ("giấy tờ")
    rename_field: str | None = None  # the attribute that may be edited while the item stays the same
    renamed_verb: str = "đổi tên"  # "đổi tên bước 'a' thành 'b'"; texts use "sửa"
    added_suffix: Callable[[Any], str] = lambda x: ""
    added: str = "Thêm {noun}: {name}"
    removed: str = "Bỏ {noun}: {name}"
    details: Callable[[Any, Any, str, str, str], list[Change]] | None = None
    shown: Callable[[Any], str] | None = None  # how an added or removed item is named, if not by ``name``


def _fee_details(a: model.Fee, b: model.Fee, path: str, item: str, prefix: str) -> list[Change]:
    out = []
    before, after = fee_amount(a), fee_amount(b)
    if before != after:
        out.append(Change(f"{path}.so_tien", "changed", f"{prefix}{before} → {after}", before, after, item))
    return out + item_changes(a, b, path, item, prefix, skip=("name", "amount", "unit", "local_key"))


def _check_text(c: Any) -> str:
    return c.text if isinstance(c, model.CheckItem) else str(c)


def _check_shown(c: Any) -> str:
    return f"{c.text} (khi {c.condition})" if isinstance(c, model.CheckItem) else str(c)


def _step_details(a: model.Step, b: model.Step, path: str, item: str, prefix: str) -> list[Change]:
    out: list[Change] = []
    if a.checklist != b.checklist:
        where = f"{path}.{model.key_of(model.Step, 'checklist')}"
        noun = model.item_label_of(model.schema_field(model.Step, "checklist"))  # "việc kiểm tra"
        task = _sub_label(model.CheckItem, "text")  # "việc"
        condition = _sub_label(model.CheckItem, "condition")
        d = match_lists(a.checklist, b.checklist, _check_text,
                        rename=lambda x, y: _similar(_check_text(x), _check_text(y)), threshold=0.75)
        for i, j in d.pairs:
            x, y = a.checklist[i], b.checklist[j]
            if (i, j) in d.renamed:
                out.append(Change(where, "changed", f"{prefix}sửa {noun}: '{show(_check_shown(x))}' → "
                                  f"'{show(_check_shown(y))}'", show(_check_shown(x)), show(_check_shown(y)), item))
            elif x != y:
                before = getattr(x, "condition", None)
                after = getattr(y, "condition", None)
                out.append(Change(f"{where}.{model.key_of(model.CheckItem, 'condition')}", "changed",
                                  f"{prefix}{task} {_q(_check_text(y))}: {condition}: {show(before)} → {show(after)}",
                                  show(before), show(after), item))
        for j in d.added:
            shown = show(_check_shown(b.checklist[j]))
            out.append(Change(where, "added", f"{prefix}thêm {noun}: {shown}", None, shown, item))
        for i in d.removed:
            shown = show(_check_shown(a.checklist[i]))
            out.append(Change(where, "removed", f"{prefix}bỏ {noun}: {shown}", shown, None, item))
        for i, j in d.moved:
            out.append(Change(where, "moved", prefix + _position(f"{task} {_q(_check_text(b.checklist[j]))}", i, j),
                              str(i + 1), str(j + 1), item))
    return out + item_changes(a, b, path, item, prefix, skip=("name", "checklist"))


def _legal_name(r: model.LegalRef) -> str:
    return r.document + (f" ({r.article})" if r.article else "")


LISTS: dict[str, ListSpec] = {
    "channels": ListSpec(lambda c: c.kind, lambda c: model.CHANNELS.get(c.kind, c.kind)),
    "dossier": ListSpec(lambda d: d.name, lambda d: d.name, rename_field="name"),
    "fees": ListSpec(lambda f: f.name, lambda f: f.name, noun=lambda f: model.FEE_KINDS.get(f.kind, "phí").lower(),
                     rename_field="name", added_suffix=lambda f: f" ({fee_amount(f)})", details=_fee_details),
    "steps": ListSpec(lambda s: s.name, lambda s: s.name, rename_field="name", details=_step_details),
    "legal_basis": ListSpec(lambda r: r.document, lambda r: r.document, shown=_legal_name,
                            added="{noun}: thêm {name}", removed="{noun}: bỏ {name}"),
    "questions": ListSpec(lambda q: q.key, lambda q: q.text, rename_field="key", renamed_verb="đổi mã"),
    "notes": ListSpec(lambda n: n.text, lambda n: n.text, rename_field="text", renamed_verb="sửa"),
    "sources": ListSpec(lambda s: s.title, lambda s: s.title, rename_field="title"),
    "unverified": ListSpec(lambda v: v.field_key, lambda v: f"{v.field_key}: {v.reason}"),
}


def _rename_score(spec: ListSpec) -> Callable[[Any, Any], float] | None:
    if spec.rename_field is None:
        return None
    attr = spec.rename_field

    def score(a: Any, b: Any) -> float:
        if dataclasses.replace(a, **{attr: getattr(b, attr)}) == b:
            return 1.0  # only the name differs
        return _similar(str(getattr(a, attr)), str(getattr(b, attr)))

    return score


def _keyed_list_changes(old: list, new: list, f: dataclasses.Field, spec: ListSpec) -> list[Change]:
    key = f.metadata["key"]
    noun_of = spec.noun or (lambda item: model.item_label_of(f))
    d = match_lists(old, new, spec.key, rename=_rename_score(spec), threshold=0.7)
    out: list[Change] = []
    for i, j in d.pairs:
        a, b = old[i], new[j]
        if a == b:
            continue
        name = spec.name(b)
        noun = noun_of(b)
        if (i, j) in d.renamed:
            before, after = show(spec.name(a)), show(name)
            verb = spec.renamed_verb
            text = f"{cap(verb)} {noun} '{before}' thành '{after}'"
            if verb == "sửa":
                text = f"Sửa {noun}: '{before}' → '{after}'"
            out.append(Change(f"{key}.{_yaml_key(type(b), spec.rename_field)}", "renamed", text, before, after, name))
        prefix = f"{cap(noun)} {_q(name)}: "
        details = (spec.details or (lambda x, y, p, it, pre: item_changes(x, y, p, it, pre)))
        skip_renamed = [c for c in details(a, b, key, name, prefix)
                        if not ((i, j) in d.renamed and c.field == f"{key}.{_yaml_key(type(b), spec.rename_field)}")]
        out += skip_renamed
    for j in d.added:
        b = new[j]
        shown = show((spec.shown or spec.name)(b))
        text = spec.added.format(noun=noun_of(b), name=shown) + spec.added_suffix(b)
        out.append(Change(key, "added", cap(text), None, shown, spec.name(b)))
    for i in d.removed:
        a = old[i]
        shown = show((spec.shown or spec.name)(a))
        out.append(Change(key, "removed", cap(spec.removed.format(noun=noun_of(a), name=shown)), shown, None,
                          spec.name(a)))
    for i, j in d.moved:
        b = new[j]
        text = _position(f"{cap(noun_of(b))} {_q(spec.name(b))}", i, j)
        out.append(Change(key, "moved", text, str(i + 1), str(j + 1), spec.name(b)))
    return out


def _yaml_key(cls: type, attr: str | None) -> str:
    for f in model.schema_fields(cls):
        if f.name == attr:
            return f.metadata["key"]
    return attr or ""


def procedure_changes(old: model.Procedure, new: model.Procedure) -> list[Change]:
    """Every difference between two versions of a procedure, in the order of
    the schema (title, …, deadline, dossier, steps, legal basis…)."""
    out: list[Change] = []
    for f in model.schema_fields(model.Procedure):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a == b or f.name == "versions":  # versions: versiondiff.version_changes, version by version
            continue
        key, label = f.metadata["key"], _label(f)
        choices = f.metadata.get("choices")
        if f.name == "deadline":
            before, after = deadline_text(a), deadline_text(b)
            if before != after:
                out.append(Change(key, "changed", f"{label}: {before} → {after}", before, after))
            out += item_changes(a, b, key, None, f"{label}: ", skip=("kind", "amount", "cutoff"))
        elif f.name in LISTS and isinstance(a, list) and isinstance(b, list):
            out += _keyed_list_changes(a, b, f, LISTS[f.name])
        elif isinstance(a, list) and isinstance(b, list) and all(isinstance(v, str) for v in a + b):
            changes = _text_list_changes(a, b, key, None, "", model.item_label_of(f), choices)
            for c in changes:
                c.text = cap(c.text)
            out += changes
        elif _short(a) and _short(b):
            before, after = show(a, choices), show(b, choices)
            out.append(Change(key, "changed", f"{label}: {before} → {after}", before, after))
        else:
            out.append(Change(key, "changed", f"{label}: đã sửa", show(a), show(b)))
    return out
