"""Describe the schema (from ``model.py``) for editors, in Vietnamese."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass

from ..content import conditions, model, satisfiability, yamlsource
from ..content.errors import MAX_ERRORS_PER_FILE
from ..content.validate import MAX_INT_DIGITS, type_hints

_TYPE_NAMES = {
    str: "chuỗi",
    model.Inline: "văn bản (cho phép định dạng)",
    model.Url: "đường dẫn",
    model.Time: "giờ HH:MM",
    model.FormFile: "tệp trong handbook/mau/",
    model.Condition: "điều kiện (xem dưới)",
    int: "số nguyên",
    bool: "true/false",
}
SECTIONS = [
    (model.Procedure, "thu-tuc", "Thủ tục (cấp cao nhất của tệp)"),
    (model.Channel, "cach-thuc", "Một mục trong cach_thuc"),
    (model.Deadline, "thoi-han", "thoi_han"),
    (model.Fee, "phi", "Một mục trong phi"),
    (model.DossierItem, "ho-so", "Một mục trong ho_so"),
    (model.Step, "quy-trinh", "Một mục trong quy_trinh"),
    (model.CheckItem, "viec-co-dieu-kien", "Một việc có điều kiện trong kiem_tra"),
    (model.Question, "cau-hoi", "Một mục trong cau_hoi"),
    (model.Note, "luu-y", "Một mục trong luu_y"),
    (model.LegalRef, "can-cu-phap-ly", "Một mục trong can_cu_phap_ly"),
    (model.Source, "nguon", "Một mục trong nguon"),
    (model.Verification, "can-xac-minh", "Một mục trong can_xac_minh"),
    (model.Version, "phien-ban", "Một mục trong phien_ban (phiên bản áp dụng từ một ngày)"),
    (model.Training, "dao-tao", "dao_tao (nội dung đào tạo của thủ tục)"),
    (model.Scenario, "tinh-huong", "Một mục trong tinh_huong của dao_tao"),
    (model.QuizQuestion, "cau-hoi-kiem-tra", "Một mục trong cau_hoi_kiem_tra của dao_tao"),
    (model.PracticeDossier, "ho-so-thuc-hanh", "Một mục trong ho_so_thuc_hanh của dao_tao"),
    (model.PracticeDocument, "giay-to-thuc-hanh", "Một giấy tờ trong giay_to của hồ sơ thực hành"),
    (model.Defect, "loi-cai-san", "Một lỗi trong loi của hồ sơ thực hành"),
    (model.Session, "buoi-dao-tao", "Một buổi đào tạo: tệp handbook/dao-tao/<mã>.yml"),
    (model.AgendaBlock, "khoi-chuong-trinh", "Một khối trong chuong_trinh của buổi đào tạo"),
    (model.LegalDocument, "van-ban", "Một văn bản trong handbook/data/van-ban.yml"),
    (model.FieldInfo, "linh-vuc", "Một lĩnh vực trong handbook/data/linh-vuc.yml"),
    (model.CatalogueEntry, "danh-muc-tthc", "Một thủ tục trong handbook/data/danh-muc-tthc.yml"),
    (model.LocalFeeKind, "muc-thu-dia-phuong", "Một khoản trong handbook/data/muc-thu-dia-phuong.yml"),
    (model.Province, "tinh", "handbook/tinh/<mã>/tinh.yml"),
    (model.LocalFee, "muc-thu", "Một mức thu trong muc_thu của tệp tỉnh"),
    (model.LocalFeeVersion, "muc-thu-phien-ban", "Một mục trong phien_ban của một mức thu"),
    (model.ReceivingUnit, "don-vi-tiep-nhan", "don_vi_tiep_nhan của tệp tỉnh"),
    (model.OfficeHours, "gio-lam-viec", "gio_lam_viec của tệp tỉnh"),
    (model.OfficeSession, "buoi-lam-viec", "Một buổi trong buoi của gio_lam_viec"),
    (model.LocalProcedure, "thu-tuc-dia-phuong", "Một thủ tục trong thu_tuc_dia_phuong của tệp tỉnh"),
    (model.ProcessDecision, "quyet-dinh-cua-tinh", "Một mục trong quyet_dinh của tệp tỉnh"),
    (model.ProvinceContact, "lien-he", "lien_he của tệp tỉnh"),
    (model.NotPublished, "chua-cong-bo", "Một mục trong chua_cong_bo của tệp tỉnh"),
    (model.Synonym, "tu-dong-nghia", "Một mục trong handbook/data/tu-dong-nghia.yml"),
    (model.HolidayYear, "ngay-nghi", "Một năm trong handbook/data/ngay-nghi.yml (khóa là năm, ví dụ 2026:)"),
    (model.Holiday, "mot-ngay-nghi", "Một ngày trong nghi hoặc lam_bu"),
]


@dataclass
class FieldDoc:
    key: str
    required: bool
    type: str
    doc: str
    choices: dict | None
    example: object


def type_name(tp) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return type_name(next(a for a in typing.get_args(tp) if a is not type(None)))
    if origin is list:
        return "danh sách " + type_name(typing.get_args(tp)[0])
    if origin is dict:
        return "khối khóa → " + type_name(typing.get_args(tp)[1])
    if tp is model.dt.date:
        return "ngày YYYY-MM-DD"
    if dataclasses.is_dataclass(tp):
        return "khối (xem " + next(t for c, _, t in SECTIONS if c is tp) + ")"
    return _TYPE_NAMES.get(tp, "chuỗi")


# A version's own keys; its other keys are the procedure's, described once under "Thủ tục".
VERSION_OWN = ("effective", "change_note", "change_basis")


def _version_rest() -> FieldDoc:
    fixed = ", ".join(k for k in model.VERSION_FIXED if k != "hieu_luc_tu")
    return FieldDoc(key="(khóa của thủ tục)", required=False, type="như ở mục Thủ tục",
                    doc=f"Mọi khóa của thủ tục thay đổi từ ngày này, trừ {fixed}; khóa nào ghi thì thay cả giá trị "
                        "của khóa đó (ghi đủ cả danh sách, không chỉ mục thay đổi). Khóa không ghi giữ như phiên bản trước.",
                    choices=None, example=None)


def describe(cls: type) -> list[FieldDoc]:
    hints = type_hints(cls)
    fields = model.schema_fields(cls)
    if cls is model.Version:
        fields = [f for f in fields if f.name in VERSION_OWN]
    return [
        FieldDoc(
            key=f.metadata["key"],
            required=f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            type=type_name(hints[f.name]),
            doc=f.metadata["doc"],
            choices=f.metadata.get("choices"),
            example=f.metadata.get("example"),
        )
        for f in fields
    ] + ([_version_rest()] if cls is model.Version else [])


def sections() -> list[dict]:
    return [
        {"anchor": anchor, "title": title, "doc": (cls.__doc__ or "").strip(), "fields": describe(cls)}
        for cls, anchor, title in SECTIONS
    ]


def limits() -> list[tuple[str, str]]:
    """The bounds the validator enforces, in words, from the constants it uses
    (the "Giới hạn" section): what, and its limit."""
    vi = conditions.vi_number
    rows = [
        ("Một tệp nội dung", f"tối đa {vi(yamlsource.MAX_FILE_BYTES // 1024)} KB"),
        ("Khối và danh sách lồng nhau trong tệp YAML", f"tối đa {yamlsource.MAX_DEPTH} mức"),
        ("Khóa, giá trị và mục danh sách trong một tệp", f"tối đa {vi(yamlsource.MAX_NODES)}"),
        ("Số nguyên (số tiền, số ngày, số lượng…)",
         f"tối đa {MAX_INT_DIGITS} chữ số, trong khoảng riêng của từng khóa (xem các dòng dưới)"),
        ("Một điều kiện chi_khi", f"tối đa {vi(conditions.MAX_CONDITION_CHARS)} ký tự; "
                                  f"tối đa {conditions.MAX_DEPTH} mức ngoặc hoặc 'không' lồng nhau"),
        ("Số trong điều kiện, và câu trả lời kiểu số",
         f"số hữu hạn, tối đa {conditions.MAX_NUMBER_DIGITS} chữ số, giá trị tuyệt đối không quá {vi(conditions.MAX_NUMBER)}"),
        ("Câu trả lời gõ ở sotay guide hoặc ghi trong tra_loi", f"tối đa {conditions.MAX_ANSWER_CHARS} ký tự"),
        ("Kiểm tra điều kiện \"không bao giờ đúng\" (thử các tổ hợp câu trả lời)",
         f"tối đa {vi(satisfiability.CONDITION_CHECK_STEPS)} bước cho mỗi điều kiện, "
         f"{vi(satisfiability.PROCEDURE_CHECK_STEPS)} bước cho cả thủ tục; quá giới hạn thì bỏ qua kiểm tra này "
         "và báo một lưu ý (không phải lỗi, kể cả với sotay validate --strict)"),
        ("Lỗi báo cho một tệp", f"{MAX_ERRORS_PER_FILE} lỗi (và {MAX_ERRORS_PER_FILE} cảnh báo) đầu tiên; "
                                "sửa xong, chạy lại sotay validate để xem phần còn lại"),
    ]
    seen: set[tuple] = set()
    for cls, _, title in SECTIONS:
        if cls is model.Version:  # its procedure keys have the procedure's bounds, listed there
            continue
        for f in model.schema_fields(cls):
            meta = f.metadata
            bounds = []
            if meta.get("max_items") is not None:
                bounds.append(f"tối đa {meta['max_items']} mục")
            if meta.get("minimum") is not None and meta.get("maximum") is not None:
                bounds.append(f"mỗi số từ {vi(meta['minimum'])} đến {vi(meta['maximum'])}")
            key = (meta["key"], title)
            if bounds and key not in seen:
                seen.add(key)
                rows.append((f"{meta['key']} — {title}", "; ".join(bounds)))
    return rows
