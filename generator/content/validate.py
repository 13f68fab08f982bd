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
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import urls
from . import conditions, model
from .inline import LINK as INLINE_LINK
from .errors import shown
from .located import Context, ItemList, Reference
from .rules import CHECKS

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
        if f is None and key in getattr(cls, "FIXED_KEYS", {}):  # a procedure key a version may not change
            ctx.error(key_node, f"khóa '{key}' không được đổi trong một phiên bản" + (f": {cls.FIXED_KEYS[key]}" if cls.FIXED_KEYS[key] else ""),
                      "phiên bản chỉ ghi 'hieu_luc_tu', 'ghi_chu', 'can_cu' và các khóa của thủ tục thay đổi từ ngày đó.")
            ok = False
            continue
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
    obj._locs = locs  # an attribute, not obj.__dict__[...]: reading __dict__ makes Python build one dict per object
    check = CHECKS.get(cls)
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
    items.positions = tuple((child.start_mark.line + 1, child.start_mark.column + 1) for child in node.value)
    return items


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
