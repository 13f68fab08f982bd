"""The shipped handbook on a 360 px wide phone and on paper: no page is wider
than the screen, every control of ours is a 44×44 CSS px tap target, and a
printed procedure is the content only."""

from __future__ import annotations

import pytest

from test_accessibility import KHAI_SINH, open_guide

PHONE = {"width": 360, "height": 740}

# One page of each kind the generator makes, plus the hand-written ones.
PAGES = [
    "",
    "thu-tuc/",
    "thu-tuc/ho-tich/",
    KHAI_SINH,
    "thu-tuc/ho-tich/cap-ban-sao-trich-luc-ho-tich/",
    "van-ban/",
    "van-ban/60-2014-qh13/",
    "thuat-ngu/",
    "bien-tap/luoc-do/",
    "bien-tap/tinh-huong/",
    "co-gi-moi/",
    "cong-dan-can-gi/",
    "huong-dan-su-dung/",
    "quy-trinh-mot-cua/",
    "dao-tao/",  # checked when the site has it
]

# Our own controls (templates and guide.js). A radio button's and a checklist
# box's target is the label around it; Material's header, drawer and search
# buttons are the theme's (40×40 px icons inside 48 px high bars).
OWN_CONTROLS = ", ".join([
    ".sotay-guide .sotay-choice",
    ".sotay-guide .md-button",
    ".sotay-guide input:not([type=radio])",
    ".sotay-cases-box select",
    ".sotay-cases-box input",
    ".sotay-cases-box .md-button",
    ".sotay-due-form input",
    ".sotay-due-form select",
    ".sotay-checklist .task-list-control",
])


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.strip("/") or "trang-chu")
def test_page_fits_a_360px_screen(phone, shipped_site, shipped_url, path):
    if not (shipped_site / path / "index.html").is_file():
        pytest.skip(f"sổ tay chưa có trang /{path}")
    phone.goto(shipped_url + path)
    if path == KHAI_SINH:
        open_guide(phone)
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    # Material sets overflow-x: hidden on <html>, so a too wide element is cut off
    # rather than scrolled to: name the widest ones.
    wide = phone.evaluate("""() => [...document.querySelectorAll('.md-content *')]
        .filter(e => e.getBoundingClientRect().right > 361
                     && !e.closest('.md-typeset__scrollwrap, pre, .highlight'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' '
                          + Math.round(e.getBoundingClientRect().right) + 'px')""")
    assert width <= 360 and not wide, f"/{path}: rộng {width}px > 360px; {wide}"


def test_own_controls_are_44px_tap_targets(phone, shipped_url):
    phone.goto(shipped_url + KHAI_SINH)
    open_guide(phone)
    sizes = phone.eval_on_selector_all(OWN_CONTROLS, """nodes => nodes
        .filter(n => n.getClientRects().length)
        .map(n => { const r = n.getBoundingClientRect();
                    return [n.outerHTML.slice(0, 120), Math.round(r.width), Math.round(r.height)] })""")
    assert len(sizes) > 20  # the questions, the case bar, the due date, the checklists
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    assert not small, "điều khiển nhỏ hơn 44×44 px:\n" + "\n".join(f"{w}×{h} {html}" for html, w, h in small)


def test_printed_procedure_is_the_content_only(phone, shipped_url):
    phone.goto(shipped_url + KHAI_SINH)
    open_guide(phone)
    phone.emulate_media(media="print")
    for chrome in [".md-header", ".md-sidebar--primary", ".md-footer", ".sotay-cases-box", ".sotay-guide-form"]:
        assert phone.locator(chrome).first.is_hidden(), chrome
    assert phone.locator(".sotay-print-case").is_visible()
    assert phone.locator("#ho-so").is_visible() and phone.locator(".sotay-guide-answered").is_visible()
