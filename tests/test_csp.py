"""A strict Content-Security-Policy can be used: the sample nginx config
matches the built site, and in Chromium, under that policy, pages and search
work with no violation."""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import REPO, serve_directory

spec = importlib.util.spec_from_file_location("csp_header", REPO / "scripts/csp-header.py")
csp_header = importlib.util.module_from_spec(spec)
spec.loader.exec_module(csp_header)


def test_sample_nginx_config_has_the_policy_of_the_built_site(shipped_site):
    conf = (REPO / "docs-dev/nginx.conf").read_text(encoding="utf-8")
    policies = set(re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', conf))
    assert policies == {csp_header.policy(shipped_site)}, "chạy lại: python3 scripts/csp-header.py site/"
    # Only the theme's few inline scripts: the count does not grow with content.
    assert len(csp_header.inline_script_hashes(shipped_site)) <= 10


@pytest.fixture(scope="module")
def strict_url(shipped_site):
    with serve_directory(shipped_site, {"Content-Security-Policy": csp_header.policy(shipped_site)}) as url:
        yield url


def test_pages_and_search_work_under_the_policy(chromium, strict_url):
    page = chromium.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ["", "thu-tuc/ho-tich/dang-ky-khai-sinh/", "thu-tuc/", "thuat-ngu/"]:
        page.goto(strict_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], path
    page.focus("input.md-search__input")
    page.fill("input.md-search__input", "khai sinh")
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()
