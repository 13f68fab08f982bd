"""The edition a command describes: ``--tinh``, else mkdocs.yml's default.

Read without importing MkDocs (a second or so that ``sotay due`` and
``sotay validate`` need not pay): mkdocs.yml is plain YAML but for tags
such as ``!ENV`` or ``!!python/name:``, which say nothing about the edition
and are read as empty here.  ``build``, ``serve`` and ``export`` pass the
same Edition on to the plugin (site/build.py), so every entry point agrees."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from ..content.edition import Edition
from ..content.provinces import NATIONAL, province_id
from . import SotayError

PLUGIN = "sotay"

# The edition option of every command whose output depends on the province.
tinh_option = click.option(
    "--tinh", metavar="MÃ_TỈNH", default=None,
    help=f"Ấn bản: mã tỉnh (thư mục trong handbook/tinh/, ví dụ ha-noi) hoặc {NATIONAL} cho ấn bản toàn quốc; "
         "mặc định: mục tinh của plugin sotay trong mkdocs.yml.")


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # any tag: not our business here


def edition_for(root: Path, tinh: str | None = None) -> Edition:
    """``--tinh`` when given (``toan-quoc``: the national edition), else the
    sotay plugin's ``tinh:`` in mkdocs.yml."""
    if tinh is None:
        try:
            raw = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SotayError(f"Lỗi: không đọc được mkdocs.yml: {exc}") from exc
        plugins = raw.get("plugins") or [] if isinstance(raw, dict) else []
        if isinstance(plugins, dict):
            plugins = [{name: options} for name, options in plugins.items()]
        options = next((e[PLUGIN] for e in plugins if isinstance(e, dict) and PLUGIN in e), None)
        tinh = options.get("tinh") if isinstance(options, dict) else None
    return Edition(province=province_id(str(tinh) if tinh is not None else None))
