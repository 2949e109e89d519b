"""``briefbot brief --discussion`` and ``/brief --discussion`` as a user meets them: subprocesses, real files."""

import json

import pytest

from tests.conftest import run_cli

SLACK = {
    "messages": [
        {"user": "U1", "user_name": "ann", "text": "Should we ship on Friday or Monday?", "ts": "1700000000.0"},
        {
            "user": "U2",
            "user_name": "bob",
            "text": "Monday. Let's go with Monday for the release.",
            "ts": "1700000100.0",
        },
        {
            "user": "U2",
            "user_name": "bob",
            "text": "<@U1> can you update the changelog by Friday?",
            "ts": "1700000200.0",
        },
        {"bot_id": "B1", "username": "briefbot", "text": "\u001b]52;c;aGk=\u0007 hi", "ts": "1700000300.0"},
    ]
}
DISCORD = {
    "messages": [
        {
            "id": "1",
            "author": {"id": "9", "name": "ann"},
            "content": "有人知道 staging 的密碼在哪嗎？",
            "timestamp": "2024-05-01T10:00:00Z",
        },
        {
            "id": "2",
            "author": {"id": "8", "name": "bob"},
            "content": "決定：週五上線",
            "timestamp": "2024-05-01T10:05:00Z",
        },
    ]
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_slack_export_every_format(tmp_path, fmt):
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(SLACK), encoding="utf-8")
    result = run_cli("brief", "--discussion", str(path), "--format", fmt)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    if fmt == "json":
        data = json.loads(result.out)
        assert data["kind"] == "discussion" and data["stats"]["bot_messages_skipped"] == 1
        assert [d["index"] for d in data["decisions"]] == [2]
        assert data["action_items"][0]["who"] == "ann" and data["action_items"][0]["due"] == "by Friday"
        assert data["open_questions"] == []
    else:
        assert "Decisions" in result.out and "Let's go with Monday" in result.out
        assert "#3 bob" in result.out


def test_discord_export_from_stdin():
    result = run_cli("brief", "--discussion", "-", "--format", "json", stdin=json.dumps(DISCORD).encode())
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["language"] == "zh-Hant"
    assert [q["index"] for q in data["open_questions"]] == [1]
    assert [d["text"]["zh"] for d in data["decisions"]] == ["決定：週五上線"]


def test_plain_lines(tmp_path):
    path = tmp_path / "thread.txt"
    path.write_text("Ann: I'll write the RFC this week.\nBob: thanks\n", encoding="utf-8")
    result = run_cli("brief", "--discussion", str(path))
    assert result.code == 0, result.err
    assert "I'll write the RFC this week." in result.out and "who: Ann" in result.out


CHANGED = "Ann: 上線日定了，就 3/12\nBob: 收到\nAnn: 廠商延期，上線日改到 3/19\nCara: 好\n"


@pytest.mark.parametrize(
    ("fmt", "locale", "words"),
    [("text", "en", "#3 Ann · replaces #1"), ("markdown", "zh-Hant", "#3 Ann · 取代 #1"), ("json", "en", None)],
)
def test_a_changed_decision_says_which_message_it_replaces(tmp_path, fmt, locale, words):
    path = tmp_path / "thread.txt"
    path.write_text(CHANGED, encoding="utf-8")
    result = run_cli("brief", "--discussion", str(path), "--format", fmt, "--locale", locale)
    assert result.code == 0, result.err
    if words is None:
        assert [(d["index"], d["replaces"]) for d in json.loads(result.out)["decisions"]] == [(3, [1])]
    else:
        assert words in result.out.replace("\\", "")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b'{"messages": [1, 2', "not valid JSON"),
        (b'{"messages": []}', "No messages"),
    ],
)
def test_bad_input_one_sentence_exit_2(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run_cli("brief", "--discussion", str(path))
    assert result.code == 2
    assert words in result.err and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert result.out == ""


@pytest.mark.parametrize(
    "content", [b"", b"  \n\t\n", b"\x00\x01\x02binary", b"PK\x03\x04" + bytes(range(32)) * 8, None]
)
def test_an_unreadable_discussion_file_is_called_a_discussion_not_an_article(tmp_path, content):
    path = tmp_path / "thread.json"
    if content is None:
        path.mkdir()  # a folder given where a file was meant
    else:
        path.write_bytes(content)
    result = run_cli("brief", "--discussion", str(path))
    assert result.code == 2 and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "article" not in result.err
    assert "discussion" in result.err and ("DiscordChatExporter" in result.err or "export" in result.err)


def test_a_discussion_over_the_size_limit_says_to_export_less(tmp_path):
    path = tmp_path / "thread.txt"
    path.write_text("".join(f"ann: message {i}\n" for i in range(400)), encoding="utf-8")
    result = run_cli("brief", "--discussion", str(path), env={"BRIEFBOT_MAX_INPUT_BYTES": "1000"})
    assert result.code == 2 and result.err.count("\n") == 1 and "article" not in result.err
    assert "limit" in result.err and "shorter stretch" in result.err


@pytest.mark.parametrize(
    ("content", "locale", "words"),
    [
        (b"", "zh-Hant", "討論是空的"),
        (b"\x00\x01\x02binary", "zh-Hant", "二進位資料"),
        (b'{"messages": [1, 2', "zh-Hant", "不是有效的 JSON（第 1 行"),
        (b'{"messages": []}', "zh-Hans", "找不到任何消息"),
        (b'{"posts": []}', "zh-Hans", "没有消息列表"),
    ],
)
def test_a_refused_discussion_is_worded_in_the_chosen_language(tmp_path, content, locale, words):
    path = tmp_path / "thread.json"
    path.write_bytes(content)
    result = run_cli("brief", "--discussion", str(path), "--locale", locale)
    assert result.code == 2 and result.err.count("\n") == 1
    assert words in result.err
    # the formats to give instead are worded in the same language, not left in English
    assert "give" not in result.err and "Name: message" not in result.err


def test_source_and_discussion_together_is_a_usage_error(tmp_path):
    result = run_cli("brief", "a.txt", "--discussion", "b.json")
    assert result.code == 2 and "either SOURCE" in result.err


def test_chat_takes_brief_discussion(tmp_path):
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(SLACK), encoding="utf-8")
    result = run_cli("chat", stdin=f"/brief --discussion {path}\n/brief --discussion {tmp_path}/none.json\n".encode())
    assert result.code == 0, result.err
    assert "Decisions" in result.out and "Let's go with Monday" in result.out
    assert "briefbot: No such file" in result.out
