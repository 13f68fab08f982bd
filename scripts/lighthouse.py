#!/usr/bin/env python3
"""Lighthouse scores of a procedure page of the built handbook.

    .venv/bin/python scripts/lighthouse.py              # build the shipped handbook, then measure
    .venv/bin/python scripts/lighthouse.py /tmp/site    # measure an already built site
    .venv/bin/python scripts/lighthouse.py --page thu-tuc/ --check

What it does:

1. Installs the npm package lighthouse (pinned below) into .cache/tools/lighthouse
   if it is not there (needs node >= 18.16 and npm; the prefix is its own, see
   scripts/system-deps.sh for why).
2. Builds the shipped handbook with `sotay build` into .cache/lighthouse/site,
   unless a built site directory is given.
3. Serves it on 127.0.0.1 the way docs-dev/nginx.conf does in production:
   gzip for text types, the same Content-Security-Policy (scripts/csp-header.py),
   X-Content-Type-Options, and 30 days of caching for /assets/.  Python's
   http.server cannot compress, and uncompressed pages cost Lighthouse's
   simulated slow-4G load more than a second (the khai sinh page: performance
   about 80 without gzip, 96-98 with it), so a few lines below add it;
   --no-gzip shows the difference.
4. Runs Lighthouse on Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless)
   with its default mobile emulation and simulated throttling, prints the four
   category scores and every audit that costs points, and writes the reports to
   .cache/lighthouse/report.report.{json,html}.  It measures three times (--runs)
   and keeps the run with the median performance score.

--check exits 1 when a score is under its target (performance 95,
accessibility 100, best practices 95, SEO 90).  Scores of the performance
category vary by a few points between runs on a busy machine: Lighthouse
measures real CPU time on this machine and scales it.  Lighthouse 12.2.3 is
older than Debian's Chromium; a few diagnostics that do not count towards any
score (e.g. render-blocking-resources) end in an error in the report.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION = "12.2.3"
PREFIX = REPO / ".cache/tools/lighthouse"
PACKAGE = PREFIX / "node_modules/lighthouse"
OUT = REPO / ".cache/lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking"
                " --disable-component-update --no-first-run")
DEFAULT_PAGE = "thu-tuc/ho-tich/dang-ky-khai-sinh/"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 90}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def ensure_lighthouse() -> Path:
    cli = PACKAGE / "cli/index.js"
    try:
        installed = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        installed = None
    if installed != VERSION or not cli.is_file():
        if not shutil.which("npm"):
            sys.exit("Cần npm để cài Lighthouse: sudo apt-get install npm")
        print(f"Cài lighthouse@{VERSION} vào {PREFIX.relative_to(REPO)}…", flush=True)
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(PREFIX), "--no-save", "--ignore-scripts", "--no-audit",
                        "--no-fund", "--loglevel=error", f"lighthouse@{VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return cli


def build_shipped() -> Path:
    sotay = REPO / ".venv/bin/sotay"
    command = [str(sotay)] if sotay.exists() else [sys.executable, "-m", "generator.cli"]
    site = OUT / "site"
    print(f"Dựng sổ tay vào {site.relative_to(REPO)}…", flush=True)
    subprocess.run([*command, "build", "--site-dir", str(site)], cwd=REPO, check=True)
    return site


def csp_policy(site: Path) -> str:
    spec = importlib.util.spec_from_file_location("csp_header", REPO / "scripts/csp-header.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.policy(site)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the headers of docs-dev/nginx.conf, gzip included."""

    use_gzip = True
    policy = ""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        if self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "max-age=2592000")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # its redirect to the address with "/"
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.use_gzip and wants_gzip and path.is_file() and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, use_gzip: bool):
    handler = type("SiteHandler", (Handler,), {"use_gzip": use_gzip, "policy": csp_policy(site)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_lighthouse(cli: Path, url: str, runs: int) -> dict:
    """Run Lighthouse `runs` times; keep the reports of the run with the median
    performance score (Lighthouse's own advice against run-to-run variance)."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": CHROME}
    reports = []
    for run in range(runs):
        base = OUT / f"run-{run}"
        subprocess.run(["node", str(cli), url, "--quiet", "--output=json", "--output=html", f"--output-path={base}",
                        f"--chrome-flags={CHROME_FLAGS}"], check=True, env=env)
        report = json.loads((OUT / f"run-{run}.report.json").read_text(encoding="utf-8"))
        reports.append((report["categories"]["performance"]["score"] or 0, run, report))
    if runs > 1:
        print("Hiệu năng các lần đo: " + ", ".join(str(round(r[0] * 100)) for r in reports))
    _, median, report = sorted(reports)[len(reports) // 2]
    for kind in ("json", "html"):
        (OUT / f"run-{median}.report.{kind}").replace(OUT / f"report.report.{kind}")
    for run in range(runs):
        for kind in ("json", "html"):
            (OUT / f"run-{run}.report.{kind}").unlink(missing_ok=True)
    return report


def summary(report: dict) -> tuple[dict[str, int], list[str]]:
    scores, lines = {}, []
    audits = report["audits"]
    for key, category in report["categories"].items():
        score = round((category["score"] or 0) * 100)
        scores[key] = score
        lines.append(f"{category['title']:<16} {score:>3}")
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lines.append(f"    − {ref['id']}: {audit['title']}{value} [điểm {audit['score']:.2f}, trọng số {ref['weight']}]")
    metrics = [audits[m] for m in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                   "cumulative-layout-shift", "speed-index") if m in audits]
    lines.append("Số đo: " + "; ".join(f"{m['title']} {m.get('displayValue', '')}" for m in metrics))
    return scores, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="thư mục trang đã dựng (mặc định: dựng sổ tay)")
    parser.add_argument("--page", default=DEFAULT_PAGE, help=f"trang cần đo (mặc định {DEFAULT_PAGE})")
    parser.add_argument("--no-gzip", action="store_true", help="phục vụ không nén, như http.server của Python")
    parser.add_argument("--runs", type=int, default=3, help="số lần đo, lấy lần có điểm hiệu năng trung vị (mặc định 3)")
    parser.add_argument("--check", action="store_true", help="mã thoát 1 nếu điểm dưới mục tiêu")
    args = parser.parse_args()
    if not Path(CHROME).exists():
        sys.exit("Cần Chromium: sudo apt-get install chromium")
    cli = ensure_lighthouse()
    site = (args.site or build_shipped()).resolve()
    server, base = serve(site, not args.no_gzip)
    try:
        report = run_lighthouse(cli, base + args.page, max(1, args.runs))
    finally:
        server.shutdown()
    scores, lines = summary(report)
    print(f"Lighthouse {report['lighthouseVersion']}, {report['configSettings']['formFactor']}, "
          f"{'gzip' if not args.no_gzip else 'không nén'}: {args.page}")
    print("\n".join(lines))
    print(f"Báo cáo: {(OUT / 'report.report.html').relative_to(REPO)} và .json")
    low = {k: v for k, v in scores.items() if v < TARGETS.get(k, 0)}
    if low:
        print("Dưới mục tiêu: " + ", ".join(f"{k} {v} < {TARGETS[k]}" for k, v in low.items()))
    return 1 if args.check and low else 0


if __name__ == "__main__":
    sys.exit(main())
