"""The guided checklist in real headless Chromium: answers show and hide
items, ticks survive a reload, several cases, reset, stale state, print."""

from __future__ import annotations

import io
import re

import pytest

from generator.site.build import build_site

from test_guide import QUESTIONS
from test_loader import KHAI_SINH, replace_in

FOREIGN = "Giấy tờ chứng minh việc sinh ở nước ngoài"


@pytest.fixture
def guided_site(mini):
    replace_in(mini, KHAI_SINH, "ngay_ra_soat:", QUESTIONS + "ngay_ra_soat:")
    replace_in(mini, KHAI_SINH, "  - ten: Giấy chứng sinh\n",
               f"  - ten: Giấy chứng sinh\n    chi_khi: không sinh_o_nuoc_ngoai\n  - ten: {FOREIGN}\n    chi_khi: sinh_o_nuoc_ngoai\n")
    replace_in(mini, KHAI_SINH, "ngay_ra_soat:",
               "luu_y:\n  - noi_dung: Ông, bà đi đăng ký thì kiểm tra giấy tờ chứng minh quan hệ.\n"
               "    chi_khi: 'nguoi_di = \"ong-ba\"'\nngay_ra_soat:")
    from conftest import serve_directory, write
    from test_guide import TRIAGE

    write(mini / "handbook/data/cong-dan-can-gi.yml", TRIAGE)
    site = build_site(mini)
    with serve_directory(site) as url:
        yield site, url + "thu-tuc/ho-tich/dang-ky-khai-sinh/"


def test_without_javascript_every_item_shows_its_condition(guided_site):
    html = (guided_site[0] / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert "Chỉ khi: Trẻ sinh ra ở nước ngoài" in html
    assert "Chỉ khi: Không thuộc trường hợp “Trẻ sinh ra ở nước ngoài”" in html
    assert "không phải:" not in html  # a sentence, not a formula
    assert "Chỉ khi: Người đi đăng ký: Ông hoặc bà" in html
    assert FOREIGN in html  # present in the page, only hidden by the script


def shown(page, text) -> bool:
    return page.get_by_text(text, exact=False).first.is_visible()


def test_guide_ticks_cases_and_print(chromium, guided_site):
    _, url = guided_site
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    assert page.locator(".sotay-guide-nojs").is_hidden()
    # Unanswered: an item that needs a "yes" stays hidden.
    assert not shown(page, FOREIGN) and shown(page, "Giấy chứng sinh")
    # One question at a time: the second appears after the first is answered.
    assert page.locator("[data-question]").count() == 1
    page.get_by_label("Có").check()
    assert page.locator("[data-question]").count() == 2
    assert shown(page, FOREIGN) and not shown(page, "Giấy chứng sinh")
    page.locator("[data-question=sinh_o_nuoc_ngoai]").get_by_label("Không").check()
    assert not shown(page, FOREIGN) and shown(page, "Giấy chứng sinh")
    page.get_by_label("Ông hoặc bà").check()
    assert shown(page, "Ông, bà đi đăng ký")
    assert "Đã trả lời đủ 2 câu" in page.locator(".sotay-guide-summary").inner_text()

    # Tick, reload: ticks and answers are still there.
    page.locator("#hs-1 label").click()  # as an officer does: on the label (Material styles the box)
    assert "Tiến độ hồ sơ: 1/" in page.locator("[data-sotay-progress]").inner_text()
    page.reload()
    assert page.locator("input[data-tick='hs-1']").is_checked()
    assert shown(page, "Ông, bà đi đăng ký")

    # A second case starts empty; switching back restores the first.
    page.fill("#sotay-case-label", "BN-0002")
    page.get_by_role("button", name="Bắt đầu hồ sơ mới").click()
    assert not page.locator("input[data-tick='hs-1']").is_checked()
    assert page.locator("[data-question]").count() == 1
    page.select_option("#sotay-case-select", "Hồ sơ 1")
    assert page.locator("input[data-tick='hs-1']").is_checked()

    # Print: the tailored list, the answers, the case; hidden items stay out.
    pdf = page.pdf(format="A4")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Giấy chứng sinh" in text and FOREIGN not in text
    assert "Hồ sơ: Hồ sơ 1" in text and "Người đi đăng ký: Ông hoặc bà" in text

    # Reset clears this case only.
    page.get_by_role("button", name="Xóa đánh dấu hồ sơ này").click()
    assert not page.locator("input[data-tick='hs-1']").is_checked()
    assert page.locator("[data-question]").count() == 1
    assert errors == []
    page.close()


def test_state_saved_for_an_older_version_is_not_applied(chromium, guided_site):
    _, url = guided_site
    page = chromium.new_page()
    page.goto(url)
    page.locator("#hs-1 label").click()
    page.evaluate("""() => {
        const s = JSON.parse(localStorage.getItem('sotay:dang-ky-khai-sinh'));
        s.version = 'phien-ban-cu'; localStorage.setItem('sotay:dang-ky-khai-sinh', JSON.stringify(s)) }""")
    page.reload()
    assert not page.locator("input[data-tick='hs-1']").is_checked()
    assert "đã được cập nhật" in page.get_by_role("alert").inner_text()
    page.close()


def test_triage_link_opens_the_guide_with_its_answers(chromium, guided_site):
    _, url = guided_site
    page = chromium.new_page()
    page.goto(url.replace("thu-tuc/ho-tich/dang-ky-khai-sinh/", "cong-dan-can-gi/"))
    page.get_by_role("link", name="Chưa", exact=True).click()  # the next question
    page.locator("a[href*='tra-loi']").last.click()
    page.wait_for_url("**/dang-ky-khai-sinh/")
    assert shown(page, FOREIGN) and not shown(page, "Giấy chứng sinh")
    assert "Đã trả lời đủ 2 câu" in page.locator(".sotay-guide-summary").inner_text()
    assert "tra-loi" not in page.url  # the answers are taken, not left in the address
    page.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_shipped_khai_sinh_from_need_to_tailored_fee(chromium, shipped_url, width):
    """The shipped handbook: "Công dân cần gì?" one question at a time →
    late registration → the khai sinh page opens with every answer the tree
    gave (late, and the father not recognising the child at the same time)
    and shows the late fee only."""
    context = chromium.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    page.goto(shipped_url + "cong-dan-can-gi/")
    tree = page.locator("[data-triage='giay-to-khai-sinh']")
    for label in ["Chưa đăng ký khai sinh", "Không có yếu tố nước ngoài", "Không", "Không, chỉ đăng ký khai sinh"]:
        assert tree.locator("[data-triage-step]:visible").count() == 1  # one question at a time
        tree.get_by_role("link", name=label, exact=True).click()
    step = tree.locator("[data-triage-step]:visible")
    assert "Không, chỉ đăng ký khai sinh" in step.locator(".sotay-triage-answers").inner_text()
    # Not nested: the question uses the page's width, not a sliver of it.
    box, question = tree.bounding_box(), step.locator(".sotay-triage-question").bounding_box()
    assert question["width"] > box["width"] - 60
    step.get_by_role("link", name=re.compile("^Đã quá 60 ngày")).click()
    page.wait_for_url("**/dang-ky-khai-sinh/")
    assert page.get_by_text("Lệ phí đăng ký khai sinh quá hạn").first.is_visible()
    assert not page.get_by_text("Lệ phí đăng ký khai sinh đúng hạn").first.is_visible()
    answered = page.locator(".sotay-guide-answered").inner_text()
    assert "Đăng ký quá hạn (quá 60 ngày kể từ ngày sinh): Đã quá 60 ngày kể từ ngày sinh" in answered
    assert "Người cha yêu cầu nhận con khi khai sinh: Không" in answered
    context.close()
