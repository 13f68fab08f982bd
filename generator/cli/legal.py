"""``sotay legal impact``: which procedures rest on a legal document."""

from __future__ import annotations

import json

import click

from ..content import model
from ..content.handbook import load_handbook
from ..content.legal import close_documents, end_of, find_document, impact
from ..content.versions import dropped_from, version_citations
from ..content.wording import date_vi
from . import SotayCommand, SotayError, VietnameseHelp, cli, project_root


class _LegalGroup(VietnameseHelp, click.Group):
    command_class = SotayCommand


def _doc_line(legal: dict[str, model.LegalDocument], doc_id: str) -> str:
    doc = legal.get(doc_id)
    return f"{doc_id} ({doc.title})" if doc else doc_id


@cli.group(name="legal", cls=_LegalGroup, context_settings={"help_option_names": ["-h", "--help"]})
def legal_group() -> None:
    """Văn bản pháp luật trong handbook/data/van-ban.yml và các thủ tục dẫn chúng.

    Ví dụ:

        sotay legal impact 60/2014/QH13
    """


@legal_group.command(name="impact")
@click.argument("doc_text", metavar="SỐ_HIỆU")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def impact_command(doc_text: str, as_json: bool) -> None:
    """Liệt kê các thủ tục dẫn văn bản SỐ_HIỆU (số, ký hiệu như trong
    handbook/data/van-ban.yml), vị trí trích dẫn (tệp:dòng:cột), và nếu văn bản
    đã bị sửa đổi, thay thế thì bởi văn bản nào. Với một văn bản mới sửa đổi
    hoặc thay thế văn bản khác, liệt kê cả các thủ tục dẫn văn bản cũ. Trích
    dẫn trong các phiên bản theo ngày (phien_ban) cũng được liệt kê, và thủ
    tục nào đã có phiên bản không còn dẫn văn bản thì ghi từ ngày nào.

    Ví dụ:

        sotay legal impact 60/2014/QH13

        sotay legal impact "123/2015/NĐ-CP" --json
    """
    root = project_root()
    hb, sink = load_handbook(root)
    sink.raise_if_any()
    doc_id = find_document(hb.legal, doc_text)
    if doc_id is None:
        close = close_documents(hb.legal, doc_text)
        hint = (f" Có phải ý bạn là: {', '.join(close)}?" if close
                else " Các văn bản đã có được liệt kê trong tệp đó (số, ký hiệu đúng như bản gốc).")
        raise SotayError(f"Lỗi: không có văn bản '{doc_text}' trong handbook/data/van-ban.yml.{hint}")
    result = impact(hb.legal, list(hb.procedures.values()), doc_id)
    doc = result.document
    end = end_of(hb.legal, doc_id)
    in_versions = version_citations(hb.timelines, doc_id)
    # Citations in force today that a later version already drops (prepared for the document's end).
    dropped = {c.procedure.id: dropped_from(hb.timelines, c.procedure.id, doc_id, hb.day) for c in result.citations}
    if as_json:
        data = {
            "document": doc_id, "title": doc.title, "kind": doc.kind, "issuer": doc.issuer,
            "issued": doc.issued.isoformat(), "effective": doc.effective.isoformat() if doc.effective else None,
            "status": doc.status, "status_label": model.LEGAL_STATUS.get(doc.status, doc.status),
            "ends": end.isoformat() if end else None,
            "amended_by": doc.amended_by, "replaced_by": doc.replaced_by, "replacement_chain": result.replaced_chain,
            "procedures": [dict(c.to_json(), dropped_from=dropped[c.procedure.id].isoformat()
                                if dropped[c.procedure.id] else None) for c in result.citations],
            "versions": [c.to_json() for c in in_versions],
            "related": [{"document": r.doc_id, "relation": r.relation,
                         "procedures": [c.to_json() for c in r.citations]} for r in result.related],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{doc_id}: {doc.title}, "
               f"{doc.issuer} ban hành ngày {date_vi(doc.issued)}")
    click.echo(f"Tình trạng: {model.LEGAL_STATUS.get(doc.status, doc.status)}"
               + (f" (hiệu lực từ {date_vi(doc.effective)})" if doc.effective else "")
               + (f"; hết hiệu lực từ {date_vi(end)}" if end else ""))
    if doc.amended_by:
        click.echo("Sửa đổi, bổ sung bởi: " + "; ".join(_doc_line(hb.legal, d) for d in doc.amended_by))
    if result.replaced_chain:
        click.echo("Thay thế bởi: " + " → ".join(_doc_line(hb.legal, d) for d in result.replaced_chain))
    click.echo()
    if result.citations:
        click.echo(f"{len(result.citations)} trích dẫn trong {len({c.procedure.id for c in result.citations})} thủ tục:")
        for c in result.citations:
            article = f" — {c.ref.article}" if c.ref.article else ""
            ready = dropped[c.procedure.id]
            ready = f" [từ {date_vi(ready)} có phiên bản không còn dẫn]" if ready else ""
            click.echo(f"  {c.procedure.title}{article}  ({c.procedure.path}:{c.line}:{c.column}){ready}")
    else:
        click.echo("Không thủ tục nào dẫn văn bản này.")
    if in_versions:
        click.echo(f"\n{len(in_versions)} trích dẫn trong phiên bản theo ngày của thủ tục:")
        for c in in_versions:
            article = f" — {c.ref.article}" if c.ref.article else ""
            click.echo(f"  {c.procedure.title}, phiên bản từ {date_vi(c.start)}{article}  "
                       f"({c.procedure.path}:{c.line}:{c.column})")
    for r in result.related:
        click.echo(f"\n{_doc_line(hb.legal, r.doc_id)} {r.relation_text}; "
                   + (f"{len(r.citations)} trích dẫn cần xem lại:" if r.citations else "không thủ tục nào dẫn văn bản đó."))
        for c in r.citations:
            article = f" — {c.ref.article}" if c.ref.article else ""
            click.echo(f"  {c.procedure.title}{article}  ({c.procedure.path}:{c.line}:{c.column})")
