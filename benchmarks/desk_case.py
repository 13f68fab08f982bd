"""From opening the khai sinh page to a printed case and a printed Mẫu 01: what the officer does.

    .venv/bin/python benchmarks/desk_case.py SITE_DIR [--width 360] [--width 1280]

SITE_DIR is a built site (`sotay build`). Debian's Chromium (Playwright)
plays a typical case at the desk, as an officer would, and counts:

- clicks and keystrokes: the 8 guided questions answered (a parent brings a
  late registration, married, birth certificate in hand, in person), every
  dossier item the page lists for the case ticked as handed in, the received
  time entered, "print" pressed;
- scrolling: before each of these, if the control is not wholly on screen the
  page is scrolled by the least amount that shows it (as a person scrolls, not
  by jumping); the sum of those distances, in pixels and in screens;
  scrolling the page does by itself (landing on the case) is not counted;
- the printed case: A4 pages of the PDF Chromium prints;
- then, on a page with the one-stop forms, Mẫu 01 (Giấy tiếp nhận hồ sơ và
  hẹn trả kết quả) for the same case: the forms box opened, Mẫu 01 chosen if
  it is not already, "In mẫu này" pressed; counted the same way, and its A4
  pages. The figures to Mẫu 01 include the case printed before it. A page
  without the forms (before) had no Mẫu 01: the officer filled it by hand.

The received time is entered the way the page offers for a case received
now: on a page with the "Bây giờ" button, one click; on a page with a
datetime-local field (before), a click and 12 digits (dd mm yyyy hh mm).
Typing it in our fields instead ("13/02/2026", Tab, "16:00") is 16 keystrokes.
"""

from __future__ import annotations

import argparse
import re
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

KHAI_SINH = "thu-tuc/ho-tich/dang-ky-khai-sinh/"
HEADER = 48  # Material's sticky header covers the top of the page
YES = {"qua_han", "cha_me_da_ket_hon"}


class Officer:
    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.keys = 0
        self.scrolled = 0.0

    def reach(self, locator) -> None:
        """Scroll by the least amount that shows the whole control."""
        box = locator.bounding_box()
        height = self.page.viewport_size["height"]
        delta = 0.0
        if box["y"] < HEADER:
            delta = box["y"] - HEADER - 8
        elif box["y"] + box["height"] > height:
            delta = min(box["y"] + box["height"] - height + 8, box["y"] - HEADER - 8)
        if delta:
            before = self.page.evaluate("scrollY")
            self.page.evaluate(f"scrollBy(0, {delta})")
            self.scrolled += abs(self.page.evaluate("scrollY") - before)

    def click(self, locator) -> None:
        self.reach(locator)
        locator.click()
        self.clicks += 1


def play(page) -> Officer:
    officer = Officer(page)
    for _ in range(20):
        last = page.locator("[data-question]").last
        if last.locator("input:checked").count():
            break
        key = last.get_attribute("data-question")
        if last.locator("input[value=true]").count():
            choice = last.locator(f"input[value={'true' if key in YES else 'false'}]")
        else:
            choice = last.locator("input[type=radio]").first
        officer.click(choice.locator("xpath=.."))
    items = page.locator(".sotay-dossier > li:not([hidden]) label")
    for i in range(items.count()):
        officer.click(items.nth(i))
    now = page.locator(".sotay-due-form button", has_text="Bây giờ")
    if now.count():
        officer.click(now)
    else:  # the datetime-local field: focus it, type dd mm yyyy hh mm
        field = page.locator("#sotay-received")
        officer.click(field)
        field.press_sequentially("130220261600")
        officer.keys += 12
    officer.click(page.locator("button", has_text=re.compile(r"^In ")))
    return officer


def print_form_01(page, officer: Officer) -> bool:
    """Carry on to a printed Mẫu 01 if the page has the forms; False if not."""
    forms = page.locator("#bieu-mau > summary")
    if not forms.count():
        return False
    officer.click(forms)
    page.locator(".sotay-form-sheet").wait_for()
    choice = page.locator(".sotay-form-choice input[value='01']")
    if not choice.is_checked():
        officer.click(choice.locator("xpath=.."))
    officer.click(page.get_by_role("button", name="In mẫu này"))
    return True


def report(width: int, height: int, what: str, officer: Officer, pages: int) -> None:
    print(f"{width}×{height}, {what}: {officer.clicks} lần bấm, {officer.keys} phím, "
          f"cuộn {officer.scrolled:.0f} px ({officer.scrolled / height:.1f} màn hình), bản in {pages} trang A4")


def printed(page) -> tuple[int, str]:
    """The page printed to A4 as Chromium prints it: (pages, text without whitespace)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--width", type=int, action="append")
    args = parser.parse_args()
    heights = {360: 740, 1280: 800}
    with serve_directory(args.site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in args.width or [360, 1280]:
            height = heights.get(width, 800)
            context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
            context.add_init_script("window.print = () => { window.__printed = true }")
            page = context.new_page()
            page.goto(url + KHAI_SINH)
            officer = play(page)
            assert page.evaluate("window.__printed === true")
            report(width, height, "đến bản in hồ sơ", officer, printed(page)[0])
            # The print dialog closes: the page is back as it was on screen.
            page.evaluate("window.__printed = false; dispatchEvent(new Event('afterprint'))")
            if print_form_01(page, officer):
                assert page.evaluate("window.__printed === true")
                pages, text = printed(page)
                assert "GIẤYTIẾPNHẬNHỒSƠVÀHẸNTRẢKẾTQUẢ" in text, "bản in không phải Mẫu 01"
                report(width, height, "đến Mẫu 01 in xong (gồm cả bản in hồ sơ)", officer, pages)
            else:
                print(f"{width}×{height}: trang không có Mẫu 01 điền sẵn (cán bộ viết tay)")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
