"""``sotay training``: list sessions, start one from procedures, make the printable pack."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import click

from ..content import model
from ..content.edition import today_in_vietnam
from ..content.handbook import load_handbook
from ..site import outputs
from ..site.pdf import PrintFailed, chromium_path, print_pdf
from ..site.render import Renderer, pack_styles
from ..content.sessions import SESSIONS_DIR
from ..training.pack import PlanError, build_pack, plan_session, session_yaml
from ..training.updates import item_updates, session_updates
from . import SotayError, cli, find_procedure, not_found, project_root


def _load():
    hb, sink = load_handbook(project_root())
    sink.raise_if_any()
    return hb


@cli.group(name="training")
def training() -> None:
    """Đào tạo “cầm tay chỉ việc”: danh sách buổi học, tạo buổi mới, in bộ tài liệu.

    Ví dụ:

        sotay training list

        sotay training new ho-tich-nhanh --thu-tuc dang-ky-khai-sinh --thu-tuc dang-ky-ket-hon

        sotay training pack ho-tich-nhanh --pdf
    """


@training.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def list_sessions(as_json: bool) -> None:
    """Liệt kê các buổi đào tạo (handbook/dao-tao/)."""
    hb = _load()
    packs = [build_pack(s, hb.procedures) for s in hb.sessions.values()]
    updates = item_updates(hb)
    if as_json:
        click.echo(json.dumps([{
            "id": p.session.id, "title": p.session.title, "duration": p.session.minutes,
            "audience": p.session.audience, "procedures": p.session.procedures, "path": p.session.path,
            "scenarios": len(p.scenarios), "dossiers": len(p.dossiers), "questions": len(p.quiz),
            "updates": [u.to_json() for u in session_updates(p.session, updates)],
        } for p in packs], ensure_ascii=False, indent=2))
        return
    if not packs:
        click.echo("Chưa có buổi đào tạo nào. Tạo buổi đầu tiên: sotay training new <mã> --thu-tuc <thủ tục>")
        return
    for p in packs:
        click.echo(f"{p.session.id}  {p.session.title} — {p.session.minutes} phút, {p.audience.lower()}; "
                   f"{len(p.procedures)} thủ tục, {len(p.scenarios)} tình huống, {len(p.dossiers)} hồ sơ, {len(p.quiz)} câu hỏi")
        for u in session_updates(p.session, updates):
            click.echo(f"    {u.text}: {u.kind_label} '{u.key}' ({u.procedure.title}) — {'; '.join(u.reasons)}")


@training.command(name="new")
@click.argument("session_id", metavar="MÃ_BUỔI")
@click.option("--thu-tuc", "procedures", multiple=True, required=True, metavar="THỦ_TỤC",
              help="Mã thủ tục (tên tệp), lặp lại cho nhiều thủ tục.")
@click.option("--ten", "title", default=None, help="Tên buổi học (mặc định: ghép từ tên các thủ tục).")
@click.option("--thoi-luong", "minutes", type=click.IntRange(15, 480), default=120, show_default=True,
              help="Thời lượng (phút).")
@click.option("--doi-tuong", "audience", type=click.Choice(list(model.AUDIENCES)), default="cong-chuc-moi",
              show_default=True, help="Dành cho ai.")
@click.option("--bat-dau", "start", default="08:00", show_default=True, metavar="HH:MM", help="Giờ bắt đầu.")
def new_session(session_id: str, procedures: tuple[str, ...], title: str | None, minutes: int, audience: str,
                start: str) -> None:
    """Tạo buổi đào tạo từ các thủ tục đã chọn, dùng luôn tình huống, hồ sơ
    thực hành và câu hỏi trắc nghiệm của chúng; chương trình vừa khít thời lượng.

    Tệp ghi vào handbook/dao-tao/MÃ_BUỔI.yml, hợp lệ ngay: in được bộ tài
    liệu bằng `sotay training pack MÃ_BUỔI` rồi chỉnh sửa dần nếu cần.

    Ví dụ:

        sotay training new ho-tich-nhanh --thu-tuc dang-ky-khai-sinh --thu-tuc dang-ky-ket-hon --thoi-luong 120
    """
    if not re.match(model.SLUG, session_id):
        raise SotayError(f"Lỗi: mã buổi '{session_id}' không hợp lệ; dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ ho-tich-co-ban.")
    if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", start):
        raise SotayError(f"Lỗi: giờ bắt đầu '{start}' không hợp lệ; viết HH:MM, ví dụ 08:00.")
    root = project_root()
    hb = _load()
    path = root / SESSIONS_DIR / f"{session_id}.yml"
    exists = SotayError(f"Lỗi: đã có {path.relative_to(root)}; chọn mã khác hoặc sửa tệp đó.")
    if os.path.lexists(path):
        raise exists
    procs = [find_procedure(hb, p) for p in dict.fromkeys(procedures)]
    title = title or "Thực hành: " + ", ".join(p.title for p in procs)
    try:
        plan = plan_session(title, audience, minutes, start, procs)
    except PlanError as exc:
        raise SotayError(f"Lỗi: {exc}.") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # never over a file or through a link
            handle.write(session_yaml(plan))
    except FileExistsError:
        raise exists from None
    _, sink = load_handbook(root)
    mine = [e for e in sink.errors if e.path == path.relative_to(root).as_posix()]
    if mine:  # never leave a file that breaks the build
        path.unlink()
        raise SotayError("Lỗi: buổi học tạo ra không hợp lệ (lỗi của sotay, xin báo nhóm phát triển):\n"
                         + "\n".join(e.format() for e in mine))
    bare = [p.title for p in procs if not p.training]
    click.echo(f"Đã tạo {path.relative_to(root)}: {len(plan['chuong_trinh'])} khối, {minutes} phút.")
    if bare:
        click.echo("Lưu ý: các thủ tục sau chưa có nội dung đào tạo (dao_tao) nên chỉ có phần giải thích: " + "; ".join(bare))
    click.echo(f"Bước tiếp theo: sotay training pack {session_id} --pdf")


@training.command(name="pack")
@click.argument("session_id", metavar="MÃ_BUỔI")
@click.option("--ban", "edition", type=click.Choice(["giang-vien", "hoc-vien"]), default="giang-vien", show_default=True,
              help="Bản giảng viên (có đáp án) hay bản phát cho học viên (không có đáp án).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tệp HTML cần ghi (mặc định: dao-tao-<mã>-<bản>.html ở thư mục hiện tại).")
@click.option("--pdf", "with_pdf", is_flag=True, help="Ghi thêm tệp PDF cùng tên (cần Chromium).")
def pack(session_id: str, edition: str, output: Path | None, with_pdf: bool) -> None:
    """Ghi bộ tài liệu của một buổi học thành một tệp HTML tự chứa (mở được
    không cần mạng, chép sang USB), và PDF khổ A4 nếu có Chromium.

    Mỗi thẻ tình huống và mỗi bộ hồ sơ thực hành in trên một trang riêng.

    Tệp đã có chỉ được ghi đè nếu đó là bộ tài liệu do sotay tạo ra; tệp
    khác, thư mục, liên kết, thiết bị và chỗ trong nội dung dự án
    (procedures/, handbook/…) đều bị từ chối, không ghi gì.

    Ví dụ:

        sotay training pack ho-tich-co-ban --pdf

        sotay training pack ho-tich-co-ban --ban hoc-vien -o /media/usb/hoc-vien.html
    """
    root = project_root()
    hb = _load()
    if session_id not in hb.sessions:
        raise not_found("buổi đào tạo", session_id, hb.sessions, "sotay training list")
    trainer = edition == "giang-vien"
    output = output or Path.cwd() / f"dao-tao-{session_id}-{edition}.html"
    if with_pdf and output.suffix.lower() == ".pdf":
        raise SotayError(f"Lỗi: {output} là tên tệp PDF; --output là tệp HTML, tệp PDF cùng tên được ghi bên cạnh.")
    # Both files are checked before either is written.
    output = outputs.output_file(root, output, outputs.is_our_pack_html)
    if with_pdf:
        outputs.output_file(root, output.with_suffix(".pdf"), outputs.is_our_pack_pdf)
    html = Renderer(hb).render_training_pack(session_id, trainer, today_in_vietnam(), pack_styles())
    with outputs.writing(root, output, outputs.is_our_pack_html) as tmp:
        tmp.write_text(html, encoding="utf-8")
    click.echo(f"Đã ghi {output} ({'bản giảng viên, có đáp án' if trainer else 'bản học viên, không có đáp án'}).")
    if with_pdf:
        if chromium_path() is None:
            raise SotayError("Lỗi: cần Chromium để ghi PDF (cài: sudo apt-get install chromium); "
                             f"hoặc mở {output.name} bằng trình duyệt rồi chọn In → Lưu thành PDF.")
        pdf = output.with_suffix(".pdf")
        try:
            with outputs.writing(root, pdf, outputs.is_our_pack_pdf) as tmp:
                print_pdf(output, tmp)
        except PrintFailed as exc:
            raise SotayError(f"Lỗi: không in được PDF: {exc}") from exc
        click.echo(f"Đã ghi {pdf}.")
