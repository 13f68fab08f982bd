"""Every edition of the shipped handbook passes the strict check, and the
ones the suite builds (tests/conftest.py: built_editions) each say which
edition they are and name their own receiving unit, in procedures and
training alike."""

from __future__ import annotations

import json
import re

import pytest

from generator.content.edition import Edition
from generator.content.handbook import load_handbook
from generator.content.provinces import NATIONAL, province_id, values

from conftest import REPO, built_editions, editions


@pytest.fixture(scope="module")
def shipped():
    hb, sink = load_handbook(REPO, edition=Edition())
    assert not sink.errors
    return hb


@pytest.mark.parametrize("name", editions())
def test_every_edition_passes_the_strict_check(name, run, monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("validate", "--strict", "--tinh", name)
    assert result.exit_code == 0 and result.output.startswith("Hợp lệ:"), result.output


def test_the_suite_builds_the_national_edition_and_two_provinces():
    built = built_editions()
    assert NATIONAL in built and len(built) == 3 and set(built) <= set(editions())


@pytest.mark.parametrize("name", built_editions())
def test_a_built_edition_says_which_it_is_and_names_its_unit(name, edition_site, shipped):
    site = edition_site(name)
    province = shipped.provinces.get(province_id(name) or "")
    label = f"Ấn bản: {province.name}" if province else "Ấn bản toàn quốc"
    unit = values(province)["noi_tiep_nhan"]
    for page in ("index.html", "thu-tuc/ho-tich/dang-ky-ket-hon/index.html", "dao-tao/ho-tich-co-ban/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert label in html, (name, page)
        assert "{{noi_tiep_nhan}}" not in html, (name, page)
    assert f"Nộp tại {unit}." in (site / "thu-tuc/ho-tich/dang-ky-ket-hon/index.html").read_text(encoding="utf-8")
    assert f"mới nhận nhiệm vụ tại {unit}:" in (site / "dao-tao/ho-tich-co-ban/index.html").read_text(encoding="utf-8")


def test_ho_chi_minh_city_edition_flags_what_is_not_sourced(edition_site):
    """Commune centres by name; no fee figure and no office hours, each flagged, until the city's texts are read."""
    html = (edition_site("ho-chi-minh") / "thu-tuc/ho-tich/xac-nhan-tinh-trang-hon-nhan/index.html").read_text(encoding="utf-8")
    assert "Công chức tiếp nhận tại Trung tâm Phục vụ hành chính công phường, xã" in html
    assert "Theo mức HĐND tỉnh quy định (chưa xác minh)" in html and "Nghị quyết 124/2016/NQ-HĐND" in html
    assert not re.search(r"\d\.\d{3} đồng/việc</strong> <small class=\"sotay-province\"", html)  # no local figure
    data = json.loads(re.search(r'<script type="application/json" id="sotay-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["due"]["calendar"]["hours_text"].startswith("giờ làm việc giả định")  # says so, not the city's
