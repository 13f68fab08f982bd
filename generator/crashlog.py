"""What the user sees of an unexpected error (a bug): one plain Vietnamese
sentence; the traceback goes to a log file for the developers.  (OS errors
have their own sentence: ``content.errors.os_error_message``.)

Shared by the command line (``SotayGroup.invoke``) and ``sotay serve``, which
must keep running after such an error.
"""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

LOG_NAME = "sotay-loi.log"


def describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def save_traceback() -> Path | None:
    """Write the traceback of the exception being handled to the log file;
    None when even that fails."""
    log = Path(tempfile.gettempdir()) / LOG_NAME
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return None
    return log


def unexpected_message(exc: BaseException) -> str:
    """The sentence for the exception being handled; saves its traceback."""
    log = save_traceback()
    if log is None:
        return (f"Lỗi không mong muốn: {describe(exc)}\n"
                "Chạy lại với --debug để xem chi tiết, rồi báo cho nhóm phát triển.")
    return (f"Lỗi không mong muốn: {describe(exc)}\nChi tiết đã ghi vào {log}; chạy lại với --debug để xem, "
            "và báo cho nhóm phát triển kèm tệp này.")
