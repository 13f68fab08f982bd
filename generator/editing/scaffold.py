"""The skeleton written by ``sotay new``: valid YAML with clear placeholders."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..content import model
from ..content.checks import PLACEHOLDER
from ..content.ids import MAX_LENGTH, bounded_slug

_EXAMPLE_ID = "dang-ky-lai-khai-sinh"


def new_procedure_id(title: str, given: str | None = None) -> str:
    """The id (file name without .yml) of a new procedure: ``given`` (``--id``)
    if it is a slug of at most MAX_LENGTH characters, else made from the
    title, cut after a whole word.  ValueError, with the Vietnamese reason,
    when neither gives a usable id."""
    if given:
        if not re.match(model.SLUG, given):
            raise ValueError(f"mã định danh '{given}' không hợp lệ; đặt bằng --id, dùng chữ thường không dấu, "
                             f"số và dấu gạch ngang, ví dụ {_EXAMPLE_ID}.")
        if len(given) > MAX_LENGTH:
            raise ValueError(f"mã định danh dài {len(given)} ký tự, tối đa {MAX_LENGTH}; đặt mã ngắn hơn bằng --id, "
                             f"ví dụ {bounded_slug(given, 40)}.")
        return given
    derived = bounded_slug(title)
    if not derived:
        raise ValueError(f"tên thủ tục '{title}' không có chữ hay chữ số nào để tạo mã định danh (tên tệp); "
                         f"đặt mã bằng --id, ví dụ --id {_EXAMPLE_ID}.")
    return derived


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def scaffold_procedure(*, title: str, field_id: str, code: str | None, level: str, today: dt.date) -> str:
    code_line = f"ma_thu_tuc: {_q(code)}\n" if code else "# ma_thu_tuc: \"1.000000\"   # mã trên Cơ sở dữ liệu quốc gia về TTHC, đặt trong dấu nháy\n"
    p = PLACEHOLDER
    return f"""# yaml-language-server: $schema=../../schema/thu-tuc.schema.json
ten: {_q(title)}
{code_line}linh_vuc: {field_id}
cap_thuc_hien: [{level}]
co_quan_thuc_hien: "{p}: cơ quan thực hiện"
doi_tuong: ["{p}: đối tượng thực hiện"]
tom_tat: "{p}: một hai câu nói thủ tục này dùng khi nào."
cach_thuc:
  - hinh_thuc: truc-tiep
thoi_han:
  loai: ngay-lam-viec
  so: 1
  ghi_chu: "{p}: thời hạn theo văn bản"
phi: []
ho_so:
  - ten: "{p}: tên giấy tờ"
    loai: ban-chinh
    so_luong: 1
ket_qua: ["{p}: kết quả công dân nhận được"]
quy_trinh:
  - ten: Tiếp nhận, kiểm tra hồ sơ
    vai_tro: Công chức Bộ phận Một cửa
    kiem_tra:
      - "{p}: việc cần kiểm tra"
can_cu_phap_ly:
  - van_ban: 60/2014/QH13   # {p}: số, ký hiệu văn bản có trong handbook/data/van-ban.yml
tu_khoa: []
ngay_ra_soat: {today.isoformat()}
phu_trach: "{p}: đơn vị phụ trách"
can_xac_minh:
  - truong: thu_tuc
    ly_do: Thủ tục mới tạo, chưa đối chiếu với văn bản gốc.
"""
