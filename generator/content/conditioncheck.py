"""A condition checked against its procedure's questions (``chi_khi`` at
validation): every question it names exists, every value compared is one
the question can take, comparisons are of the right kind, and some answers
make it true (``satisfiability.py``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .conditions import Compiled, ConditionError, question_refs, shown, without_offsets
from .satisfiability import CheckBudget, satisfiable


@dataclass
class QuestionInfo:
    """What the checker needs to know of a question."""

    kind: str  # "co-khong", "mot-lua-chon", "so", "ngay"
    choices: tuple[str, ...] = ()


def check(node: Compiled, questions: dict[str, QuestionInfo], budget: CheckBudget | None = None) -> None:
    """Raise ConditionError for unknown questions, values a question can never
    take, comparisons of the wrong kind, and conditions no answers satisfy;
    CheckSkipped when finding whether some answers satisfy it takes more
    steps than the condition's share of ``budget`` (a fresh budget if None).
    ``node`` is the parsed condition, offsets kept (``conditions.parse``)."""
    for ref in question_refs(node):
        if ref[1] not in questions:
            close = difflib.get_close_matches(ref[1], list(questions), n=1, cutoff=0.6)
            raise ConditionError(f"không có câu hỏi '{shown(ref[1])}'", ref[2] if len(ref) > 2 else 0,
                                 f"có phải ý bạn là '{close[0]}'?" if close else "khai báo câu hỏi trong 'cau_hoi' trước.")
    _check_kinds(node, questions, top=True)
    if not satisfiable(without_offsets(node), questions, budget or CheckBudget()):
        raise ConditionError("không có câu trả lời nào làm điều kiện này đúng: mục này sẽ không bao giờ hiện", 0,
                             "xem lại 'và'/'hoặc' và các giá trị so sánh.")


def _offset(node) -> int:
    return node[2] if node[0] == "q" and len(node) > 2 else 0


def _check_value_for(question: QuestionInfo, qnode, value) -> None:
    if question.kind == "mot-lua-chon":
        if not isinstance(value, str) or value not in question.choices:
            raise ConditionError(f"câu hỏi '{qnode[1]}' không có lựa chọn {value!r}", _offset(qnode),
                                 "lựa chọn hợp lệ: " + ", ".join(question.choices))
    elif question.kind == "co-khong":
        if not isinstance(value, bool):
            raise ConditionError(f"câu hỏi '{qnode[1]}' chỉ trả lời có/không", _offset(qnode),
                                 "viết điều kiện là tên câu hỏi, hoặc 'không' + tên câu hỏi.")
    elif question.kind == "so":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConditionError(f"câu hỏi '{qnode[1]}' cần so với một số", _offset(qnode))
    elif question.kind == "ngay":
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ConditionError(f"câu hỏi '{qnode[1]}' cần so với một ngày dạng \"YYYY-MM-DD\"", _offset(qnode))


def _check_kinds(node, questions, top=False) -> None:
    kind = node[0]
    if kind in ("or", "and"):
        for x in node[1:]:
            _check_kinds(x, questions, top=True)
    elif kind == "not":
        _check_kinds(node[1], questions, top=True)
    elif kind == "q":
        q = questions[node[1]]
        if top and q.kind != "co-khong":
            raise ConditionError(f"câu hỏi '{node[1]}' không phải câu có/không; hãy so sánh nó với một giá trị",
                                 _offset(node), f'ví dụ: {node[1]} = "…"')
    elif kind == "in":
        if node[1][0] != "q":
            raise ConditionError("bên trái 'trong' phải là một câu hỏi", 0)
        for v in node[2]:
            _check_value_for(questions[node[1][1]], node[1], v)
    elif kind == "cmp":
        op, a, b = node[1], node[2], node[3]
        for q, other in ((a, b), (b, a)):
            if q[0] == "q" and other[0] == "v":
                question = questions[q[1]]
                _check_value_for(question, q, other[1])
                if op not in ("=", "!=") and question.kind in ("co-khong", "mot-lua-chon"):
                    raise ConditionError(f"không so sánh lớn/nhỏ với câu hỏi '{q[1]}'", _offset(q), "dùng = hoặc !=.")
        if a[0] == "q" and b[0] == "q" and questions[a[1]].kind != questions[b[1]].kind:
            raise ConditionError(f"không so sánh được '{a[1]}' với '{b[1]}' (khác loại câu hỏi)", _offset(a))
    elif kind == "v" and top and not isinstance(node[1], bool):
        raise ConditionError("một giá trị đứng riêng không phải là điều kiện", 0)
