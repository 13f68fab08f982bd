"""The small condition language of guided procedures ("chỉ khi" in YAML).

Editors write conditions in Vietnamese words over the procedure's questions:

    sinh_o_nuoc_ngoai
    không cha_me_da_ket_hon
    qua_han và nguoi_di_dang_ky = "ong-ba"
    so_tre >= 2 hoặc noi_sinh trong ["nha", "duong"]

Grammar (our own recursive-descent parser; nothing is ever passed to eval):

    expr    := and ("hoặc" and)*
    and     := not ("và" not)*
    not     := "không" not | compare
    compare := value (("=" | "!=" | "<" | "<=" | ">" | ">=") value | "trong" list)?
    value   := QUESTION | NUMBER | "STRING" | "đúng" | "sai" | "(" expr ")"
    list    := "[" value ("," value)* "]"

Conditions compile to a small JSON form that Python (``evaluate``) and the
browser (``theme/assets/javascripts/sotay/conditions.js``) evaluate the same
way; a property test runs both on the same cases.

An unanswered question makes every comparison on it false, so an item shows
only once the answers call for it.

Bounds (a content file is read from anyone's pull request; every check stays
linear or bounded in time, and says where a bound is hit): a condition holds
at most ``MAX_CONDITION_CHARS`` characters and ``MAX_DEPTH`` levels of
brackets and "không"; a number at most ``MAX_NUMBER_DIGITS`` digits and
``MAX_NUMBER`` in absolute value (so it stays finite in the page's JSON).

A condition is checked against its procedure's questions in
``conditioncheck.py``, and proved satisfiable in ``satisfiability.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import model

Compiled = list  # ["or", a, b…] | ["and", …] | ["not", x] | ["cmp", op, a, b] | ["in", a, [v…]] | ["q", id] | ["v", value]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>"[^"\n]*")
    | (?P<op><=|>=|!=|≠|=|<|>|\(|\)|\[|\]|,)
    | (?P<word>[^\W\d]\w*)
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
MAX_CONDITION_CHARS = 1000
MAX_DEPTH = 20  # nested brackets and "không"; content needs two or three
MAX_NUMBER = 10**12
MAX_NUMBER_DIGITS = 15
MAX_ANSWER_CHARS = 200  # an answer typed at `sotay guide` or written in 'tra_loi'

KEYWORDS = {"và": "and", "hoặc": "or", "không": "not", "trong": "in", "đúng": True, "sai": False}
OPERATORS = {"=": "=", "!=": "!=", "≠": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class ConditionError(Exception):
    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.offset, self.hint = message, offset, hint


def vi_number(n: int) -> str:
    """1000000 → "1.000.000", as numbers are written in Vietnamese."""
    return f"{n:,}".replace(",", ".")


def shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NUMBER_HINT = (f"số trong điều kiện có tối đa {MAX_NUMBER_DIGITS} chữ số, giá trị tuyệt đối không quá "
                f"{vi_number(MAX_NUMBER)}.")


@dataclass(slots=True)
class Token:
    kind: str  # "number", "string", "op", "word", "end"
    value: Any
    offset: int
    key: str = ""  # what the parser looks at: an operator or keyword itself, else the kind


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in one pass (every character but trailing
    spaces is part of a token, or of the first "bad" one)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        raw = m.group(kind)
        start = m.start(kind)
        if kind == "word" or kind == "op":
            tokens.append(Token(kind, raw, start, raw if kind == "op" or raw in KEYWORDS else kind))
            continue
        if kind == "number":
            value = _number(raw, start)
        elif kind == "string":
            value = raw[1:-1]
        else:
            raise ConditionError(f"ký tự không hiểu được '{raw}'", start,
                                 'điều kiện chỉ gồm mã câu hỏi, số, chữ trong dấu "…", và/hoặc/không/trong, = != < <= > >=.')
        tokens.append(Token(kind, value, start, kind))
    tokens.append(Token("end", None, len(text), "end"))
    return tokens


def _number(raw: str, offset: int) -> int | float:
    digits = sum(ch.isdigit() for ch in raw)
    if digits > MAX_NUMBER_DIGITS:
        raise ConditionError(f"số quá dài ({vi_number(digits)} chữ số)", offset, _NUMBER_HINT)
    value = float(raw) if "." in raw else int(raw)
    if abs(value) > MAX_NUMBER:
        raise ConditionError(f"số {raw} quá lớn", offset, _NUMBER_HINT)
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_CONDITION_CHARS:
            raise ConditionError(f"điều kiện quá dài ({vi_number(len(text))} ký tự, tối đa {vi_number(MAX_CONDITION_CHARS)})", 0,
                                 "tách thành các điều kiện ngắn hơn ở từng mục, hoặc thêm một câu hỏi gộp các trường hợp.")
        self.tokens = tokenize(text)
        self.i = 0
        self.tok = self.tokens[0]
        self.depth = 0

    def enter(self, offset: int) -> None:
        """One more level of brackets or "không": recursion stays shallow."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"điều kiện lồng nhau quá sâu (quá {MAX_DEPTH} mức ngoặc hoặc 'không')", offset,
                                 "viết phẳng hơn: bỏ ngoặc thừa và các cặp 'không không', hoặc tách thành nhiều điều kiện.")

    def take(self) -> Token:
        t = self.tok
        self.i += 1
        if self.i < len(self.tokens):
            self.tok = self.tokens[self.i]
        return t

    def expect(self, op: str) -> None:
        if self.tok.key != op:
            raise ConditionError(f"thiếu '{op}'", self.tok.offset)
        self.take()

    def parse(self) -> Compiled:
        if self.tok.kind == "end":
            raise ConditionError("điều kiện trống", 0, "viết ví dụ: sinh_o_nuoc_ngoai hoặc không da_ket_hon.")
        node = self.expr()
        if self.tok.kind != "end":
            raise ConditionError(f"không hiểu '{shown(str(self.tok.value))}' ở đây", self.tok.offset,
                                 "nối các điều kiện bằng 'và' hoặc 'hoặc'.")
        return node

    def expr(self) -> Compiled:
        parts = [self.and_()]
        while self.tok.key == "hoặc":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ["or", *parts]

    def and_(self) -> Compiled:
        parts = [self.not_()]
        while self.tok.key == "và":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else ["and", *parts]

    def not_(self) -> Compiled:
        if self.tok.key == "không":
            self.enter(self.take().offset)
            node = ["not", self.not_()]
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Compiled:
        left = self.value()
        key = self.tok.key
        if key in OPERATORS:
            self.take()
            return ["cmp", OPERATORS[key], left, self.value()]
        if key == "trong":
            self.take()
            return ["in", left, self.list_()]
        return left

    def list_(self) -> list:
        self.expect("[")
        items = [self.literal()]
        while self.tok.key == ",":
            self.take()
            items.append(self.literal())
        self.expect("]")
        return items

    def literal(self):
        t = self.take()
        if t.kind in ("number", "string"):
            return t.value
        if t.kind == "word" and isinstance(KEYWORDS.get(t.value), bool):
            return KEYWORDS[t.value]
        raise ConditionError("trong danh sách chỉ ghi số hoặc chữ trong dấu \"…\"", t.offset)

    def value(self) -> Compiled:
        t = self.tok
        if t.key == "(":
            self.enter(self.take().offset)
            inner = self.expr()
            self.expect(")")
            self.depth -= 1
            return inner
        if t.kind in ("number", "string"):
            self.take()
            return ["v", t.value]
        if t.kind == "word":
            self.take()
            if t.value in KEYWORDS:
                if isinstance(KEYWORDS[t.value], bool):
                    return ["v", KEYWORDS[t.value]]
                raise ConditionError(f"'{t.value}' đứng sai chỗ", t.offset)
            node = ["q", t.value]
            node.append(t.offset)  # stripped by compile(); kept for error positions
            return node
        if t.kind == "end":
            raise ConditionError("điều kiện bị cụt ở cuối", t.offset)
        raise ConditionError(f"không hiểu '{shown(str(t.value))}' ở đây", t.offset)


def parse(text: str) -> Compiled:
    """Parse with offsets kept on question references (["q", id, offset])."""
    return _Parser(text).parse()


def without_offsets(node):
    """``node`` as compiled: question references without their offsets."""
    if not isinstance(node, list):
        return node
    if node and node[0] == "q":
        return ["q", node[1]]
    if node and node[0] == "in":
        return ["in", without_offsets(node[1]), list(node[2])]
    return [node[0], *(without_offsets(x) for x in node[1:])]


def compile_condition(text: str) -> Compiled:
    return without_offsets(parse(text))


def question_refs(node) -> list:
    """The question references of ``node`` (["q", id] or ["q", id, offset]), in order."""
    found: list = []
    _questions_in(node, found)
    return found


def _questions_in(node, found: list) -> None:
    if not isinstance(node, list) or not node:
        return
    if node[0] == "q":
        found.append(node)
        return
    if node[0] == "v":
        return
    for x in node[1:2] if node[0] == "in" else node[1:]:
        _questions_in(x, found)


# --- evaluation (the JavaScript port mirrors this exactly) ----------------------


def _value(node, answers):
    kind = node[0]
    if kind == "q":
        return answers.get(node[1])
    if kind == "v":
        return node[1]
    return evaluate(node, answers)


def comparable(a, b) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    numbers = (int, float)
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (isinstance(a, str) and isinstance(b, str))


def compare(op: str, a, b) -> bool:
    if not comparable(a, b):
        return False
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if isinstance(a, bool):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def evaluate(node: Compiled, answers: dict[str, Any]) -> bool:
    """True if the item shows for these answers (unanswered → None)."""
    kind = node[0]
    if kind == "or":
        return any(evaluate(x, answers) for x in node[1:])
    if kind == "and":
        return all(evaluate(x, answers) for x in node[1:])
    if kind == "not":
        return not evaluate(node[1], answers)
    if kind == "in":
        value = _value(node[1], answers)
        return any(comparable(value, v) and value == v for v in node[2])
    if kind == "cmp":
        return compare(node[1], _value(node[2], answers), _value(node[3], answers))
    if kind == "q":
        return answers.get(node[1]) is True
    if kind == "v":
        return node[1] is True
    raise ValueError(f"unknown node {kind!r}")



def describe(node: Compiled, questions: dict[str, str], choice_labels: dict[str, dict[str, str]] | None = None) -> str:
    """The condition in words, for the page without JavaScript ("Chỉ khi: …").

    ``questions`` maps question ids to their short labels; ``choice_labels``
    maps them to the words of their answers: a choice's label by its code,
    and for a yes/no question that names its answers, those words by True and
    False (so "không da_ket_hon" reads "Chưa đăng ký kết hôn")."""
    labels = choice_labels or {}
    kind = node[0]
    if kind == "q":  # a yes/no question that names its answers reads as its "Có" answer
        named = _named_answer(node, labels)
        return labels[named[0]][True] if named else questions.get(node[1], node[1])
    if kind == "v":
        return {True: "có", False: "không"}.get(node[1], str(node[1])) if isinstance(node[1], bool) else str(node[1])
    if kind == "not":
        named = _named_answer(node[1], labels)
        if named is not None:  # "không (co_giay = sai)" reads "Có Giấy chứng sinh"
            return labels[named[0]][not named[1]]
        # A sentence, not "không phải: …": the question's label is quoted whole.
        inner = node[1]
        if inner[0] in ("and", "or"):
            return f"không thuộc trường hợp: ({describe(inner, questions, labels)})"
        return f"không thuộc trường hợp “{describe(inner, questions, labels)}”"
    if kind in ("and", "or"):
        word = " và " if kind == "and" else " hoặc "
        return word.join(_wrap(x, questions, labels) for x in node[1:])
    if kind == "in":
        name = node[1][1]
        names = [labels.get(name, {}).get(v, str(v)) for v in node[2]]
        return f"{questions.get(name, name)}: " + " hoặc ".join(names)
    if kind == "cmp":
        op, a, b = node[1], node[2], node[3]
        named = _named_answer(node, labels)
        if named is not None:
            return labels[named[0]][named[1]]
        if a[0] == "q" and b[0] == "v" and isinstance(b[1], bool) and op in ("=", "!="):
            holds = b[1] == (op == "=")  # "q = có" reads as q itself, "q = không" as its negation
            return describe(a, questions, labels) if holds else describe(("not", a), questions, labels)
        if a[0] == "q" and b[0] == "v":
            value = labels.get(a[1], {}).get(b[1], describe(b, questions, labels))
            words = {"=": ": ", "!=": ": không phải ", "<": " dưới ", "<=": " không quá ", ">": " trên ", ">=": " từ "}
            return f"{questions.get(a[1], a[1])}{words[op]}{value}"
        return f"{describe(a, questions, labels)} {op} {describe(b, questions, labels)}"
    return str(node)


def _named_answer(node, labels) -> tuple[str, bool] | None:
    """(question, answer) when ``node`` says a yes/no question that names its
    answers got one of them: ``q``, ``q = có``, ``q != sai``; else None."""
    if node[0] == "q":
        key, value = node[1], True
    elif node[0] == "cmp" and node[1] in ("=", "!=") and node[2][0] == "q" and node[3][0] == "v" \
            and isinstance(node[3][1], bool):
        key, value = node[2][1], node[3][1] if node[1] == "=" else not node[3][1]
    else:
        return None
    return (key, value) if isinstance(labels.get(key, {}).get(value), str) and True in labels[key] else None


def _wrap(node, questions, labels) -> str:
    text = describe(node, questions, labels)
    return f"({text})" if node[0] in ("and", "or") else text


def parse_answer(q: model.Question, raw: str):
    """An answer typed by a person: có/không, a choice code or label, a number, a date."""
    text = raw.strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(f"câu trả lời quá dài ({vi_number(len(text))} ký tự, tối đa {MAX_ANSWER_CHARS})")
    folded = text.lower()
    if q.kind == "co-khong":
        named = q.answer_words()
        if folded in ("có", "co", "c", "yes", "y", "1", "đúng", "dung") or folded == named[True].lower():
            return True
        if folded in ("không", "khong", "k", "no", "n", "0", "sai") or folded == named[False].lower():
            return False
        if q.yes_label and q.no_label:
            raise ValueError(f"trả lời 'có' ({q.yes_label}) hoặc 'không' ({q.no_label})")
        raise ValueError("trả lời 'có' hoặc 'không'")
    if q.kind == "mot-lua-chon":
        for code, label in q.choices.items():
            if folded in (code.lower(), label.lower()):
                return code
        if re.fullmatch(r"[0-9]{1,9}", text) and 1 <= int(text) <= len(q.choices):
            return list(q.choices)[int(text) - 1]
        raise ValueError("chọn một trong: " + ", ".join(f"{c} ({label})" for c, label in q.choices.items()))
    if q.kind == "so":
        bounds = f"cần một số từ -{vi_number(MAX_NUMBER)} đến {vi_number(MAX_NUMBER)}"
        try:
            value = int(text) if re.fullmatch(r"-?[0-9]+", text) else float(text)
        except ValueError:
            raise ValueError(bounds) from None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:  # "nan", "inf", "1e999", 10**13
            raise ValueError(bounds)
        return value
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError("cần một ngày dạng YYYY-MM-DD")
    return text
