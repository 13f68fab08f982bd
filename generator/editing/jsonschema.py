"""Export the schema of a procedure file (from ``model.py``) as JSON Schema.

Regenerate the committed file after every change to ``model.py``:

    .venv/bin/python -m generator.editing.jsonschema            # writes schema/thu-tuc.schema.json
    .venv/bin/python -m generator.editing.jsonschema --check    # exit 1 if that file is out of date
    .venv/bin/python -m generator.editing.jsonschema --stdout   # print it instead

Editors' VS Code (YAML extension by Red Hat, see .vscode/) reads the file for
completion, hover help in Vietnamese and red underlines while typing.  The
schema describes the *file*: keys, types, choices, bounds and formats.  It
does not list registry values (field ids, legal documents, procedure ids,
local fee keys), so it only changes when the model changes; those references,
conditions and rules that span several keys stay with ``sotay validate``.

Each model type maps to (see ``_value_schema``):

* ``str`` / ``Inline`` / ``Condition``: a string with a non-blank character;
  with ``choices``: an ``enum`` with the labels in ``markdownEnumDescriptions``;
* ``Url``, ``Time``, ``FormFile``: a string with the validator's own pattern;
* ``dt.date``: a string, ``format: date`` and ``YYYY-MM-DD`` pattern;
* ``int``: ``integer`` with ``minimum``/``maximum``; ``bool``: ``boolean``;
* ``list[X]``: ``array`` of X with ``minItems``/``maxItems``; ``dict[str, X]``:
  an object of X, with ``maxProperties`` from ``max_items``;
* a dataclass: ``$ref`` to ``$defs/<Class>``, closed (``additionalProperties:
  false``), ``required`` = the fields without a default;
* ``X | None``, and lists or dicts without ``min_items``, also accept an empty
  value (null), as the validator does;
* ``Inline | CheckItem``: ``anyOf`` a string or the object.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from ..content import conditions, model, rules, validate
from ..content.errors import ErrorSink
from ..content.located import Context

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = "schema/thu-tuc.schema.json"
SCHEMA_PATH = REPO / SCHEMA_FILE
REGENERATE = "python -m generator.editing.jsonschema"
# The first line of every procedure file (written by `sotay new` too).
MODELINE = "# yaml-language-server: $schema=../../" + SCHEMA_FILE

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_NON_BLANK = r"\S"
_DATE = r"^\d{4}-\d{2}-\d{2}$"

# Shown by the VS Code YAML extension instead of "String does not match the
# pattern …" (its keyword patternErrorMessage, also used for a failed format).
_MESSAGES = {
    _NON_BLANK: "Không được để trống.",
    _DATE: "Ngày phải có dạng YYYY-MM-DD và là ngày có thật, ví dụ 2025-07-01.",
}
_TYPE_MESSAGES = {
    model.Url: "Đường dẫn không hợp lệ: chỉ dùng liên kết http(s)://, mailto: hoặc tel:.",
    model.Time: 'Giờ phải có dạng HH:MM (00:00–23:59), đặt trong dấu nháy, ví dụ "15:00".',
    model.FormFile: "Tệp mẫu phải nằm trong handbook/mau/, chữ thường không dấu, ví dụ mau/to-khai-khai-sinh.docx "
    "(chỉ nhận .pdf, .doc, .docx, .odt).",
}
_QUESTION_KEY_MESSAGE = (
    "Mã câu hỏi: chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ, ví dụ sinh_o_nuoc_ngoai; "
    "không dùng từ khóa của điều kiện."
)

# Where the values of a reference live (the schema names the place, never the values).
_REFS = {
    "field": ("handbook/data/linh-vuc.yml", "Phải là một khóa trong handbook/data/linh-vuc.yml."),
    "legal": ("handbook/data/van-ban.yml", "Phải là số, ký hiệu của một văn bản trong handbook/data/van-ban.yml."),
    "procedure": ("procedures/", "Phải là tên một tệp thủ tục trong procedures/<lĩnh vực>/, không có đuôi .yml."),
    "local_fee": ("handbook/data/muc-thu-dia-phuong.yml", "Phải là một khóa trong handbook/data/muc-thu-dia-phuong.yml."),
}
_REF_CHECK = " (sotay validate kiểm tra giá trị này.)"


_SYNTAX = set("^$\\.*+?()[]{}|/-")


def ecma_pattern(regex: re.Pattern) -> str:
    """One of the validator's regexes in the ECMA-262 dialect that JSON Schema
    uses, which has no flags and, in the Unicode mode editors compile it in,
    no escapes of ordinary punctuation (``\\"``): with IGNORECASE each letter
    outside a character class becomes ``[xX]``."""
    pattern, ignore_case = regex.pattern, bool(regex.flags & re.IGNORECASE)
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1]
            out.append(nxt if not nxt.isalnum() and nxt not in _SYNTAX else ch + nxt)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif ignore_case and ch.isascii() and ch.isalpha():
            if in_class:
                raise ValueError(f"letter inside a character class: {pattern!r}")
            ch = f"[{ch.lower()}{ch.upper()}]"
        out.append(ch)
        i += 1
    return "".join(out)


def _text_patterns() -> dict[type, str]:
    return {
        model.Url: ecma_pattern(validate._URL),
        model.Time: ecma_pattern(validate._TIME),
        model.FormFile: ecma_pattern(validate._FORM_FILE),
    }


def _is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _choices_text(choices: dict[str, str]) -> str:
    return "Giá trị: " + "; ".join(f"{k} — {v}" for k, v in choices.items()) + "."


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict] = {}
        self.patterns = _text_patterns()

    # --- types -------------------------------------------------------------------

    def value(self, tp: Any, meta: dict) -> dict:
        """The schema of one value of type ``tp`` (without the field's annotations)."""
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = typing.get_args(tp)
            inner = [a for a in args if a is not type(None)]
            if len(inner) > 1:
                schema = {"anyOf": [self.value(a, meta) for a in inner]}
            else:
                schema = self.value(inner[0], meta)
            return _nullable(schema) if len(inner) < len(args) else schema
        if dataclasses.is_dataclass(tp):
            return {"$ref": "#/$defs/" + self.define(tp)}
        if origin is list:
            item_meta = {k: meta.get(k) for k in ("choices", "ref", "minimum", "maximum")}
            schema = {"type": "array", "items": self.value(typing.get_args(tp)[0], item_meta)}
            if meta.get("max_items") is not None:
                schema["maxItems"] = meta["max_items"]
            if meta.get("min_items"):
                schema["minItems"] = meta["min_items"]
                return schema
            return _nullable(schema)  # empty means an empty list
        if origin is dict:
            schema = {
                "type": "object",
                "propertyNames": {"pattern": _NON_BLANK},
                "additionalProperties": self.value(typing.get_args(tp)[1], {}),
            }
            if meta.get("max_items") is not None:
                schema["maxProperties"] = meta["max_items"]
            return _nullable(schema)  # empty means an empty block
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            schema = {"type": "integer"}
            if meta.get("minimum") is not None:
                schema["minimum"] = meta["minimum"]
            if meta.get("maximum") is not None:
                schema["maximum"] = meta["maximum"]
            return schema
        if tp is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE, "patternErrorMessage": _MESSAGES[_DATE]}
        schema: dict[str, Any] = {"type": "string"}
        if meta.get("choices"):
            _enum(schema, meta["choices"])
        elif tp in self.patterns:
            schema["pattern"] = self.patterns[tp]
            schema["patternErrorMessage"] = _TYPE_MESSAGES[tp]
        else:
            schema["pattern"] = _NON_BLANK
            schema["patternErrorMessage"] = _MESSAGES[_NON_BLANK]
        return schema

    def define(self, cls: type) -> str:
        name = cls.__name__
        if name in self.defs:
            return name
        self.defs[name] = {}  # placeholder: classes may refer to themselves
        self.defs[name] = self.object(cls)
        return name

    def object(self, cls: type) -> dict:
        hints = validate.type_hints(cls)
        properties = {}
        for f in model.schema_fields(cls):
            schema = self.value(hints[f.name], dict(f.metadata))
            _extra_rules(cls, f, schema)
            properties[f.metadata["key"]] = {**schema, **self.annotations(cls, f, hints[f.name])}
        schema = {
            "type": "object",
            "title": (cls.__doc__ or cls.__name__).strip(),
            "properties": properties,
            "additionalProperties": False,
        }
        required = [f.metadata["key"] for f in model.schema_fields(cls) if _is_required(f)]
        if required:
            schema["required"] = required
        return schema

    # --- annotations -----------------------------------------------------------------

    def annotations(self, cls: type, f: dataclasses.Field, tp: Any) -> dict:
        meta = f.metadata
        doc = meta["doc"]
        if meta.get("choices"):
            doc += " " + _choices_text(meta["choices"])
        ref = meta.get("ref")
        if ref:
            where, text = _REFS[ref]
            if where not in doc:
                doc += " " + text
            doc += _REF_CHECK
        if _is_required(f):
            doc += " Bắt buộc."
        out: dict[str, Any] = {"title": meta["key"], "description": doc}
        example = example_of(f, tp)
        if example is not None:
            out["examples"] = [example]
        if f.default not in (dataclasses.MISSING, None):
            out["default"] = f.default
        return out


def _enum(schema: dict, choices: dict[str, str]) -> None:
    """Allowed values, with their labels for the editor's completion list."""
    schema["enum"] = list(choices)
    schema["markdownEnumDescriptions"] = list(choices.values())
    schema["enumDescriptions"] = list(choices.values())


def _nullable(schema: dict) -> dict:
    if isinstance(schema.get("type"), list) and "null" in schema["type"]:
        return schema
    if isinstance(schema.get("type"), str) and "enum" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _extra_rules(cls: type, f: dataclasses.Field, schema: dict) -> None:
    """Rules the validator applies to single values beyond the field
    declaration, written with the same constants it uses."""
    if cls is model.Question and f.name == "key":
        pattern = ecma_pattern(rules.QUESTION_KEY)
        reserved = sorted(k for k in conditions.KEYWORDS if rules.QUESTION_KEY.match(k))
        schema["pattern"] = pattern
        schema["patternErrorMessage"] = _QUESTION_KEY_MESSAGE
        if reserved:
            schema["not"] = {"enum": reserved}
    if cls is model.Verification and f.name == "field_key":
        keys = {g.metadata["key"]: g.metadata["doc"] for g in model.schema_fields(model.Procedure)}
        keys[model.WHOLE_PROCEDURE] = model.WHOLE_PROCEDURE_LABEL + "."
        schema.pop("pattern", None)
        schema.pop("patternErrorMessage", None)
        _enum(schema, keys)


# --- examples ---------------------------------------------------------------------


def example_of(f: dataclasses.Field, tp: Any) -> Any:
    """The field's example: its own, else its default or first choice, else
    (for blocks) the smallest block the validator accepts built from the
    nested fields' examples."""
    meta = f.metadata
    if meta.get("example") is not None:
        return meta["example"]
    if f.default not in (dataclasses.MISSING, None):
        return f.default
    if meta.get("choices"):
        return next(iter(meta["choices"]))
    inner = _strip_optional(tp)
    if dataclasses.is_dataclass(inner):
        return object_example(inner)
    if typing.get_origin(inner) is list:
        item = _strip_optional(typing.get_args(inner)[0])
        if dataclasses.is_dataclass(item):
            obj = object_example(item)
            return [obj] if obj is not None else None
    return None


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return tp


def object_example(cls: type) -> dict | None:
    """The required keys with their examples, plus the first optional key
    that makes the block acceptable if it is not already (a deadline counted
    in days needs 'so', an online channel needs its portal)."""
    hints = validate.type_hints(cls)
    required, optional = {}, {}
    for f in model.schema_fields(cls):
        example = example_of(f, hints[f.name])
        if _is_required(f):
            if example is None:
                return None
            required[f.metadata["key"]] = example
        elif example is not None and f.metadata.get("example") is not None:
            optional[f.metadata["key"]] = example
    if _accepted(cls, required):
        return required
    for key, example in optional.items():
        candidate = {**required, key: example}
        if _accepted(cls, candidate):
            return candidate
    return None


def _accepted(cls: type, data: dict) -> bool:
    node = yaml.compose(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    sink = ErrorSink()
    validate.convert(node, cls, Context("<ví dụ>", sink))
    return not sink.errors


# --- the document ---------------------------------------------------------------------


def procedure_schema() -> dict:
    """The JSON Schema of one procedure file, procedures/<lĩnh vực>/<mã>.yml."""
    builder = _Builder()
    root = builder.object(model.Procedure)
    root["title"] = "Tệp thủ tục hành chính (procedures/<lĩnh vực>/<mã>.yml)"
    root["description"] = (
        (model.Procedure.__doc__ or "").strip()
        + " Lược đồ này kiểm tra khóa, kiểu, giá trị chọn sẵn và định dạng ngay khi gõ; "
        "các tham chiếu (lĩnh vực, văn bản, thủ tục liên quan, mức thu, tệp mẫu), điều kiện 'chi_khi' "
        "và các quy tắc giữa nhiều khóa do lệnh sotay validate kiểm tra."
    )
    return {
        "$schema": DRAFT,
        "$comment": f"Sinh tự động từ generator/content/model.py bằng lệnh: {REGENERATE}. Đừng sửa tay.",
        **root,
        "$defs": builder.defs,
    }


def render(schema: dict | None = None) -> str:
    """The file's text: stable (sorted keys) so that diffs show model changes only."""
    schema = procedure_schema() if schema is None else schema
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.editing.jsonschema",
        description=f"Sinh lại {SCHEMA_FILE} (JSON Schema của tệp thủ tục) từ generator/content/model.py.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--stdout", action="store_true", help="in ra màn hình thay vì ghi tệp")
    group.add_argument("--check", action="store_true", help="chỉ kiểm tra tệp đã khớp với model.py chưa")
    args = parser.parse_args(argv)
    text = render()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else None
    if args.check:
        if current == text:
            print(f"{SCHEMA_FILE}: khớp với generator/content/model.py.")
            return 0
        print(f"{SCHEMA_FILE} chưa khớp với generator/content/model.py; chạy: {REGENERATE}", file=sys.stderr)
        return 1
    if current == text:
        print(f"{SCHEMA_FILE}: không có gì thay đổi.")
        return 0
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(text, encoding="utf-8", newline="\n")
    print(f"Đã ghi {SCHEMA_FILE}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
