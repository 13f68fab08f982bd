"""The theme's files MkDocs copies into the site, listed without hidden folders.

On every build MkDocs lists every file under the theme's folders through
Jinja's loader, then drops the templates and whatever sits in a hidden file or
folder (its patterns '.*' and '*/.*').  Material keeps ~14,500 icons in a
hidden folder (``.icons``, included by name, never copied): listing and
filtering them took ~0.09 s of each rebuild for the ~60 files kept.  Here the
listing leaves hidden files and folders out, so MkDocs' filter sees only what
it could keep; templates are still loaded from every folder, hidden or not.
"""

from __future__ import annotations

import os

import jinja2
from mkdocs.theme import Theme


class ListedLoader(jinja2.FileSystemLoader):
    """Jinja's file loader whose listing skips hidden files and folders."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                folder = os.path.relpath(dirpath, searchpath).replace(os.sep, "/")
                prefix = "" if folder == "." else folder + "/"
                found.update(prefix + name for name in filenames if not name.startswith("."))
        return sorted(found)


def use_listed_loader(theme: Theme) -> None:
    """Make ``theme``'s Jinja environments (MkDocs asks for one per build) list through ListedLoader."""
    def get_env() -> jinja2.Environment:
        env = Theme.get_env(theme)
        env.loader = ListedLoader(theme.dirs)
        return env

    theme.get_env = get_env
