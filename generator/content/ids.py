"""Keys of the registries that end up in a site path, a file name or an
anchor: checked where they are written, so a bad one is reported at its key
instead of failing the build or silently losing a page.

What each registry's keys become (``urls`` spells the paths):

- ``linh-vuc.yml``: a field id is a folder under procedures/ and a page
  path (``urls.field``): a slug (``model.SLUG``).
- ``van-ban.yml``: a document number is written as in the original
  ("123/2015/NĐ-CP"); its page path is its slug (``urls.legal``), so it must
  have one, and no two numbers may share it.
- ``cong-dan-can-gi.yml``: a tree id is the anchor of its heading on the
  triage page: a slug.
- ``danh-muc-tthc.yml``: an entry id is its anchor on the coverage page: a slug.
- ``thuat-ngu.yml``: an abbreviation is an anchor on the glossary page,
  lower-cased: no spaces, and no two that differ only in case.
- ``dia-phuong.yml``'s fee keys are only named by ``theo_dia_phuong`` and
  never become a path: they are checked as references.  Training sessions
  are named by their file, checked when it is listed (sessions.py); the
  holiday file's keys are years (handbook.load_holidays).

Every id also has a bounded length (``MAX_LENGTH``): a path component must
stay well under the file systems' 255 bytes.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode

from .. import urls
from ..textutil import slugify
from . import model
from .errors import ErrorSink

MAX_LENGTH = 80  # characters of an id or of the slug made from a key
_SLUG = re.compile(model.SLUG)
_STR_TAG = "tag:yaml.org,2002:str"


def bounded_slug(text: str, limit: int = MAX_LENGTH) -> str:
    """``slugify(text)`` no longer than ``limit``, cut after a whole word when
    there is one: "dang-ky-khai-sinh-…" never ends in half a word."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    head = head.rsplit("-", 1)[0] if "-" in head else ""
    return (head or slug[:limit]).strip("-")


def _keys(node: Node) -> list[tuple[str, ScalarNode]]:
    """The keys of a registry that the schema accepts as text (what is not
    text, or empty, is reported by the validator), with their nodes."""
    if not isinstance(node, MappingNode):
        return []
    found = []
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode) or (key_node.style is None and key_node.tag != _STR_TAG):
            continue
        if key_node.value.strip():
            found.append((key_node.value.strip(), key_node))
    return found


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(sink: ErrorSink, display: str, node: ScalarNode, message: str, hint: str) -> None:
    m = node.start_mark
    sink.add(display, m.line + 1, m.column + 1, message, hint)


def _check_slugs(keys, display: str, sink: ErrorSink, what: str, role: str, example: str) -> None:
    """Keys that must be slugs themselves (``what``: the id's name in the
    message, ``role``: what it becomes)."""
    for key, node in keys:
        suggestion = bounded_slug(key) or example
        if not _SLUG.match(key):
            _at(sink, display, node, f"{what} '{_clip(key)}' không hợp lệ",
                f"{role}: chữ thường không dấu, số và dấu gạch ngang, ví dụ '{suggestion}'.")
        elif len(key) > MAX_LENGTH:
            _at(sink, display, node, f"{what} '{_clip(key)}' dài {len(key)} ký tự, tối đa {MAX_LENGTH}",
                f"{role}; rút gọn, ví dụ '{suggestion}'.")


def _check_legal(keys, display: str, sink: ErrorSink) -> None:
    first: dict[str, tuple[str, int]] = {}  # slug → (key, line) of the first document with it
    for key, node in keys:
        slug = slugify(key)
        if not slug:
            _at(sink, display, node, f"số, ký hiệu văn bản '{_clip(key)}' không có chữ hay chữ số nào",
                "khóa là số, ký hiệu đúng như bản gốc, ví dụ 123/2015/NĐ-CP; đường dẫn trang của văn bản "
                "được tạo từ các chữ và chữ số trong đó.")
            continue
        if len(slug) > MAX_LENGTH:
            _at(sink, display, node, f"số, ký hiệu văn bản '{_clip(key)}' quá dài ({len(slug)} ký tự, tối đa {MAX_LENGTH})",
                "khóa chỉ là số, ký hiệu (ví dụ 123/2015/NĐ-CP); tên văn bản ghi ở 'trich_yeu'.")
            continue
        if slug in first:
            other, line = first[slug]
            _at(sink, display, node,
                f"văn bản '{key}' trùng đường dẫn trang với '{other}' (dòng {line}): "
                f"cả hai đều là {urls.link(urls.legal(key))}",
                "hai số, ký hiệu chỉ khác nhau ở chữ hoa, chữ thường, dấu hoặc dấu câu: nếu là cùng một văn bản "
                "thì gộp thành một mục; nếu là hai văn bản, ghi lại số, ký hiệu đúng như bản gốc.")
            continue
        first[slug] = (key, node.start_mark.line + 1)


def _check_glossary(keys, display: str, sink: ErrorSink) -> None:
    first: dict[str, tuple[str, int]] = {}  # lower-cased (the anchor) → (key, line)
    for key, node in keys:
        if re.search(r"\s", key):
            _at(sink, display, node, f"chữ viết tắt '{_clip(key)}' có dấu cách",
                "viết liền như khi dùng trong văn bản, ví dụ NĐ-CP: mỗi chữ viết tắt là một neo "
                "trên trang Thuật ngữ.")
            continue
        anchor = key.lower()
        if anchor in first:
            other, line = first[anchor]
            _at(sink, display, node, f"chữ viết tắt '{key}' trùng với '{other}' (dòng {line}) "
                "khi không phân biệt chữ hoa, chữ thường",
                "trang Thuật ngữ đặt neo theo chữ thường nên hai mục trùng neo; giữ một mục.")
            continue
        first[anchor] = (key, node.start_mark.line + 1)


def check_registry_keys(registry: str, node: Node, display: str, sink: ErrorSink) -> None:
    """Check the keys of a registry ("fields", "legal", "glossary" or
    "triage": the Handbook attribute it fills) that become paths or anchors;
    report each at its key.  Other registries' keys are not paths."""
    keys = _keys(node)
    if registry == "fields":
        _check_slugs(keys, display, sink, "mã lĩnh vực",
                     "mã lĩnh vực là tên thư mục trong procedures/ và một phần đường dẫn trang "
                     f"({urls.link(urls.field('<mã>'))})", "ho-tich")
    elif registry == "legal":
        _check_legal(keys, display, sink)
    elif registry == "triage":
        _check_slugs(keys, display, sink, "mã cây",
                     f"mã cây là neo của nhu cầu đó trên trang Công dân cần gì? ({urls.link(urls.TRIAGE)}#<mã>)",
                     "giay-to-khai-sinh")
    elif registry == "glossary":
        _check_glossary(keys, display, sink)
    elif registry == "catalogue":
        _check_slugs(keys, display, sink, "mã định danh",
                     "mã định danh của một mục trong danh mục thủ tục cấp xã là neo của mục đó trên trang "
                     "độ phủ", "dang-ky-khai-sinh")
