"""The shipped handbook in Chromium at 360 and 1280 px: the catalogue and
the editors' tables readable, the checklist compact, the menu's order and
tabs, the footer in Vietnamese, the home page's ways in, the training quiz,
and "Góp ý về trang này"."""

from __future__ import annotations

import json

import pytest

from test_accessibility import KHAI_SINH

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
QUIZ = "dao-tao/ho-tich-co-ban/hoc-vien/"


@pytest.fixture
def browse(chromium):
    contexts = []

    def open_page(viewport, **options):
        context = chromium.new_context(viewport=viewport, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def text_lines(page, selector: str) -> list[tuple[str, int]]:
    """(text, number of lines it is laid out on) of each visible element."""
    return page.eval_on_selector_all(selector, """nodes => nodes.filter(n => n.getClientRects().length).map(n => {
        const range = document.createRange(); range.selectNodeContents(n);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 1).map(r => Math.round(r.top)));
        return [n.textContent.trim(), tops.size] })""")


def test_catalogue_is_cards_on_a_phone_and_a_table_on_a_desktop(browse, shipped_url):
    phone = browse(PHONE)
    phone.goto(shipped_url + "thu-tuc/")
    cells = phone.eval_on_selector_all("table.sotay-cards td", "ns => ns.map(n => n.getBoundingClientRect().width)")
    assert len(cells) > 100 and min(cells) > 250  # every cell nearly the card's width, no squeezed column
    first = phone.locator("table.sotay-cards tbody tr").first
    # The card starts with the procedure's name; the other cells say what they are.
    assert first.locator("td").nth(1).bounding_box()["y"] < first.locator("td").nth(0).bounding_box()["y"]
    assert phone.evaluate("getComputedStyle(document.querySelector('td[data-label=\"Mã\"]'), '::before').content") == '"Mã: "'
    desktop = browse(DESKTOP)
    desktop.goto(shipped_url + "thu-tuc/")
    headers = text_lines(desktop, "table.sotay-cards th")
    # The procedures' table, then the registry entries without a full page (their own table).
    assert [h for h, _ in headers][:5] == ["Mã", "Thủ tục", "Lĩnh vực", "Thời hạn", "Phí, lệ phí"]
    assert all(lines == 1 for _, lines in headers), headers


def test_schema_tables_break_no_word_on_a_desktop(browse, shipped_url):
    page = browse(DESKTOP)
    page.goto(shipped_url + "bien-tap/luoc-do/")
    headers = text_lines(page, "table.sotay-schema th")
    assert {h for h, _ in headers} >= {"Khóa", "Bắt buộc", "Kiểu", "Ý nghĩa"}
    assert all(lines == 1 for _, lines in headers), [h for h in headers if h[1] > 1]
    keys = text_lines(page, "table.sotay-schema td:first-child code")
    assert len(keys) > 50 and all(lines == 1 for _, lines in keys), [k for k in keys if k[1] > 1][:5]
    required = text_lines(page, "table.sotay-schema td:nth-child(2)")
    assert all(lines == 1 for _, lines in required)


def test_checklist_item_has_no_blank_lines_between_its_parts(browse, shipped_url):
    page = browse(PHONE)
    page.goto(shipped_url + KHAI_SINH)
    item = page.locator(".sotay-dossier > li", has=page.locator(".sotay-condition")).first
    parts = item.evaluate("""li => [...li.children].filter(n => n.getClientRects().length && n.tagName !== 'BR')
        .map(n => n.getBoundingClientRect())""")
    assert len(parts) >= 3  # label, condition, notes
    gaps = [round(b["top"] - a["bottom"]) for a, b in zip(parts, parts[1:])]
    assert max(gaps) <= 6, gaps


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_menu_order_tabs_and_vietnamese_footer(browse, shipped_url, viewport):
    page = browse(viewport)
    page.goto(shipped_url + "huong-dan-su-dung/")
    sections = page.eval_on_selector_all(".md-nav--primary > .md-nav__list > .md-nav__item",
                                         "ns => ns.map(n => n.querySelector('.md-ellipsis').textContent.replace(/\\s+/g, ' ').trim())")
    assert sections[:5] == ["Trang chủ", "Công dân cần gì?", "Thủ tục hành chính", "Đào tạo", "Văn bản pháp luật"]
    assert sections[-1] == "Biên tập nội dung"  # editors after the procedures
    if viewport is DESKTOP:  # "Đào tạo" is a tab at the top of every page
        tab = page.locator(".md-tabs").get_by_role("link", name="Đào tạo")
        assert tab.is_visible() and tab.bounding_box()["y"] < 100
    footer = page.locator(".md-copyright").inner_text()
    assert "Trang được dựng bằng" in footer and "Made with" not in footer
    assert page.locator("[data-md-component=top]").count() == 0 or "Về đầu trang" in page.content()


def test_home_page_leads_to_triage_and_search_on_a_phone(browse, shipped_url):
    page = browse(PHONE, has_touch=True)
    page.goto(shipped_url)
    triage = page.get_by_role("link", name="Công dân cần gì?", exact=True).last
    assert triage.is_visible() and triage.bounding_box()["y"] < PHONE["height"]
    search = page.get_by_role("link", name="Tìm thủ tục", exact=True)
    assert search.is_visible() and search.bounding_box()["y"] < PHONE["height"]
    search.click()
    page.wait_for_function("document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("khai sinh")
    page.wait_for_selector(".md-search-result__item")
    assert page.url.rstrip("/") == shipped_url.rstrip("/")  # searched here, not sent to the catalogue
    page.goto(shipped_url + "cong-dan-can-gi/")
    assert page.locator("[data-triage-step]:visible").count() == page.locator("[data-triage]").count()


def answers(page) -> dict:
    return json.loads(page.evaluate("localStorage.getItem('sotay-quiz:ho-tich-co-ban') || '{}'"))


def test_quiz_asks_for_answers_before_submitting_and_keeps_them(browse, shipped_url):
    page = browse(PHONE)
    page.goto(shipped_url + QUIZ)
    submit = page.get_by_role("button", name="Nộp bài")
    submit.click()
    assert "Chưa có câu nào được trả lời" in page.locator(".sotay-quiz-result").inner_text()
    assert submit.is_enabled() and page.locator(".sotay-quiz-feedback:visible").count() == 0  # nothing revealed
    first = page.locator("fieldset[data-question]").first
    first.locator("input").first.check()
    page.reload()
    assert page.locator("fieldset[data-question]").first.locator("input").first.is_checked()
    assert "mở lại" in page.locator(".sotay-quiz-result").inner_text()
    # Some questions left: named, and a second press submits anyway.
    submit.click()
    assert "câu chưa trả lời" in page.locator(".sotay-quiz-result").inner_text()
    assert page.locator(".sotay-quiz-feedback:visible").count() == 0
    submit.click()
    page.wait_for_selector(".sotay-quiz-feedback:visible")
    assert "Kết quả: đúng" in page.locator(".sotay-quiz-result").inner_text() and answers(page)["submitted"] is True
    page.reload()  # still marked after a reload
    page.wait_for_selector(".sotay-quiz-feedback:visible")
    page.get_by_role("button", name="Làm lại").click()
    assert answers(page) == {} and submit.is_enabled()


def test_quiz_ignores_kept_answers_that_do_not_fit_the_page(browse, shipped_url):
    page = browse(DESKTOP)
    page.goto(shipped_url + QUIZ)
    keys = page.eval_on_selector_all("fieldset[data-question]", "ns => ns.map(n => n.dataset.question)")
    single = page.eval_on_selector_all("fieldset[data-question]", "ns => ns.map(n => n.querySelector('input').type)")
    radio = keys[single.index("radio")]
    page.evaluate("""([radio, other]) => localStorage.setItem('sotay-quiz:ho-tich-co-ban', JSON.stringify(
        {answers: {[radio]: [1, 2], [other]: [99, "1"], 'khong-co': [1]}, submitted: 'yes'}))""", [radio, keys[-1]])
    page.reload()
    assert page.locator("fieldset[data-question] input:checked").count() == 0
    assert page.locator(".sotay-quiz-feedback:visible").count() == 0
    page.evaluate("localStorage.setItem('sotay-quiz:ho-tich-co-ban', '{not json')")
    page.reload()
    assert page.locator("fieldset[data-question] input:checked").count() == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_feedback_is_composed_and_copied_only_when_asked(browse, shipped_url, viewport):
    page = browse(viewport, permissions=["clipboard-read", "clipboard-write"])
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" else None)
    page.goto(shipped_url + KHAI_SINH)
    box = page.locator("details.sotay-feedback")
    summary = box.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens from the keyboard
    note = page.get_by_label("Góp ý của bạn")
    note.fill("Mục lệ phí thiếu mức của tỉnh.")
    assert box.get_by_role("link", name="Gửi qua thư điện tử").count() == 0  # no address in mkdocs.yml
    box.get_by_role("button", name="Sao chép nội dung góp ý").click()
    assert "Đã sao chép" in box.get_by_role("status").inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    version = json.loads(page.locator("#sotay-data").text_content())["version"]
    assert "Góp ý về trang: Đăng ký khai sinh" in copied
    assert f"Địa chỉ trang: {shipped_url}{KHAI_SINH}\n" in copied
    assert f"Phiên bản nội dung trang: {version}" in copied and "Ấn bản sổ tay: dựng ngày " in copied
    assert copied.endswith("Góp ý:\nMục lệ phí thiếu mức của tỉnh.")
    assert sent == []  # nothing left the browser
