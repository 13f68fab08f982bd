"""`sotay serve`: live rebuilds, errors shown, last good site kept."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from test_loader import KHAI_SINH, replace_in


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("điều kiện không xảy ra trong thời gian chờ")


@pytest.fixture
def server(mini):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "serve", "--port", str(port)],
        cwd=mini, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_binds_loopback_rebuilds_and_survives_a_bad_edit(mini, server):
    url = server + "/thu-tuc/ho-tich/dang-ky-khai-sinh/"
    assert "Bước 1. Tiếp nhận hồ sơ" in wait_for(lambda: fetch(url))

    replace_in(mini, KHAI_SINH, "ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận và kiểm tra")
    wait_for(lambda: "Bước 1. Tiếp nhận và kiểm tra" in fetch(url))

    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    def error_page():
        page = fetch(url)
        return page if "Bản dựng mới có lỗi" in page else None

    page = wait_for(error_page)
    assert "khóa không hợp lệ &#39;tomtat&#39;" in page
    assert "Bước 1. Tiếp nhận và kiểm tra" in page  # last good build still served

    replace_in(mini, KHAI_SINH, "tomtat:", "tom_tat:")
    wait_for(lambda: "Bản dựng mới có lỗi" not in fetch(url))


def test_rebuilds_reuse_only_what_did_not_change(mini, tmp_path):
    """sotay serve keeps loaded files and written pages between rebuilds; every
    kind of edit still shows on the next rebuild."""
    from generator.site.serve import make_builder

    site = tmp_path / "site"
    errors = []
    rebuild = make_builder(mini, site, errors.append)

    def page(name):
        return (site / f"thu-tuc/ho-tich/{name}/index.html").read_text(encoding="utf-8")

    rebuild()
    assert errors == [None]
    assert "Đăng ký kết hôn" in page("dang-ky-khai-sinh")  # the related procedure's title
    # The procedure's own file.
    replace_in(mini, KHAI_SINH, "tom_tat: Đăng ký khai sinh cho trẻ em", "tom_tat: Đăng ký khai sinh (đã sửa) cho trẻ em")
    rebuild()
    assert "Đăng ký khai sinh (đã sửa) cho trẻ em" in page("dang-ky-khai-sinh")
    # Another procedure's title, shown on this page as a related procedure.
    replace_in(mini, "procedures/ho-tich/dang-ky-ket-hon.yml", "ten: Đăng ký kết hôn", "ten: Đăng ký kết hôn trong nước")
    rebuild()
    assert "Đăng ký kết hôn trong nước" in page("dang-ky-khai-sinh")
    # A registry: the legal document's title in the citation.
    replace_in(mini, "handbook/data/van-ban.yml", "trich_yeu: Luật Hộ tịch", "trich_yeu: Luật Hộ tịch (sửa đổi)")
    rebuild()
    assert "Luật Hộ tịch (sửa đổi)" in page("dang-ky-khai-sinh")
    # A broken file is reported, and fixing it brings the page back.
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich", "linh_vuc: [")
    rebuild()
    assert errors[-1] and "dang-ky-khai-sinh.yml" in errors[-1]
    replace_in(mini, KHAI_SINH, "linh_vuc: [", "linh_vuc: ho-tich")
    rebuild()
    assert errors[-1] is None and "Đăng ký khai sinh (đã sửa)" in page("dang-ky-khai-sinh")
