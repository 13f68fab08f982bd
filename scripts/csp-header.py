#!/usr/bin/env python3
"""Print the Content-Security-Policy for a built site, as an nginx line.

The only inline scripts in the site are the theme's own few lines (Material
sets its base URL and colour palette before the page paints); none is built
from content — data for the browser goes in JSON blocks, which CSP does not
run.  So the policy allows scripts from the site itself plus exactly those
inline scripts, by hash.  Run after a Material upgrade and paste the line into
docs-dev/nginx.conf:

    python3 scripts/csp-header.py site/
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

INLINE = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def inline_script_hashes(site: Path) -> list[str]:
    hashes = set()
    for page in site.rglob("*.html"):
        for attrs, body in INLINE.findall(page.read_text(encoding="utf-8")):
            if "application/json" in attrs or "application/ld+json" in attrs:  # data blocks, never run
                continue
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            hashes.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(hashes)


def policy(site: Path) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(inline_script_hashes(site)),
        "style-src 'self'",
        "img-src 'self' data:",
        # Nothing outside the site: our partials/source.html keeps the theme
        # from fetching the repository's stars from GitHub's API.
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    print(f'add_header Content-Security-Policy "{policy(site)}" always;')
