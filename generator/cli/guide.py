"""``sotay guide``: answer a procedure's questions, get this case's dossier and steps."""

from __future__ import annotations

import json

import click

from ..content.conditions import parse_answer
from ..content.edition import today_in_vietnam
from ..content.versions import used_for
from ..guided.guide import tailored, untailored
from .cache import fast_handbook
from .due import parse_received
from .edition import edition_for, tinh_option
from . import SotayError, can_prompt, cli, find_procedure, project_root


@cli.command()
@click.argument("procedure")
@click.option("--answer", "-a", "answers", multiple=True, metavar="MÃ=GIÁ_TRỊ",
              help="Trả lời sẵn một câu hỏi, ví dụ -a qua_han=có (lặp lại cho nhiều câu).")
@click.option("--received", "received_text", default=None, metavar="YYYY-MM-DD",
              help="Ngày nhận hồ sơ (mặc định: hôm nay); thủ tục có nhiều phiên bản theo ngày hiệu lực thì "
                   "dùng phiên bản áp dụng vào ngày này.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
@tinh_option
def guide(procedure: str, answers: tuple[str, ...], received_text: str | None, as_json: bool,
          tinh: str | None) -> None:
    """Hướng dẫn theo tình huống: trả lời vài câu hỏi, nhận đúng danh sách giấy
    tờ và các bước cho hồ sơ này. Không có --answer thì lệnh hỏi lần lượt;
    khi có --json hoặc không chạy ở cửa sổ lệnh (dữ liệu vào từ tệp, ống lệnh)
    thì lệnh không hỏi mà in các câu hỏi và toàn bộ danh sách, mỗi mục kèm
    điều kiện áp dụng.

    Ví dụ:

        sotay guide dang-ky-khai-sinh

        sotay guide dang-ky-khai-sinh -a qua_han=không -a nguoi_di=cha --json
    """
    received = parse_received(received_text)[0].date() if received_text else today_in_vietnam()
    root = project_root()
    hb, sink = fast_handbook(root, procedure, edition_for(root, tinh))
    sink.raise_if_any()
    p, version = used_for(hb, find_procedure(hb, procedure).id, received)
    used = {"version": version} if version else {}
    questions = {q.key: q for q in p.questions}
    given: dict = {}
    for item in answers:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or key not in questions:
            known = ", ".join(questions) or "(thủ tục này không có câu hỏi)"
            raise SotayError(f"Lỗi: --answer '{item}' không hợp lệ; các câu hỏi của thủ tục: {known}")
        try:
            given[key] = parse_answer(questions[key], raw)
        except ValueError as err:
            raise SotayError(f"Lỗi: câu '{key}': {err}") from None
    # The questions as data, so a program can ask them and call again with --answer.
    asked = [{"key": q.key, "text": q.text, "label": q.label, "kind": q.kind,
              "choices": [{"code": code, "label": label} for code, label in q.choices.items()],
              **({"answers": {"có": q.answer_words()[True], "không": q.answer_words()[False]}}
                 if q.kind == "co-khong" else {})}
             for q in p.questions]
    if not answers and (as_json or not can_prompt()):
        everything = untailored(p)
        if as_json:
            click.echo(json.dumps({"id": p.id, "title": p.title, "tailored": False, "questions": asked,
                                   "answers": {}, **everything, **used}, ensure_ascii=False, indent=2))
            return
        click.echo(click.style(p.title, bold=True))
        if version:
            click.echo(version["text"])
        if p.questions:
            click.echo("Chưa có câu trả lời nên dưới đây là toàn bộ giấy tờ và các bước; mục nào chỉ cần trong "
                       "một số trường hợp thì ghi rõ \"chỉ khi\". Để có danh sách cho đúng hồ sơ, trả lời:")
            formats = {"co-khong": "có|không", "so": "SỐ", "ngay": "YYYY-MM-DD"}
            for q in p.questions:
                value = "|".join(q.choices) if q.kind == "mot-lua-chon" else formats[q.kind]
                click.echo(f"  -a {q.key}={value}   {q.text}{_named_answers(q)}")

        def when(row: dict) -> str:
            return f" (chỉ khi: {row['condition']})" if row["condition"] else ""

        _echo_case(everything, text=lambda item: item["text"], when=when)
        return
    if not answers:
        for q in p.questions:
            prompt = q.text + (f" [{'/'.join(f'{i}. {label}' for i, label in enumerate(q.choices.values(), 1))}]"
                               if q.kind == "mot-lua-chon" else (_named_answers(q) or " [có/không]")
                               if q.kind == "co-khong" else "")
            while True:
                raw = click.prompt(prompt, default="", show_default=False)
                if raw.strip() == "":
                    break  # skipped: items that need this answer stay out
                try:
                    given[q.key] = parse_answer(q, raw)
                    break
                except ValueError as err:
                    click.echo(f"  {err}", err=True)
    result = tailored(p, given)
    if as_json:
        click.echo(json.dumps({"id": p.id, "title": p.title, "tailored": True, "questions": asked, "answers": given,
                               **result, **used}, ensure_ascii=False, indent=2))
        return
    click.echo(click.style(p.title, bold=True))
    if version:
        click.echo(version["text"])
    for q in p.questions:
        if q.key in given:
            value = given[q.key]
            if isinstance(value, bool):
                shown = q.answer_words()[value] if q.yes_label and q.no_label else ("có" if value else "không")
            else:
                shown = q.choices.get(value, value)
            click.echo(f"  {q.label}: {shown}")
    _echo_case(result)


def _named_answers(q) -> str:
    """The answers a yes/no question names, as the prompt shows them
    (" [có: Đã đăng ký kết hôn / không: Chưa đăng ký kết hôn]"); typing either
    word, or the answer itself, is accepted.  Empty when it names none."""
    if q.kind != "co-khong" or not (q.yes_label and q.no_label):
        return ""
    return f" [có: {q.yes_label} / không: {q.no_label}]"


def _echo_case(case: dict, text=lambda item: item, when=lambda item: "") -> None:
    """The dossier, notes and steps of a case as a checklist; ``when`` adds an
    item's condition (the untailored list), ``text`` reads a note or check."""
    click.echo("\nThành phần hồ sơ:")
    for d in case["dossier"]:
        click.echo(f"  [ ] {d['name']} — {d['form']}" + (f", {d['copies']} bản" if d["copies"] > 1 else "") + when(d))
    if case["notes"]:
        click.echo("\nLưu ý:")
        for n in case["notes"]:
            click.echo(f"  • {text(n)}{when(n)}")
    click.echo("\nCác bước:")
    for i, s in enumerate(case["steps"], 1):
        click.echo(f"  Bước {i}. {s['name']} ({s['role']}){when(s)}")
        for c in s["checklist"]:
            click.echo(f"    [ ] {text(c)}{when(c)}")

