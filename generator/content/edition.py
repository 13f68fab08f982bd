"""What a build or a command describes: the day and the provincial edition.

Read the same way on every entry point (sotay build/serve/export and the
other commands, and mkdocs.yml's plugin options); see ARCHITECTURE.md."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    on: dt.date | None = None  # the day the handbook describes; None: today in Vietnam
    province: str | None = None  # a province overlay id; None: the national edition
