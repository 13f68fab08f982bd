"""Turn YAML nodes into typed model objects, checking them against the schema.

The schema is read from the dataclass declarations in ``model.py``; every
problem is recorded in an ``ErrorSink`` with the position of the offending
node, so one run reports every error in every file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import urls
from . import conditions, model
from .inline import LINK as INLINE_LINK
from .errors import ErrorSink, shown

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "giá trị đúng/sai",
    "tag:yaml.org,2002:int": "số nguyên",
    "tag:yaml.org,2002:float": "số thập phân",
    "tag:yaml.org,2002:timestamp": "ngày tháng",
    _NULL_TAG: "giá trị rỗng",
}
_FORM_FILE = re.compile(r"^mau/([a-z0-9]+(-[a-z0-9]+)*/)*[a-z0-9]+(-[a-z0-9]+)*\.(pdf|docx?|odt)$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Integers in content are amounts, days, counts, positions: a dozen digits is
# plenty; more is a slip (or an attempt to make int() slow or refuse).
MAX_INT_DIGITS = 15
_URL = re.compile(r"^(https?://[^\s<>\"']+|mailto:[^\s<>\"']+|tel:[+0-9 .\-()]+)$", re.IGNORECASE)


@dataclass
class Reference:
    """A value that must exist in a registry, checked once all are loaded."""

    kind: str
    value: str
    path: str
    line: int
    column: int


@dataclass
class Context:
    path: str
    sink: ErrorSink
    references: list[Reference] = field(default_factory=list)

    def error(self, node: Node, message: str, hint: str = "") -> None:
        m = node.start_mark
        self.sink.add(self.path, m.line + 1, m.column + 1, message, hint)


def location(obj: Any, attr: str | None = None) -> tuple[int, int]:
    """Line and column (1-based) where ``obj`` or its ``attr`` was written."""
    locs = getattr(obj, "_locs", {})
    return locs.get(attr, locs.get(None, (1, 1)))


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG and node.style is None


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "một khối khóa: giá trị"
    if isinstance(node, SequenceNode):
        return "một danh sách"
    if node.style is None and node.tag in _TYPE_NAMES:
        return _TYPE_NAMES[node.tag]
    return "một chuỗi"


def convert(node: Node, tp: Any, ctx: Context, meta: dict | None = None) -> Any:
    """Convert ``node`` to type ``tp``; on error record it and return None."""
    meta = meta or {}
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if _is_null(node) and len(inner) < len(typing.get_args(tp)):
            return None  # optional: empty means absent
        if len(inner) > 1:  # text or a block of keys (e.g. a checklist item with a condition)
            objects = [a for a in inner if dataclasses.is_dataclass(a)]
            texts = [a for a in inner if not dataclasses.is_dataclass(a)]
            return convert(node, (objects if isinstance(node, MappingNode) and objects else texts or objects)[0], ctx, meta)
        return convert(node, inner[0], ctx, meta)
    if dataclasses.is_dataclass(tp):
        return _convert_object(node, tp, ctx)
    if origin is list:
        return _convert_list(node, typing.get_args(tp)[0], ctx, meta)
    if origin is dict:
        return _convert_dict(node, typing.get_args(tp)[1], ctx, meta)
    if tp is int:
        return _convert_int(node, ctx, meta)
    if tp is dt.date:
        return _convert_date(node, ctx)
    if tp is bool:
        return _convert_bool(node, ctx)
    return _convert_text(node, tp, ctx, meta)


def _convert_object(node: Node, cls: type, ctx: Context) -> Any:
    if not isinstance(node, MappingNode):
        ctx.error(node, f"cần một khối khóa: giá trị ({cls.__doc__.strip().rstrip('.')}), nhưng gặp {_describe(node)}")
        return None
    fields = {f.metadata["key"]: f for f in model.schema_fields(cls)}
    values: dict[str, Any] = {}
    locs: dict[str | None, tuple[int, int]] = {None: (node.start_mark.line + 1, node.start_mark.column + 1)}
    ok = True
    suggested: set[str] = set()  # a misspelt key is not also reported as missing
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        f = fields.get(key) if isinstance(key, str) else None
        if f is None:
            close = [] if ctx.sink.full(ctx.path) else difflib.get_close_matches(str(key)[:100], list(fields), n=1, cutoff=0.6)
            hint = f"có phải ý bạn là '{close[0]}'?" if close else "các khóa hợp lệ: " + ", ".join(fields)
            suggested.update(close)
            ctx.error(key_node, f"khóa không hợp lệ '{shown(str(key))}'", hint)
            ok = False
            continue
        locs[f.name] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        before = len(ctx.sink.errors)
        value = convert(value_node, type_hints(cls)[f.name], ctx, dict(f.metadata))
        if len(ctx.sink.errors) > before:
            ok = False
        values[f.name] = value
    for key, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in values and key not in suggested:
            ctx.error(node, f"thiếu khóa bắt buộc '{key}' ({f.metadata['doc'].rstrip('.')})",
                      f"thêm dòng '{key}: …'" + (f", ví dụ: {f.metadata['example']!r}" if f.metadata.get("example") is not None else ""))
            ok = False
    if not ok:
        return None
    obj = cls(**values)
    obj.__dict__["_locs"] = locs
    check = _CHECKS.get(cls)
    if check:
        check(obj, node, ctx)
    return obj


_HINTS_CACHE: dict[type, dict[str, Any]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS_CACHE:
        _HINTS_CACHE[cls] = typing.get_type_hints(cls, vars(model))
    return _HINTS_CACHE[cls]


def _convert_list(node: Node, item_tp: Any, ctx: Context, meta: dict) -> list | None:
    if not isinstance(node, SequenceNode):
        if _is_null(node):
            if meta.get("min_items"):
                ctx.error(node, f"danh sách '{meta.get('key')}' cần ít nhất {meta['min_items']} mục",
                          "viết mỗi mục trên một dòng bắt đầu bằng '- '.")
                return None
            return []
        ctx.error(node, f"cần một danh sách, nhưng gặp {_describe(node)}",
                  "viết mỗi mục trên một dòng bắt đầu bằng '- ', hoặc [mục 1, mục 2].")
        return None
    minimum = meta.get("min_items") or 0
    if len(node.value) < minimum:
        ctx.error(node, f"danh sách '{meta.get('key')}' cần ít nhất {minimum} mục")
    if _too_many(node, meta, ctx):
        return None
    item_meta = {k: meta.get(k) for k in ("choices", "ref", "minimum", "maximum", "key")}
    items = ItemList(convert(child, item_tp, ctx, item_meta) for child in node.value)
    items.positions = [(child.start_mark.line + 1, child.start_mark.column + 1) for child in node.value]
    return items


class ItemList(list):
    """A list read from YAML that remembers where each item was written."""

    positions: list[tuple[int, int]] = []


def item_location(obj: Any, attr: str, index: int) -> tuple[int, int]:
    """Line and column of item ``index`` of the list ``obj.attr``."""
    positions = getattr(getattr(obj, attr), "positions", [])
    return positions[index] if index < len(positions) else location(obj, attr)


def _too_many(node: SequenceNode | MappingNode, meta: dict, ctx: Context) -> bool:
    """More entries than ``max_items``: the error is at the first one too many."""
    maximum = meta.get("max_items")
    if maximum is None or len(node.value) <= maximum:
        return False
    extra = node.value[maximum]
    ctx.error(extra[0] if isinstance(extra, tuple) else extra,
              f"'{meta.get('key')}' có {len(node.value)} mục, tối đa {maximum}: mục này là mục thứ {maximum + 1}",
              "bớt các mục thừa; nội dung cần nhiều hơn thì tách thành nhiều mục, câu hỏi hoặc thủ tục.")
    return True


def _convert_dict(node: Node, value_tp: Any, ctx: Context, meta: dict) -> dict | None:
    if not isinstance(node, MappingNode):
        if _is_null(node):
            return {}
        ctx.error(node, f"cần một khối khóa: giá trị, nhưng gặp {_describe(node)}")
        return None
    if _too_many(node, meta, ctx):
        return None
    result = {}
    for key_node, value_node in node.value:
        key = _convert_text(key_node, str, ctx, {})
        if key is not None:
            result[key] = convert(value_node, value_tp, ctx, {})
    return result


def _convert_int(node: Node, ctx: Context, meta: dict) -> int | None:
    if not isinstance(node, ScalarNode) or node.style is not None or node.tag != "tag:yaml.org,2002:int":
        ctx.error(node, f"'{meta.get('key')}' cần một số nguyên, nhưng gặp {_describe(node)}",
                  "viết số không có dấu nháy, không dấu chấm phân cách hàng nghìn (ví dụ: 8000).")
        return None
    digits = node.value.replace("_", "").lstrip("+-")
    if len(digits) > MAX_INT_DIGITS:  # before int(): a long digit string is slow to convert, or refused
        ctx.error(node, f"'{meta.get('key')}' có số quá dài ({len(digits)} chữ số, tối đa {MAX_INT_DIGITS})",
                  "số trong nội dung là số tiền, số ngày, số lượng: viết đúng số, không thêm chữ số thừa.")
        return None
    try:
        value = int(node.value.replace("_", ""), 10)
    except ValueError:
        ctx.error(node, f"'{shown(node.value)}' không phải số nguyên thập phân", "viết số như 8000.")
        return None
    lo, hi = meta.get("minimum"), meta.get("maximum")
    if lo is not None and value < lo:
        ctx.error(node, f"'{meta.get('key')}' không được nhỏ hơn {lo} (đang là {value})")
        return None
    if hi is not None and value > hi:
        ctx.error(node, f"'{meta.get('key')}' không được lớn hơn {hi} (đang là {value})")
        return None
    return value


def _convert_bool(node: Node, ctx: Context) -> bool | None:
    if isinstance(node, ScalarNode) and node.style is None and node.value in ("true", "false"):
        return node.value == "true"
    ctx.error(node, f"cần true hoặc false, nhưng gặp '{getattr(node, 'value', '')}'",
              "chỉ dùng true hoặc false (không dùng yes/no/on/off).")
    return None


def _convert_date(node: Node, ctx: Context) -> dt.date | None:
    if not isinstance(node, ScalarNode):
        ctx.error(node, f"cần ngày tháng dạng YYYY-MM-DD, nhưng gặp {_describe(node)}")
        return None
    text = node.value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        ctx.error(node, f"ngày '{text}' không đúng dạng YYYY-MM-DD", "ví dụ: 2025-07-01.")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        ctx.error(node, f"ngày '{text}' không tồn tại", "kiểm tra lại ngày và tháng.")
        return None


def _convert_text(node: Node, tp: Any, ctx: Context, meta: dict) -> str | None:
    key = meta.get("key")
    if not isinstance(node, ScalarNode):
        hint = ""
        if isinstance(node, MappingNode) and len(node.value) == 1:
            hint = "nếu đây là một câu có dấu hai chấm (:), hãy đặt cả câu trong dấu nháy kép."
        ctx.error(node, (f"'{key}' cần một chuỗi" if key else "cần một chuỗi") + f", nhưng gặp {_describe(node)}", hint)
        return None
    if node.style is None and node.tag != _STR_TAG:
        what = _TYPE_NAMES.get(node.tag, "giá trị khác")
        ctx.error(node, f"'{shown(node.value)}' được YAML hiểu là {what}, nhưng ở đây cần một chuỗi",
                  f"đặt trong dấu nháy kép: \"{shown(node.value)}\".")
        return None
    value = node.value.strip()
    if not value:
        ctx.error(node, f"'{key}' không được để trống" if key else "giá trị không được để trống")
        return None
    choices = meta.get("choices")
    if choices and value not in choices:
        close = [] if ctx.sink.full(ctx.path) else difflib.get_close_matches(value[:100], list(choices), n=1, cutoff=0.5)
        hint = (f"có phải ý bạn là '{close[0]}'? " if close else "") + "giá trị hợp lệ: " + ", ".join(choices)
        ctx.error(node, f"giá trị '{shown(value)}' không hợp lệ cho '{key}'", hint)
        return None
    if tp is model.Url and not _URL.match(value):
        ctx.error(node, f"đường dẫn '{shown(value)}' không hợp lệ",
                  "chỉ dùng liên kết http(s)://, mailto: hoặc tel:.")
        return None
    if tp is model.Condition:
        quoted = 1 if node.style in ('"', "'") else 0
        condition = model.Condition(value)
        m = node.start_mark
        condition.line, condition.column = m.line + 1, m.column + 1 + quoted
        try:
            condition.tree = conditions.parse(value)
        except conditions.ConditionError as err:
            ctx.sink.add(ctx.path, condition.line, condition.column + err.offset, f"điều kiện: {err.message}", err.hint)
            return None
        return condition
    if tp is model.FormFile:
        if not _FORM_FILE.match(value) or ".." in value.split("/"):
            ctx.error(node, f"tệp mẫu '{shown(value)}' không hợp lệ",
                      "ghi đường dẫn trong thư mục handbook/mau/, chữ thường không dấu, ví dụ mau/to-khai-khai-sinh.docx "
                      "(chỉ nhận .pdf, .doc, .docx, .odt).")
            return None
        m = node.start_mark
        ctx.references.append(Reference("form_file", value, ctx.path, m.line + 1, m.column + 1))
    if tp is model.Time and not _TIME.match(value):
        ctx.error(node, f"giờ '{shown(value)}' không đúng dạng HH:MM", "ví dụ: \"15:00\".")
        return None
    if meta.get("ref"):
        m = node.start_mark
        ctx.references.append(Reference(meta["ref"], value, ctx.path, m.line + 1, m.column + 1))
    if tp is model.Inline and not _check_links(value, node, ctx):
        return None
    return tp(value) if tp in (model.Inline, model.Url, model.Time, model.FormFile) else value


_EXTERNAL = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
_INTERNAL = re.compile(r"^/(?!/)[a-z0-9\-/]*(#[\w\-]+)?$")


def _check_links(value: str, node: Node, ctx: Context) -> bool:
    """Links in inline markup go to the web, mail, phone, or a page of the
    handbook written from its root ("/thu-tuc/ho-tich/…/"); nothing that
    climbs out of the site ("..") and nothing that is not there."""
    ok = True
    m = node.start_mark
    for target in INLINE_LINK.findall(value):
        target = target[1]
        if _EXTERNAL.match(target):
            continue
        if not _INTERNAL.match(target) or "/../" in target + "/":
            ctx.error(node, f"liên kết '{shown(target)}' không được phép",
                      "chỉ dùng http(s)://, mailto:, tel: hoặc trang trong sổ tay viết từ gốc, "
                      f"ví dụ [Đăng ký khai sinh]({urls.link(urls.procedure('ho-tich', 'dang-ky-khai-sinh'))}).")
            ok = False
            continue
        page = target.split("#", 1)[0].rstrip("/") + "/"
        ctx.references.append(Reference("page", page, ctx.path, m.line + 1, m.column + 1))
    return ok


# --- rules that span several fields of one object ------------------------------


def _check_deadline(d: model.Deadline, node: Node, ctx: Context) -> None:
    counted = d.kind not in ("trong-ngay", "chua-xac-minh")  # kinds that need a number
    if counted and d.amount is None:
        ctx.error(node, f"thời hạn '{d.kind}' cần khóa 'so' (số ngày hoặc giờ)", "thêm ví dụ 'so: 3'.")
    if not counted and d.amount is not None:
        ctx.error(node, f"thời hạn '{d.kind}' không dùng khóa 'so'", "xóa 'so' hoặc đổi 'loai'.")
    if d.cutoff is not None and d.kind != "trong-ngay":
        ctx.error(node, "'gio_cat' chỉ dùng với thời hạn 'trong-ngay'")


def _check_channel(c: model.Channel, node: Node, ctx: Context) -> None:
    if c.kind == "truc-tuyen" and not c.portal:
        ctx.error(node, "cách thức trực tuyến cần 'cong_truc_tuyen' (đường dẫn cổng dịch vụ công)",
                  "ví dụ: cong_truc_tuyen: https://dichvucong.gov.vn")


def _check_fee(f: model.Fee, node: Node, ctx: Context) -> None:
    if f.amount is not None and f.local_key:
        ctx.error(node, "khoản thu có cả 'so_tien' và 'theo_dia_phuong'",
                  "mức do HĐND tỉnh quyết định thì chỉ ghi 'theo_dia_phuong'.")


def _check_procedure(p: model.Procedure, node: Node, ctx: Context) -> None:
    keys = {f.metadata["key"] for f in model.schema_fields(model.Procedure)} | {model.WHOLE_PROCEDURE}
    for v in p.unverified:
        if v.field_key not in keys:
            line, col = location(v)
            close = difflib.get_close_matches(v.field_key, sorted(keys), n=1)
            ctx.sink.add(ctx.path, line, col, f"'truong: {v.field_key}' không phải một khóa của thủ tục",
                         f"có phải ý bạn là '{close[0]}'?" if close else "dùng một khóa như phi, thoi_han, ma_thu_tuc.")
    _check_questions(p, ctx)
    seen: set[str] = set()
    for i, step in enumerate(p.steps):
        if step.name in seen:
            line, col = location(step)
            ctx.sink.add(ctx.path, line, col, f"bước '{step.name}' bị trùng tên", "đặt tên khác cho mỗi bước.")
        seen.add(step.name)


_QUESTION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def all_conditions(p: model.Procedure) -> list[model.Condition]:
    """Every condition written in a procedure, in file order."""
    found = [d.condition for d in p.dossier] + [f.condition for f in p.fees]
    for step in p.steps:
        found.append(step.condition)
        found += [c.condition for c in step.checklist if isinstance(c, model.CheckItem)]
    found += [n.condition for n in p.notes]
    return [c for c in found if c]


def question_infos(p: model.Procedure) -> dict[str, conditions.QuestionInfo]:
    return {q.key: conditions.QuestionInfo(q.kind, tuple(q.choices)) for q in p.questions}


def _check_questions(p: model.Procedure, ctx: Context) -> None:
    seen: set[str] = set()
    for q in p.questions:
        line, col = location(q, "key")
        if not _QUESTION_KEY.match(q.key):
            ctx.sink.add(ctx.path, line, col, f"mã câu hỏi '{q.key}' không hợp lệ",
                         "chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ, ví dụ sinh_o_nuoc_ngoai.")
        elif q.key in seen or q.key in conditions.KEYWORDS:
            ctx.sink.add(ctx.path, line, col, f"mã câu hỏi '{q.key}' bị trùng hoặc là từ khóa", "đặt mã khác.")
        seen.add(q.key)
        if (q.kind == "mot-lua-chon") != bool(q.choices):
            line, col = location(q, "kind")
            ctx.sink.add(ctx.path, line, col, "chỉ câu hỏi kiểu 'mot-lua-chon' mới có 'lua_chon', và phải có ít nhất hai lựa chọn"
                         if q.kind != "mot-lua-chon" else "câu hỏi kiểu 'mot-lua-chon' cần 'lua_chon'",
                         "ví dụ lua_chon: {cha: Cha, me: Mẹ}.")
        elif q.kind == "mot-lua-chon" and len(q.choices) < 2:
            ctx.sink.add(ctx.path, line, col, "câu hỏi 'mot-lua-chon' cần ít nhất hai lựa chọn")
    infos = question_infos(p)
    budget = conditions.CheckBudget()
    for c in all_conditions(p):
        try:
            conditions.check(c.tree or conditions.parse(c), infos, budget)
        except conditions.CheckSkipped as skipped:
            ctx.sink.warn(ctx.path, c.line, c.column + skipped.offset, f"điều kiện: {skipped.message}", skipped.hint)
        except conditions.ConditionError as err:
            ctx.sink.add(ctx.path, c.line, c.column + err.offset, f"điều kiện: {err.message}", err.hint)
    if p.questions and not all_conditions(p):
        line, col = location(p, "questions")
        ctx.sink.add(ctx.path, line, col, "có câu hỏi nhưng không mục nào dùng 'chi_khi'",
                     "thêm 'chi_khi' vào giấy tờ, bước, việc kiểm tra, lệ phí hoặc lưu ý mà câu trả lời quyết định.")


_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _check_holiday_year(y: model.HolidayYear, node: Node, ctx: Context) -> None:
    """A make-up day is a Saturday or Sunday, and no day is written twice (the
    year each day belongs to is checked by the loader, which knows the key)."""
    seen: dict[dt.date, str] = {}
    for key, days in (("nghi", y.days_off), ("lam_bu", y.make_up)):
        for d in days:
            if d is None:
                continue
            line, col = location(d, "day")
            if d.day in seen:
                ctx.sink.add(ctx.path, line, col, f"ngày {d.day.isoformat()} bị ghi hai lần (đã có trong '{seen[d.day]}')",
                             "mỗi ngày chỉ ghi một lần: hoặc là ngày nghỉ (nghi), hoặc là ngày làm bù (lam_bu).")
                continue
            seen[d.day] = key
            if key == "lam_bu" and d.day.weekday() < 5:
                ctx.sink.add(ctx.path, line, col,
                             f"ngày làm bù {d.day.isoformat()} là {_WEEKDAYS[d.day.weekday()]}, không phải thứ Bảy hay Chủ nhật",
                             "lam_bu chỉ ghi thứ Bảy, Chủ nhật trở thành ngày làm việc; ngày thường được nghỉ thì ghi vào nghi.")


def _check_triage_option(o: model.TriageOption, node: Node, ctx: Context) -> None:
    if (o.next is None) == (o.procedure is None):
        ctx.error(node, f"lựa chọn '{o.label}' cần đúng một trong hai: 'tiep' (câu hỏi tiếp) hoặc 'den' (thủ tục)")
    if o.answers and o.procedure is None:
        ctx.error(node, f"lựa chọn '{o.label}' có 'tra_loi' nhưng không dẫn tới thủ tục nào", "thêm 'den' hoặc bỏ 'tra_loi'.")


_TRAINING_ID = re.compile(model.SLUG)
_LETTERS = model.QUIZ_LETTERS


def _check_training_key(obj: Any, ctx: Context, kind: str) -> None:
    """``kind``: the list of model.Training the object belongs to."""
    what = model.item_label_of(model.schema_field(model.Training, kind))
    if not _TRAINING_ID.match(obj.key):
        line, col = location(obj, "key")
        ctx.sink.add(ctx.path, line, col, f"mã {what} '{obj.key}' không hợp lệ",
                     "chữ thường không dấu, số và dấu gạch ngang, ví dụ khai-sinh-qua-han.")


def _check_scenario(s: model.Scenario, node: Node, ctx: Context) -> None:
    _check_training_key(s, ctx, "scenarios")


def _check_quiz_question(q: model.QuizQuestion, node: Node, ctx: Context) -> None:
    """Every question has a valid answer: indexes inside the choices, no
    repeats, exactly one for a single-answer question; choices differ."""
    _check_training_key(q, ctx, "quiz")
    seen: set[str] = set()
    for i, choice in enumerate(q.choices):
        if choice in seen:
            line, col = item_location(q, "choices", i)
            ctx.sink.add(ctx.path, line, col, f"lựa chọn '{choice}' bị lặp", "mỗi lựa chọn phải khác nhau.")
        seen.add(choice)
    line, col = location(q, "answers")
    n = len(q.choices)
    for i, a in enumerate(q.answers):
        if a > n:
            ctx.sink.add(ctx.path, *item_location(q, "answers", i), f"đáp án {a} không có: câu hỏi chỉ có {n} lựa chọn ({_LETTERS[0]}–{_LETTERS[n - 1]})",
                         f"dap_an ghi số thứ tự lựa chọn đúng, đếm từ 1 đến {n}.")
    if len(set(q.answers)) != len(q.answers):
        ctx.sink.add(ctx.path, line, col, "đáp án bị ghi lặp", "mỗi số thứ tự chỉ ghi một lần.")
    if q.kind == "mot-dap-an" and len(set(q.answers)) != 1:
        ctx.sink.add(ctx.path, line, col, f"câu hỏi một đáp án nhưng 'dap_an' có {len(q.answers)} số",
                     "ghi đúng một số, hoặc đổi 'kieu: nhieu-dap-an'.")
    if q.kind == "nhieu-dap-an" and len(set(q.answers)) >= n:
        ctx.sink.add(ctx.path, line, col, "mọi lựa chọn đều đúng: câu hỏi không kiểm tra được gì",
                     "thêm một lựa chọn sai, hoặc sửa đáp án.")


def _check_practice_dossier(d: model.PracticeDossier, node: Node, ctx: Context) -> None:
    _check_training_key(d, ctx, "dossiers")
    for defect in d.defects:
        if defect.document is not None and defect.document > len(d.documents):
            line, col = location(defect, "document")
            ctx.sink.add(ctx.path, line, col, f"giấy tờ số {defect.document} không có: bộ hồ sơ chỉ có {len(d.documents)} giấy tờ",
                         "giay_to ghi số thứ tự giấy tờ trong danh sách 'giay_to' của bộ hồ sơ, đếm từ 1; bỏ trống nếu lỗi thuộc cả bộ.")


# Which references each kind of agenda block takes ("no block is empty").
BLOCK_REFS = {
    "giai-thich": (), "trinh-dien": (), "trao-doi": (),
    "thuc-hanh-tinh-huong": ("scenarios",), "ho-so-thuc-hanh": ("dossiers",), "kiem-tra": ("quiz",),
}
_BLOCK_FOR_REF = {"scenarios": "thuc-hanh-tinh-huong", "dossiers": "ho-so-thuc-hanh", "quiz": "kiem-tra"}


def _check_agenda_block(b: model.AgendaBlock, node: Node, ctx: Context) -> None:
    label = model.BLOCK_KINDS[b.kind]
    for attr in _BLOCK_FOR_REF:
        key = model.key_of(model.AgendaBlock, attr)
        if getattr(b, attr) and attr not in BLOCK_REFS[b.kind]:
            line, col = location(b, attr)
            ctx.sink.add(ctx.path, line, col, f"khối '{label}' không dùng '{key}'",
                         f"'{key}' thuộc khối 'loai: {_BLOCK_FOR_REF[attr]}'; tách thành một khối riêng.")
    wanted = BLOCK_REFS[b.kind]
    if wanted and not any(getattr(b, attr) for attr in wanted):
        key = model.key_of(model.AgendaBlock, wanted[0])
        ctx.error(node, f"khối '{label}' trống: cần ít nhất một mã trong '{key}'", f"thêm '{key}: [mã, …]'.")
    if b.kind == "trao-doi" and not b.content:
        ctx.error(node, f"khối '{label}' trống: cần 'noi_dung'", "ghi câu hỏi gợi ý trao đổi hoặc việc cần rút kinh nghiệm.")
    if b.kind in ("giai-thich", "trinh-dien") and not (b.content or b.procedures):
        ctx.error(node, f"khối '{label}' trống: cần 'noi_dung' hoặc 'thu_tuc'", "ghi nội dung giải thích, hoặc thủ tục sẽ làm mẫu.")


def _check_session(s: model.Session, node: Node, ctx: Context) -> None:
    """The agenda fits in the session: the first block that runs past the end is the error."""
    total = 0
    for b in s.agenda:
        total += b.minutes
        if total > s.minutes:
            line, col = location(b, "minutes")
            ctx.sink.add(ctx.path, line, col,
                         f"chương trình vượt thời lượng: hết khối này đã {total} phút, buổi học chỉ {s.minutes} phút",
                         f"rút ngắn các khối (tổng chương trình {sum(x.minutes for x in s.agenda)} phút) hoặc tăng 'thoi_luong' của buổi.")
            break


_CHECKS = {
    model.Scenario: _check_scenario,
    model.QuizQuestion: _check_quiz_question,
    model.PracticeDossier: _check_practice_dossier,
    model.AgendaBlock: _check_agenda_block,
    model.Session: _check_session,
    model.TriageOption: _check_triage_option,
    model.HolidayYear: _check_holiday_year,
    model.Deadline: _check_deadline,
    model.Channel: _check_channel,
    model.Fee: _check_fee,
    model.Procedure: _check_procedure,
}
