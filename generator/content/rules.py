"""Rules that span several fields of one object (a deadline's kind and
amount, a procedure's questions and conditions, a quiz question's answers, a
session's agenda…), run by ``validate.convert`` once the object is built.
``CHECKS`` maps each model class to its rule."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from yaml.nodes import Node

from . import conditions, model
from .conditioncheck import QuestionInfo, check
from .satisfiability import CheckBudget, CheckSkipped
from .located import Context, item_location, location


def _check_deadline(d: model.Deadline, node: Node, ctx: Context) -> None:
    counted = d.kind not in ("trong-ngay", "chua-xac-minh")  # kinds that need a number
    if counted and d.amount is None:
        ctx.error(node, f"thời hạn '{d.kind}' cần khóa 'so' (số ngày hoặc giờ)", "thêm ví dụ 'so: 3'.")
    if not counted and d.amount is not None:
        ctx.error(node, f"thời hạn '{d.kind}' không dùng khóa 'so'", "xóa 'so' hoặc đổi 'loai'.")
    if d.cutoff is not None and d.kind != "trong-ngay":
        ctx.error(node, "'gio_cat' chỉ dùng với thời hạn 'trong-ngay'")


def _check_channel(c: model.Channel, node: Node, ctx: Context) -> None:
    if c.kind == "truc-tuyen" and not c.portal:
        ctx.error(node, "cách thức trực tuyến cần 'cong_truc_tuyen' (đường dẫn cổng dịch vụ công)",
                  "ví dụ: cong_truc_tuyen: https://dichvucong.gov.vn")


def _check_fee(f: model.Fee, node: Node, ctx: Context) -> None:
    if f.amount is not None and f.local_key:
        ctx.error(node, "khoản thu có cả 'so_tien' và 'theo_dia_phuong'",
                  "mức do HĐND tỉnh quyết định thì chỉ ghi 'theo_dia_phuong'.")


def _check_procedure(p: model.Procedure, node: Node, ctx: Context) -> None:
    keys = {f.metadata["key"] for f in model.schema_fields(model.Procedure)} | {model.WHOLE_PROCEDURE}
    for v in p.unverified:
        if v.field_key not in keys:
            line, col = location(v)
            close = difflib.get_close_matches(v.field_key, sorted(keys), n=1)
            ctx.sink.add(ctx.path, line, col, f"'truong: {v.field_key}' không phải một khóa của thủ tục",
                         f"có phải ý bạn là '{close[0]}'?" if close else "dùng một khóa như phi, thoi_han, ma_thu_tuc.")
    # A reason is shown to staff as written: the fee keys of this procedure's
    # local fees are internal names (the page names the fee itself).
    internal = sorted({f.local_key for f in p.fees if f.local_key}, key=len, reverse=True)
    for v in p.unverified:
        named = next((k for k in internal if k in v.reason), None)
        if named:
            ctx.sink.warn(ctx.path, *location(v, "reason"),
                          f"lý do cần xác minh có khóa nội bộ '{named}': cán bộ sẽ thấy nguyên văn trên trang",
                          "gọi khoản thu bằng tên như trên trang (ví dụ: lệ phí đăng ký khai sinh quá hạn), không ghi khóa.")
    _check_questions(p, ctx)
    seen: set[str] = set()
    for i, step in enumerate(p.steps):
        if step.name in seen:
            line, col = location(step)
            ctx.sink.add(ctx.path, line, col, f"bước '{step.name}' bị trùng tên", "đặt tên khác cho mỗi bước.")
        seen.add(step.name)


QUESTION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def all_conditions(p: model.Procedure) -> list[model.Condition]:
    """Every condition written in a procedure, in file order."""
    found = [d.condition for d in p.dossier] + [f.condition for f in p.fees]
    for step in p.steps:
        found.append(step.condition)
        found += [c.condition for c in step.checklist if isinstance(c, model.CheckItem)]
    found += [n.condition for n in p.notes]
    return [c for c in found if c]


def question_infos(p: model.Procedure) -> dict[str, QuestionInfo]:
    return {q.key: QuestionInfo(q.kind, tuple(q.choices)) for q in p.questions}


def _check_questions(p: model.Procedure, ctx: Context) -> None:
    seen: set[str] = set()
    for q in p.questions:
        line, col = location(q, "key")
        if not QUESTION_KEY.match(q.key):
            ctx.sink.add(ctx.path, line, col, f"mã câu hỏi '{q.key}' không hợp lệ",
                         "chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ, ví dụ sinh_o_nuoc_ngoai.")
        elif q.key in seen or q.key in conditions.KEYWORDS:
            ctx.sink.add(ctx.path, line, col, f"mã câu hỏi '{q.key}' bị trùng hoặc là từ khóa", "đặt mã khác.")
        seen.add(q.key)
        if (q.kind == "mot-lua-chon") != bool(q.choices):
            line, col = location(q, "kind")
            ctx.sink.add(ctx.path, line, col, "chỉ câu hỏi kiểu 'mot-lua-chon' mới có 'lua_chon', và phải có ít nhất hai lựa chọn"
                         if q.kind != "mot-lua-chon" else "câu hỏi kiểu 'mot-lua-chon' cần 'lua_chon'",
                         "ví dụ lua_chon: {cha: Cha, me: Mẹ}.")
        elif q.kind == "mot-lua-chon" and len(q.choices) < 2:
            ctx.sink.add(ctx.path, line, col, "câu hỏi 'mot-lua-chon' cần ít nhất hai lựa chọn")
        _check_answer_words(q, ctx)
    infos = question_infos(p)
    budget = CheckBudget()
    for c in all_conditions(p):
        try:
            check(c.tree or conditions.parse(c), infos, budget)
        except CheckSkipped as skipped:
            ctx.sink.note(ctx.path, c.line, c.column + skipped.offset, f"điều kiện: {skipped.message}", skipped.hint)
        except conditions.ConditionError as err:
            ctx.sink.add(ctx.path, c.line, c.column + err.offset, f"điều kiện: {err.message}", err.hint)
    if p.questions and not all_conditions(p):
        line, col = location(p, "questions")
        ctx.sink.add(ctx.path, line, col, "có câu hỏi nhưng không mục nào dùng 'chi_khi'",
                     "thêm 'chi_khi' vào giấy tờ, bước, việc kiểm tra, lệ phí hoặc lưu ý mà câu trả lời quyết định.")


def _check_answer_words(q: model.Question, ctx: Context) -> None:
    """A yes/no question's own answer words come in pairs and differ; its text
    reads one way only (no negative inside it, no bare "… chưa?")."""
    named = [(attr, getattr(q, attr)) for attr in ("yes_label", "no_label") if getattr(q, attr) is not None]
    yes_key, no_key = model.key_of(model.Question, "yes_label"), model.key_of(model.Question, "no_label")
    if named and q.kind != "co-khong":
        line, col = location(q, named[0][0])
        ctx.sink.add(ctx.path, line, col, f"'{yes_key}', '{no_key}' chỉ dùng cho câu hỏi có/không",
                     "câu hỏi 'mot-lua-chon' ghi chữ của từng câu trả lời trong 'lua_chon'.")
        return
    if len(named) == 1:
        line, col = location(q, named[0][0])
        missing = no_key if named[0][0] == "yes_label" else yes_key
        ctx.sink.add(ctx.path, line, col, f"câu hỏi đặt tên cho một câu trả lời thì cần cả '{missing}'",
                     f"ví dụ {yes_key}: Đã đăng ký kết hôn, {no_key}: Chưa đăng ký kết hôn.")
    elif len(named) == 2 and q.yes_label.strip().casefold() == q.no_label.strip().casefold():
        line, col = location(q, "no_label")
        ctx.sink.add(ctx.path, line, col, f"'{yes_key}' và '{no_key}' giống nhau nên không phân biệt được hai câu trả lời")
    if q.kind != "co-khong":
        return
    problem = misleading_wording(q.text, named=len(named) == 2)
    if problem == "negative":
        ctx.sink.warn(ctx.path, *location(q, "text"),
                      "câu hỏi có/không dễ trả lời nhầm: có chữ phủ định ở giữa câu, nên trả lời “Có” lại là “không”",
                      "viết câu hỏi theo hướng khẳng định, ví dụ “Gia đình có Giấy chứng sinh của trẻ không?” thay cho "
                      "“Gia đình có phải là không có Giấy chứng sinh không?”; đảo nghĩa câu hỏi thì đổi cả mã câu hỏi và "
                      f"các 'chi_khi' dùng nó; có thể đặt tên cho hai câu trả lời bằng '{yes_key}', '{no_key}'. "
                      "Hai câu hỏi gộp làm một thì tách ra.")
    elif problem == "not-yet":
        ctx.sink.warn(ctx.path, *location(q, "text"),
                      "câu hỏi có/không dễ trả lời nhầm: câu “… chưa?” mà trả lời “Có”/“Không”",
                      f"đặt tên cho hai câu trả lời, ví dụ {yes_key}: Đã đăng ký kết hôn, "
                      f"{no_key}: Chưa đăng ký kết hôn.")


# The question's closing particle ("… không?", "… hay chưa?") asks; it does not negate.
_CLOSING_PARTICLE = re.compile(r"(?:[\s,]*(?:hay|hoặc))?[\s,]*(không|chưa)\s*\?*\s*$")
_NEGATIVES = ("không", "chưa", "chẳng")
# Words that start with a negative but say something else ("không gian", "hàng không").
_NOT_NEGATIVE = {("không", "gian"), ("không", "khí"), ("không", "quân"), ("không", "phận"), ("không", "lưu"),
                 ("không", "trung"), ("không", "ảnh"), ("hàng", "không"), ("chưa", "thành")}


def misleading_wording(text: str, *, named: bool) -> str | None:
    """Why a yes/no question's text can be misread: "negative" when a negative
    inside it makes "Có" mean "not" ("Gia đình có phải là không có Giấy chứng
    sinh không?"); "not-yet" when it ends "… chưa?" and does not name its
    answers (``named``), so "Không" could be "chưa" or "không phải"; else None.
    What is in brackets is an explanation and is not read."""
    words = re.sub(r"\([^()]*\)", " ", text).casefold()
    closing = _CLOSING_PARTICLE.search(words)
    if closing:
        words = words[:closing.start()]
    tokens = re.findall(r"\w+", words)
    for i, word in enumerate(tokens):
        if word not in _NEGATIVES:
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (word, after) not in _NOT_NEGATIVE and (before, word) not in _NOT_NEGATIVE:
            return "negative"
    if closing and closing.group(1) == "chưa" and not named:
        return "not-yet"
    return None


_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _check_holiday_year(y: model.HolidayYear, node: Node, ctx: Context) -> None:
    """A make-up day is a Saturday or Sunday, and no day is written twice (the
    year each day belongs to is checked by the loader, which knows the key)."""
    seen: dict[dt.date, str] = {}
    for key, days in (("nghi", y.days_off), ("lam_bu", y.make_up)):
        for d in days:
            if d is None:
                continue
            line, col = location(d, "day")
            if d.day in seen:
                ctx.sink.add(ctx.path, line, col, f"ngày {d.day.isoformat()} bị ghi hai lần (đã có trong '{seen[d.day]}')",
                             "mỗi ngày chỉ ghi một lần: hoặc là ngày nghỉ (nghi), hoặc là ngày làm bù (lam_bu).")
                continue
            seen[d.day] = key
            if key == "lam_bu" and d.day.weekday() < 5:
                ctx.sink.add(ctx.path, line, col,
                             f"ngày làm bù {d.day.isoformat()} là {_WEEKDAYS[d.day.weekday()]}, không phải thứ Bảy hay Chủ nhật",
                             "lam_bu chỉ ghi thứ Bảy, Chủ nhật trở thành ngày làm việc; ngày thường được nghỉ thì ghi vào nghi.")


def _check_triage_option(o: model.TriageOption, node: Node, ctx: Context) -> None:
    if (o.next is None) == (o.procedure is None):
        ctx.error(node, f"lựa chọn '{o.label}' cần đúng một trong hai: 'tiep' (câu hỏi tiếp) hoặc 'den' (thủ tục)")


_TRAINING_ID = re.compile(model.SLUG)
_LETTERS = model.QUIZ_LETTERS


def _check_training_key(obj: Any, ctx: Context, kind: str) -> None:
    """``kind``: the list of model.Training the object belongs to."""
    what = model.item_label_of(model.schema_field(model.Training, kind))
    if not _TRAINING_ID.match(obj.key):
        line, col = location(obj, "key")
        ctx.sink.add(ctx.path, line, col, f"mã {what} '{obj.key}' không hợp lệ",
                     "chữ thường không dấu, số và dấu gạch ngang, ví dụ khai-sinh-qua-han.")


def _check_scenario(s: model.Scenario, node: Node, ctx: Context) -> None:
    _check_training_key(s, ctx, "scenarios")


def _check_quiz_question(q: model.QuizQuestion, node: Node, ctx: Context) -> None:
    """Every question has a valid answer: indexes inside the choices, no
    repeats, exactly one for a single-answer question; choices differ."""
    _check_training_key(q, ctx, "quiz")
    seen: set[str] = set()
    for i, choice in enumerate(q.choices):
        if choice in seen:
            line, col = item_location(q, "choices", i)
            ctx.sink.add(ctx.path, line, col, f"lựa chọn '{choice}' bị lặp", "mỗi lựa chọn phải khác nhau.")
        seen.add(choice)
    line, col = location(q, "answers")
    n = len(q.choices)
    for i, a in enumerate(q.answers):
        if a > n:
            ctx.sink.add(ctx.path, *item_location(q, "answers", i), f"đáp án {a} không có: câu hỏi chỉ có {n} lựa chọn ({_LETTERS[0]}–{_LETTERS[n - 1]})",
                         f"dap_an ghi số thứ tự lựa chọn đúng, đếm từ 1 đến {n}.")
    if len(set(q.answers)) != len(q.answers):
        ctx.sink.add(ctx.path, line, col, "đáp án bị ghi lặp", "mỗi số thứ tự chỉ ghi một lần.")
    if q.kind == "mot-dap-an" and len(set(q.answers)) != 1:
        ctx.sink.add(ctx.path, line, col, f"câu hỏi một đáp án nhưng 'dap_an' có {len(q.answers)} số",
                     "ghi đúng một số, hoặc đổi 'kieu: nhieu-dap-an'.")
    if q.kind == "nhieu-dap-an" and len(set(q.answers)) >= n:
        ctx.sink.add(ctx.path, line, col, "mọi lựa chọn đều đúng: câu hỏi không kiểm tra được gì",
                     "thêm một lựa chọn sai, hoặc sửa đáp án.")


def _check_practice_dossier(d: model.PracticeDossier, node: Node, ctx: Context) -> None:
    _check_training_key(d, ctx, "dossiers")
    for defect in d.defects:
        if defect.document is not None and defect.document > len(d.documents):
            line, col = location(defect, "document")
            ctx.sink.add(ctx.path, line, col, f"giấy tờ số {defect.document} không có: bộ hồ sơ chỉ có {len(d.documents)} giấy tờ",
                         "giay_to ghi số thứ tự giấy tờ trong danh sách 'giay_to' của bộ hồ sơ, đếm từ 1; bỏ trống nếu lỗi thuộc cả bộ.")


# Which references each kind of agenda block takes ("no block is empty").
BLOCK_REFS = {
    "giai-thich": (), "trinh-dien": (), "trao-doi": (),
    "thuc-hanh-tinh-huong": ("scenarios",), "ho-so-thuc-hanh": ("dossiers",), "kiem-tra": ("quiz",),
}
_BLOCK_FOR_REF = {"scenarios": "thuc-hanh-tinh-huong", "dossiers": "ho-so-thuc-hanh", "quiz": "kiem-tra"}


def _check_agenda_block(b: model.AgendaBlock, node: Node, ctx: Context) -> None:
    label = model.BLOCK_KINDS[b.kind]
    for attr in _BLOCK_FOR_REF:
        key = model.key_of(model.AgendaBlock, attr)
        if getattr(b, attr) and attr not in BLOCK_REFS[b.kind]:
            line, col = location(b, attr)
            ctx.sink.add(ctx.path, line, col, f"khối '{label}' không dùng '{key}'",
                         f"'{key}' thuộc khối 'loai: {_BLOCK_FOR_REF[attr]}'; tách thành một khối riêng.")
    wanted = BLOCK_REFS[b.kind]
    if wanted and not any(getattr(b, attr) for attr in wanted):
        key = model.key_of(model.AgendaBlock, wanted[0])
        ctx.error(node, f"khối '{label}' trống: cần ít nhất một mã trong '{key}'", f"thêm '{key}: [mã, …]'.")
    if b.kind == "trao-doi" and not b.content:
        ctx.error(node, f"khối '{label}' trống: cần 'noi_dung'", "ghi câu hỏi gợi ý trao đổi hoặc việc cần rút kinh nghiệm.")
    if b.kind in ("giai-thich", "trinh-dien") and not (b.content or b.procedures):
        ctx.error(node, f"khối '{label}' trống: cần 'noi_dung' hoặc 'thu_tuc'", "ghi nội dung giải thích, hoặc thủ tục sẽ làm mẫu.")


def _check_session(s: model.Session, node: Node, ctx: Context) -> None:
    """The agenda fits in the session: the first block that runs past the end is the error."""
    total = 0
    for b in s.agenda:
        total += b.minutes
        if total > s.minutes:
            line, col = location(b, "minutes")
            ctx.sink.add(ctx.path, line, col,
                         f"chương trình vượt thời lượng: hết khối này đã {total} phút, buổi học chỉ {s.minutes} phút",
                         f"rút ngắn các khối (tổng chương trình {sum(x.minutes for x in s.agenda)} phút) hoặc tăng 'thoi_luong' của buổi.")
            break


CHECKS = {
    model.Scenario: _check_scenario,
    model.QuizQuestion: _check_quiz_question,
    model.PracticeDossier: _check_practice_dossier,
    model.AgendaBlock: _check_agenda_block,
    model.Session: _check_session,
    model.TriageOption: _check_triage_option,
    model.HolidayYear: _check_holiday_year,
    model.Deadline: _check_deadline,
    model.Channel: _check_channel,
    model.Fee: _check_fee,
    model.Procedure: _check_procedure,
}
