"""The ``sotay`` command line: a thin click layer over the library.

One place (``SotayGroup.invoke``) decides how errors reach the user, as in
pre-commit: content errors are printed as ``path:line:column: message`` with
exit status 1; an operating-system error (no permission, disk full…) is one
Vietnamese sentence naming the path; anything unexpected is one plain
sentence, with the traceback written to a log file (shown on screen only
with ``--debug``).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from pathlib import Path

import click

from .. import __version__, tempdirs
from ..crashlog import unexpected_message
from ..site.outputs import OutputRefused
from ..content import model
from ..content.errors import ContentErrors, os_error_message
from ..content.handbook import Handbook, ProjectNotFound, find_root
from . import messages

messages.install()


class SotayError(click.ClickException):
    """An expected failure: printed as is, in Vietnamese, exit status 1."""

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class VietnameseHelp:
    """Vietnamese headings for click's help pages."""

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), "Cách dùng: ")

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if isinstance(p, click.Option) and (rv := p.get_help_record(ctx))]
        if opts:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(opts)
        if isinstance(self, click.Group):
            commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
            rows = [(name, cmd.get_short_help_str(60)) for name, cmd in commands if cmd and not cmd.hidden]
            if rows:
                with formatter.section("Lệnh"):
                    formatter.write_dl(rows)


    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option


class SotayCommand(VietnameseHelp, click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(*args, **kwargs)


# The module of generator/cli/ that defines each command.  A command's module
# is imported only when it runs (or for the help page): `sotay due` need not
# import MkDocs, Jinja and the search engine, which took most of its time.
COMMANDS = {
    "build": "site", "serve": "site", "export": "site", "coverage": "catalogue", "diff": "diff", "due": "due", "fmt": "fmt",
    "guide": "guide", "legal": "legal", "list": "content", "new": "content", "validate": "content",
    "search": "search", "stale": "stale", "training": "training",
}


def _expected_failures() -> tuple[type[Exception], ...]:
    """The exceptions printed as one "Lỗi: …" line.  BuildFailed is only
    raised by the build module: if it is not imported, nothing raised it."""
    build = sys.modules.get("generator.site.build")
    return (ProjectNotFound, OutputRefused) + ((build.BuildFailed,) if build else ())


class SotayGroup(VietnameseHelp, click.Group):
    command_class = SotayCommand

    def get_command(self, ctx, name):
        if self is cli and name not in self.commands and name in COMMANDS:
            importlib.import_module(f"{__name__}.{COMMANDS[name]}")
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        return sorted({*self.commands, *COMMANDS}) if self is cli else super().list_commands(ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except tempdirs.Stopped as exc:
            # SIGTERM or SIGHUP: temporary folders are gone already (the
            # exception unwound through their clean-up); exit as killed by it.
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                click.echo(f"Đã dừng (nhận tín hiệu {exc}).", err=True)
            raise SystemExit(128 + exc.signum) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (e.g. `sotay list | head`): stop quietly, as Unix tools do.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
        except ContentErrors as exc:
            count = len(exc.errors)
            files = len({e.path for e in exc.errors})
            raise SotayError(f"{exc.report()}\n\nCó {count} lỗi trong {files} tệp.") from exc
        except _expected_failures() as exc:
            cause = exc.__cause__
            if isinstance(cause, OSError) and ctx.obj and ctx.obj.get("debug"):
                raise cause  # the system's own error, with its traceback, for the developers
            if not isinstance(exc, (ProjectNotFound, OutputRefused)) and isinstance(cause, OSError):
                raise SotayError(os_error_message(cause)) from exc
            raise SotayError(f"Lỗi: {exc}") from exc
        except OSError as exc:
            # Permission denied, disk full, name too long, a file where a folder
            # should be…: the user can fix these; say what and where, in one line.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise SotayError(os_error_message(exc)) from exc
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise SotayError(unexpected_message(exc)) from exc


@click.group(name="sotay", cls=SotayGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="sotay", message="%(prog)s %(version)s",
                      help="Hiện phiên bản rồi thoát.")
@click.option("--debug", is_flag=True, help="Hiện đầy đủ traceback khi có lỗi không mong muốn.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Sổ tay nghiệp vụ số: kiểm tra, dựng và xem trước sổ tay thủ tục hành chính cấp xã.

    Chạy lệnh trong thư mục kho nội dung (nơi có mkdocs.yml) hoặc thư mục con.

    Ví dụ:

        sotay validate

        sotay serve
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def did_you_mean(value: str, known) -> str:
    """' có phải ý bạn là 'x'?' for the closest known value, or ''."""
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"có phải ý bạn là '{close[0]}'?" if close else ""


def can_prompt() -> bool:
    """Whether a command may ask questions: only when someone is at a terminal.
    With input from a pipe, a file or nothing (scripts, CI, an editor's task
    runner) a command uses its options and defaults and never waits."""
    import sys

    return sys.stdin is not None and sys.stdin.isatty()


def not_found(what: str, value: str, known, listing: str) -> SotayError:
    """The one error for a name that names nothing, with the closest name and
    the command that lists them all: "Lỗi: không có thủ tục 'x'; có phải ý
    bạn là 'y'? Xem danh sách bằng: sotay list"."""
    hint = did_you_mean(value, known)
    return SotayError(f"Lỗi: không có {what} '{value}'" + (f"; {hint}" if hint else ".")
                      + f" Xem danh sách bằng: {listing}")


def find_procedure(hb: Handbook, text: str) -> model.Procedure:
    """The procedure a command names by id (its file name without .yml), or
    the common "did you mean" error for every command that takes one."""
    procedure = hb.procedures.get(text)
    if procedure is None:
        raise not_found("thủ tục", text, hb.procedures, "sotay list")
    return procedure


def project_root() -> Path:
    try:
        return find_root()
    except ProjectNotFound as exc:
        raise SotayError(f"Lỗi: {exc}") from exc



def main() -> None:
    tempdirs.stop_on_signals()
    cli(prog_name="sotay")
