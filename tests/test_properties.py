"""Property-based tests (hypothesis) for the loader, the validator and the build.

1. Random *valid* procedures, written as YAML into a fresh copy of the mini
   handbook, load without errors, keep their values, and build into a page
   where content text appears HTML-escaped and never as live markup.
2. *Near-valid* procedures (a valid one with exactly one mutation) are refused
   with located Vietnamese errors in the mutated file, including the exact
   line and column of the mutated node.
3. Arbitrary text and bytes written as a procedure file never make
   ``load_handbook`` raise; every error it reports points inside the file.

Every example starts from a clean copy of tests/fixtures/mini.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import html as htmllib
import re
import shutil
import tempfile
import types
import typing
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, note, settings, strategies as st
from markupsafe import escape

from generator.content import model
from generator.site.build import build_site
from generator.content.handbook import load_handbook
from generator.content.legacyencoding import legacy_encoding

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
DATA = FIXTURE / "handbook" / "data"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- what the fixture's registries offer ------------------------------------------------

FIELD_IDS = sorted(_load(DATA / "linh-vuc.yml"))
LEGAL_IDS = sorted(str(k) for k in _load(DATA / "van-ban.yml"))
LOCAL_FEE_KEYS = sorted(_load(DATA / "muc-thu-dia-phuong.yml") or {})
EXISTING = {p.stem: _load(p) for p in sorted((FIXTURE / "procedures").rglob("*.yml"))}
EXISTING_TITLES = [p["ten"] for p in EXISTING.values()]
EXISTING_CODES = [str(p["ma_thu_tuc"]) for p in EXISTING.values() if p.get("ma_thu_tuc")]
NEW_ID = "thu-tuc-ngau-nhien"  # sorts after the fixture's files, so clashes are reported here
PROCEDURE_IDS = sorted(EXISTING) + [NEW_ID]
assert FIELD_IDS and LEGAL_IDS and LOCAL_FEE_KEYS and EXISTING_CODES


def rel_path(field_id: str) -> str:
    return f"procedures/{field_id}/{NEW_ID}.yml"


@contextlib.contextmanager
def fresh_handbook() -> Iterator[Path]:
    """A clean copy of the mini handbook, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sotay-prop-") as tmp:
        root = Path(tmp) / "kho"
        shutil.copytree(FIXTURE, root)
        yield root


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _nfc_key(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


VI_LETTER = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]"
)


def assert_vietnamese(message: str) -> None:
    assert message.strip(), "empty error message"
    assert VI_LETTER.search(message.lower()), f"message is not Vietnamese: {message!r}"
    # PyYAML's own exception text (with its internal stream name) must not leak.
    assert "<unicode string>" not in message, message


# --- text strategies ------------------------------------------------------------------------

VI_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VI_CHARS = VI_LOWER + VI_LOWER.upper() + "0123456789 ,.;:!?…–—()\"'“”%/&#-*_[]{}<>=+~|@`$^\\"
WORDS = (
    "Đăng ký khai sinh kết hôn hộ tịch Ủy ban nhân dân cấp xã phường giấy tờ chứng thực bản sao "
    "người đề nghị trẻ em quốc tịch Việt Nam thường trú tạm trú nghĩa vụ quân sự ỦY BAN ĐĂNG KÝ "
    "UBND TTHC Bộ phận Một cửa công chức Tư pháp lệ phí miễn giảm những ưu tiên ngày làm việc"
).split()
HOSTILE = [
    "{{ x }}", "{{ 7*7 }}", "{% raw %}", "{# c #}", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "</td></tr>", "**b**", "*nghiêng*", "**đậm**",
    "[liên kết](https://example.org/a?b=1&c=2)", "[xấu] (javascript:alert(1))", "[trang](/thu-tuc/ho-tich/dang-ky-ket-hon/)", "&amp;", "&lt;",
    '"nháy kép"', "'nháy đơn'", "a: b", "- mục", "# không phải chú thích", "khóa: giá trị",
    "yes", "no", "on", "off", "null", "~", "123", "1.5", "0x1F", "1:30", "2025-11-20", "@at", "`tick`",
    "!tag", "!!python/object", "&neo", "*bidanh", "|", ">", "%YAML", "---", "...", "\\n", "\\", "=", "<<",
    "?", "[", "]", "{", "}", ",", "'", '"', "%", "100%", "1.000.000 đồng", "Điều 16, khoản 2",
]
ATOM = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(HOSTILE),
    st.text(alphabet=VI_CHARS, min_size=1, max_size=12),
)
TEXT = (
    st.lists(ATOM, min_size=1, max_size=7)
    .map(" ".join)
    .map(str.strip)
    .filter(bool)
)
URLS = st.sampled_from(
    [
        "https://dichvucong.gov.vn",
        "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
        "http://example.org/a_b-c/%C4%91",
        "mailto:hotro@example.org",
        "tel:+84 24 3823 1234",
        "https://example.org/?q={{x}}&r=%3Cb%3E",
    ]
)
TIMES = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 12, 31))  # a review is not in the future


def optional(strategy):
    """A value, or an explicit null (allowed for every optional field)."""
    return st.one_of(st.none(), strategy)


def small_list(strategy, min_size=0, max_size=3):
    return st.lists(strategy, min_size=min_size, max_size=max_size)


# --- a valid procedure, as the dict an editor's YAML file would hold ------------------------


def _with_optional(required: dict, optional_parts: dict):
    return st.fixed_dictionaries(required, optional=optional_parts)


@st.composite
def deadlines(draw) -> dict:
    kind = draw(st.sampled_from(sorted(model.DEADLINE_KINDS)))
    d: dict[str, Any] = {"loai": kind}
    if kind not in ("trong-ngay", "chua-xac-minh"):
        d["so"] = draw(st.integers(1, 365))
    elif kind == "trong-ngay" and draw(st.booleans()):
        d["gio_cat"] = draw(TIMES)
    if draw(st.booleans()):
        d["ghi_chu"] = draw(TEXT)
    return d


@st.composite
def fees(draw) -> dict:
    f: dict[str, Any] = {"ten": draw(TEXT)}
    if draw(st.booleans()):
        f["loai"] = draw(st.sampled_from(sorted(model.FEE_KINDS)))
    how = draw(st.sampled_from(["amount", "local", "none"]))
    if how == "amount":
        f["so_tien"] = draw(st.integers(0, 1_000_000_000))
    elif how == "local":
        f["theo_dia_phuong"] = draw(st.sampled_from(LOCAL_FEE_KEYS))
    if draw(st.booleans()):
        f["don_vi"] = draw(TEXT)
    if draw(st.booleans()):
        f["mien_giam"] = draw(small_list(TEXT))
    if draw(st.booleans()):
        f["ghi_chu"] = draw(TEXT)
    return f


@st.composite
def channels(draw) -> dict:
    kind = draw(st.sampled_from(sorted(model.CHANNELS)))
    c: dict[str, Any] = {"hinh_thuc": kind}
    if kind == "truc-tuyen" or draw(st.booleans()):
        c["cong_truc_tuyen"] = draw(URLS)
    if draw(st.integers(0, 3)) == 0:
        c["thoi_han"] = draw(deadlines())
    if draw(st.integers(0, 3)) == 0:
        c["phi"] = draw(small_list(fees(), max_size=2))
    if draw(st.booleans()):
        c["ghi_chu"] = draw(TEXT)
    return c


DOSSIER_ITEMS = _with_optional(
    {"ten": TEXT},
    {
        "loai": st.sampled_from(sorted(model.DOC_FORMS)),
        "so_luong": st.integers(1, 20),
        "mau": optional(TEXT),
        "ghi_chu": optional(TEXT),
    },
)
STEPS = _with_optional(
    {"ten": TEXT, "vai_tro": TEXT, "kiem_tra": small_list(TEXT, 1, 4)},
    {
        "thoi_gian": optional(TEXT),
        "meo": small_list(TEXT),
        "loi_thuong_gap": small_list(TEXT),
        "he_thong": small_list(TEXT),
    },
)
LEGAL_REFS = _with_optional({"van_ban": st.sampled_from(LEGAL_IDS)}, {"dieu": optional(TEXT)})
SOURCES = _with_optional({"ten": TEXT}, {"url": optional(URLS)})
FLAG_KEYS = sorted({f.metadata["key"] for f in model.schema_fields(model.Procedure)} | {"thu_tuc"})
VERIFICATIONS = st.fixed_dictionaries({"truong": st.sampled_from(FLAG_KEYS), "ly_do": TEXT})
CODES = st.from_regex(r"\A[2-9]\.[0-9]{6}\Z").filter(lambda c: c not in EXISTING_CODES)
TITLES = TEXT.filter(lambda t: _nfc_key(t) not in {_nfc_key(x) for x in EXISTING_TITLES})


@st.composite
def valid_procedures(draw) -> dict:
    p: dict[str, Any] = {"ten": draw(TITLES)}
    if draw(st.booleans()):
        p["ma_thu_tuc"] = draw(optional(CODES))
    p["linh_vuc"] = draw(st.sampled_from(FIELD_IDS))
    p["cap_thuc_hien"] = draw(small_list(st.sampled_from(sorted(model.LEVELS)), 1, 3))
    p["co_quan_thuc_hien"] = draw(TEXT)
    if draw(st.booleans()):
        p["co_quan_phoi_hop"] = draw(small_list(TEXT))
    p["doi_tuong"] = draw(small_list(TEXT, 1, 3))
    p["tom_tat"] = draw(TEXT)
    if draw(st.booleans()):
        p["dieu_kien"] = draw(small_list(TEXT))
    p["cach_thuc"] = draw(small_list(channels(), 1, 3))
    p["thoi_han"] = draw(deadlines())
    if draw(st.booleans()):
        p["phi"] = draw(small_list(fees()))
    p["ho_so"] = draw(small_list(DOSSIER_ITEMS, 1, 3))
    p["ket_qua"] = draw(small_list(TEXT, 1, 2))
    p["quy_trinh"] = draw(st.lists(STEPS, min_size=1, max_size=3, unique_by=lambda s: s["ten"].strip()))
    p["can_cu_phap_ly"] = draw(small_list(LEGAL_REFS, 1, 2))
    if draw(st.booleans()):
        p["lien_quan"] = draw(small_list(st.sampled_from(PROCEDURE_IDS)))
    if draw(st.booleans()):
        p["tu_khoa"] = draw(small_list(TEXT))
    if draw(st.booleans()):
        p["nguon"] = draw(small_list(SOURCES))
    if draw(st.booleans()):
        p["can_xac_minh"] = draw(small_list(VERIFICATIONS))
    p["ngay_ra_soat"] = draw(DATES)
    p["phu_trach"] = draw(TEXT)
    # Random letters can look like text typed in a legacy encoding ("aÓ … eÁ"), which
    # the loader rightly refuses; a valid procedure is one a person could have written.
    assume(legacy_encoding(dump(p)) is None)
    return p


# --- 1. valid procedures --------------------------------------------------------------------


def _write(root: Path, data: dict) -> str:
    rel = rel_path(data["linh_vuc"])
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return rel


@settings(max_examples=80, deadline=None)
@given(valid_procedures())
def test_valid_procedure_loads_without_errors_and_keeps_its_values(data):
    with fresh_handbook() as root:
        rel = _write(root, data)
        note(dump(data))
        hb, sink = load_handbook(root)
        assert [e.format() for e in sink.errors] == []
        p = hb.procedures[NEW_ID]
        assert p.path == rel
        assert p.title == data["ten"].strip()
        assert p.agency == data["co_quan_thuc_hien"].strip()
        assert p.summary == data["tom_tat"].strip()
        assert p.subjects == [s.strip() for s in data["doi_tuong"]]
        assert p.levels == data["cap_thuc_hien"]
        assert p.reviewed == data["ngay_ra_soat"]
        assert p.code == data.get("ma_thu_tuc")
        assert p.deadline.kind == data["thoi_han"]["loai"]
        assert p.deadline.amount == data["thoi_han"].get("so")
        assert [s.name for s in p.steps] == [s["ten"].strip() for s in data["quy_trinh"]]
        assert [s.checklist for s in p.steps] == [[c.strip() for c in s["kiem_tra"]] for s in data["quy_trinh"]]
        assert [c.kind for c in p.channels] == [c["hinh_thuc"] for c in data["cach_thuc"]]
        assert [f.amount for f in p.fees] == [f.get("so_tien") for f in data.get("phi") or []]
        assert [r.document for r in p.legal_basis] == [r["van_ban"] for r in data["can_cu_phap_ly"]]


MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[xấu] (javascript:alert(1))", "[trang](/thu-tuc/ho-tich/dang-ky-ket-hon/)",
    "{{ 7*7 }}", "{% raw %}", "**b**", "</td></tr>", "<b>đậm</b>", "&lt;",
]


@settings(max_examples=15, deadline=None)
@given(valid_procedures(), st.lists(st.sampled_from(MARKUP), min_size=1, max_size=3))
def test_valid_procedure_builds_and_content_is_escaped(data, markup):
    # Hostile-looking (but legal) text in a plain field, an inline field and the title.
    data["ten"] = f"{data['ten']} {markup[0]}"
    data["co_quan_thuc_hien"] = " ".join([data["co_quan_thuc_hien"], *markup])
    data["tom_tat"] = " ".join([*markup, data["tom_tat"]])
    with fresh_handbook() as root:
        _write(root, data)
        note(dump(data))
        site = build_site(root)
        html = (site / "thu-tuc" / data["linh_vuc"] / NEW_ID / "index.html").read_text(encoding="utf-8")
    title = data["ten"].strip()
    assert f'<h1 id="{NEW_ID}">{escape(title)}</h1>' in html
    # The browser title shows the title once escaped: not raw, not escaped twice
    # (with runs of spaces shown as one, as a browser shows them anyway).
    head_title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in head_title
    assert htmllib.unescape(head_title).startswith(" ".join(title.split()) + " - ")
    assert str(escape(data["co_quan_thuc_hien"].strip())) in html
    for subject in data["doi_tuong"]:
        assert str(escape(subject.strip())) in html
    # Nothing from content turns into live markup or is evaluated as a template.
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>đậm</b>" not in html
    assert 'href="javascript:' not in html.lower()


# --- 2. near-valid procedures: one mutation ---------------------------------------------------


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


@dataclasses.dataclass
class Site:
    """A place in the procedure dict: an object, one of its fields, or a list item."""

    kind: str  # "object", "field" or "item"
    path: tuple
    tp: Any  # declared type (without Optional) of the value here
    value: Any
    field: dataclasses.Field | None = None
    cls: type | None = None  # the dataclass of an object, or of the object holding a field
    optional: bool = False  # the field may be null


def sites(value: dict, cls: type, path: tuple = ()) -> Iterator[Site]:
    yield Site("object", path, cls, value, cls=cls)
    hints = _hints(cls)
    for f in model.schema_fields(cls):
        key = f.metadata["key"]
        if key not in value:
            continue
        declared = hints[f.name]
        tp = _unwrap(declared)
        v = value[key]
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        yield Site("field", path + (key,), tp, v, f, cls, optional=not required)
        if v is None:
            continue
        if dataclasses.is_dataclass(tp):
            yield from sites(v, tp, path + (key,))
        elif typing.get_origin(tp) is list:
            item_tp = typing.get_args(tp)[0]
            for i, item in enumerate(v):
                yield Site("item", path + (key, i), item_tp, item, f, cls)
                if dataclasses.is_dataclass(item_tp):
                    yield from sites(item, item_tp, path + (key, i))


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _is_text(tp: Any) -> bool:
    return tp in (str, model.Inline, model.Url, model.Time)


@dataclasses.dataclass
class Mutation:
    label: str
    data: dict
    target: tuple | None = None  # path of the node the error must point at
    part: str = "node"  # "node" (the value / object at target) or "key" (its key)
    sentinel: str | None = None  # replaced in the text by `replacement`
    replacement: str = ""
    text_edit: Any = None  # callable(text) -> (text, (line, column)) for text-level mutations


MUTATIONS = [
    "drop_required", "misspell_key", "unknown_key", "wrong_type", "wrong_item_type", "below_minimum",
    "above_maximum", "bogus_choice", "unknown_reference", "yaml11_bool", "impossible_date", "empty_text",
    "null_required", "null_item", "empty_required_list", "online_without_portal", "deadline_without_amount",
    "deadline_with_extra_amount", "cutoff_with_counted_deadline", "fee_amount_and_local", "bad_time", "bad_url",
    "bad_verification_key", "duplicate_step", "duplicate_title", "duplicate_code", "yaml_anchor", "yaml_tag",
    "tab_indent", "duplicate_key_text",
]
SENTINEL = "ZZSENTINELZZ"
YAML11_BOOLS = ["yes", "no", "on", "off", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"]
BAD_DATES = ["2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-11-31", "2025-04-31",
             "20-11-2025", "2025/11/20", "2025-1-5", "hôm nay", "2025-11-20T10:00:00"]
BAD_TIMES = ["25:00", "24:00", "9:00", "12:60", "12.30", "trưa", "1500"]
BAD_URLS = ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org", "www.example.org",
            "http://", "https://a b", "//example.org"]


def _typo(key: str, draw) -> str:
    how = draw(st.integers(0, 3))
    if how == 0 and len(key) > 1:
        i = draw(st.integers(0, len(key) - 2))
        return key[:i] + key[i + 1] + key[i] + key[i + 2:]
    if how == 1:
        i = draw(st.integers(0, len(key) - 1))
        return key[:i] + key[i + 1:]
    if how == 2:
        return key.replace("_", "-") if "_" in key else key + "s"
    return key + draw(st.sampled_from(["x", "_", "1", "a"]))


def _rename_key(obj: dict, old: str, new: str) -> dict:
    return {(new if k == old else k): v for k, v in obj.items()}


def _wrong_values(tp: Any) -> list:
    if _is_text(tp):
        return [["một mục"], {"a": "b"}, 5, 1.5, True, -3]
    if tp is int:
        return ["5", "năm", 1.5, True, ["5"], {"so": 5}, "1.000"]
    if tp is dt.date:
        return [["2025-11-20"], {"ngay": 1}, 5, True, 1.5]
    if typing.get_origin(tp) is list:
        return ["một chuỗi", 5, {"a": "b"}, True]
    if dataclasses.is_dataclass(tp):
        return ["một chuỗi", 5, ["x"], True]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):  # text or a block (a checklist item)
        return [5, 1.5, True, ["x"]]
    raise AssertionError(tp)


@st.composite
def near_valid(draw, kind: str) -> Mutation:
    data = draw(valid_procedures())
    # Make sure the mutation has something to work on.
    if kind in ("below_minimum", "above_maximum"):
        data["ho_so"][0].setdefault("so_luong", draw(st.integers(1, 20)))
    if kind == "fee_amount_and_local" and not data.get("phi"):
        data["phi"] = [draw(fees())]
    all_sites = list(sites(data, model.Procedure))
    objects = [s for s in all_sites if s.kind == "object"]
    fields = [s for s in all_sites if s.kind == "field"]
    values = [s for s in all_sites if s.kind in ("field", "item") and s.value is not None]
    scalars = [s for s in values if _is_text(s.tp) or s.tp in (int, dt.date)]
    texts = [s for s in values if _is_text(s.tp)]
    free_texts = [s for s in texts if not s.field.metadata.get("choices") and not s.field.metadata.get("ref")]
    ints = [s for s in values if s.tp is int]
    choices = [s for s in values if s.field.metadata.get("choices") and _is_text(s.tp)]
    refs = [s for s in values if s.field.metadata.get("ref") and _is_text(s.tp)]
    required = [s for s in fields if not s.optional]
    min_lists = [s for s in fields if s.field.metadata.get("min_items") and isinstance(s.value, list)]
    object_items = [s for s in values if s.kind == "item" and dataclasses.is_dataclass(s.tp)]
    channel_objs = [s for s in objects if s.cls is model.Channel]
    deadline_objs = [s for s in objects if s.cls is model.Deadline]
    fee_objs = [s for s in objects if s.cls is model.Fee]

    def with_required(s: Site) -> list[str]:
        return [
            f.metadata["key"] for f in model.schema_fields(s.cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            and f.metadata["key"] in s.value
        ]

    droppable = [s for s in objects if with_required(s)]
    kinds = {
        "drop_required": droppable,
        "misspell_key": fields,
        "unknown_key": objects,
        "wrong_type": values,
        "wrong_item_type": object_items,
        "below_minimum": [s for s in ints if s.field.metadata.get("minimum") is not None],
        "above_maximum": [s for s in ints if s.field.metadata.get("maximum") is not None],
        "bogus_choice": choices,
        "unknown_reference": refs,
        "yaml11_bool": scalars,
        "impossible_date": [s for s in fields if s.tp is dt.date],
        "empty_text": texts,
        "null_required": required,
        "null_item": [s for s in values if s.kind == "item"],
        "empty_required_list": min_lists,
        "online_without_portal": channel_objs,
        "deadline_without_amount": deadline_objs,
        "deadline_with_extra_amount": deadline_objs,
        "cutoff_with_counted_deadline": deadline_objs,
        "fee_amount_and_local": fee_objs,
        "bad_time": [objects[0]],
        "bad_url": channel_objs,
        "bad_verification_key": [objects[0]],
        "duplicate_step": [objects[0]],
        "duplicate_title": [objects[0]],
        "duplicate_code": [objects[0]],
        "yaml_anchor": free_texts,
        "yaml_tag": free_texts,
        "tab_indent": [objects[0]],
        "duplicate_key_text": [objects[0]],
    }
    assert set(kinds) == set(MUTATIONS)
    assert kinds[kind], kind
    s = draw(st.sampled_from(kinds[kind]))
    d = copy.deepcopy(data)
    m = Mutation(kind, d, s.path)

    if kind == "drop_required":
        key = draw(st.sampled_from(with_required(s)))
        del _get(d, s.path)[key]
    elif kind == "misspell_key":
        valid_keys = {f.metadata["key"] for f in model.schema_fields(s.cls)}
        key = s.path[-1]
        new = _typo(key, draw)
        if new in valid_keys or not new:
            new = key + "_x"
        parent_path = s.path[:-1]
        if parent_path:
            _set(d, parent_path, _rename_key(_get(d, parent_path), key, new))
        else:
            d = _rename_key(d, key, new)
            m.data = d
        m.target, m.part = parent_path + (new,), "key"
    elif kind == "unknown_key":
        new = "khoa_la_" + draw(st.from_regex(r"\A[a-z]{1,6}\Z"))
        _get(d, s.path)[new] = draw(st.one_of(TEXT, st.integers()))
        m.target, m.part = s.path + (new,), "key"
    elif kind in ("wrong_type", "wrong_item_type"):
        _set(d, s.path, draw(st.sampled_from(_wrong_values(s.tp))))
    elif kind == "below_minimum":
        _set(d, s.path, draw(st.integers(max_value=s.field.metadata["minimum"] - 1)))
    elif kind == "above_maximum":
        _set(d, s.path, draw(st.integers(min_value=s.field.metadata["maximum"] + 1)))
    elif kind == "bogus_choice":
        options = s.field.metadata["choices"]
        _set(d, s.path, draw(TEXT.filter(lambda t: t.strip() not in options)))
    elif kind == "unknown_reference":
        known = {"field": FIELD_IDS, "legal": LEGAL_IDS, "procedure": PROCEDURE_IDS, "local_fee": LOCAL_FEE_KEYS}
        pool = known[s.field.metadata["ref"]]
        _set(d, s.path, draw(TEXT.filter(lambda t: t.strip() not in pool)))
    elif kind == "yaml11_bool":
        _set(d, s.path, SENTINEL)
        m.sentinel, m.replacement = SENTINEL, draw(st.sampled_from(YAML11_BOOLS))
    elif kind == "impossible_date":
        bad = draw(st.sampled_from(BAD_DATES))
        if draw(st.booleans()):
            _set(d, s.path, bad)  # quoted by the dumper
        else:
            _set(d, s.path, SENTINEL)  # written bare, as an editor would
            m.sentinel, m.replacement = SENTINEL, bad
    elif kind == "empty_text":
        _set(d, s.path, draw(st.sampled_from(["", " ", "   "])))
    elif kind == "null_required":
        _set(d, s.path, None)
    elif kind == "null_item":
        _set(d, s.path, None)
    elif kind == "empty_required_list":
        _set(d, s.path, [])
    elif kind == "online_without_portal":
        obj = _get(d, s.path)
        obj["hinh_thuc"] = "truc-tuyen"
        obj.pop("cong_truc_tuyen", None)
    elif kind == "deadline_without_amount":
        obj = _get(d, s.path)
        obj["loai"] = draw(st.sampled_from(["ngay-lam-viec", "gio-lam-viec", "ngay"]))
        obj.pop("so", None)
        obj.pop("gio_cat", None)
    elif kind == "deadline_with_extra_amount":
        obj = _get(d, s.path)
        obj["loai"] = draw(st.sampled_from(["trong-ngay", "chua-xac-minh"]))
        obj["so"] = draw(st.integers(1, 365))
    elif kind == "cutoff_with_counted_deadline":
        obj = _get(d, s.path)
        obj["loai"] = draw(st.sampled_from(["ngay-lam-viec", "gio-lam-viec", "ngay"]))
        obj["so"] = draw(st.integers(1, 365))
        obj["gio_cat"] = draw(TIMES)
    elif kind == "fee_amount_and_local":
        obj = _get(d, s.path)
        obj["so_tien"] = draw(st.integers(0, 1_000_000))
        obj["theo_dia_phuong"] = draw(st.sampled_from(LOCAL_FEE_KEYS))
    elif kind == "bad_time":
        d["thoi_han"] = {"loai": "trong-ngay", "gio_cat": draw(st.sampled_from(BAD_TIMES))}
        m.target = ("thoi_han", "gio_cat")
    elif kind == "bad_url":
        _get(d, s.path)["cong_truc_tuyen"] = draw(st.sampled_from(BAD_URLS))
        m.target = s.path + ("cong_truc_tuyen",)
    elif kind == "bad_verification_key":
        items = d.setdefault("can_xac_minh", [])
        keys = set(FLAG_KEYS)
        bogus = draw(st.from_regex(r"\A[a-z_]{1,12}\Z").filter(lambda k: k not in keys))
        at = draw(st.integers(0, len(items)))
        items.insert(at, {"truong": bogus, "ly_do": draw(TEXT)})
        m.target = ("can_xac_minh", at)
    elif kind == "duplicate_step":
        steps = d["quy_trinh"]
        steps.append(copy.deepcopy(draw(st.sampled_from(steps))))
        m.target = ("quy_trinh", len(steps) - 1)
    elif kind == "duplicate_title":
        title = draw(st.sampled_from(EXISTING_TITLES))
        d["ten"] = draw(st.sampled_from([title, title.upper(), title.lower(), f" {title} "]))
        m.target = ("ten",)
    elif kind == "duplicate_code":
        d = {"ma_thu_tuc": draw(st.sampled_from(EXISTING_CODES)), **{k: v for k, v in d.items() if k != "ma_thu_tuc"}}
        m.data, m.target = d, ("ma_thu_tuc",)
    elif kind in ("yaml_anchor", "yaml_tag"):
        _set(d, s.path, SENTINEL)
        prefix = "&neo " if kind == "yaml_anchor" else draw(st.sampled_from(["!!str ", "!!python/object:os.system ", "!thu "]))
        word = draw(st.sampled_from(["giá trị", "Đăng ký", "Ủy ban nhân dân"]))
        m.sentinel, m.replacement = SENTINEL, prefix + word
    elif kind == "tab_indent":
        def edit(text: str):
            i = text.index("\n  ") + 1
            return text[:i] + "\t" + text[i + 1:], _pos(text, i)
        m.text_edit = edit
    elif kind == "duplicate_key_text":
        key = draw(st.sampled_from([k for k in d if isinstance(d[k], (str, int)) or d[k] is None] or ["ten"]))

        def edit(text: str, key=key):
            line = text.count("\n") + 1
            return text + f"{key}: Giá trị lặp\n", (line, 1)
        m.text_edit = edit
    else:  # pragma: no cover
        raise AssertionError(kind)
    return m


def _pos(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _expected_location(text: str, m: Mutation) -> tuple[int, int]:
    """Where PyYAML itself says the mutated node (or its key) starts."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    key_node = None
    for step in m.target:
        if isinstance(step, int):
            node = node.value[step]
        else:
            key_node, node = next((k, v) for k, v in node.value if k.value == step)
    mark = (key_node if m.part == "key" else node).start_mark
    return mark.line + 1, mark.column + 1


def render(m: Mutation) -> tuple[str, tuple[int, int]]:
    text = dump(m.data)
    if m.text_edit is not None:
        return m.text_edit(text)
    if m.sentinel is not None:
        assert text.count(m.sentinel) == 1, text
        where = _pos(text, text.index(m.sentinel))
        return text.replace(m.sentinel, m.replacement), where
    return text, _expected_location(text, m)


@pytest.mark.parametrize("kind", MUTATIONS)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_near_valid_procedure_is_refused_at_the_mutation(kind, data):
    m = data.draw(near_valid(kind), label="mutation")
    text, where = render(m)
    assume(legacy_encoding(text) is None)  # the mutation's own error, not a legacy-encoding look-alike
    field_id = m.data.get("linh_vuc") if isinstance(m.data.get("linh_vuc"), str) else None
    folder = field_id if field_id in FIELD_IDS else FIELD_IDS[0]
    rel = rel_path(folder)
    note(f"mutation: {m.label} at {m.target} ({m.part}); expected error at {where}")
    note(text)
    with fresh_handbook() as root:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _, sink = load_handbook(root)
    errors = sink.errors
    assert errors, f"mutation {m.label} was accepted"
    for e in errors:
        if m.label in ("duplicate_title", "duplicate_code") and e.path != rel:
            assert f"trùng với {rel}:" in e.message, e.format()  # the existing file names the new one
            continue
        assert e.path == rel, e.format()
        assert e.line >= 1 and e.column >= 1, e.format()
        assert_vietnamese(e.message)
    assert where in [(e.line, e.column) for e in errors], [e.format() for e in errors]


# --- 3. arbitrary text and bytes --------------------------------------------------------------

YAML_TOKENS = [
    "ten:", "linh_vuc:", "ho-tich", "cach_thuc:", "hinh_thuc: truc-tiep", " ", "  ", "\n", "\n  ", "\n- ", "- ",
    ": ", ":", "[", "]", "{", "}", ",", "'", '"', "\\", "&a ", "*a", "!!str ", "!x ", "#", "? ", "|", ">", "|-",
    "---", "...", "%YAML 1.1", "%TAG ! x", "@", "`", "\t", "\r", "\r\n", "\u2028", "\ufeff", "\ufffe", "\x00",
    "\x85", "\u202e", "yes", "~", "null", "2025-02-30", "0x", "1:30", "Đăng ký", "Hµ Néi", "Haø Noäi", "<<: ",
    "=", "\\u00", "\\x", "'' ", '"\\', "\u00a0", "é", "\U0001f600",
]
TOKEN_SOUP = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)


@st.composite
def edited_valid_text(draw) -> str:
    """A valid procedure's text with a few random characters inserted, deleted or replaced."""
    text = dump(draw(valid_procedures()))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=3)))
        if what == "insert":
            text = text[:i] + piece + text[i:]
        elif what == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 20)):]
        else:
            text = text[:i] + piece + text[i + len(piece):]
    return text


@st.composite
def deep_nesting(draw) -> str:
    n = draw(st.integers(1, 3000))
    shape = draw(st.sampled_from(["flow-list", "flow-map", "block-list", "block-map"]))
    if shape == "flow-list":
        return "ten: " + "[" * n + "x" + "]" * n + "\n"
    if shape == "flow-map":
        return "ten: " + "{a: " * n + "x" + "}" * n + "\n"
    if shape == "block-list":
        return "ten:\n" + "".join("  " * i + "-\n" for i in range(min(n, 400))) + "  " * min(n, 400) + "x\n"
    return "".join("  " * i + f"k{i}:\n" for i in range(min(n, 400))) + "  " * min(n, 400) + "x\n"


ARBITRARY_TEXT = st.one_of(st.text(), TOKEN_SOUP, edited_valid_text(), deep_nesting())
ARBITRARY_BYTES = st.one_of(
    st.binary(),
    st.builds(lambda a, b: a.encode("utf-8") + b, TOKEN_SOUP, st.binary(max_size=4)),
    st.builds(lambda t, enc: t.encode(enc, "replace"), TOKEN_SOUP, st.sampled_from(["utf-16", "cp1258", "latin-1"])),
    st.builds(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), ARBITRARY_TEXT),
)
LINE_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _check_located(raw: bytes) -> None:
    rel = rel_path(FIELD_IDS[0])
    with fresh_handbook() as root:
        (root / rel).write_bytes(raw)
        _, sink = load_handbook(root)  # must not raise
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    text = body.decode("utf-8", "replace")
    forms = [text, unicodedata.normalize("NFC", text)]
    n_lines = max(max(len(t.splitlines()), len(t.split("\n"))) for t in forms)
    for e in sink.errors:
        assert e.path == rel, e.format()
        assert 1 <= e.line <= n_lines + 1, (e.format(), n_lines)
        assert e.column >= 1, e.format()
        assert_vietnamese(e.message)
        if not LINE_BREAKS.search(text):
            lines = [t.split("\n") for t in forms]
            width = max(len(ls[e.line - 1]) if e.line <= len(ls) else 0 for ls in lines)
            assert e.column <= width + 1, (e.format(), width)


@settings(max_examples=150, deadline=None)
@given(ARBITRARY_TEXT)
def test_arbitrary_text_never_raises_and_errors_are_located(text):
    _check_located(text.encode("utf-8"))


@settings(max_examples=80, deadline=None)
@given(ARBITRARY_BYTES)
def test_arbitrary_bytes_never_raise_and_errors_are_located(raw):
    _check_located(raw)
