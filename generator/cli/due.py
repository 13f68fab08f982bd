"""``sotay due``: the date to write on the receipt (ngày hẹn trả kết quả)."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from ..content import model
from ..guided.duedate import MissingYear, WorkCalendar, due, fmt_moment
from ..guided.guide import deadline_for
from ..content.versions import used_for
from ..content.wording import deadline_text
from .cache import fast_handbook
from .edition import edition_for, tinh_option
from . import SotayError, cli, find_procedure, project_root

_RECEIVED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?$")


def parse_received(text: str) -> tuple[dt.datetime, bool]:
    """``YYYY-MM-DD HH:MM`` (or a date alone) → the moment, and whether a time was given."""
    m = _RECEIVED.match(text.strip())
    if not m:
        raise click.BadParameter(f"'{text}' không đúng dạng \"YYYY-MM-DD HH:MM\"; ví dụ: --received \"2025-01-24 09:30\"",
                                 param_hint="'--received'")
    try:
        day = dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise click.BadParameter(f"ngày '{m.group(1)}' không tồn tại", param_hint="'--received'") from None
    if not m.group(2):
        return dt.datetime.combine(day, dt.time(0, 0)), False
    hour, minute = (int(x) for x in m.group(2).split(":"))
    if hour > 23 or minute > 59:
        raise click.BadParameter(f"giờ '{m.group(2)}' không tồn tại (00:00–23:59)", param_hint="'--received'")
    return dt.datetime.combine(day, dt.time(hour, minute)), True


@cli.command(name="due")
@click.argument("procedure", metavar="THỦ_TỤC")
@click.option("--received", "received_text", required=True, metavar="\"YYYY-MM-DD HH:MM\"",
              help="Thời điểm nhận đủ hồ sơ (giờ Việt Nam).")
@click.option("--channel", type=click.Choice(list(model.CHANNELS)), default=None,
              help="Cách thức nộp; dùng thời hạn riêng của cách thức này nếu thủ tục có ghi.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
@tinh_option
def due_command(procedure: str, received_text: str, channel: str | None, as_json: bool, tinh: str | None) -> None:
    """Tính ngày hẹn trả kết quả của một thủ tục (THỦ_TỤC là mã định danh, tức tên tệp
    không có .yml), bỏ qua thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết và tính ngày làm bù
    theo handbook/data/ngay-nghi.yml; in kèm cách tính từng ngày. Thủ tục có nhiều
    phiên bản theo ngày hiệu lực thì dùng phiên bản áp dụng vào ngày nhận hồ sơ.

    Ví dụ:

        sotay due dang-ky-ket-hon --received "2025-01-24 09:30"

        sotay due dang-ky-khai-tu --received "2025-03-10 15:20" --json

        sotay due dang-ky-ket-hon --channel truc-tuyen --received 2025-01-24

        sotay due dang-ky-ket-hon --received "2025-01-24 15:00" --tinh ha-noi
    """
    received, has_time = parse_received(received_text)
    root = project_root()
    hb, sink = fast_handbook(root, procedure, edition_for(root, tinh))
    sink.raise_if_any()
    proc, version = used_for(hb, find_procedure(hb, procedure).id, received.date())
    try:
        deadline, source = deadline_for(proc, channel)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--channel'") from None
    if not has_time and (deadline.kind == "gio-lam-viec" or deadline.cutoff):
        raise click.BadParameter(f"thời hạn '{deadline_text(deadline, counting=True)}' phụ thuộc giờ nhận hồ sơ; ghi cả giờ, "
                                 f"ví dụ: --received \"{received:%Y-%m-%d} 09:30\"", param_hint="'--received'")
    try:
        result = due(deadline, received, WorkCalendar.from_registry(hb.holidays, hb.province))
    except MissingYear as exc:
        raise SotayError(f"Lỗi: {exc}") from exc
    warnings = list(result.warnings)
    for v in proc.flagged("thoi_han"):
        warnings.append(f"Thời hạn của thủ tục còn cần xác minh: {v.reason}")
    received_label = fmt_moment(received if has_time else received.date())

    if as_json:
        click.echo(json.dumps({
            "procedure": proc.id,
            "edition": hb.edition.province or "toan-quoc",
            "title": proc.title,
            "channel": channel,
            "deadline": {"kind": deadline.kind, "amount": deadline.amount, "cutoff": deadline.cutoff,
                         "text": deadline_text(deadline, counting=True), "source": source, "note": deadline.note},
            "received": received.isoformat(timespec="minutes") if has_time else received.date().isoformat(),
            "due": result.result.isoformat(timespec="minutes") if isinstance(result.result, dt.datetime)
            else result.result.isoformat() if result.result else None,
            "due_text": fmt_moment(result.result) if result.result else None,
            "skipped": [{"date": d.isoformat(), "reason": why} for d, why in result.skipped],
            "steps": result.steps,
            "warnings": warnings,
            "version": version,
        }, ensure_ascii=False, indent=2))
        return
    click.echo(click.style(f"{proc.title}", bold=True) + f"  ({proc.id})")
    if version:
        click.echo(version["text"])
    click.echo(f"Thời hạn: {deadline_text(deadline, counting=True)} — {source}")
    click.echo(f"Nhận hồ sơ: {received_label}")
    if result.result is None:
        click.echo("Ngày hẹn trả kết quả: không tính được (thời hạn chưa xác minh)")
    else:
        click.echo("Ngày hẹn trả kết quả: " + click.style(fmt_moment(result.result), bold=True))
    click.echo("\nCách tính:")
    for line in result.steps:
        click.echo(f"  - {line}")
    if deadline.note:
        click.echo(f"\nGhi chú về thời hạn: {deadline.note}")
    if warnings:
        click.echo("\nCảnh báo:")
        for line in warnings:
            click.echo(f"  ! {line}")
