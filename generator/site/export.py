"""Pack the offline site into one zip, to carry on a USB stick or send over a
slow link: unzip it anywhere, open index.html, and everything works from disk.

The site is built by ``build_site(..., offline=True)`` into a temporary
folder; the zip is written next to its destination under a temporary name and
renamed into place, so a failed build or an interrupted export leaves no zip
(and no half zip) behind.  An existing file at the destination is replaced
only if it is an earlier export (``outputs.is_our_zip``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import zipfile
from pathlib import Path

from ..content.edition import Edition, today_in_vietnam
from ..content.provinces import NATIONAL
from ..content.wording import date_vi
from . import outputs
from .build import build_site
from .. import tempdirs

README_NAME = outputs.EXPORT_README
LUNR_DIR = "assets/javascripts/lunr/"
# The JSON block every page carries (theme/main.html): the day built for, and later changes.
EDITION_BLOCK = re.compile(r'<script type="application/json" id="sotay-edition">(.*?)</script>', re.DOTALL)

README_TEXT = """\
SỔ TAY NGHIỆP VỤ SỐ CẤP XÃ — BẢN DÙNG KHÔNG CẦN MẠNG
Bản xuất ngày {day}.

CÁCH MỞ
1. Giải nén tệp .zip trước (nhấp chuột phải vào tệp → "Giải nén tất cả…" /
   "Extract All…"). Đừng mở trang ngay bên trong tệp .zip: ô tìm kiếm và các
   trang khác sẽ không chạy.
2. Mở thư mục {folder} vừa giải nén, nhấp đúp vào tệp index.html. Trang mở
   bằng trình duyệt (Chrome, Edge, Cốc Cốc hoặc Firefox).
3. Nhấn Ctrl+D để đánh dấu trang, lần sau mở cho nhanh.

DÙNG ĐƯỢC KHI KHÔNG CÓ MẠNG
- Mọi trang, mục lục và danh mục thủ tục.
- Ô Tìm kiếm ở đầu trang (gõ có dấu hoặc không dấu).
- Phần "Hướng dẫn theo tình huống" và danh sách kiểm tra hồ sơ trên trang thủ
  tục. Câu trả lời và dấu tích chỉ lưu trong trình duyệt của máy này.

CẦN MẠNG
- Các liên kết ra ngoài: Cổng Dịch vụ công, văn bản gốc, "Sửa trang này",
  "Báo lỗi nội dung".

CHÉP SANG MÁY KHÁC, USB HOẶC MẠNG NỘI BỘ
- Chép nguyên cả thư mục {folder} (không chép riêng tệp index.html).
- Có thể đặt thư mục này lên máy chủ web nội bộ; trang chạy được qua http.
- Đây là nội dung tại ngày xuất. Khi có bản mới, xóa thư mục cũ và giải nén
  bản mới thay vào.
"""


def default_zip_name(today: dt.date | None = None, edition: Edition = Edition()) -> str:
    """so-tay-ha-noi-2026-03-02.zip; so-tay-toan-quoc-… for the national edition."""
    return f"so-tay-{edition.province or NATIONAL}-{(today or today_in_vietnam()).isoformat()}.zip"


def export_zip(root: Path, dest: Path, today: dt.date | None = None, edition: Edition | None = None,
               warn=None) -> Path:
    """Build the offline site of the handbook under ``root`` into ``dest`` (a
    .zip file) whose one top folder, named after the file, holds index.html.
    ``edition`` (--ngay, --tinh): as for ``build_site``; the day is said in the read-me;
    ``warn``: as for build_site."""
    today = today or today_in_vietnam()
    dest = outputs.output_file(root, dest, outputs.is_our_zip)  # refused before the build, not after
    folder = dest.stem
    with tempdirs.temporary("sotay-export-") as tmp:
        site = build_site(root, tmp / folder, offline=True, edition=edition, warn=warn)
        text = README_TEXT.format(day=date_vi(today), folder=folder) + _dated(site)
        # Notepad on older Windows needs the BOM to read UTF-8, and CRLF line ends.
        (site / README_NAME).write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))
        with outputs.writing(root, dest, outputs.is_our_zip) as partial:
            _write_zip(site, folder, partial)
    return dest


def _dated(site: Path) -> str:
    """The read-me's paragraph on the day the copy describes and the changes it does not include."""
    edition = json.loads(html.unescape(EDITION_BLOCK.search((site / "index.html").read_text(encoding="utf-8")).group(1)))
    text = f"\nNGÀY ÁP DỤNG\n- Nội dung trong bản này là quy định áp dụng ngày {date_vi(dt.date.fromisoformat(edition['day']))}.\n"
    if edition["changes"]:
        days = ", ".join(date_vi(dt.date.fromisoformat(d)) for d in edition["changes"])
        text += (f"- Có quy định mới áp dụng từ {days}: từ ngày đó, trang sẽ nhắc lấy bản mới; "
                 "trang thủ tục có liên kết xem trước bản mới.\n")
    return text


def _write_zip(site: Path, folder: str, path: Path) -> None:
    skip = _unused_files(site)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in sorted(site.rglob("*")):
            rel = file.relative_to(site).as_posix()
            if file.is_file() and rel not in skip:
                archive.write(file, f"{folder}/{rel}")


def _unused_files(site: Path) -> set[str]:
    """Files a reader of the unzipped site never loads, left out of the zip
    to keep it light: source maps, the sitemap (empty without site_url),
    404.html (links from the server root, for web servers only), the
    search theme's analysers for languages the index does not use, and the
    build marker (the zip's readers do not run sotay; a stray dot file would
    only puzzle them)."""
    langs = set(json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]["lang"])
    keep = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{lang}.min.js" for lang in langs}
    if "ja" in langs:
        keep.add("tinyseg.js")
    if langs & {"th", "hi"}:
        keep.add("wordcut.js")
    skip = {"404.html", "sitemap.xml", "sitemap.xml.gz", outputs.MARKER}
    for file in site.rglob("*"):
        rel = file.relative_to(site).as_posix()
        if rel.endswith(".map") or (rel.startswith(LUNR_DIR) and file.name not in keep):
            skip.add(rel)
    return skip
