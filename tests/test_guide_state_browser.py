"""The guided panel in headless Chromium with answers it did not write: a
"?tra-loi=" link and state in localStorage are checked against the page's
questions and checklist; what does not fit is dropped (what fits is kept),
never saved, and the officer is told once, in Vietnamese."""

from __future__ import annotations

import json
import shutil

import pytest

from generator.site.build import build_site

from conftest import FIXTURES, serve_directory
from test_guide import QUESTIONS as GUIDE_QUESTIONS
from test_loader import KHAI_SINH, replace_in

# Four questions, one of each kind, and a dossier item that needs the first.
QUESTIONS = GUIDE_QUESTIONS + """  - ma: so_con
    hoi: Gia đình có mấy con?
    nhan: Số con
    kieu: so
  - ma: ngay_sinh
    hoi: Trẻ sinh ngày nào?
    nhan: Ngày sinh
    kieu: ngay
"""
FOREIGN = "Giấy tờ chứng minh việc sinh ở nước ngoài"
KEY = "sotay:dang-ky-khai-sinh"
LINK_PARTLY = "Một số câu trả lời trong đường dẫn không hợp lệ nên đã bỏ qua"
LINK_ALL = "Các câu trả lời trong đường dẫn không hợp lệ nên đã bỏ qua"
SAVED_PARTLY = "Dữ liệu đã lưu trên máy này bị hỏng một phần; đã bỏ phần hỏng."
SAVED_ALL = "Dữ liệu đã lưu trên máy này bị hỏng nên đã bỏ"


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("guide-state") / "kho"
    shutil.copytree(FIXTURES / "mini", root)
    replace_in(root, KHAI_SINH, "ngay_ra_soat:", QUESTIONS + "ngay_ra_soat:")
    replace_in(root, KHAI_SINH, "  - ten: Giấy chứng sinh\n",
               f"  - ten: Giấy chứng sinh\n  - ten: {FOREIGN}\n    chi_khi: sinh_o_nuoc_ngoai\n")
    site = build_site(root)
    with serve_directory(site) as url:
        yield url + "thu-tuc/ho-tich/dang-ky-khai-sinh/"


def notices(page) -> str:
    return " ".join(page.locator(".sotay-notice[role=status]").all_inner_texts())


def saved(page):
    return json.loads(page.evaluate(f"() => localStorage.getItem('{KEY}')") or "null")


def check_works(page, answers: dict, errors: list) -> None:
    """The panel is drawn, shows exactly ``answers``, and still takes an answer."""
    assert errors == []
    summary = page.locator(".sotay-guide-summary").inner_text()
    assert f"Đã trả lời {len(answers)}/4 câu" in summary or (len(answers) == 4 and "đủ 4 câu" in summary), summary
    state = saved(page)
    if state is not None:
        case = state["cases"][state["current"]]
        assert case["answers"] == answers
    if "sinh_o_nuoc_ngoai" not in answers:
        page.locator("[data-question=sinh_o_nuoc_ngoai]").get_by_label("Có").check()
        assert page.get_by_text(FOREIGN).first.is_visible()
        state = saved(page)
        assert state["cases"][state["current"]]["answers"]["sinh_o_nuoc_ngoai"] is True


def test_answers_in_the_link_are_checked(chromium, page_url):
    good = {"sinh_o_nuoc_ngoai": False, "nguoi_di": "me", "so_con": 2, "ngay_sinh": "2025-02-28"}
    cases = [  # (what follows ?tra-loi=, the answers kept, the message)
        ("null", {}, LINK_ALL),
        ("[]", {}, LINK_ALL),
        ('"x"', {}, LINK_ALL),
        ("{", {}, LINK_ALL),  # not JSON
        ('{"unknown":1}', {}, LINK_ALL),
        ('{"sinh_o_nuoc_ngoai":"có"}', {}, LINK_ALL),  # a word where yes/no is meant
        ('{"nguoi_di":"chu"}', {}, LINK_ALL),  # not one of the choices
        ('{"so_con":"2"}', {}, LINK_ALL),
        ('{"ngay_sinh":"2025-02-30"}', {}, LINK_ALL),  # no such day
        ('{"__proto__":{"x":1}}', {}, LINK_ALL),
        ('{"sinh_o_nuoc_ngoai":true,"nguoi_di":5,"so_con":1e999,"x":1}', {"sinh_o_nuoc_ngoai": True}, LINK_PARTLY),
        ('{"nguoi_di":"ong-ba","sinh_o_nuoc_ngoai":null}', {"nguoi_di": "ong-ba"}, LINK_PARTLY),
        (json.dumps(good), good, ""),  # all good: applied, nothing said
    ]
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_url)
    for query, kept, message in cases:
        page.evaluate("() => localStorage.clear()")  # each link opened on a machine with nothing saved
        page.goto(page_url + "?tra-loi=" + query)
        assert "tra-loi" not in page.url
        if message:
            assert message in notices(page), (query, notices(page))
            assert page.get_by_role("status").filter(has_text=message).is_visible(), query
        else:
            assert notices(page) == "", query
        check_works(page, kept, errors)
        state = saved(page)
        assert state is None or set(state["cases"][state["current"]]["answers"]) <= set(good), (query, state)
        # Next visit: nothing broken was kept, so nothing to say; the answers are still there.
        page.reload()
        assert notices(page) == "", query
        expected = saved(page)["cases"][saved(page)["current"]]["answers"] if saved(page) else {}
        check_works(page, expected, errors)
    context.close()


def test_state_saved_on_this_machine_is_checked(chromium, page_url):
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_url)
    version = json.loads(page.locator("#sotay-data").text_content())["version"]

    def state(cases, current="Hồ sơ 1", **extra):
        return json.dumps({"version": version, "current": current, "cases": cases, **extra})

    def case(answers=None, ticks=None, **extra):
        return {"answers": answers or {}, "ticks": ticks or {}, "created": "2026-01-05T08:00:00.000Z", **extra}

    good = case({"sinh_o_nuoc_ngoai": True}, {"hs-1": True})
    cases = [  # (what localStorage holds, the answers and ticks kept in the current case, the message)
        ("null", None, SAVED_ALL),
        ("[]", None, SAVED_ALL),
        ("{not json", None, SAVED_ALL),
        ("{}", None, SAVED_ALL),
        (json.dumps({"version": 7, "current": "Hồ sơ 1", "cases": {"Hồ sơ 1": good}}), None, SAVED_ALL),
        (json.dumps({"current": "Hồ sơ 1", "cases": {"Hồ sơ 1": good}}), None, SAVED_ALL),
        (state([]), None, SAVED_ALL),
        (state({"Hồ sơ 1": None}), None, SAVED_ALL),
        (state({"x" * 500: good}, current="x" * 500), None, SAVED_ALL),  # a label no one typed
        (state({"Hồ sơ 1": case(ticks={"khong-co": True, "hs-1": True, "hs-2": "có"})}), ({}, {"hs-1": True}), SAVED_PARTLY),
        (state({"Hồ sơ 1": case({"sinh_o_nuoc_ngoai": "có", "nguoi_di": "me", "khong_co": 1})}), ({"nguoi_di": "me"}, {}),
         SAVED_PARTLY),
        (state({"Hồ sơ 1": {"answers": None, "ticks": {"hs-1": True}}}), ({}, {"hs-1": True}), SAVED_PARTLY),
        (state({"Hồ sơ 1": good, "Hồ sơ 2": "hỏng"}), ({"sinh_o_nuoc_ngoai": True}, {"hs-1": True}), SAVED_PARTLY),
        (state({"Hồ sơ 1": good}, current="Hồ sơ 9"), ({"sinh_o_nuoc_ngoai": True}, {"hs-1": True}), SAVED_PARTLY),
        (state({"Hồ sơ 1": case(received="hôm qua", channel="bồ câu")}), ({}, {}), SAVED_PARTLY),
        (state({"Hồ sơ 1": good}, extra=1), ({"sinh_o_nuoc_ngoai": True}, {"hs-1": True}), SAVED_PARTLY),
        (state({"Hồ sơ 1": good}), ({"sinh_o_nuoc_ngoai": True}, {"hs-1": True}), ""),  # all good
    ]
    for stored, kept, message in cases:
        page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, stored])
        page.reload()
        if message:
            assert message in notices(page), (stored, notices(page))
            assert page.get_by_role("status").filter(has_text=message).is_visible(), stored
        else:
            assert notices(page) == "", stored
        answers, ticks = kept or ({}, {})
        after = saved(page)  # written back at once, without what was dropped
        current = after["cases"][after["current"]]
        assert after["version"] == version and current["ticks"] == ticks, (stored, after)
        assert page.locator("input[data-tick='hs-1']").is_checked() == ticks.get("hs-1", False), stored
        check_works(page, answers, errors)
        # Next visit: clean, so nothing to say, and it still works.
        page.reload()
        assert notices(page) == "", stored
        check_works(page, saved(page)["cases"][saved(page)["current"]]["answers"], errors)
    # A saved state of an older version of the procedure is still set aside, as before.
    page.evaluate("([key, text]) => localStorage.setItem(key, text)",
                  [KEY, json.dumps({"version": "phien-ban-cu", "current": "Hồ sơ 1", "cases": {"Hồ sơ 1": good}})])
    page.reload()
    assert "đã được cập nhật" in page.get_by_role("alert").inner_text() and notices(page) == ""
    assert not page.locator("input[data-tick='hs-1']").is_checked()
    assert errors == []
    context.close()
