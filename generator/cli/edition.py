"""The edition a command describes: ``--ngay`` and ``--tinh``, else
mkdocs.yml's defaults (the sotay plugin's ``ngay`` and ``tinh``).

Read without importing MkDocs (a second or so that ``sotay due`` and
``sotay validate`` need not pay): mkdocs.yml is plain YAML but for tags
such as ``!ENV`` or ``!!python/name:``, which say nothing about the edition
and are read as empty here.  ``build``, ``serve`` and ``export`` pass the
same Edition on to the plugin (site/build.py), so every entry point agrees."""

from __future__ import annotations

import datetime as dt
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


def _on(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' không phải một ngày dạng YYYY-MM-DD; ví dụ: --ngay 2027-03-01") from None


# The day option of every command that builds the site.
ngay_option = click.option(
    "--ngay", "ngay", metavar="YYYY-MM-DD", default=None, callback=_on,
    help="Dựng sổ tay như quy định áp dụng vào ngày này (mặc định: mục ngay của plugin sotay trong mkdocs.yml, "
         "không có thì hôm nay, giờ Việt Nam), để xem trước các thay đổi sắp có hiệu lực.")


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # any tag: not our business here


def edition_for(root: Path, tinh: str | None = None, on: dt.date | None = None) -> Edition:
    """``--tinh`` when given (``toan-quoc``: the national edition), else the
    sotay plugin's ``tinh:`` in mkdocs.yml; ``on`` (--ngay) when given, else
    its ``ngay:`` (none: today in Vietnam)."""
    options: dict = {}
    if tinh is None or on is None:
        try:
            raw = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SotayError(f"Lỗi: không đọc được mkdocs.yml: {exc}") from exc
        plugins = raw.get("plugins") or [] if isinstance(raw, dict) else []
        if isinstance(plugins, dict):
            plugins = [{name: options} for name, options in plugins.items()]
        found = next((e[PLUGIN] for e in plugins if isinstance(e, dict) and PLUGIN in e), None)
        options = found if isinstance(found, dict) else {}
    if tinh is None:
        tinh = options.get("tinh")
    if on is None and options.get("ngay") is not None:
        on = _day(options["ngay"])
    return Edition(on=on, province=province_id(str(tinh) if tinh is not None else None))


def _day(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SotayError(f"Lỗi: mkdocs.yml, plugins → sotay: ngay '{value}' không đúng dạng YYYY-MM-DD "
                         "(ví dụ: ngay: 2027-03-01).") from None
