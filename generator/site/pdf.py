"""Print an HTML file to PDF with the machine's headless Chromium (A4, the
page's own print styles, no browser header or footer)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .. import tempdirs

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--no-pdf-header-footer", "--print-to-pdf-no-header"]


class PrintFailed(Exception):
    pass


def chromium_path() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, timeout: int = 120) -> None:
    """Print ``html`` into ``pdf``, a fresh file the caller renames into place
    when this succeeds (``outputs.writing``), so a failed print replaces nothing."""
    browser = chromium_path()
    if browser is None:
        raise PrintFailed("không tìm thấy Chromium")
    with tempdirs.temporary("sotay-chromium-") as profile:
        try:
            done = subprocess.run(
                [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise PrintFailed(f"Chromium không xong sau {timeout} giây") from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        raise PrintFailed(((done.stderr or "").strip().splitlines()[-1:] or [f"mã thoát {done.returncode}"])[0])
