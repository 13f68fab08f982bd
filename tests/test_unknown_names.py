"""A command given a procedure (or session) that does not exist says so the
same way everywhere: the closest name, and how to list them all; exit status 1."""
from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES


@pytest.fixture
def trained(mini):
    """The mini handbook with a training block on khai sinh and one session."""
    with open(mini / "procedures/ho-tich/dang-ky-khai-sinh.yml", "a", encoding="utf-8") as f:
        f.write((FIXTURES / "training/khai-sinh-dao-tao.yml").read_text(encoding="utf-8"))
    session = mini / "handbook/dao-tao/ho-tich-co-ban.yml"
    session.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "training/ho-tich-co-ban.yml", session)
    return mini

COMMANDS = [
    ["guide", "{}"],
    ["guide", "{}", "-a", "x=có", "--json"],
    ["training", "new", "buoi-moi", "--thu-tuc", "{}"],
    ["training", "new", "buoi-moi", "--thu-tuc", "dang-ky-khai-sinh", "--thu-tuc", "{}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("typed, message", [
    ("dang-ky-khai-sinhh", "Lỗi: không có thủ tục 'dang-ky-khai-sinhh'; có phải ý bạn là 'dang-ky-khai-sinh'? "
                           "Xem danh sách bằng: sotay list"),
    ("dang-ky-ket-hn", "Lỗi: không có thủ tục 'dang-ky-ket-hn'; có phải ý bạn là 'dang-ky-ket-hon'? "
                       "Xem danh sách bằng: sotay list"),
    ("cap-ban-sao", "Lỗi: không có thủ tục 'cap-ban-sao'. Xem danh sách bằng: sotay list"),
])
def test_unknown_procedure(trained, run, command, typed, message):
    result = run(*[part.format(typed) for part in command])
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not (trained / "handbook/dao-tao/buoi-moi.yml").exists()


@pytest.mark.parametrize("typed, message", [
    ("ho-tich-co-bn", "Lỗi: không có buổi đào tạo 'ho-tich-co-bn'; có phải ý bạn là 'ho-tich-co-ban'? "
                      "Xem danh sách bằng: sotay training list"),
    ("lanh-dao", "Lỗi: không có buổi đào tạo 'lanh-dao'. Xem danh sách bằng: sotay training list"),
])
def test_unknown_session(trained, run, typed, message):
    result = run("training", "pack", typed)
    assert result.exit_code == 1 and result.output.strip() == message
