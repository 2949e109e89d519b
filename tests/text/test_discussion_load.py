"""The export formats a discussion comes in, and the sentence each bad input gets."""

import json

import pytest

from bot.errors import InputError
from bot.text.discussion import parse_discussion


def test_slack_replies_with_names_bots_reactions_and_mentions():
    data = {
        "messages": [
            {"user": "U1", "user_profile": {"display_name": "ann"}, "text": "Ship Friday?", "ts": "1700000000.000100"},
            {"user": "U2", "user_name": "bob", "text": "<@U1> yes", "ts": "1700000060.0", "reactions": [{"count": 2}]},
            {"bot_id": "B1", "username": "briefbot", "text": "briefing…", "ts": "1700000070.0"},
        ]
    }
    ms = parse_discussion(json.dumps(data))
    assert [m.author for m in ms] == ["ann", "bob", "briefbot"]
    assert ms[1].text == "<@U1|ann> yes" and ms[1].reactions == 2
    assert ms[2].is_bot and not ms[0].is_bot
    assert ms[0].ts is not None and ms[0].ts.year == 2023


def test_discord_chat_exporter():
    data = {
        "messages": [
            {
                "id": "10",
                "author": {"id": "1", "name": "ann", "nickname": "Ann"},
                "content": "hi <@2>",
                "timestamp": "2024-05-01T10:00:00+00:00",
                "mentions": [{"id": "2", "name": "bob"}],
            },
            {
                "id": "11",
                "author": {"id": "2", "name": "bob", "isBot": False},
                "content": "hello",
                "timestamp": "2024-05-01T10:01:00Z",
                "reference": {"messageId": "10"},
            },
            {"id": "12", "author": {"id": "3", "name": "briefbot", "isBot": True}, "content": "", "timestamp": "x"},
        ]
    }
    ms = parse_discussion(json.dumps(data))
    assert [m.author for m in ms] == ["Ann", "bob", "briefbot"]
    assert ms[0].text == "hi @bob" and ms[1].reply_to == 1 and ms[2].is_bot and ms[2].ts is None


def test_plain_lines_with_times_continuations_and_code():
    ms = parse_discussion("[10:01] 小林：要不要用 Redis？\n第二行\nBob: config:\n```\nretries: 3\n```\n")
    assert [(m.author, m.text) for m in ms] == [
        ("小林", "要不要用 Redis？\n第二行"),
        ("Bob", "config:\n```\nretries: 3\n```"),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("   \n", "empty"),
        ('{"messages": [', "not valid JSON"),
        ('{"messages": 3}', "no list of messages"),
        ('{"messages": []}', "No messages were found"),
        ("just some text without a speaker", "names no speaker"),
    ],
)
def test_bad_input_gets_one_sentence(text, words):
    with pytest.raises(InputError) as info:
        parse_discussion(text)
    assert words in info.value.message and "\n" not in info.value.message
