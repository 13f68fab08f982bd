"""``sotay stale``: procedures overdue for review, by owner."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..content.handbook import load_handbook
from ..content.edition import today_in_vietnam
from ..content.wording import date_vi
from ..editing.review import DEFAULT_MONTHS, add_months, months_since, overdue_by_owner, review_due, version_reviews
from . import cli, project_root


@cli.command(name="stale")
@click.option("--months", type=click.IntRange(min=1, max=120), default=DEFAULT_MONTHS, show_default=True,
              metavar="SỐ_THÁNG", help="Quá bao nhiêu tháng kể từ ngày rà soát thì cần rà soát lại.")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", default=None,
              help="Tính như thể hôm nay là ngày này (mặc định: hôm nay).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def stale_command(months: int, today_text: str | None, as_json: bool) -> None:
    """Liệt kê thủ tục quá hạn rà soát (ngay_ra_soat cũ hơn SỐ_THÁNG tháng), nhóm
    theo người phụ trách (phu_trach), thủ tục rà soát lâu nhất lên trước.

    Cũng liệt kê các phiên bản theo ngày (phien_ban) cần xem: phiên bản đã bắt
    đầu áp dụng sau lần rà soát cuối, và phiên bản sẽ áp dụng trong SỐ_THÁNG
    tháng tới (kèm số mục còn cần xác minh).

    Ví dụ:

        sotay stale

        sotay stale --months 6

        sotay stale --json
    """
    if today_text is None:
        today = today_in_vietnam()
    else:
        try:
            today = dt.date.fromisoformat(today_text.strip())
        except ValueError:
            raise click.BadParameter(f"'{today_text}' không phải ngày dạng YYYY-MM-DD", param_hint="'--today'") from None
    root = project_root()
    hb, sink = load_handbook(root)
    sink.raise_if_any()
    groups = overdue_by_owner(hb.procedures.values(), today, months)
    cutoff = add_months(today, -months)
    dated = version_reviews(hb.timelines, today, months)
    if as_json:
        data = {
            "today": today.isoformat(), "months": months, "reviewed_before": cutoff.isoformat(),
            "count": sum(len(items) for _, items in groups),
            "owners": [
                {"owner": owner, "procedures": [
                    {"id": p.id, "title": p.title, "path": p.path, "reviewed": p.reviewed.isoformat(),
                     "due": review_due(p, months).isoformat(), "months_since_review": months_since(p.reviewed, today)}
                    for p in items]}
                for owner, items in groups
            ],
            "versions": [{"id": x["procedure"].id, "title": x["procedure"].title, "path": x["procedure"].path,
                          "owner": x["procedure"].owner, "from": x["start"].isoformat(), "state": x["state"],
                          "unverified": x["unverified"]} for x in dated],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not groups:
        click.echo(f"Không có thủ tục nào quá {months} tháng chưa rà soát (tính đến {date_vi(today)}).")
        _echo_versions(dated, months)
        return
    count = sum(len(items) for _, items in groups)
    click.echo(f"Thủ tục quá {months} tháng chưa rà soát (rà soát lần cuối trước {date_vi(cutoff)}; tính đến {date_vi(today)}):")
    for owner, items in groups:
        click.echo(f"\n{owner} ({len(items)} thủ tục)")
        for p in items:
            click.echo(f"  {date_vi(p.reviewed)}  {months_since(p.reviewed, today):>3} tháng  {p.title}  ({p.path})")
    click.echo(f"\nTổng cộng {count} thủ tục, {len(groups)} người phụ trách.")
    _echo_versions(dated, months)


def _echo_versions(dated: list[dict], months: int) -> None:
    if not dated:
        return
    click.echo(f"\nPhiên bản theo ngày cần xem (đã áp dụng sau lần rà soát cuối, hoặc sẽ áp dụng trong {months} tháng tới):")
    for x in dated:
        p = x["procedure"]
        state = ("đã áp dụng, chưa rà soát lại" if x["state"] == "da-ap-dung"
                 else "sắp áp dụng" + (f", còn {x['unverified']} mục cần xác minh" if x["unverified"] else ""))
        click.echo(f"  từ {date_vi(x['start'])}  {p.title}  ({p.owner}; {state})  ({p.path})")
