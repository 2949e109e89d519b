"""What briefbot prints can never drive the terminal: no escape sequences from an article or a
file name, and bytes that are not UTF-8 get one sentence, not a traceback."""

from __future__ import annotations

import json

import pytest

from bot import InputError, summarize
from tests.conftest import run_cli

BODY = "南韓政府成立電影委員會及媒體中心，不僅位階及預算都夠高，也延攬實務界人士，大力打造商業影視產品。" * 3
HOSTILE = (
    "Evil\x1b]0;pwned\x07 title\n\n"  # set the window title
    + BODY
    + "\x1b]52;c;ZXZpbA==\x07"  # write the clipboard (OSC 52)
    + BODY.replace("。", "。\x1b[2J", 1)  # clear the screen
    + "這是第二句\u009b31m的結尾\r。\n"  # a C1 CSI and a carriage return
)


def _controls(text: str) -> list[str]:
    return [hex(ord(c)) for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_escape_sequences_in_an_article_never_reach_the_terminal(tmp_path, fmt):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    result = run_cli("brief", str(path), "--format", fmt)
    assert result.code == 0, result.err
    assert _controls(result.out) == []
    if fmt == "json":
        data = json.loads(result.out)
        assert data["title"] and "pwned" in data["title"]  # the words stay; the sequences go
        assert _controls(json.dumps(data, ensure_ascii=False)) == []


def test_a_file_name_with_escape_sequences_is_printed_safely(tmp_path):
    result = run_cli("brief", str(tmp_path / "no\x1b]0;x\x07such.txt"))
    assert result.code == 2
    assert "No such file" in result.err and _controls(result.err) == []


def test_the_chat_answers_bytes_that_are_not_utf8_in_one_sentence_and_goes_on(tmp_path):
    stdin = b"/brief \xff\xfe \xe5\x8d\x97\n/brief help\n/quit\n"
    result = run_cli("chat", stdin=stdin, env={"BRIEFBOT_DB": str(tmp_path / "chat.db")})
    assert result.code == 0, result.err
    assert "briefbot: The input holds bytes that are not valid UTF-8 text" in result.out
    assert "/brief help — this message" in result.out  # the next line was answered
    assert "Traceback" not in result.out + result.err


def test_summarize_refuses_a_lone_surrogate_in_one_sentence():
    with pytest.raises(InputError, match="not valid UTF-8"):
        summarize("南韓政府成立電影委員會\udcff，大力打造商業影視產品。")
