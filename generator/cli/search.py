"""``sotay search``: find procedures from the command line."""

from __future__ import annotations

import json
import click

from ..content.catalogue import PORTAL_SEARCH
from ..search import analysis
from .cache import cached_catalogue
from ..search.index import SearchDoc, SearchIndex
from . import cli, project_root

SNIPPET_WORDS = 28
NOT_WRITTEN = "Chưa có hướng dẫn chi tiết"  # a registry-only entry, as the site marks it


def snippet(text: str, query: str, mark=lambda word: word) -> str:
    """Up to SNIPPET_WORDS words of ``text``, starting a little before the first
    word the query names; those words are passed through ``mark``."""
    wanted = {analysis.fold(w) for w in analysis.words(query)}
    words = text.split()
    hits = {i for i, w in enumerate(words) if {analysis.fold(x) for x in analysis.words(w)} & wanted}
    start = max(0, min(hits, default=0) - 5)
    end = min(len(words), start + SNIPPET_WORDS)
    shown = " ".join(mark(w) if i in hits else w for i, w in enumerate(words[start:end], start))
    return ("… " if start else "") + shown + (" …" if end < len(words) else "")


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", default=5, type=click.IntRange(1, 100), help="Số kết quả tối đa, từ 1 đến 100 (mặc định 5).")
@click.option("--field", "field_id", metavar="LĨNH_VỰC", help="Chỉ tìm trong một lĩnh vực (mã lĩnh vực, ví dụ ho-tich).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def search(query: tuple[str, ...], limit: int, field_id: str | None, as_json: bool) -> None:
    """Tìm thủ tục theo tên, từ khóa hoặc cách nói thường ngày; gõ có dấu hay
    không dấu đều được, sai một chữ cái vẫn tìm ra.

    Ví dụ:

        sotay search dang ky ket hon

        sotay search "giấy độc thân" --limit 3

        sotay search khai sinh --field ho-tich --json
    """
    root = project_root()
    catalogue = cached_catalogue(root, search=True)  # refuses a handbook with errors
    if field_id and field_id not in catalogue.fields:
        raise click.BadParameter(f"không có lĩnh vực '{field_id}'; xem danh sách bằng: sotay list", param_hint="--field")
    text = " ".join(query)
    index = SearchIndex.open(root, [SearchDoc(**d) for d in catalogue.search_docs])
    try:
        hits = index.search(text, limit=limit, field=field_id)
    finally:
        index.close()
    if as_json:
        rows = [
            {"id": h.doc.id, "title": h.doc.title, "field": h.doc.field, "field_name": h.doc.field_name,
             "code": h.doc.code or None, "url": "/" + h.doc.url, "score": round(h.score, 3),
             "snippet": snippet(h.doc.summary, text), "full": h.doc.full, "portal": h.doc.portal or None}
            for h in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"Không tìm thấy thủ tục nào khớp với “{text}” trong sổ tay hay danh mục thủ tục cấp xã. "
                   f"Thử từ khác, xem danh mục (sotay list --all), hoặc tìm trên Cổng Dịch vụ công quốc gia: {PORTAL_SEARCH}")
        return
    for rank, h in enumerate(hits, 1):
        d = h.doc
        click.echo(click.style(f"{rank}. {d.title}", bold=True) + f"  [{d.field_name}{' · ' + d.code if d.code else ''}]")
        if d.full:
            click.echo("   " + snippet(d.summary, text, lambda w: click.style(w, underline=True)))
            click.echo(f"   /{d.url}")
        else:
            click.echo(f"   {NOT_WRITTEN} — xem trên Cổng Dịch vụ công quốc gia: {d.portal}")
