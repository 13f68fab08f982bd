"""The typed model of the handbook: the one source of truth for the schema.

Every dataclass field carries its YAML key (Vietnamese, ASCII snake_case, as
editors write it), a Vietnamese description for editors and an example.  The
validator (``validate.py``), the editor documentation and the JSON Schema
export all read these declarations; nothing else defines the schema.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TypeVar


# Ids written by editors (file names, training ids): lower-case ASCII words joined by hyphens.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Bounds of lists that code reads with a hard limit (declared with max_items).
QUIZ_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # a quiz question's choices are lettered: at most 26
MAX_QUESTIONS = 30  # situation questions of one procedure (real ones ask fewer than ten)
MAX_CHOICES = 20  # choices of a 'mot-lua-chon' question
MAX_PRACTICE_DOCUMENTS = 50  # documents of a practice dossier, referred to by number


class Inline(str):
    """Text that may use the small inline markup documented in ``inline.py``."""


class Url(str):
    """An http(s), mailto or tel link."""


class Time(str):
    """A time of day, ``HH:MM``."""


class Condition(str):
    """A condition over the procedure's questions (see conditions.py); carries
    where its text starts in the file so errors point inside it, and its
    parsed form once the validator has read it."""

    line = 0
    column = 0
    tree: list | None = None


class FormFile(str):
    """A downloadable form: a path inside handbook/mau/."""


def spec(
    key: str,
    doc: str,
    *,
    label: str,
    item_label: str | None = None,
    default: Any = dataclasses.MISSING,
    example: Any = None,
    choices: dict[str, str] | None = None,
    ref: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    min_items: int = 0,
    max_items: int | None = None,
) -> Any:
    """Declare one schema field.

    ``label`` is the field's short Vietnamese name in sentence case ("Thời
    hạn giải quyết"): the one wording used wherever the handbook names this
    key (flags on the page, change lines of ``sotay diff``, messages).
    ``item_label``, for a list, names one of its items inside a sentence, in
    lower case ("thêm giấy tờ: …"), when that is not simply the label in
    lower case (see ``item_label_of``).

    ``ref`` names a registry the value must exist in: ``field`` (lĩnh vực),
    ``legal`` (văn bản pháp luật) or ``procedure`` (another procedure id).
    ``min_items``/``max_items`` bound the entries of a list or a block of keys.
    """
    meta = {
        "key": key,
        "doc": doc,
        "label": label,
        "item_label": item_label,
        "example": example,
        "choices": choices,
        "ref": ref,
        "minimum": minimum,
        "maximum": maximum,
        "min_items": min_items,
        "max_items": max_items,
    }
    if default is dataclasses.MISSING:
        return field(metadata=meta)
    if isinstance(default, (list, dict)):
        return field(default_factory=type(default), metadata=meta)
    return field(default=default, metadata=meta)


def optional_condition() -> Any:
    """The 'chi_khi' key an item of a guided procedure may carry."""
    return spec(
        "chi_khi", "Chỉ áp dụng khi điều kiện này đúng (theo các câu hỏi trong 'cau_hoi').",
        label="Điều kiện áp dụng", default=None,
        example="sinh_o_nuoc_ngoai và không cha_me_da_ket_hon",
    )


# --- shared vocabularies (value → label shown on the site) -------------------

LEVELS = {"xa": "Cấp xã", "tinh": "Cấp tỉnh", "trung-uong": "Cấp trung ương"}
CHANNELS = {
    "truc-tiep": "Trực tiếp",
    "buu-chinh": "Qua dịch vụ bưu chính",
    "truc-tuyen": "Trực tuyến",
}
DEADLINE_KINDS = {
    "ngay-lam-viec": "ngày làm việc",
    "gio-lam-viec": "giờ làm việc",
    "trong-ngay": "trong ngày",
    "ngay": "ngày (tính cả ngày nghỉ)",
    "chua-xac-minh": "chưa xác minh được thời hạn",
}
QUESTION_KINDS = {"co-khong": "Có hoặc không", "mot-lua-chon": "Chọn một trong các lựa chọn", "so": "Một số", "ngay": "Một ngày"}
FEE_KINDS = {"le-phi": "Lệ phí", "phi": "Phí"}
DOC_FORMS = {
    "ban-chinh": "Bản chính",
    "ban-sao": "Bản sao",
    "ban-sao-chung-thuc": "Bản sao có chứng thực",
    "xuat-trinh": "Bản chính để xuất trình (đối chiếu, không nộp)",
    "ban-chup": "Bản chụp/bản điện tử",
}
LEGAL_KINDS = {
    "luat": "Luật",
    "bo-luat": "Bộ luật",
    "nghi-quyet": "Nghị quyết",
    "phap-lenh": "Pháp lệnh",
    "nghi-dinh": "Nghị định",
    "thong-tu": "Thông tư",
    "quyet-dinh": "Quyết định",
    "chi-thi": "Chỉ thị",
    "cong-van": "Công văn",
}
LEGAL_STATUS = {
    "con-hieu-luc": "Còn hiệu lực",
    "het-hieu-luc-mot-phan": "Hết hiệu lực một phần",
    "het-hieu-luc": "Hết hiệu lực",
    "chua-co-hieu-luc": "Chưa có hiệu lực",
}


# --- procedure -----------------------------------------------------------------


@dataclass(kw_only=True)
class Deadline:
    """Thời hạn giải quyết."""

    kind: str = spec(
        "loai",
        "Cách tính thời hạn.",
        label="Cách tính thời hạn",
        choices=DEADLINE_KINDS,
        example="ngay-lam-viec",
    )
    amount: int | None = spec(
        "so",
        "Số ngày hoặc số giờ (bỏ trống khi giải quyết trong ngày).",
        label="Số ngày, số giờ",
        default=None,
        minimum=1,
        maximum=365,
        example=3,
    )
    cutoff: Time | None = spec(
        "gio_cat",
        "Giờ tiếp nhận muộn nhất để trả trong ngày (HH:MM); nhận sau giờ này thì trả vào ngày làm việc tiếp theo.",
        label="Giờ cắt",
        default=None,
        example="15:00",
    )
    note: Inline | None = spec(
        "ghi_chu",
        "Ghi chú về thời hạn (trường hợp kéo dài, cần xác minh…).",
        label="Ghi chú",
        default=None,
        example="Trường hợp cần xác minh thì không quá 05 ngày làm việc.",
    )


@dataclass(kw_only=True)
class Fee:
    """Một khoản phí hoặc lệ phí."""

    name: str = spec("ten", "Tên khoản phí, lệ phí.", label="Tên khoản thu", example="Lệ phí đăng ký kết hôn")
    kind: str = spec("loai", "Phí hay lệ phí.", label="Loại", choices=FEE_KINDS, default="le-phi")
    amount: int | None = spec(
        "so_tien",
        "Số tiền (đồng). Bỏ trống khi mức do địa phương quy định (dùng `theo_dia_phuong`) hoặc chưa xác minh được.",
        label="Số tiền",
        default=None,
        minimum=0,
        maximum=1_000_000_000,
        example=8000,
    )
    unit: str | None = spec(
        "don_vi",
        "Đơn vị tính khi thu theo số lượng (ví dụ: trang, bản, việc).",
        label="Đơn vị tính",
        default=None,
        example="bản",
    )
    local_key: str | None = spec(
        "theo_dia_phuong",
        "Khóa mức thu trong handbook/data/muc-thu-dia-phuong.yml khi mức do HĐND tỉnh quyết định; mỗi ấn bản tỉnh ghi mức của tỉnh.",
        label="Mức thu địa phương",
        default=None,
        ref="local_fee",
        example="le-phi-ho-tich.ket-hon",
    )
    exemptions: list[Inline] = spec(
        "mien_giam",
        "Các trường hợp miễn, giảm.",
        label="Miễn, giảm", item_label="trường hợp miễn, giảm",
        default=[],
        example=["Miễn lệ phí đăng ký khai sinh đúng hạn."],
    )
    note: Inline | None = spec("ghi_chu", "Ghi chú.",
                               label="Ghi chú", default=None, example="Theo Thông tư 281/2016/TT-BTC.")
    condition: Condition | None = optional_condition()


@dataclass(kw_only=True)
class Channel:
    """Một cách thức thực hiện (nộp hồ sơ)."""

    kind: str = spec("hinh_thuc", "Hình thức nộp hồ sơ.", label="Hình thức", choices=CHANNELS, example="truc-tuyen")
    portal: Url | None = spec(
        "cong_truc_tuyen",
        "Đường dẫn cổng dịch vụ công (bắt buộc với hình thức trực tuyến).",
        label="Cổng trực tuyến",
        default=None,
        example="https://dichvucong.gov.vn",
    )
    deadline: Deadline | None = spec(
        "thoi_han", "Thời hạn riêng của cách thức này, nếu khác thời hạn chung.", label="Thời hạn riêng", default=None
    )
    fees: list[Fee] | None = spec(
        "phi", "Phí, lệ phí riêng của cách thức này, nếu khác mức chung.", label="Phí riêng", default=None
    )
    note: Inline | None = spec(
        "ghi_chu", "Ghi chú.",
        label="Ghi chú", default=None, example="Gửi kèm bản sao có chứng thực các giấy tờ phải xuất trình."
    )


@dataclass(kw_only=True)
class DossierItem:
    """Một giấy tờ trong thành phần hồ sơ."""

    name: Inline = spec("ten", "Tên giấy tờ.", label="Tên giấy tờ", example="Tờ khai đăng ký khai sinh")
    form: str = spec("loai", "Loại bản.", label="Loại", choices=DOC_FORMS, default="ban-chinh")
    copies: int = spec("so_luong", "Số lượng.", label="Số lượng", default=1, minimum=1, maximum=20)
    template: str | None = spec(
        "mau",
        "Mẫu đơn, tờ khai (số hiệu mẫu và văn bản ban hành).",
        label="Mẫu",
        default=None,
        example="Mẫu ban hành kèm Thông tư 04/2020/TT-BTP",
    )
    template_file: FormFile | None = spec(
        "tep_mau",
        "Tệp mẫu để tải về, đặt trong thư mục handbook/mau/ (.pdf, .doc, .docx, .odt).",
        label="Tệp mẫu",
        default=None,
        example="mau/to-khai-dang-ky-khai-sinh.docx",
    )
    note: Inline | None = spec("ghi_chu", "Ghi chú.",
                               label="Ghi chú", default=None, example="Kèm bản chính để đối chiếu.")
    condition: Condition | None = optional_condition()


@dataclass(kw_only=True)
class CheckItem:
    """Một việc cần kiểm tra, chỉ áp dụng trong một số tình huống."""

    text: Inline = spec("viec", "Việc phải làm hoặc kiểm tra.",
                        label="Việc", example="Kiểm tra giấy tờ chứng minh việc sinh ở nước ngoài.")
    condition: Condition = spec("chi_khi", "Chỉ áp dụng khi điều kiện này đúng.",
                                label="Điều kiện áp dụng", example="sinh_o_nuoc_ngoai")


@dataclass(kw_only=True)
class Note:
    """Một lưu ý cho cán bộ, có thể chỉ áp dụng trong một số tình huống."""

    text: Inline = spec("noi_dung", "Nội dung lưu ý.",
                        label="Nội dung", example="Quá 60 ngày: không thu lệ phí nhưng nhắc nghĩa vụ đăng ký đúng hạn.")
    condition: Condition | None = optional_condition()


@dataclass(kw_only=True)
class Question:
    """Một câu hỏi tình huống: câu trả lời quyết định giấy tờ, bước, việc kiểm tra, lệ phí, lưu ý nào áp dụng."""

    key: str = spec("ma", "Mã câu hỏi: chữ thường không dấu, nối bằng dấu gạch dưới.",
                    label="Mã", example="sinh_o_nuoc_ngoai")
    text: str = spec("hoi", "Câu hỏi, như cán bộ hỏi công dân.",
                     label="Câu hỏi", example="Trẻ có sinh ra ở nước ngoài không?")
    label: str = spec("nhan", "Tên ngắn của câu hỏi, dùng khi ghi điều kiện bằng lời.",
                      label="Nhãn", example="Trẻ sinh ra ở nước ngoài")
    kind: str = spec("kieu", "Kiểu câu trả lời.", label="Kiểu trả lời", choices=QUESTION_KINDS, default="co-khong")
    choices: dict[str, str] = spec(
        "lua_chon", "Các lựa chọn (mã: nhãn), chỉ cho kiểu mot-lua-chon.",
        label="Lựa chọn", default={}, max_items=MAX_CHOICES, example={"cha": "Cha", "me": "Mẹ"},
    )
    yes_label: str | None = spec(
        "tra_loi_co",
        "Chỉ cho câu có/không: chữ của câu trả lời “Có”, viết thành cụm đọc riêng được; hiện trên nút trả lời và "
        "trong dòng “Chỉ khi”. Không ghi thì là “Có”.",
        label="Trả lời “Có”", default=None, example="Đã đăng ký kết hôn",
    )
    no_label: str | None = spec(
        "tra_loi_khong",
        "Chỉ cho câu có/không: chữ của câu trả lời “Không”, viết thành cụm đọc riêng được; hiện trên nút trả lời và "
        "trong dòng “Chỉ khi”. Không ghi thì là “Không”.",
        label="Trả lời “Không”", default=None, example="Chưa đăng ký kết hôn",
    )
    help: Inline | None = spec(
        "giai_thich", "Giải thích thêm để trả lời đúng.", label="Giải thích", default=None,
        example="Thời hạn đăng ký khai sinh là 60 ngày kể từ ngày sinh (khoản 1 Điều 15 Luật Hộ tịch).",
    )

    def answer_words(self) -> dict[bool, str]:
        """The words of a yes/no question's two answers: its own when named, else "Có"/"Không"."""
        return {True: self.yes_label or "Có", False: self.no_label or "Không"}


@dataclass(kw_only=True)
class Step:
    """Một bước xử lý nội bộ của cán bộ."""

    name: str = spec("ten", "Tên bước.", label="Tên bước", example="Tiếp nhận và kiểm tra hồ sơ")
    role: str = spec(
        "vai_tro", "Ai thực hiện.", label="Người thực hiện", example="Công chức Tư pháp - Hộ tịch"
    )
    time: str | None = spec(
        "thoi_gian", "Thời gian dành cho bước này.", label="Thời gian", default=None, example="Ngay khi nhận hồ sơ"
    )
    checklist: list[Inline | CheckItem] = spec(
        "kiem_tra",
        "Những việc phải làm/kiểm tra ở bước này (nên 5–9 mục); một mục chỉ áp dụng trong một số tình huống "
        "viết dạng {viec: …, chi_khi: …}.",
        label="Việc kiểm tra",
        min_items=1,
        example=["Đối chiếu giấy tờ tùy thân của người nộp."],
    )
    tips: list[Inline] = spec(
        "meo", "Mẹo cho cán bộ mới.", label="Mẹo", default=[],
        example=["Hướng dẫn cha mẹ kiểm tra Giấy khai sinh điện tử trên VNeID sau khi nhận."],
    )
    mistakes: list[Inline] = spec(
        "loi_thuong_gap", "Lỗi thường gặp ở bước này.", label="Lỗi thường gặp", default=[],
        example=["Quên thu bản giấy Giấy chứng sinh gốc với hồ sơ nộp trực tuyến."],
    )
    systems: list[str] = spec(
        "he_thong",
        "Hệ thống, phần mềm dùng ở bước này.",
        label="Hệ thống",
        default=[],
        example=["Phần mềm đăng ký, quản lý hộ tịch điện tử dùng chung"],
    )
    condition: Condition | None = optional_condition()


@dataclass(kw_only=True)
class LegalRef:
    """Một căn cứ pháp lý."""

    document: str = spec(
        "van_ban",
        "Số, ký hiệu văn bản (phải có trong handbook/data/van-ban.yml).",
        label="Văn bản",
        ref="legal",
        example="60/2014/QH13",
    )
    article: str | None = spec("dieu", "Điều, khoản áp dụng.", label="Điều, khoản", default=None, example="Điều 16")


@dataclass(kw_only=True)
class Source:
    """Một nguồn tham khảo."""

    title: str = spec("ten", "Tên nguồn.", label="Tên nguồn", example="Cơ sở dữ liệu quốc gia về TTHC")
    url: Url | None = spec("url", "Đường dẫn.", label="Đường dẫn", default=None, example="https://dichvucong.gov.vn")


@dataclass(kw_only=True)
class Verification:
    """Một số liệu còn cần xác minh."""

    field_key: str = spec(
        "truong",
        "Khóa của mục cần xác minh (ví dụ: phi, thoi_han, ma_thu_tuc) hoặc thu_tuc cho cả thủ tục.",
        label="Mục cần xác minh",
        example="phi",
    )
    reason: str = spec("ly_do", "Vì sao cần xác minh.",
                       label="Lý do", example="Chưa đối chiếu được nghị quyết HĐND tỉnh.")


@dataclass(kw_only=True)
class Procedure:
    """Một thủ tục hành chính. Mã định danh (id) là tên tệp."""

    title: str = spec("ten", "Tên thủ tục.", label="Tên thủ tục", example="Đăng ký khai sinh")
    field_id: str = spec("linh_vuc", "Lĩnh vực (khóa trong handbook/data/linh-vuc.yml).",
                         label="Lĩnh vực", ref="field", example="ho-tich")
    levels: list[str] = spec(
        "cap_thuc_hien", "Cấp thực hiện.", label="Cấp thực hiện", choices=LEVELS, min_items=1, example=["xa"]
    )
    agency: str = spec("co_quan_thuc_hien", "Cơ quan thực hiện.",
                       label="Cơ quan thực hiện", example="Ủy ban nhân dân cấp xã")
    summary: Inline = spec(
        "tom_tat", "Tóm tắt một hai câu: thủ tục này dùng khi nào.",
        label="Tóm tắt",
        example="Đăng ký khai sinh lần đầu cho trẻ em; cha, mẹ phải đăng ký trong 60 ngày kể từ ngày sinh.",
    )
    subjects: list[str] = spec(
        "doi_tuong", "Đối tượng thực hiện.", label="Đối tượng", min_items=1, example=["Công dân Việt Nam"]
    )
    channels: list[Channel] = spec("cach_thuc", "Cách thức thực hiện.",
                                   label="Cách thức thực hiện", item_label="cách thức", min_items=1)
    deadline: Deadline = spec("thoi_han", "Thời hạn giải quyết chung.", label="Thời hạn giải quyết")
    dossier: list[DossierItem] = spec("ho_so", "Thành phần hồ sơ.",
                                      label="Thành phần hồ sơ", item_label="giấy tờ", min_items=1)
    results: list[Inline] = spec(
        "ket_qua", "Kết quả công dân nhận được.", label="Kết quả", min_items=1, example=["Giấy khai sinh (bản chính)"]
    )
    steps: list[Step] = spec("quy_trinh", "Các bước xử lý nội bộ, theo thứ tự.",
                             label="Các bước xử lý", item_label="bước", min_items=1)
    legal_basis: list[LegalRef] = spec("can_cu_phap_ly", "Căn cứ pháp lý.", label="Căn cứ pháp lý", min_items=1)
    reviewed: dt.date = spec("ngay_ra_soat", "Ngày rà soát gần nhất (YYYY-MM-DD).",
                             label="Ngày rà soát", example="2025-11-20")
    owner: str = spec("phu_trach", "Đơn vị/người phụ trách nội dung.",
                      label="Phụ trách", example="Công chức Tư pháp - Hộ tịch")
    code: str | None = spec(
        "ma_thu_tuc",
        "Mã thủ tục trên Cơ sở dữ liệu quốc gia về TTHC (đặt trong dấu nháy). Bỏ trống nếu chưa xác minh.",
        label="Mã thủ tục",
        default=None,
        example="1.001193",
    )
    partner_agencies: list[str] = spec(
        "co_quan_phoi_hop", "Cơ quan phối hợp.", label="Cơ quan phối hợp", default=[], example=["Công an cấp xã"]
    )
    fees: list[Fee] = spec("phi", "Phí, lệ phí (để danh sách rỗng [] nếu không thu).", label="Phí, lệ phí", default=[])
    requirements: list[Inline] = spec(
        "dieu_kien", "Yêu cầu, điều kiện.", label="Yêu cầu, điều kiện", item_label="điều kiện", default=[],
        example=["Trẻ chưa được đăng ký khai sinh ở Việt Nam hoặc ở nước ngoài."],
    )
    related: list[str] = spec(
        "lien_quan", "Mã định danh các thủ tục liên quan (tên tệp).",
        label="Thủ tục liên quan", default=[], ref="procedure",
        example=["dang-ky-ket-hon"],
    )
    keywords: list[str] = spec(
        "tu_khoa", "Từ ngữ người dân hay dùng để gọi thủ tục này.",
        label="Từ khóa", default=[], example=["giấy khai sinh", "làm khai sinh"]
    )
    sources: list[Source] = spec("nguon", "Nguồn tham khảo.", label="Nguồn tham khảo", item_label="nguồn", default=[])
    unverified: list[Verification] = spec("can_xac_minh", "Các số liệu còn cần xác minh.",
                                          label="Cần xác minh", item_label="mục cần xác minh", default=[])
    questions: list[Question] = spec(
        "cau_hoi", "Câu hỏi tình huống cho phần hướng dẫn theo tình huống (xem 'chi_khi').",
        label="Hướng dẫn theo tình huống", item_label="câu hỏi", default=[], max_items=MAX_QUESTIONS,
    )
    notes: list[Note] = spec("luu_y", "Lưu ý cho cán bộ, có thể kèm 'chi_khi'.", label="Lưu ý", default=[])
    training: Training | None = spec(
        "dao_tao", "Nội dung đào tạo: mục tiêu, tình huống, trắc nghiệm, hồ sơ thực hành (xem trang Đào tạo).",
        label="Nội dung đào tạo", default=None
    )
    effective_from: dt.date | None = spec(
        "hieu_luc_tu",
        "Ngày bắt đầu áp dụng nội dung ở trên (YYYY-MM-DD); bỏ trống khi đã áp dụng từ trước. "
        "Nội dung thay đổi từ một ngày sau này ghi ở 'phien_ban'.",
        label="Áp dụng từ", default=None, example="2025-07-01",
    )
    versions: list[Version] = spec(
        "phien_ban",
        "Các phiên bản áp dụng từ một ngày sau này, theo thứ tự ngày: mỗi phiên bản ghi 'hieu_luc_tu', "
        "'ghi_chu' (thay đổi gì, vì sao) và chỉ các khóa thay đổi; khóa nào ghi thì thay cả giá trị của khóa đó "
        "từ ngày ấy, các phiên bản sau cộng dồn lên các phiên bản trước.",
        label="Phiên bản theo ngày hiệu lực", item_label="phiên bản", default=[],
    )

    # Set by the loader, not by editors.
    id: str = field(default="", metadata={"internal": True})
    path: str = field(default="", metadata={"internal": True})
    # The content digest of its file; not data, so equality ignores it (sotay fmt compares models).
    version: str = field(default="", compare=False, metadata={"internal": True})

    def flagged(self, key: str) -> list[Verification]:
        return [v for v in self.unverified if v.field_key == key]


# Keys a version may not change: what the procedure is (its field is its
# folder) and the version machinery itself.
VERSION_FIXED = {
    "linh_vuc": "lĩnh vực của thủ tục không đổi theo phiên bản (lĩnh vực là thư mục chứa tệp)",
    "hieu_luc_tu": "",
    "phien_ban": "phiên bản không lồng trong phiên bản",
}


def _version_class() -> type:
    """``Version``: a later version of a procedure.  Its own keys
    (hieu_luc_tu, ghi_chu, can_cu), then every procedure key that may change,
    each optional: a key written replaces that key's whole value from the
    version's date.  Made from ``Procedure``'s declarations so the two never
    disagree (fmt, the JSON Schema and the schema page read it like any class)."""
    own = [
        ("effective", "dt.date", spec("hieu_luc_tu", "Ngày phiên bản này bắt đầu áp dụng (YYYY-MM-DD); "
                                      "phiên bản sau bắt đầu thì phiên bản này hết áp dụng.",
                                      label="Áp dụng từ", example="2027-03-01")),
        ("change_note", "Inline", spec("ghi_chu", "Thay đổi gì so với phiên bản trước, và vì sao.",
                                       label="Thay đổi", example="Luật Hộ tịch 2026 có hiệu lực, thay Luật Hộ tịch 2014.")),
        ("change_basis", "list[LegalRef]", spec("can_cu", "Văn bản làm thay đổi (phải có trong handbook/data/van-ban.yml).",
                                                label="Căn cứ thay đổi", item_label="căn cứ", default=[])),
    ]
    changing = []
    for f in schema_fields(Procedure):
        if f.metadata["key"] in VERSION_FIXED:
            continue
        meta = dict(f.metadata)
        changing.append((f.name, f"{f.type} | None", dataclasses.field(default=None, metadata=meta)))
    cls = dataclasses.make_dataclass("Version", own + changing, kw_only=True)
    cls.__module__ = __name__  # pickled by name (the loader's workers send procedures back)
    cls.__doc__ = "Một phiên bản của thủ tục áp dụng từ một ngày: chỉ ghi các khóa thay đổi."
    cls.FIXED_KEYS = VERSION_FIXED
    return cls


T = TypeVar("T")
DERIVED = "_derived"  # on a loaded object: what was worked out from it (derived())


def derived(obj: Any, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, worked out once from ``obj`` and kept on it: sotay serve
    reuses an unchanged file's objects from one load to the next.  A copy
    with other values (placeholders.fill) does not keep it."""
    kept = obj.__dict__.setdefault(DERIVED, {})
    if name not in kept:
        kept[name] = compute()
    return kept[name]


def changed_attrs(version: Any) -> list[str]:
    """The procedure attributes a version writes (present in its file)."""
    return [a for a in getattr(version, "_locs", {}) if a in Procedure.__dataclass_fields__]


# --- training ("cầm tay chỉ việc") -----------------------------------------------

AUDIENCES = {
    "cong-chuc-moi": "Công chức mới nhận nhiệm vụ",
    "cong-chuc-co-kinh-nghiem": "Công chức đã có kinh nghiệm",
    "lanh-dao": "Lãnh đạo UBND cấp xã",
}
QUIZ_KINDS = {"mot-dap-an": "Chọn một đáp án", "nhieu-dap-an": "Chọn tất cả đáp án đúng"}
DEFECT_KINDS = {
    "sai-mau": "Sai mẫu",
    "thieu-chu-ky": "Thiếu chữ ký",
    "het-han": "Giấy tờ hết hạn",
    "qua-thoi-han": "Quá thời hạn",
    "thieu-giay-to": "Thiếu giấy tờ",
    "sai-thong-tin": "Thông tin không khớp",
    "sai-tham-quyen": "Không đúng thẩm quyền",
    "khac": "Lỗi khác",
}
BLOCK_KINDS = {
    "giai-thich": "Giải thích",
    "trinh-dien": "Làm mẫu",
    "thuc-hanh-tinh-huong": "Thực hành tình huống",
    "ho-so-thuc-hanh": "Kiểm tra hồ sơ thực hành",
    "kiem-tra": "Trắc nghiệm",
    "trao-doi": "Trao đổi, rút kinh nghiệm",
}


@dataclass(kw_only=True)
class Scenario:
    """Một tình huống thực hành: chuyện xảy ra ở quầy, việc học viên phải làm và cách xử lý đúng."""

    key: str = spec("ma", "Mã tình huống, duy nhất trong cả sổ tay (chữ thường không dấu, gạch ngang).",
                    label="Mã tình huống",
                    example="khai-sinh-qua-han")
    title: str = spec("ten", "Tên ngắn của tình huống.",
                      label="Tên tình huống", example="Khai sinh cho trẻ đã quá 60 ngày")
    situation: Inline = spec(
        "boi_canh", "Chuyện xảy ra: ai đến, mang gì, hỏi gì (học viên đọc phần này).",
        label="Bối cảnh",
        example="Chị Lan mang Giấy chứng sinh của con, sinh cách đây 75 ngày, đến đăng ký khai sinh.",
    )
    task: Inline = spec("yeu_cau", "Học viên phải làm gì.",
                        label="Yêu cầu", example="Tiếp nhận hồ sơ và cho biết có thu lệ phí không.")
    handling: list[Inline] = spec(
        "cach_xu_ly", "Cách xử lý đúng, từng bước (chỉ có trong bản giảng viên).", label="Cách xử lý", min_items=1,
        example=["Vẫn tiếp nhận theo thủ tục đăng ký khai sinh; quá hạn không phải là lý do từ chối."],
    )
    mistakes: list[Inline] = spec(
        "loi_can_tranh", "Những lỗi học viên hay mắc, giảng viên cần để ý (chỉ có trong bản giảng viên).",
        label="Lỗi cần tránh", default=[],
        example=["Từ chối vì cho rằng quá hạn phải làm thủ tục khác."],
    )
    legal_basis: list[LegalRef] = spec("can_cu", "Căn cứ pháp lý của cách xử lý.", label="Căn cứ pháp lý", default=[])


@dataclass(kw_only=True)
class QuizQuestion:
    """Một câu hỏi trắc nghiệm, có đáp án và giải thích dẫn căn cứ pháp lý."""

    key: str = spec("ma", "Mã câu hỏi, duy nhất trong cả sổ tay (chữ thường không dấu, gạch ngang).",
                    label="Mã câu hỏi",
                    example="khai-sinh-thoi-han")
    text: str = spec("hoi", "Câu hỏi.",
                     label="Câu hỏi", example="Cha, mẹ phải đăng ký khai sinh cho con trong thời hạn bao lâu?")
    kind: str = spec("kieu", "Một đáp án đúng hay nhiều đáp án đúng.",
                     label="Kiểu câu hỏi", choices=QUIZ_KINDS, default="mot-dap-an")
    choices: list[str] = spec("lua_chon", "Các lựa chọn (ít nhất hai), theo thứ tự A, B, C…",
                              label="Lựa chọn", min_items=2, max_items=len(QUIZ_LETTERS),
                              example=["30 ngày", "60 ngày", "90 ngày"])
    answers: list[int] = spec(
        "dap_an", "Số thứ tự các lựa chọn đúng, đếm từ 1 (ví dụ [2] là lựa chọn thứ hai, tức B).",
        label="Đáp án",
        min_items=1, max_items=len(QUIZ_LETTERS), minimum=1, maximum=len(QUIZ_LETTERS), example=[2],
    )
    explanation: Inline = spec(
        "giai_thich", "Vì sao đáp án đúng (hiện sau khi học viên nộp bài; không có trong bản in cho học viên).",
        label="Giải thích",
        example="Khoản 1 Điều 15 Luật Hộ tịch: trong 60 ngày kể từ ngày sinh.",
    )
    legal_basis: LegalRef = spec("can_cu", "Căn cứ pháp lý của đáp án.", label="Căn cứ pháp lý")


@dataclass(kw_only=True)
class PracticeDocument:
    """Một giấy tờ trong bộ hồ sơ thực hành, như học viên nhìn thấy."""

    name: str = spec("ten", "Tên giấy tờ.", label="Tên giấy tờ", example="Tờ khai đăng ký khai sinh")
    description: Inline = spec(
        "mo_ta", "Giấy tờ trông thế nào: đã điền gì, ngày tháng, chữ ký… (lỗi cài sẵn nằm trong chi tiết, không nói thẳng).",
        label="Mô tả",
        example="Điền đủ các mục; ngày khai 12/11/2026; ô chữ ký người yêu cầu để trống.",
    )


@dataclass(kw_only=True)
class Defect:
    """Một lỗi cài sẵn trong hồ sơ thực hành mà học viên phải tìm ra."""

    document: int | None = spec(
        "giay_to", "Số thứ tự giấy tờ có lỗi trong 'giay_to', đếm từ 1; bỏ trống nếu lỗi thuộc cả bộ hồ sơ (thiếu giấy tờ, quá hạn…).",
        label="Giấy tờ có lỗi",
        default=None, minimum=1, maximum=MAX_PRACTICE_DOCUMENTS, example=1,
    )
    kind: str = spec("loai", "Loại lỗi.", label="Loại lỗi", choices=DEFECT_KINDS, example="thieu-chu-ky")
    description: Inline = spec("mo_ta", "Lỗi là gì (chỉ có trong bản giảng viên).",
                               label="Mô tả lỗi", example="Tờ khai chưa có chữ ký của người yêu cầu.")
    fix: Inline | None = spec("xu_ly", "Cán bộ phải làm gì khi gặp lỗi này.", label="Cách xử lý", default=None,
                              example="Đề nghị người yêu cầu ký vào tờ khai trước khi tiếp nhận.")


@dataclass(kw_only=True)
class PracticeDossier:
    """Một bộ hồ sơ thực hành có lỗi cài sẵn."""

    key: str = spec("ma", "Mã bộ hồ sơ, duy nhất trong cả sổ tay (chữ thường không dấu, gạch ngang).",
                    label="Mã bộ hồ sơ",
                    example="khai-sinh-ho-so-loi")
    title: str = spec("ten", "Tên bộ hồ sơ.", label="Tên bộ hồ sơ", example="Hồ sơ khai sinh nộp trực tiếp")
    situation: Inline = spec("boi_canh", "Ai nộp, nộp khi nào, để làm gì.",
                             label="Bối cảnh",
                             example="Anh Minh nộp hồ sơ khai sinh cho con ngày 20/11/2026.")
    documents: list[PracticeDocument] = spec("giay_to", "Các giấy tờ trong bộ hồ sơ, như học viên nhìn thấy.",
                                             label="Giấy tờ", min_items=1, max_items=MAX_PRACTICE_DOCUMENTS)
    defects: list[Defect] = spec("loi", "Các lỗi cài sẵn học viên phải tìm (chỉ có trong bản giảng viên).",
                                 label="Lỗi cài sẵn", min_items=1)


@dataclass(kw_only=True)
class Training:
    """Nội dung đào tạo của một thủ tục: mục tiêu, tình huống, câu hỏi trắc nghiệm, hồ sơ thực hành."""

    objectives: list[Inline] = spec(
        "muc_tieu", "Sau buổi học, học viên làm được gì.", label="Mục tiêu", min_items=1,
        example=["Tiếp nhận đúng hồ sơ khai sinh, kể cả trường hợp quá hạn."],
    )
    scenarios: list[Scenario] = spec("tinh_huong", "Các tình huống thực hành.",
                                     label="Tình huống thực hành", item_label="tình huống", default=[])
    quiz: list[QuizQuestion] = spec("cau_hoi_kiem_tra", "Các câu hỏi trắc nghiệm.",
                                    label="Câu hỏi trắc nghiệm", item_label="câu hỏi", default=[])
    dossiers: list[PracticeDossier] = spec("ho_so_thuc_hanh", "Các bộ hồ sơ thực hành có lỗi cài sẵn.",
                                           label="Hồ sơ thực hành", default=[])


@dataclass(kw_only=True)
class AgendaBlock:
    """Một khối trong chương trình buổi đào tạo."""

    kind: str = spec("loai", "Loại hoạt động.",
                     label="Loại hoạt động", choices=BLOCK_KINDS, example="thuc-hanh-tinh-huong")
    minutes: int = spec("thoi_luong", "Thời lượng (phút).", label="Thời lượng", minimum=1, maximum=480, example=20)
    title: str | None = spec("ten", "Tên khối (mặc định là tên loại hoạt động).", label="Tên khối", default=None,
                             example="Thực hành: khai sinh quá hạn")
    content: Inline | None = spec("noi_dung", "Nội dung, cách làm (bắt buộc với 'trao-doi'; với 'giai-thich', "
                                  "'trinh-dien' cần 'noi_dung' hoặc 'thu_tuc').", label="Nội dung", default=None)
    procedures: list[str] = spec("thu_tuc", "Thủ tục giải thích hoặc làm mẫu (phải có trong 'thu_tuc' của buổi).",
                                 label="Thủ tục",
                                 default=[], ref="procedure", example=["dang-ky-khai-sinh"])
    scenarios: list[str] = spec("tinh_huong", "Mã các tình huống (khối 'thuc-hanh-tinh-huong').",
                                label="Tình huống", default=[],
                                example=["khai-sinh-qua-han"])
    dossiers: list[str] = spec("ho_so", "Mã các bộ hồ sơ thực hành (khối 'ho-so-thuc-hanh').",
                               label="Hồ sơ thực hành", default=[],
                               example=["khai-sinh-ho-so-loi"])
    quiz: list[str] = spec("cau_hoi", "Mã các câu hỏi trắc nghiệm (khối 'kiem-tra').",
                           label="Câu hỏi trắc nghiệm", default=[],
                           example=["khai-sinh-thoi-han"])


@dataclass(kw_only=True)
class Session:
    """Một buổi đào tạo "cầm tay chỉ việc" (tệp handbook/dao-tao/<mã>.yml)."""

    title: str = spec("ten", "Tên buổi đào tạo.", label="Tên buổi đào tạo", example="Hộ tịch cơ bản cho công chức mới")
    audience: str = spec("doi_tuong", "Dành cho ai.", label="Đối tượng", choices=AUDIENCES, example="cong-chuc-moi")
    minutes: int = spec("thoi_luong", "Tổng thời lượng (phút); chương trình không được vượt quá.",
                        label="Thời lượng",
                        minimum=15, maximum=480, example=120)
    start: Time = spec("bat_dau", "Giờ bắt đầu (HH:MM), để tính giờ của từng khối.",
                       label="Giờ bắt đầu", default=Time("08:00"), example="08:00")
    procedures: list[str] = spec("thu_tuc", "Các thủ tục buổi học đề cập (tên tệp).",
                                 label="Thủ tục", min_items=1, ref="procedure",
                                 example=["dang-ky-khai-sinh", "dang-ky-ket-hon"])
    description: Inline | None = spec("mo_ta", "Giới thiệu ngắn.", label="Mô tả", default=None)
    objectives: list[Inline] = spec("muc_tieu", "Mục tiêu riêng của buổi (thêm vào mục tiêu của từng thủ tục).",
                                    label="Mục tiêu", default=[])
    materials: list[Inline] = spec("chuan_bi", "Tài liệu, dụng cụ giảng viên cần mang.", label="Chuẩn bị", default=[],
                                   example=["Máy chiếu", "Mẫu tờ khai in sẵn"])
    agenda: list[AgendaBlock] = spec("chuong_trinh", "Các khối hoạt động theo thứ tự.",
                                     label="Chương trình", min_items=1)
    id: str = field(default="", metadata={"internal": True})
    path: str = field(default="", metadata={"internal": True})


# --- registries ----------------------------------------------------------------


@dataclass(kw_only=True)
class FieldInfo:
    """Một lĩnh vực."""

    name: str = spec("ten", "Tên lĩnh vực.", label="Tên lĩnh vực", example="Hộ tịch")
    description: Inline = spec("mo_ta", "Mô tả ngắn.", label="Mô tả", default="")
    order: int = spec("thu_tu", "Thứ tự hiển thị.", label="Thứ tự", default=100, minimum=0, maximum=10000)
    id: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class LegalDocument:
    """Một văn bản quy phạm pháp luật. Khóa là số, ký hiệu."""

    kind: str = spec("loai", "Loại văn bản.", label="Loại văn bản", choices=LEGAL_KINDS, example="luat")
    title: str = spec("trich_yeu", "Trích yếu (tên văn bản).", label="Trích yếu", example="Luật Hộ tịch")
    issuer: str = spec("co_quan_ban_hanh", "Cơ quan ban hành.", label="Cơ quan ban hành", example="Quốc hội")
    issued: dt.date = spec("ngay_ban_hanh", "Ngày ban hành.", label="Ngày ban hành", example="2014-11-20")
    effective: dt.date | None = spec("ngay_hieu_luc", "Ngày có hiệu lực.", label="Ngày có hiệu lực", default=None)
    expires: dt.date | None = spec(
        "ngay_het_hieu_luc", "Ngày văn bản hết hiệu lực toàn bộ, nếu đã biết (kể cả ngày trong tương lai); "
        "từ ngày này văn bản được coi là hết hiệu lực trong bản dựng theo ngày.",
        label="Ngày hết hiệu lực", default=None, example="2027-03-01")
    status: str = spec("tinh_trang", "Tình trạng hiệu lực.",
                       label="Tình trạng hiệu lực", choices=LEGAL_STATUS, default="con-hieu-luc")
    amended_by: list[str] = spec("sua_doi_boi", "Bị sửa đổi, bổ sung bởi (số, ký hiệu).",
                                 label="Sửa đổi, bổ sung bởi", default=[], ref="legal")
    replaced_by: str | None = spec("thay_the_boi", "Bị thay thế bởi (số, ký hiệu).",
                                   label="Thay thế bởi", default=None, ref="legal")
    guides: list[str] = spec("huong_dan", "Văn bản mà văn bản này hướng dẫn thi hành (số, ký hiệu).",
                             label="Hướng dẫn thi hành", default=[], ref="legal")
    url: Url | None = spec("url", "Đường dẫn văn bản gốc.", label="Đường dẫn", default=None)
    note: Inline | None = spec("ghi_chu", "Ghi chú.", label="Ghi chú", default=None)
    id: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class GlossaryEntry:
    """Một chữ viết tắt."""

    meaning: str = spec("nghia", "Nghĩa đầy đủ.", label="Nghĩa", example="Thủ tục hành chính")
    id: str = field(default="", metadata={"internal": True})


# A national code on the national database of administrative procedures
# ("1.001193", "2.000986"): one digit, a dot, six digits.
NATIONAL_CODE = r"^[1-9]\.\d{6}$"


@dataclass(kw_only=True)
class CatalogueEntry:
    """Một thủ tục trong danh mục thủ tục hành chính cấp xã (handbook/data/danh-muc-tthc.yml). Khóa là mã định danh."""

    title: str = spec("ten", "Tên thủ tục, đúng như trong quyết định công bố hoặc trên Cổng Dịch vụ công quốc gia.",
                      label="Tên thủ tục", example="Đăng ký khai sinh")
    field_id: str = spec("linh_vuc", "Lĩnh vực (khóa trong handbook/data/linh-vuc.yml).",
                         label="Lĩnh vực", ref="field", example="ho-tich")
    code: str | None = spec(
        "ma_thu_tuc",
        "Mã thủ tục trên Cơ sở dữ liệu quốc gia về TTHC (đặt trong dấu nháy). Bỏ trống nếu chưa đối chiếu được nguồn.",
        label="Mã thủ tục", default=None, example="1.001193",
    )
    procedure: str | None = spec(
        "thu_tuc", "Mã định danh (tên tệp) của thủ tục đã có hướng dẫn chi tiết trong procedures/, nếu có.",
        label="Hướng dẫn chi tiết", default=None, ref="procedure", example="dang-ky-khai-sinh",
    )
    basis: str | None = spec(
        "can_cu", "Văn bản quy định hoặc quyết định công bố thủ tục ở cấp xã (số, ký hiệu, điều khoản), như ghi trong nguồn.",
        label="Căn cứ", default=None, example="Điều 4 Nghị định 120/2025/NĐ-CP",
    )
    sources: list[Source] = spec("nguon", "Nơi đã tìm thấy thủ tục này (tên nguồn và đường dẫn).",
                                 label="Nguồn", item_label="nguồn", min_items=1)
    unverified: list[Verification] = spec("can_xac_minh", "Các điểm còn cần xác minh (ví dụ: ma_thu_tuc).",
                                          label="Cần xác minh", item_label="mục cần xác minh", default=[])
    note: Inline | None = spec("ghi_chu", "Ghi chú.", label="Ghi chú", default=None)
    id: str = field(default="", metadata={"internal": True})


def schema_fields(cls: type) -> list[dataclasses.Field]:
    """The editor-facing fields of a model class, in declaration order."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def schema_field(cls: type, attr: str) -> dataclasses.Field:
    """The editor-facing field ``attr`` of a model class."""
    for f in schema_fields(cls):
        if f.name == attr:
            return f
    raise KeyError(f"{cls.__name__}.{attr}")


def key_of(cls: type, attr: str) -> str:
    """The YAML key editors write for attribute ``attr``."""
    return schema_field(cls, attr).metadata["key"]


def label_of(cls: type, attr: str) -> str:
    """The short Vietnamese name of attribute ``attr``, in sentence case."""
    return schema_field(cls, attr).metadata["label"]


def lower_first(text: str) -> str:
    """A sentence-case label as it reads inside a sentence: 'Ghi chú' → 'ghi chú'."""
    return text[:1].lower() + text[1:]


def item_label_of(f: dataclasses.Field) -> str:
    """How one item of a list field is named inside a sentence ("thêm giấy tờ: …"):
    its declared ``item_label``, else its label in lower case."""
    return f.metadata["item_label"] or lower_first(f.metadata["label"])


# 'truong: thu_tuc' in 'can_xac_minh' flags the whole procedure rather than one of its keys.
WHOLE_PROCEDURE = "thu_tuc"
WHOLE_PROCEDURE_LABEL = "Cả thủ tục"


def flag_label(key: str) -> str:
    """The name shown for what a 'can_xac_minh' entry of a procedure flags
    (its 'truong'): the label of that procedure key, or the whole procedure."""
    if key == WHOLE_PROCEDURE:
        return WHOLE_PROCEDURE_LABEL
    for f in schema_fields(Procedure):
        if f.metadata["key"] == key:
            return f.metadata["label"]
    return key


@dataclass(kw_only=True)
class Synonym:
    """Một nhóm cách nói thường ngày ứng với một cụm từ trong tên thủ tục."""

    everyday: list[str] = spec(
        "cach_noi", "Những cách người dân hay nói.",
        label="Cách nói", min_items=1, example=["giấy độc thân", "xác nhận độc thân"]
    )
    means: str = spec(
        "nghia_la",
        "Cụm từ dùng trong tên hoặc từ khóa thủ tục mà các cách nói trên chỉ tới.",
        label="Nghĩa là",
        example="xác nhận tình trạng hôn nhân",
    )


@dataclass(kw_only=True)
class TriageOption:
    """Một lựa chọn trả lời trong cây "Công dân cần gì?": dẫn tới câu hỏi tiếp theo hoặc tới một thủ tục."""

    label: str = spec("nhan", "Câu trả lời, như công dân nói.",
                      label="Câu trả lời", example="Trẻ chưa được đăng ký khai sinh")
    next: TriageQuestion | None = spec("tiep", "Câu hỏi tiếp theo (không dùng cùng 'den').",
                                       label="Câu hỏi tiếp theo", default=None)
    procedure: str | None = spec(
        "den", "Thủ tục phải làm (tên tệp, không có .yml).",
        label="Thủ tục", default=None, ref="procedure", example="dang-ky-khai-sinh"
    )
    answers: dict[str, str] = spec(
        "tra_loi", "Trả lời sẵn các câu hỏi tình huống của thủ tục được dẫn tới (mã câu hỏi: giá trị). "
        "Ở lựa chọn có 'tiep', câu trả lời được mang theo tới mọi thủ tục phía sau có câu hỏi đó.",
        label="Trả lời sẵn", default={},
        example={"sinh_o_nuoc_ngoai": "không"},
    )
    note: Inline | None = spec("ghi_chu", "Giải thích ngắn vì sao dẫn tới thủ tục này.", label="Ghi chú", default=None)


@dataclass(kw_only=True)
class TriageQuestion:
    """Một câu hỏi trong cây "Công dân cần gì?"."""

    text: str = spec("hoi", "Câu hỏi cán bộ hỏi công dân.",
                     label="Câu hỏi", example="Trẻ đã được đăng ký khai sinh chưa?")
    options: list[TriageOption] = spec("lua_chon", "Các câu trả lời (ít nhất hai).", label="Lựa chọn", min_items=2)


@dataclass(kw_only=True)
class TriageTree:
    """Một cây "Công dân cần gì?": từ nhu cầu của công dân tới đúng thủ tục."""

    title: str = spec("ten", "Nhu cầu của công dân.", label="Nhu cầu", example="Làm giấy tờ khai sinh cho trẻ")
    field_id: str = spec("linh_vuc", "Lĩnh vực.", label="Lĩnh vực", ref="field", example="ho-tich")
    description: Inline | None = spec("mo_ta", "Mô tả ngắn.", label="Mô tả", default=None)
    start: TriageQuestion = spec("cau_hoi", "Câu hỏi đầu tiên.", label="Câu hỏi đầu tiên")
    id: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class LocalFeeKind:
    """Một khoản thu do HĐND tỉnh quyết định (handbook/data/muc-thu-dia-phuong.yml): tên chung cho mọi ấn bản;
    mức thu của từng tỉnh ghi trong muc_thu của tệp tỉnh."""

    name: str = spec("ten", "Tên khoản thu.", label="Tên khoản thu", example="Lệ phí đăng ký kết hôn")
    unit: str | None = spec("don_vi", "Đơn vị tính.", label="Đơn vị tính", default=None, example="việc")
    id: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class LocalFee:
    """Mức thu của một tỉnh cho một khoản trong handbook/data/muc-thu-dia-phuong.yml."""

    name: str | None = spec("ten", "Tên khoản thu theo nghị quyết của tỉnh (bỏ trống: dùng tên chung).",
                            label="Tên khoản thu", default=None, example="Lệ phí đăng ký kết hôn")
    amount: int | None = spec(
        "so_tien", "Số tiền (đồng); bỏ trống nếu chưa xác minh.",
        label="Số tiền", default=None, minimum=0, maximum=1_000_000_000
    )
    unit: str | None = spec("don_vi", "Đơn vị tính.", label="Đơn vị tính", default=None)
    resolution: str | None = spec("can_cu", "Nghị quyết HĐND tỉnh quy định mức thu (số, ký hiệu, ngày), hiện cạnh mức thu.",
                                  label="Căn cứ", default=None, example="Nghị quyết 06/2020/NQ-HĐND ngày 07/7/2020 của HĐND Thành phố Hà Nội")
    note: Inline | None = spec("ghi_chu", "Ghi chú.", label="Ghi chú", default=None)
    sources: list[Source] = spec("nguon", "Nơi đã đối chiếu mức thu.", label="Nguồn", item_label="nguồn", default=[])
    unverified: str | None = spec("can_xac_minh", "Lý do nếu mức thu chưa xác minh được.",
                                  label="Cần xác minh", default=None)
    effective_from: dt.date | None = spec(
        "hieu_luc_tu", "Ngày mức thu này bắt đầu áp dụng (YYYY-MM-DD); bỏ trống khi đã áp dụng từ trước.",
        label="Áp dụng từ", default=None, example="2025-07-01")
    expires: dt.date | None = spec(
        "het_hieu_luc", "Ngày mức thu này thôi áp dụng (YYYY-MM-DD), nếu đã biết; mức mới (nếu có) ghi ở 'phien_ban'.",
        label="Hết hiệu lực từ", default=None, example="2027-01-01")
    versions: list[LocalFeeVersion] = spec(
        "phien_ban", "Mức thu mới từ một ngày sau này, theo thứ tự ngày: mỗi mục ghi 'hieu_luc_tu' và các khóa thay đổi.",
        label="Phiên bản theo ngày hiệu lực", item_label="phiên bản", default=[])


@dataclass(kw_only=True)
class LocalFeeVersion:
    """Một mức thu địa phương áp dụng từ một ngày: chỉ ghi các khóa thay đổi."""

    effective: dt.date = spec("hieu_luc_tu", "Ngày bắt đầu áp dụng (YYYY-MM-DD).", label="Áp dụng từ", example="2027-01-01")
    amount: int | None = spec("so_tien", "Số tiền mới (đồng).", label="Số tiền", default=None,
                              minimum=0, maximum=1_000_000_000)
    unit: str | None = spec("don_vi", "Đơn vị tính mới.", label="Đơn vị tính", default=None)
    legal_basis: str | None = spec("van_ban", "Nghị quyết HĐND tỉnh quy định mức mới.",
                                   label="Văn bản", default=None, ref="legal")
    note: Inline | None = spec("ghi_chu", "Ghi chú.", label="Ghi chú", default=None)
    unverified: str | None = spec("can_xac_minh", "Lý do nếu mức mới chưa xác minh được.",
                                  label="Cần xác minh", default=None)


@dataclass(kw_only=True)
class ReceivingUnit:
    """Nơi tiếp nhận và trả kết quả hồ sơ của xã, phường trong tỉnh."""

    name: str = spec("ten", "Tên nơi tiếp nhận như công dân thấy ở xã, phường; điền vào chỗ {{noi_tiep_nhan}} "
                     "của các thủ tục và trang viết tay.", label="Tên nơi tiếp nhận",
                     example="Trung tâm Phục vụ hành chính công xã, phường")
    kind: str = spec("mo_hinh", "Mô hình tổ chức của tỉnh.", label="Mô hình",
                     choices={"mot-cap": "Một cấp: Trung tâm của tỉnh, có Điểm phục vụ ở xã, phường",
                              "trung-tam-xa": "Mỗi xã, phường có Trung tâm Phục vụ hành chính công"},
                     example="trung-tam-xa")
    parent: str | None = spec("truc_thuoc", "Đơn vị mà điểm tiếp nhận trực thuộc (mô hình một cấp).",
                              label="Trực thuộc", default=None)
    how_to_find: Inline | None = spec("cach_tim", "Cách tìm địa chỉ, số điện thoại của nơi tiếp nhận.",
                                      label="Cách tìm", default=None)
    sources: list[Source] = spec("nguon", "Nguồn.", label="Nguồn", item_label="nguồn", default=[])
    unverified: str | None = spec("can_xac_minh", "Điều còn cần xác minh.", label="Cần xác minh", default=None)


@dataclass(kw_only=True)
class OfficeSession:
    """Một buổi làm việc."""

    start: Time = spec("tu", "Giờ bắt đầu (HH:MM).", label="Từ", example="07:30")
    end: Time = spec("den", "Giờ kết thúc (HH:MM).", label="Đến", example="11:30")


@dataclass(kw_only=True)
class OfficeHours:
    """Giờ làm việc của nơi tiếp nhận: dùng để tính ngày hẹn của thời hạn tính bằng giờ."""

    sessions: list[OfficeSession] = spec("buoi", "Các buổi làm việc trong một ngày làm việc, theo thứ tự. "
                                         "Bỏ trống: ngày hẹn tính theo giờ làm việc giả định và ghi rõ điều đó.",
                                         label="Buổi làm việc", item_label="buổi", default=[], max_items=4)
    description: Inline | None = spec("mo_ta", "Mô tả giờ làm việc cho người đọc.", label="Mô tả", default=None)
    sources: list[Source] = spec("nguon", "Văn bản hoặc trang công bố giờ làm việc.", label="Nguồn",
                                 item_label="nguồn", default=[])
    unverified: str | None = spec("can_xac_minh", "Điều còn cần xác minh.", label="Cần xác minh", default=None)


@dataclass(kw_only=True)
class LocalProcedure:
    """Những gì một tỉnh ghi thêm cho một thủ tục quốc gia (chỉ các trường này; phần còn lại là của quốc gia)."""

    local_code: str | None = spec("ma_dia_phuong", "Mã thủ tục trên Cổng dịch vụ công của tỉnh.",
                                  label="Mã địa phương", default=None, example="1.001193.000.00.00.H26")
    note: Inline | None = spec("ghi_chu", "Cách làm riêng của tỉnh, hiện trên trang thủ tục.", label="Ghi chú", default=None)
    sources: list[Source] = spec("nguon", "Nguồn.", label="Nguồn", item_label="nguồn", default=[])
    unverified: str | None = spec("can_xac_minh", "Điều còn cần xác minh.", label="Cần xác minh", default=None)


@dataclass(kw_only=True)
class ProcessDecision:
    """Một quyết định của tỉnh về cách giải quyết thủ tục (quy trình nội bộ, quy chế của Trung tâm…)."""

    title: str = spec("ten", "Số, ký hiệu và tên văn bản.", label="Văn bản", example="Quyết định 128/2025/QĐ-UBND")
    content: Inline = spec("noi_dung", "Điều văn bản quy định, tóm tắt.", label="Nội dung")
    sources: list[Source] = spec("nguon", "Nguồn.", label="Nguồn", item_label="nguồn", default=[])
    unverified: str | None = spec("can_xac_minh", "Điều còn cần xác minh.", label="Cần xác minh", default=None)


@dataclass(kw_only=True)
class ProvinceContact:
    """Đầu mối nhận góp ý về nội dung của ấn bản tỉnh."""

    name: str = spec("ten", "Tên đơn vị hoặc nhóm biên tập.", label="Đầu mối")
    email: str | None = spec("thu_dien_tu", "Địa chỉ thư điện tử.", label="Thư điện tử", default=None)
    phone: str | None = spec("dien_thoai", "Số điện thoại.", label="Điện thoại", default=None)
    note: Inline | None = spec("ghi_chu", "Ghi chú.", label="Ghi chú", default=None)


@dataclass(kw_only=True)
class NotPublished:
    """Một thủ tục quốc gia mà tỉnh chưa công bố."""

    procedure: str = spec("thu_tuc", "Mã định danh của thủ tục (tên tệp trong procedures/).",
                          label="Thủ tục", ref="procedure", example="dang-ky-giam-ho")
    note: Inline | None = spec("ghi_chu", "Vì sao, đến khi nào.", label="Ghi chú", default=None)
    sources: list[Source] = spec("nguon", "Nguồn.", label="Nguồn", item_label="nguồn", default=[])


@dataclass(kw_only=True)
class Province:
    """Ấn bản của một tỉnh, thành phố (handbook/tinh/<mã>/tinh.yml): tên, nơi tiếp nhận, giờ làm việc, mức thu
    và những gì riêng của tỉnh; mọi nội dung khác là của quốc gia."""

    name: str = spec("ten", "Tên tỉnh, thành phố.", label="Tỉnh", example="Thành phố Hà Nội")
    receiving_unit: ReceivingUnit | None = spec("don_vi_tiep_nhan", "Nơi tiếp nhận hồ sơ ở xã, phường.",
                                                label="Nơi tiếp nhận", default=None)
    hours: OfficeHours | None = spec("gio_lam_viec", "Giờ làm việc của nơi tiếp nhận.", label="Giờ làm việc", default=None)
    fees: dict[str, LocalFee] = spec("muc_thu", "Mức thu do HĐND tỉnh quyết định, theo khóa trong "
                                     "handbook/data/muc-thu-dia-phuong.yml.", label="Mức thu", default={})
    procedures: dict[str, LocalProcedure] = spec("thu_tuc_dia_phuong", "Mã, cách làm riêng của tỉnh, theo mã định "
                                                 "danh thủ tục.", label="Thủ tục địa phương", default={})
    decisions: list[ProcessDecision] = spec("quyet_dinh", "Quyết định của tỉnh về quy trình giải quyết.",
                                            label="Quyết định của tỉnh", item_label="quyết định", default=[])
    contact: ProvinceContact | None = spec("lien_he", "Đầu mối nhận góp ý nội dung.", label="Liên hệ", default=None)
    not_published: list[NotPublished] = spec("chua_cong_bo", "Thủ tục quốc gia tỉnh chưa công bố.",
                                             label="Chưa công bố", item_label="thủ tục chưa công bố", default=[])
    sources: list[Source] = spec("nguon", "Nguồn chung của tệp.", label="Nguồn", item_label="nguồn", default=[])
    unverified: list[Verification] = spec("can_xac_minh", "Các điểm còn cần xác minh.", label="Cần xác minh",
                                          item_label="điểm cần xác minh", default=[])
    id: str = field(default="", metadata={"internal": True})
    path: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class Holiday:
    """Một ngày trong lịch nghỉ (handbook/data/ngay-nghi.yml): ngày nghỉ lễ, Tết hoặc ngày làm bù."""

    day: dt.date = spec("ngay", "Ngày (YYYY-MM-DD), phải thuộc đúng năm của khối.", label="Ngày", example="2025-01-29")
    name: str = spec(
        "ten",
        "Tên ngày nghỉ hoặc lý do làm bù, hiện trong phần giải thích cách tính ngày hẹn.",
        label="Tên",
        example="Tết Nguyên đán Ất Tỵ (mùng 1 tháng Giêng)",
    )


@dataclass(kw_only=True)
class HolidayYear:
    """Lịch nghỉ lễ, Tết và ngày làm bù của một năm, dùng để tính ngày hẹn trả kết quả theo ngày làm việc."""

    days_off: list[Holiday] = spec(
        "nghi",
        "Mọi ngày nghỉ mà văn bản công bố, kể cả thứ Bảy, Chủ nhật nằm trong đợt nghỉ (ghi 'nghỉ hằng tuần' trong tên); "
        "khi tính hạn chỉ các ngày thứ Hai – thứ Sáu có tác dụng.",
        label="Ngày nghỉ",
        min_items=1,
    )
    make_up: list[Holiday] = spec(
        "lam_bu",
        "Thứ Bảy, Chủ nhật trở thành ngày làm việc do hoán đổi (để danh sách rỗng [] nếu không có); "
        "chỉ ghi khi có văn bản đồng ý.",
        label="Ngày làm bù",
        default=[],
    )
    legal_basis: str = spec(
        "can_cu",
        "Văn bản công bố lịch nghỉ năm đó (số, ngày, cơ quan) hoặc điều luật dùng để suy ra các ngày.",
        label="Căn cứ",
        example="Thông báo số 6150/TB-LĐTBXH ngày 03/12/2024 của Bộ Lao động - Thương binh và Xã hội",
    )
    unverified: str | None = spec(
        "can_xac_minh",
        "Những ngày chưa đối chiếu được với văn bản chính thức; ngày hẹn tính qua năm này sẽ kèm cảnh báo. "
        "Xóa khi mọi ngày đã đối chiếu.",
        label="Cần xác minh",
        default=None,
    )
    year: int = field(default=0, metadata={"internal": True})


Version = _version_class()
