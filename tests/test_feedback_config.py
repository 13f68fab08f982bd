"""The feedback address and the repository links come from configuration:
mkdocs.yml's sotay plugin option feedback_email, and repo_url."""

from __future__ import annotations

import pytest

from generator.site.build import build_site
from generator.site.feedback import feedback_address


def test_an_address_is_kept_and_trimmed():
    assert feedback_address(" gopy@phuong-ba-dinh.gov.vn ") == "gopy@phuong-ba-dinh.gov.vn"
    assert feedback_address("a.b+so-tay@mail.example.vn") == "a.b+so-tay@mail.example.vn"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_address_means_copy_only(value):
    assert feedback_address(value) == ""


@pytest.mark.parametrize("value", [
    "gopy", "gopy@", "@phuong.gov.vn", "gopy@phuong",  # not an address
    "a@b.vn, c@d.vn", "a@b.vn?cc=c@d.vn", "Góp ý <a@b.vn>", "a@b.vn\nBcc: c@d.vn",  # more than one address, headers
    42,
])
def test_anything_but_one_address_is_refused(value):
    with pytest.raises(ValueError, match="feedback_email"):
        feedback_address(value)


def _configure(root, plugin_options: str, repo: bool = True):
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - sotay\n", "  - sotay:\n" + plugin_options)
    if not repo:
        text = text.replace("repo_url: https://example.org/kho\n", "")
    config.write_text(text, encoding="utf-8")


def test_a_configured_address_reaches_every_page(mini):
    _configure(mini, "      feedback_email: gopy@phuong.gov.vn\n")
    site = build_site(mini)
    for page in ["index.html", "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html", "thu-tuc/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert "Góp ý về trang này" in html, page
        assert 'data-email="gopy@phuong.gov.vn" href="mailto:gopy@phuong.gov.vn?subject=' in html, page


def test_without_an_address_only_the_copy_button_shows(mini):
    site = build_site(mini)
    html = (site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert "Góp ý về trang này" in html and "data-sotay-feedback-copy" in html
    assert "mailto:" not in html.split('<details class="sotay-feedback"')[1]


def test_a_wrong_address_stops_the_build_naming_the_setting(mini, run):
    _configure(mini, "      feedback_email: gopy@phuong\n")
    result = run("build")
    assert result.exit_code == 1
    assert "feedback_email 'gopy@phuong' không phải một địa chỉ thư điện tử" in result.output
    assert "Traceback" not in result.output


def test_without_a_repository_no_repository_links(mini):
    _configure(mini, "      feedback_email: ''\n", repo=False)
    site = build_site(mini)
    for page in ["index.html", "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html", "bien-tap/luoc-do/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert 'class="md-source"' not in html, page  # the header's repository link
        assert "Sửa trang này" not in html and "md-content__button" not in html, page
        assert "Báo lỗi nội dung" not in html and "/edit/" not in html, page
