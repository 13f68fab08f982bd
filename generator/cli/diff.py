"""``sotay diff``: what changed in the procedures, field by field, for a pull request."""

from __future__ import annotations

import click

from ..editing.diffreport import to_json, to_markdown
from ..editing.editions import affected
from ..editing.versiondiff import semantic_diff
from ..editing.versions import GitError
from . import SotayError, cli, project_root


@cli.command(name="diff")
@click.argument("base", required=False, metavar="[BASE")
@click.argument("head", required=False, metavar="[HEAD]]")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def diff_command(base: str | None, head: str | None, as_json: bool) -> None:
    """Tóm tắt thay đổi nội dung thủ tục giữa hai phiên bản trong git, theo từng
    trường (thời hạn, lệ phí, giấy tờ, các bước, căn cứ pháp lý…), bằng lời,
    dạng Markdown để dán vào trao đổi của đề nghị hợp nhất (pull request).

    BASE mặc định là điểm rẽ nhánh từ main (git merge-base HEAD main; nếu không
    có nhánh main thì HEAD~1). HEAD mặc định là thư mục làm việc, kể cả phần
    chưa commit. Chỉ đổi cách trình bày (thụt lề, dấu nháy, thứ tự khóa) thì
    không tính là thay đổi. Dòng cuối cho biết ấn bản nào bị ảnh hưởng: sửa tệp
    trong handbook/tinh/<mã>/ chỉ ảnh hưởng ấn bản tỉnh đó; sửa nội dung khác
    ảnh hưởng mọi ấn bản. Với --json: một đối tượng gồm "procedures" (từng
    tệp thủ tục) và "editions" (ấn bản bị ảnh hưởng: "affected", "all",
    "reason").

    Ví dụ:

        sotay diff

        sotay diff origin/main

        sotay diff v1.2 HEAD --json
    """
    root = project_root()
    try:
        diffs, base_name, head_name = semantic_diff(root, base, head)
        editions = affected(root, base, head)
    except GitError as exc:
        raise SotayError(f"Lỗi: {exc}") from exc
    if as_json:
        click.echo(to_json(diffs, editions.to_json()))
    else:
        click.echo(to_markdown(diffs, base_name, head_name), nl=False)
        click.echo("\n" + editions.markdown())
