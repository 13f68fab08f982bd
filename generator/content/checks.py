"""Checks across the loaded handbook, run by ``load_handbook`` once every
file is read: references resolve, codes and titles are unique, dates of
what has happened are not in the future, cited documents are in force,
synonyms and triage pre-answers lead somewhere, full pages are complete
(check_complete); and what ``sotay validate
--strict`` adds (warnings and the scaffold's "CẦN ĐIỀN" become errors)."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .. import urls
from ..textutil import fold
from . import model
from .conditions import parse_answer
from .errors import ContentError, ErrorSink, shown
from .legal import close_documents, status_warnings
from .located import Reference, item_location, location
from .sessions import session_files
from .wording import date_vi
from .yamlsource import compose, read_text

if TYPE_CHECKING:
    from .handbook import Handbook

# What the scaffold (`sotay new`) leaves for editors to fill; --strict refuses it.
PLACEHOLDER = "CẦN ĐIỀN"


def check_legal_status(hb: Handbook, sink: ErrorSink) -> None:
    """A warning at each citation of a document that is repealed, replaced or
    not yet in force, and of a document amended *after the procedure was
    last reviewed* (the amending document's date is later than ngay_ra_soat):
    those pages need another look.  Amendments older than the last review
    are quiet: most laws in force have had an article amended, citing them
    is normal, and ``sotay legal impact`` lists them all."""
    for path, line, col, issue in status_warnings(hb.legal, hb.procedures.values(), hb.day):
        if issue.severe:
            sink.warn(path, line, col, issue.message, issue.hint)
    for p in hb.procedures.values():
        for ref in p.legal_basis:
            doc = hb.legal.get(ref.document)
            for amending in (doc.amended_by if doc else []):
                newer = hb.legal.get(amending)
                when = newer and (newer.effective or newer.issued)
                if when and when > p.reviewed:
                    line, col = location(ref, "document")
                    sink.warn(p.path, line, col,
                              f"văn bản '{ref.document}' được sửa đổi, bổ sung bởi '{amending}' ({date_vi(when)}), "
                              f"sau lần rà soát cuối của thủ tục ({date_vi(p.reviewed)})",
                              f"đối chiếu nội dung với '{amending}', sửa nếu cần, rồi cập nhật ngay_ra_soat "
                              f"(các thủ tục cùng dẫn: sotay legal impact {ref.document}).")


def _partly_repealed_citations(hb: Handbook) -> list[ContentError]:
    return [
        ContentError(path, line, col, issue.message, issue.hint)
        for path, line, col, issue in status_warnings(hb.legal, hb.procedures.values(), hb.day)
        if not issue.severe
    ]


def placeholder_errors(hb: Handbook) -> list[ContentError]:
    """Values still holding the scaffold's "CẦN ĐIỀN" in the loaded procedure
    files (comments do not count), located at the value."""
    found: list[ContentError] = []
    for p in hb.procedures.values():
        scratch = ErrorSink()
        text = read_text(hb.root / p.path, p.path, scratch)
        if text is None or PLACEHOLDER not in text:
            continue
        node = compose(text, p.path, scratch) if text is not None else None
        stack = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if isinstance(n, MappingNode):
                stack.extend(v for _, v in reversed(n.value))
            elif isinstance(n, SequenceNode):
                stack.extend(reversed(n.value))
            elif isinstance(n, ScalarNode) and PLACEHOLDER in n.value:
                m = n.start_mark
                shown = " ".join(n.value.split())
                shown = shown if len(shown) <= 70 else shown[:69] + "…"
                found.append(ContentError(
                    p.path, m.line + 1, m.column + 1, f"còn chỗ chưa điền: \"{shown}\"",
                    f"thay cả cụm \"{PLACEHOLDER}: …\" bằng nội dung thật (chế độ --strict không chấp nhận chỗ trống của mẫu).",
                ))
    return sorted(found)


def strict_errors(hb: Handbook, sink: ErrorSink, *, partly_repealed: bool = False) -> list[ContentError]:
    """What ``sotay validate --strict`` treats as errors on top of ``sink.errors``:
    every warning in ``sink`` (repealed, replaced or not-yet-in-force citations,
    synonyms leading nowhere…; not its notes, such as a proof cut short),
    every leftover "CẦN ĐIỀN", and with
    ``partly_repealed`` also citations of partly repealed documents."""
    promoted = [ContentError(w.path, w.line, w.column, w.message, w.hint) for w in sink.warnings]
    return promoted + placeholder_errors(hb) + (_partly_repealed_citations(hb) if partly_repealed else [])


def apply_strict(hb: Handbook, sink: ErrorSink, *, partly_repealed: bool = False) -> ErrorSink:
    """Make ``sink`` strict in place (see ``strict_errors``; notes stay notes); returns ``sink``."""
    extra = strict_errors(hb, sink, partly_repealed=partly_repealed)
    sink.items = [e for e in sink.items if not e.warning or e.note] + extra
    return sink


def check_dates(hb: Handbook, sink: ErrorSink, today: dt.date, legal_file: str) -> None:
    """Dates of what has already happened are not in the future: a
    procedure's last review (ngay_ra_soat) and a document's issue date
    (ngay_ban_hanh; its entry into force may well be ahead)."""
    for p in hb.procedures.values():
        if p.reviewed > today:
            line, col = location(p, "reviewed")
            sink.add(p.path, line, col, f"ngày rà soát {p.reviewed:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y})",
                     f"ghi ngày đã rà soát xong, không ghi trước; rà soát xong hôm nay thì ghi {today.isoformat()}.")
    for doc_id, doc in hb.legal.items():
        if doc.issued > today:
            line, col = location(doc, "issued")
            sink.add(legal_file, line, col, f"văn bản '{doc_id}' có ngày ban hành {doc.issued:%d/%m/%Y} ở tương lai "
                     f"(hôm nay là {today:%d/%m/%Y})",
                     "ghi đúng ngày ký ban hành trên văn bản; ngày văn bản bắt đầu có hiệu lực ghi ở 'ngay_hieu_luc'.")


def check_unique(hb: Handbook, sink: ErrorSink) -> None:
    """A national code or a title written in two procedures is reported in
    each of them, naming the others (path:line): whichever file the editor
    opens, the new one or the old one, shows it."""
    rules = (
        ("code", lambda p: p.code, lambda p, others: f"mã thủ tục '{p.code}' trùng với {others}",
         "mỗi mã quốc gia chỉ gắn với một thủ tục; kiểm tra lại mã ở các tệp được nêu."),
        ("title", lambda p: unicodedata.normalize("NFC", p.title).casefold(),
         lambda p, others: f"tên thủ tục trùng với {others}", "đặt tên phân biệt rõ các thủ tục."),
    )
    for attr, key, message, hint in rules:
        groups: dict[str, list[model.Procedure]] = {}
        for p in hb.procedures.values():
            if key(p):
                groups.setdefault(key(p), []).append(p)
        for group in groups.values():
            if len(group) < 2:
                continue
            for p in group:
                others = ", ".join(f"{o.path}:{location(o, attr)[0]}" for o in group if o is not p)
                line, col = location(p, attr)
                sink.add(p.path, line, col, message(p, others), hint)


# What a page needs for a new officer to work from (CONTRIBUTING, "Một thủ tục đầy đủ").
CHECKS_PER_STEP = (5, 9)
MIN_MISTAKES, MIN_KEYWORDS = 2, 5
STANDARD = "sổ tay cần"  # in every note of check_complete: how a reader (or a test) tells them apart


def is_completeness_note(item: ContentError) -> bool:
    return item.note and STANDARD in item.message


def check_complete(hb: Handbook, sink: ErrorSink) -> None:
    """The shipped handbook's standard for a full page, as located notes
    (``lưu ý``; tests/test_catalogue.py holds the shipped pages to them, a
    draft or a test fixture may fall short): 5–9 checks per step, two common
    mistakes at least, five everyday search words, and related procedures
    linked both ways (the other page's line is named; a procedure not loaded
    is not judged)."""
    for p in hb.procedures.values():
        # What the file alone says, once per loaded file (sotay serve loads it again on every save).
        for item in model.derived(p, "completeness notes", lambda p=p: _own_completeness(p)):
            sink._keep(item)
        for i, other in enumerate(p.related):
            target = hb.procedures.get(other)
            if target is not None and p.id not in target.related:
                line, col = item_location(p, "related", i)
                tline = location(target, "related" if target.related else "title")[0]
                sink.note(p.path, line, col, f"'{other}' chưa liên kết ngược lại thủ tục này ({target.path}:{tline}; sổ tay cần liên kết hai chiều)",
                          f"thêm '- {p.id}' vào 'lien_quan' của {target.path}: liên kết thủ tục liên quan đi hai chiều.")


def _own_completeness(p: model.Procedure) -> list[ContentError]:
    """check_complete's notes that need no other file."""
    low, high = CHECKS_PER_STEP
    own = ErrorSink()
    for step in p.steps:
        n = len(step.checklist)
        if not low <= n <= high:
            line, col = location(step, "checklist")
            own.note(p.path, line, col, f"bước '{shown(step.name)}' có {n} mục kiểm tra (sổ tay cần {low}–{high} mục)",
                     "tách bước quá dài thành hai bước, hoặc ghi thêm việc cán bộ thật sự phải làm, kiểm tra ở bước này."
                     if n < low else "tách bước thành hai bước, mỗi bước 5–9 mục.")
    mistakes = sum(len(s.mistakes) for s in p.steps)
    if p.steps and mistakes < MIN_MISTAKES:
        line, col = location(p, "steps")
        own.note(p.path, line, col, f"cả quy trình mới có {mistakes} lỗi thường gặp (sổ tay cần ít nhất {MIN_MISTAKES})",
                 "ghi 'loi_thuong_gap' ở các bước: những sai sót cán bộ mới hay mắc khi làm thủ tục này.")
    if len(p.keywords) < MIN_KEYWORDS:
        line, col = location(p, "keywords" if p.keywords else "title")
        own.note(p.path, line, col, f"có {len(p.keywords)} từ khóa tìm kiếm (sổ tay cần ít nhất {MIN_KEYWORDS})",
                 "thêm vào 'tu_khoa' những cách người dân gọi thủ tục này ở quầy, ví dụ \"làm sổ đỏ\", \"giấy độc thân\".")
    return own.items


def _triage_options(q: model.TriageQuestion):
    for o in q.options:
        yield o
        if o.next is not None:
            yield from _triage_options(o.next)


def _triage_paths(q: model.TriageQuestion, path: list[model.TriageOption]):
    """(path from the tree's first question, the option ending it) for every
    option; a path ends with the option itself."""
    for o in q.options:
        yield path + [o]
        if o.next is not None:
            yield from _triage_paths(o.next, path + [o])


def check_triage_answers(hb: Handbook, sink: ErrorSink, display: str) -> None:
    """Answers given in a triage tree ('tra_loi' on any option) are questions
    of the procedures the option leads to, with values those questions accept;
    an option below may not answer the same question differently.
    ``display``: the tree file, as errors name it."""
    for tree in hb.triage.values():
        for path in _triage_paths(tree.start, []):
            o = path[-1]
            if not o.answers:
                continue
            below = [hb.procedures[x.procedure] for x in _triage_options_from(o) if x.procedure in hb.procedures]
            line, col = location(o, "answers")
            for key, raw in o.answers.items():
                earlier = next((p for p in path[:-1] if key in p.answers), None)
                if earlier is not None and str(earlier.answers[key]) != str(raw):
                    sink.add(display, line, col, f"câu '{key}' đã được trả lời '{earlier.answers[key]}' ở lựa chọn "
                             f"'{earlier.label}' phía trên", "mỗi câu chỉ trả lời một lần trên một nhánh; bỏ một trong hai.")
                    continue
                having = [t for t in below if any(q.key == key for q in t.questions)]
                if not having:
                    names = ", ".join(dict.fromkeys(t.id for t in below)) or "(không có)"
                    known = sorted({q.key for t in below for q in t.questions})
                    message = (f"thủ tục '{names}' không có câu hỏi '{key}'" if o.next is None
                               else f"không thủ tục nào lựa chọn này dẫn tới ({names}) có câu hỏi '{key}'")
                    sink.add(display, line, col, message, "các câu hỏi: " + (", ".join(known) or "(không có)") + ".")
                    continue
                for target in having:
                    question = next(q for q in target.questions if q.key == key)
                    try:
                        parse_answer(question, str(raw))
                    except ValueError as err:
                        sink.add(display, line, col, f"câu '{key}' của '{target.id}': {err}")


def _triage_options_from(o: model.TriageOption):
    """The options that lead to a procedure at or below ``o``."""
    if o.next is None:
        yield o
    else:
        for x in _triage_options(o.next):
            if x.next is None:
                yield x


def check_synonyms(hb: Handbook, sink: ErrorSink, display: str) -> None:
    """Each everyday phrase is listed once, and each entry leads somewhere
    (``display``: the synonyms file)."""
    seen: dict[str, model.Synonym] = {}
    for entry in hb.synonyms:
        for phrase in entry.everyday:
            key = fold(phrase)
            other = seen.setdefault(key, entry)
            if other is not entry:
                line, col = location(entry, "everyday")
                sink.add(display, line, col,
                         f"cách nói '{phrase}' đã có ở mục '{other.means}'",
                         "mỗi cách nói chỉ ghi một lần; gộp hai mục hoặc bỏ một dòng.")
        if not hb.procedures_matching(entry.means) and not hb.registry_matching(entry.means):
            line, col = location(entry, "means")
            sink.warn(display, line, col,
                      f"'{entry.means}' không có trong tên hay từ khóa của thủ tục nào, kể cả trong danh mục",
                      "viết đúng cụm từ như trong tên thủ tục, hoặc thêm từ khóa vào thủ tục.")


_REF_MESSAGES = {
    "field": ("lĩnh vực '{}' không có trong handbook/data/linh-vuc.yml", "thêm lĩnh vực vào sổ đăng ký hoặc dùng một khóa có sẵn"),
    "legal": ("văn bản '{}' không có trong handbook/data/van-ban.yml",
              "xem các văn bản đã có trong handbook/data/van-ban.yml; văn bản chưa có thì thêm vào đó "
              "(số, ký hiệu đúng như bản gốc)"),
    "procedure": ("không có thủ tục '{}'", "dùng tên tệp (không có .yml) của một thủ tục trong procedures/"),
    "local_fee": ("mức thu '{}' không có trong handbook/data/muc-thu-dia-phuong.yml",
                  "thêm khoản thu vào handbook/data/muc-thu-dia-phuong.yml (mức của từng tỉnh ghi trong tệp tỉnh)"),
    "form_file": ("không có tệp mẫu 'handbook/{}'", "đặt tệp vào thư mục handbook/mau/ hoặc sửa đường dẫn"),
    "page": ("liên kết tới trang '{}' không có trong sổ tay",
             f"kiểm tra đường dẫn: thủ tục là {urls.link(urls.procedure('<lĩnh vực>', '<mã>'))}, "
             f"trang viết tay là {urls.link(urls.markdown_page('<tên tệp>.md'))}"),
}


def _link_targets(hb: Handbook, files: list[Path]) -> set[str]:
    """Site paths ("/thu-tuc/ho-tich/") an inline link may point to: the
    pages a build of the whole handbook generates, and the hand-written ones.
    Procedures and sessions come from the files (the folder is the field), so
    checking one file still accepts links to every other."""
    procedures = [(f.parent.name, f.stem) for f in files]
    pages = urls.generated_pages(
        procedures=procedures, legal_ids=hb.legal, session_ids=[f.stem for f in session_files(hb.root)],
        field_ids={fid for fid, _ in procedures if fid in hb.fields}, triage=bool(hb.triage))
    return urls.link_targets(pages, hb.markdown)


def check_references(refs: list[Reference], hb: Handbook, files: list[Path], forms: set[str], sink: ErrorSink) -> None:
    """Every reference recorded while loading names something that exists.
    ``files``: every procedure file; ``forms``: the downloadable forms, relative to handbook/."""
    ids = {p.stem for p in files}
    known = {
        "field": set(hb.fields),
        "legal": set(hb.legal),
        "procedure": ids,
        "local_fee": set(hb.local_fees),
        "page": _link_targets(hb, files),
        "form_file": forms,
    }
    ordered: dict[str, list[str]] = {}
    for ref in refs:
        pool = known[ref.kind]
        if ref.value in pool:
            continue
        message, hint = _REF_MESSAGES[ref.kind]
        if ref.kind not in ordered:
            ordered[ref.kind] = sorted(pool)
        if sink.full(ref.path):
            close = []
        elif ref.kind == "legal":  # numbers that look alike are different documents: see close_documents
            close = close_documents(hb.legal, ref.value)
        else:
            close = difflib.get_close_matches(ref.value[:100], ordered[ref.kind], n=1, cutoff=0.8)
        if close:
            hint = "có phải ý bạn là " + " hoặc ".join(f"'{c}'" for c in close) + f"? ({hint})"
        sink.add(ref.path, ref.line, ref.column, message.format(shown(ref.value)), hint + ".")
