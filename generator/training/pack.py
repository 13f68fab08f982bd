"""Training packs: one session laid out for rendering, and new sessions planned.

A session (loaded and cross-checked by ``content/sessions.py``) becomes the
``Pack`` that the site pages, the printable pack and the CLI all render, so
the trainer's page, the trainee's page and the USB pack never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content import model
from ..content.sessions import Item, training_items

LETTERS = model.QUIZ_LETTERS


# --- the pack: one session laid out for rendering -----------------------------


@dataclass
class Slot:
    """One agenda block with its clock times and the items it uses."""

    block: model.AgendaBlock
    title: str
    begins: str
    ends: str
    procedures: list[model.Procedure]
    scenarios: list[Item] = field(default_factory=list)
    dossiers: list[Item] = field(default_factory=list)
    quiz: list[Item] = field(default_factory=list)


@dataclass
class Pack:
    session: model.Session
    audience: str
    slots: list[Slot]
    procedures: list[model.Procedure]
    objectives: list[str]  # session's own, then each procedure's
    materials: list[str]
    scenarios: list[Item]  # in agenda order, each once
    dossiers: list[Item]
    quiz: list[Item]
    ends: str
    spare_minutes: int


def _clock(start: str, minutes: int) -> str:
    h, m = map(int, start.split(":"))
    t = dt.datetime(2000, 1, 1, h, m) + dt.timedelta(minutes=minutes)
    return t.strftime("%H:%M")


def build_pack(session: model.Session, procedures: dict[str, model.Procedure], items: dict | None = None) -> Pack:
    """Lay a validated session out: clock times, items in agenda order, the
    materials checklist (the editor's list, then what the agenda needs).
    ``items``: ``training_items`` of ``procedures``, when the caller lays
    out several sessions (it walks every procedure)."""
    if items is None:
        items = training_items(procedures.values())
    items = {k: w[0] for k, w in items.items()}
    covered = [procedures[p] for p in session.procedures if p in procedures]
    slots: list[Slot] = []
    elapsed = 0
    order: dict[str, list[Item]] = {"scenarios": [], "dossiers": [], "quiz": []}
    for block in session.agenda:
        slot = Slot(block, block.title or model.BLOCK_KINDS[block.kind], _clock(session.start, elapsed),
                    _clock(session.start, elapsed + block.minutes), [procedures[p] for p in block.procedures if p in procedures])
        for kind in order:
            for key in getattr(block, kind):
                item = items[(kind, key)]
                getattr(slot, kind).append(item)
                if all(i.value is not item.value for i in order[kind]):
                    order[kind].append(item)
        slots.append(slot)
        elapsed += block.minutes
    objectives = list(session.objectives)
    for p in covered:
        if p.training:
            objectives += [o for o in p.training.objectives if o not in objectives]
    materials = list(session.materials)
    materials.append(f"Bản in danh mục kiểm tra của {len(covered)} thủ tục (phần phát tay cho học viên)")
    if order["scenarios"]:
        materials.append(f"{len(order['scenarios'])} thẻ tình huống in rời, mỗi thẻ một trang")
    if order["dossiers"]:
        documents = sum(len(i.value.documents) for i in order["dossiers"])
        materials.append(f"{len(order['dossiers'])} bộ hồ sơ thực hành ({documents} giấy tờ) theo mô tả trong tài liệu này")
    if order["quiz"]:
        materials.append(f"Phiếu trắc nghiệm ({len(order['quiz'])} câu) cho mỗi học viên, hoặc đường dẫn trang tự kiểm tra")
    return Pack(session, model.AUDIENCES[session.audience], slots, covered, objectives, materials,
                order["scenarios"], order["dossiers"], order["quiz"], _clock(session.start, elapsed),
                session.minutes - elapsed)


# --- a session skeleton (sotay training new) ----------------------------------

EXPLAIN_PER_PROCEDURE = 5
DEMO_MINUTES = 15
DEBRIEF_MINUTES = 10
SCENARIO_MINUTES = 10
DOSSIER_MINUTES = 15
QUIZ_MAX_MINUTES = 20
MIN_SESSION = 45


class PlanError(ValueError):
    """A session cannot be planned as asked; the message says why, in Vietnamese."""


def _round5(minutes: float) -> int:
    return max(5, int(5 * round(minutes / 5)))


def plan_session(title: str, audience: str, minutes: int, start: str, procs: list[model.Procedure]) -> dict:
    """A complete, valid session plan that uses the procedures' own training
    content: explain, demonstrate, scenarios and practice dossiers taken in
    turn from each procedure while time allows, a quiz, a debrief."""
    if minutes < MIN_SESSION:
        raise PlanError(f"buổi học {minutes} phút quá ngắn để có đủ giải thích, thực hành và trắc nghiệm (tối thiểu {MIN_SESSION} phút)")
    ids = [p.id for p in procs]
    explain = min(30, _round5(5 + EXPLAIN_PER_PROCEDURE * len(procs)))
    quiz_ids = [q.key for p in procs if p.training for q in p.training.quiz]
    quiz_minutes = 0
    if quiz_ids:
        quiz_ids = quiz_ids[: int(QUIZ_MAX_MINUTES / 1.5)]
        quiz_minutes = min(QUIZ_MAX_MINUTES, _round5(1.5 * len(quiz_ids)))
    demo = DEMO_MINUTES if minutes >= 90 else 0
    remaining = minutes - explain - demo - DEBRIEF_MINUTES - quiz_minutes
    # Scenarios and dossiers in turn from each procedure: the first of each, then the second…
    candidates: list[tuple[str, str, int]] = []
    depth = max([len(p.training.scenarios) + len(p.training.dossiers) for p in procs if p.training] or [0])
    for level in range(depth):
        for kind, attr, cost in (("scenarios", "scenarios", SCENARIO_MINUTES), ("dossiers", "dossiers", DOSSIER_MINUTES)):
            for p in procs:
                values = getattr(p.training, attr) if p.training else []
                if level < len(values):
                    candidates.append((kind, values[level].key, cost))
    chosen: dict[str, list[str]] = {"scenarios": [], "dossiers": []}
    for kind, key, cost in candidates:
        if cost <= remaining:
            chosen[kind].append(key)
            remaining -= cost
    agenda: list[dict] = [{
        "loai": "giai-thich", "ten": "Tổng quan các thủ tục", "thoi_luong": explain, "thu_tuc": ids,
        "noi_dung": "Mở trang từng thủ tục trên sổ tay: đối tượng, thành phần hồ sơ, thời hạn, phí, các bước xử lý.",
    }]
    if demo:
        agenda.append({"loai": "trinh-dien", "ten": "Làm mẫu một hồ sơ", "thoi_luong": demo, "thu_tuc": ids[:1],
                       "noi_dung": "Giảng viên tiếp nhận một hồ sơ mẫu theo danh mục kiểm tra của thủ tục, nói to từng việc."})
    scenario_minutes = SCENARIO_MINUTES * len(chosen["scenarios"])
    if chosen["scenarios"]:
        scenario_minutes += max(0, remaining - 5)  # spare time goes to practice, keeping 5 minutes in hand
        remaining = min(remaining, 5)
        agenda.append({"loai": "thuc-hanh-tinh-huong", "thoi_luong": scenario_minutes, "tinh_huong": chosen["scenarios"],
                       "noi_dung": "Học viên làm theo nhóm hai người: một người đóng vai công dân, một người tiếp nhận."})
    if chosen["dossiers"]:
        agenda.append({"loai": "ho-so-thuc-hanh", "thoi_luong": DOSSIER_MINUTES * len(chosen["dossiers"]),
                       "ho_so": chosen["dossiers"]})
    if quiz_ids:
        agenda.append({"loai": "kiem-tra", "thoi_luong": quiz_minutes, "cau_hoi": quiz_ids})
    debrief = DEBRIEF_MINUTES + (remaining - 5 if not chosen["scenarios"] and remaining > 5 else 0)
    agenda.append({"loai": "trao-doi", "thoi_luong": debrief,
                   "noi_dung": "Mỗi học viên nêu một lỗi mình suýt mắc và cách tránh; giảng viên chốt các điểm cần nhớ."})
    return {
        "ten": title, "doi_tuong": audience, "thoi_luong": minutes, "bat_dau": start, "thu_tuc": ids,
        "chuan_bi": ["Máy tính nối máy chiếu, mở sổ tay (hoặc bản dùng không cần mạng)",
                     "Bản in cho học viên: sotay training pack <mã buổi> --ban hoc-vien"],
        "chuong_trinh": agenda,
    }


def session_yaml(plan: dict) -> str:
    import yaml

    header = ("# Buổi đào tạo tạo bằng `sotay training new`; sửa tự do rồi chạy `sotay validate`.\n"
              "# Các khóa: xem trang Biên tập nội dung → Lược đồ tệp thủ tục (mục Buổi đào tạo).\n")
    class NoAliases(yaml.SafeDumper):  # content never uses anchors; the loader refuses them
        def ignore_aliases(self, data):
            return True

    return header + yaml.dump(plan, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=100,
                              default_flow_style=False)
