"""Rendering helpers and templates: safe output, Vietnamese formats and order."""
import re


from generator.content.edition import Edition, today_in_vietnam
from generator.content.handbook import load_handbook
from generator.content.inline import Abbreviations, render_inline
from generator.site.render import Renderer, toc_tokens
from generator.content.wording import deadline_text, vnd
from generator.textutil import fold, slugify, vi_sort_key
from generator.content import model
def test_inline_markup_is_the_only_markup():
    html = render_inline("**Bắt buộc** có *bản chính*; xem [Cổng DVC](https://dichvucong.gov.vn)")
    assert html == ('<strong>Bắt buộc</strong> có <em>bản chính</em>; xem '
                    '<a href="https://dichvucong.gov.vn" rel="noopener">Cổng DVC</a>')


def test_inline_escapes_html_and_template_syntax():
    html = render_inline('<script>alert(1)</script> {{ 7*7 }} <img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "{{ 7*7 }}" in html


def test_inline_drops_unsafe_link_targets_but_keeps_the_words():
    for target in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "JaVaScRiPt:alert(1)"):
        html = render_inline(f"[bấm đây]({target})")
        assert "<a" not in html and "bấm đây" in html


def test_inline_link_target_cannot_break_the_attribute():
    html = render_inline('[x](https://a.vn/?q="onmouseover=alert(1))')
    assert 'href="https://a.vn/?q=&#34;onmouseover=alert(1"' in html


def test_abbreviations_become_tooltips_as_whole_words():
    abbr = Abbreviations({"UBND": "Ủy ban nhân dân"})
    assert render_inline("Chủ tịch UBND xã", abbr) == 'Chủ tịch <abbr title="Ủy ban nhân dân">UBND</abbr> xã'
    assert render_inline("UBNDX", abbr) == "UBNDX"


def test_vietnamese_alphabetical_order():
    words = ["Đăng ký", "Dân tộc", "Ăn", "An", "Âm", "Bảo trợ", "Ơn", "Ông", "Ô", "Chứng thực", "Cấp"]
    assert sorted(words, key=vi_sort_key) == ["An", "Ăn", "Âm", "Bảo trợ", "Cấp", "Chứng thực", "Dân tộc", "Đăng ký", "Ô", "Ông", "Ơn"]


def test_tones_only_break_ties():
    assert sorted(["má", "mà", "ma", "mạ", "mả", "mã"], key=vi_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_fold_and_slug():
    assert fold("Đăng ký KẾT HÔN") == "dang ky ket hon"
    assert slugify("Đăng ký lại khai sinh") == "dang-ky-lai-khai-sinh"


def test_money_and_deadline_text():
    assert vnd(1500000) == "1.500.000 đồng"
    assert deadline_text(model.Deadline(kind="ngay-lam-viec", amount=5)) == "5 ngày làm việc"
    assert deadline_text(model.Deadline(kind="trong-ngay", cutoff=model.Time("15:00"))) == "Trong ngày (nhận trước 15:00)"


def test_procedure_page_template(mini):
    hb, _ = load_handbook(mini)
    r = Renderer(hb)
    html = r.render_procedure(hb.procedures["dang-ky-khai-sinh"], lambda url: "/" + url)
    assert '<h1 id="dang-ky-khai-sinh">Đăng ký khai sinh</h1>' in html
    assert html.count('type="checkbox"') == 2 + 2 + 2  # dossier + two steps
    assert 'Bước 1. Tiếp nhận hồ sơ' in html and 'Bước 2. Ghi sổ và trình ký' in html
    assert "Lỗi thường gặp" in html and "Quên kiểm tra thời hạn 60 ngày" in html
    assert re.search(r'Điều 16, Luật Hộ tịch số <a href="[^"]*van-ban/60-2014-qh13/"[^>]*>60/2014/QH13</a> ngày 20/11/2014 của Quốc hội', html)
    assert '<a href="/thu-tuc/ho-tich/dang-ky-ket-hon/">Đăng ký kết hôn</a>' in html
    assert "Rà soát lần cuối: <time datetime=\"2025-11-20\">20/11/2025</time>" in html
    assert [t["id"] for t in toc_tokens(html)] == ["ho-so-cong-dan", "thong-tin-chung", "phi-le-phi", "ket-qua",
                                                      "can-cu-phap-ly", "lien-quan", "thong-tin-trang"]


def test_local_fee_names_the_province_and_flags_show(mini):
    hb, _ = load_handbook(mini, edition=Edition(province="thu-nghiem"))
    html = Renderer(hb).render_procedure(hb.procedures["dang-ky-ket-hon"], lambda url: url)
    assert "(mức của Tỉnh Thử Nghiệm, theo Nghị quyết 01/2025/NQ-HĐND của HĐND Tỉnh Thử Nghiệm)" in html
    assert "Có số liệu cần xác minh" in html
    assert "<li><strong>Mã thủ tục</strong>: Chưa đối chiếu mã.</li>" in html
    assert all("⚠" not in t["name"] for t in toc_tokens(html))
    assert "⚠ Cần xác minh" in html  # next to the code


def test_catalogue_and_field_pages(mini):
    hb, _ = load_handbook(mini)
    r = Renderer(hb)
    html = r.render_catalogue(lambda url: url)
    assert html.index("Đăng ký kết hôn") < html.index("Đăng ký khai sinh")  # "kết" < "khai"
    assert "2 thủ tục có hướng dẫn chi tiết, thuộc 1 lĩnh vực" in html
    field_html = r.render_field("ho-tich", hb.by_field()["ho-tich"], lambda url: url)
    assert "Lệ phí đăng ký khai sinh: Miễn phí" in field_html


def test_links_from_the_handbook_root_become_relative_to_the_page():
    from generator.content.inline import render_inline

    html = render_inline("[xem](/thu-tuc/ho-tich/dang-ky-ket-hon/#ho-so)", resolve=lambda page: "../../" + page)
    assert html == '<a href="../../thu-tuc/ho-tich/dang-ky-ket-hon/#ho-so">xem</a>'


def test_overdue_page_says_it_needs_review(mini):
    from generator.site.build import build_site

    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2000-01-01"),
                    encoding="utf-8")
    other = mini / "procedures/ho-tich/dang-ky-ket-hon.yml"
    text = other.read_text(encoding="utf-8")
    other.write_text(re.sub(r"ngay_ra_soat: \S+", f"ngay_ra_soat: {today_in_vietnam().isoformat()}", text), encoding="utf-8")
    site = build_site(mini)
    assert "Cần rà soát" in (site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert "Cần rà soát" not in (site / "thu-tuc/ho-tich/dang-ky-ket-hon/index.html").read_text(encoding="utf-8")
