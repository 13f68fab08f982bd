"""The rules a dossier follows once its answers or its channel are known live
in generator/guided/guide.py, where `sotay guide` and `sotay due` (and any
other caller) find them, not inside a command."""
from __future__ import annotations

import json

import pytest

from generator.content.conditions import parse_answer
from generator.content.handbook import load_handbook
from generator.guided.guide import build_guide, deadline_for, tailored
from test_guide import with_guide
from test_loader import KHAI_SINH, replace_in

CHANNEL_DEADLINE = "    cong_truc_tuyen: https://dichvucong.gov.vn\n    thoi_han:\n      loai: gio-lam-viec\n      so: 4\n"


def khai_sinh(mini):
    hb, sink = load_handbook(mini)
    assert not sink.errors
    return hb.procedures["dang-ky-khai-sinh"]


def test_deadline_for_each_channel(mini):
    replace_in(mini, KHAI_SINH, "    cong_truc_tuyen: https://dichvucong.gov.vn\n", CHANNEL_DEADLINE)
    p = khai_sinh(mini)
    general = (p.deadline, "thời hạn chung của thủ tục")
    assert deadline_for(p, None) == general
    assert deadline_for(p, "truc-tiep") == general  # offered, no deadline of its own
    own, source = deadline_for(p, "truc-tuyen")
    assert (own.kind, own.amount, source) == ("gio-lam-viec", 4, "thời hạn riêng của cách thức trực tuyến")
    for channel, name in (("buu-chinh", "qua dịch vụ bưu chính"),):
        with pytest.raises(ValueError) as exc:
            deadline_for(p, channel)
        assert str(exc.value) == f"thủ tục 'dang-ky-khai-sinh' không nhận hồ sơ {name}; các cách thức: truc-tiep, truc-tuyen"


def test_due_command_applies_the_same_rule(mini, run):
    replace_in(mini, KHAI_SINH, "    cong_truc_tuyen: https://dichvucong.gov.vn\n", CHANNEL_DEADLINE)
    p = khai_sinh(mini)
    for channel in (None, "truc-tiep", "truc-tuyen"):
        args = ["--channel", channel] if channel else []
        data = json.loads(run("due", "dang-ky-khai-sinh", "--received", "2025-03-10 16:00", *args, "--json").output)
        deadline, source = deadline_for(p, channel)
        assert (data["deadline"]["kind"], data["deadline"]["source"]) == (deadline.kind, source)


def test_tailored_keeps_what_applies_to_the_answers(mini):
    with_guide(mini, "không sinh_o_nuoc_ngoai")
    replace_in(mini, KHAI_SINH, "kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
               "kiem_tra:\n      - Ghi Sổ đăng ký khai sinh\n      - viec: Ghi chú việc sinh ở nước ngoài\n"
               "        chi_khi: sinh_o_nuoc_ngoai\n    chi_khi: nguoi_di = \"me\"")
    p = khai_sinh(mini)

    def names(answers):
        t = tailored(p, answers)
        return ([d["name"] for d in t["dossier"]], [(s["name"], s["checklist"]) for s in t["steps"]])

    dossier, steps = names({"sinh_o_nuoc_ngoai": False, "nguoi_di": "me"})
    assert dossier == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert steps[1] == ("Ghi sổ và trình ký", ["Ghi Sổ đăng ký khai sinh"])
    dossier, steps = names({"sinh_o_nuoc_ngoai": True, "nguoi_di": "me"})
    assert dossier == ["Tờ khai đăng ký khai sinh"]
    assert steps[1] == ("Ghi sổ và trình ký", ["Ghi Sổ đăng ký khai sinh", "Ghi chú việc sinh ở nước ngoài"])
    dossier, steps = names({"sinh_o_nuoc_ngoai": True, "nguoi_di": "cha"})
    assert [s[0] for s in steps] == ["Tiếp nhận hồ sơ"]
    dossier, steps = names({})  # nothing answered: a question not answered is not true
    assert dossier == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"] and [s[0] for s in steps] == ["Tiếp nhận hồ sơ"]


def test_guide_command_prints_what_tailored_keeps(mini, run):
    with_guide(mini, "không sinh_o_nuoc_ngoai")
    p = khai_sinh(mini)
    questions = {q.key: q for q in p.questions}
    for raw in ({"sinh_o_nuoc_ngoai": "có"}, {"sinh_o_nuoc_ngoai": "không"}, {"nguoi_di": "cha"},
                {"sinh_o_nuoc_ngoai": "không", "nguoi_di": "me"}):
        args = [a for key, value in raw.items() for a in ("-a", f"{key}={value}")]
        printed = json.loads(run("guide", "dang-ky-khai-sinh", *args, "--json").output)
        answers = {key: parse_answer(questions[key], value) for key, value in raw.items()}
        assert {k: printed[k] for k in ("dossier", "steps", "notes", "fees")} == tailored(p, answers)


def test_items_tailored_are_the_items_the_page_shows(mini):
    """The page hides an item when its compiled condition (build_guide) is false
    for the answers; tailored keeps exactly the others."""
    with_guide(mini, "không sinh_o_nuoc_ngoai và nguoi_di = \"me\"")
    p = khai_sinh(mini)
    from generator.content import conditions

    compiled = build_guide(p).compiled
    for answers in ({}, {"sinh_o_nuoc_ngoai": False, "nguoi_di": "me"}, {"sinh_o_nuoc_ngoai": True}):
        kept = {d["id"] for d in tailored(p, answers)["dossier"]}
        shown = {f"hs-{i}" for i in range(1, len(p.dossier) + 1)
                 if f"hs-{i}" not in compiled or conditions.evaluate(compiled[f"hs-{i}"], answers)}
        assert kept == shown, answers
