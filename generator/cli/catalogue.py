"""sotay coverage: how much of the commune-level catalogue has a full page."""

from __future__ import annotations

import json

import click

from ..content.catalogue import CATALOGUE_FILE, coverage
from ..content.handbook import DATA_DIR
from .cache import Catalogue, cached_catalogue
from . import cli, project_root


def coverage_report(catalogue: Catalogue) -> dict:
    """Per-field and total counts of full and registry-only procedures, and
    the registry's sources: what ``sotay coverage --json`` prints."""
    rows = coverage(catalogue.fields, [r["field"] for r in catalogue.rows], [r["field"] for r in catalogue.registry])
    full = sum(r.full for r in rows)
    only = sum(r.registry_only for r in rows)
    return {
        "fields": [{"field": r.field, "field_name": r.name, "full": r.full, "registry_only": r.registry_only,
                    "total": r.total} for r in rows],
        "total": {"full": full, "registry_only": only, "total": full + only},
        "registry": f"{DATA_DIR}/{CATALOGUE_FILE}",
        "sources": catalogue.sources,
        "unlisted": catalogue.unlisted,
    }


@cli.command(name="coverage")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def coverage_command(as_json: bool) -> None:
    """Độ phủ của sổ tay: mỗi lĩnh vực có bao nhiêu thủ tục có hướng dẫn chi
    tiết trên tổng số thủ tục cấp xã trong danh mục
    (handbook/data/danh-muc-tthc.yml), và các nguồn của danh mục.

    Ví dụ:

        sotay coverage

        sotay coverage --json
    """
    report = coverage_report(cached_catalogue(project_root()))  # refuses a handbook with errors
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for r in report["fields"]:
        click.echo(f"{r['field_name']}: {r['full']} / {r['total']} thủ tục có hướng dẫn chi tiết")
    t = report["total"]
    click.echo(f"\nTổng cộng: {t['full']} / {t['total']} thủ tục có hướng dẫn chi tiết; "
               f"{t['registry_only']} thủ tục mới có trong danh mục.")
    if report["unlisted"]:
        click.echo(f"Có hướng dẫn chi tiết nhưng chưa ghi trong danh mục ({len(report['unlisted'])}): "
                   + ", ".join(report["unlisted"]) + "; thêm mỗi thủ tục một mục có 'thu_tuc: <mã>'.")
    if not report["sources"]:
        click.echo(f"Danh mục {report['registry']} chưa có mục nào: số liệu chỉ gồm thủ tục có hướng dẫn chi tiết.")
        return
    click.echo(f"\nNguồn của danh mục {report['registry']} ({len(report['sources'])}):")
    for s in report["sources"]:
        click.echo(f"  - {s['title']}" + (f" — {s['url']}" if s["url"] else "") + f" ({s['entries']} mục)")
