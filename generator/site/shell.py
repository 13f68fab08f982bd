"""Procedure pages from one page rendered by the theme.

Every procedure page has the same surroundings: the same navigation (no
procedure is in it), the same depth in the site (thu-tuc/<field>/<id>/), so
the same relative links to assets.  MkDocs renders one placeholder page at
that depth (SHELL_URL) with markers for what differs — title, body, table of
contents, "edit" link — and each procedure page is that shell with the
markers replaced.  Material's page template then runs once instead of once
per procedure, and the pages can be written in parallel.  A test builds the
same handbook both ways and compares the pages.
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup, escape

SHELL_URL = "thu-tuc/_khung/trang/"
TITLE = "SOTAYSHELLTITLE"
CONTENT = "<h1>SOTAYSHELLCONTENT</h1>"  # an h1, so the theme adds none of its own
EDIT = "https://sotay.invalid/SOTAYSHELLEDIT"
TOC_ID = "sotay-shell-toc"
TOC_NAME = "SOTAYSHELLTOC"


class ShellError(Exception):
    """The theme's page no longer has the markers where we expect them."""


class Shell:
    def __init__(self, html: str, toc_item_template, shell_url: str):
        self.toc_item = toc_item_template
        self.shell_url = shell_url
        start = html.find(f'<a href="#{TOC_ID}" class="md-nav__link">')
        li_start = html.rfind('<li class="md-nav__item">', 0, start)
        li_end = html.find("</li>", start)
        missing = [m for m in (TITLE, CONTENT) if m not in html]
        if missing or start < 0 or li_start < 0 or li_end < 0:
            raise ShellError("khung trang thủ tục thiếu dấu " + ", ".join(missing or ["mục lục"]))
        self.before_toc = html[:li_start]
        self.after_toc = html[li_end + len("</li>"):]
        self.fingerprint = hashlib.sha256(html.encode()).hexdigest()

    def page(self, *, title: str, content: str, toc, edit_url: str | None, url: str) -> str:
        """``title`` is HTML-escaped already (as MkDocs page titles are here)."""
        items = "\n".join(self.toc_item.render(toc_item=item) for item in toc)
        # The theme's "skip to content" link goes to the first heading of the table of contents.
        first = next(iter(toc), None)
        skip = f'href="{escape(first.url)}"' if first else 'href="#"'

        def fill(part: str) -> str:
            part = part.replace(f'href="#{TOC_ID}"', skip)
            part = part.replace(f"<title>{TITLE} - ", f"<title>{escape(Markup(title).striptags())} - ")
            part = part.replace(TITLE, title).replace(self.shell_url, url)
            if edit_url is not None:
                part = part.replace(EDIT, str(escape(edit_url)))
            return part.replace(CONTENT, content)

        return fill(self.before_toc) + items + fill(self.after_toc)
