"""Fuzz both renderers with hostile article text: nothing in it may ping anyone, become a live
link or a disguised link, whatever it holds and however much of it one line holds."""

from __future__ import annotations

import json
import random
import re

import pytest

from adapters.discord.render import briefing_messages, discussion_messages, thread_messages, thread_name
from adapters.slack.render import render_briefing, render_discussion, render_point_replies
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.chat.display import for_display
from bot.text.discussion import ActionItem, Cited, DiscussionBriefing, DiscussionStats, Participant

PIECES = [
    "[a](https://ok.example)",
    "[click here to verify your account](https://evil.example)",
    "[x](<https://evil.example>)",
    "\\[escaped](https://e.example)",
    "\\\\[after a backslash](https://e.example)",
    "[nested [brackets]](https://e.example)",
    "]( ",
    "<!channel>",
    "<!here|here>",
    "<!subteam^S123|@team>",
    "<@U123>",
    "<@123456789012345678>",
    "<@&987>",
    "<#C123|general>",
    "<https://evil.example|totally safe>",
    "<mailto:a@b.example|mail>",
    "@everyone",
    "@here",
    "@channel",
    "＠everyone",
    "`code`",
    "```block```",
    "**bold** __under__ ~~strike~~ ||spoiler||",
    "> quote",
    "# heading",
    "&lt;!channel&gt;",
    "&amp;",
    "南韓政府",
    "https://bare.example/path?a=1&b=2",
    "\\",
    "|",
    "(",
    ")",
]


def hostile_lines(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(PIECES) for _ in range(rng.randint(2, 12))) for _ in range(count)]


def briefing_of(line: str) -> Briefing:
    return Briefing(
        title=line,
        language="zh-Hant",
        source="https://example.com/news/1",
        summary=Bilingual(line, line),
        key_points=(KeyPoint(line, line, 0), KeyPoint("第二點。", None, 1)),
        keywords=(Keyword(term=line[:40], en=line[:60]),),
        translator=TranslatorInfo("test", "translation"),
        stats=Stats(100, 90, 2, 0),
        notes=(line,),
    )


def _unescaped_brackets(text: str) -> list[int]:
    """Positions of [ or ] not escaped by an odd run of backslashes (a masked link needs both)."""
    out = []
    for match in re.finditer(r"[\[\]]", text):
        run = len(text[: match.start()]) - len(text[: match.start()].rstrip("\\"))
        if run % 2 == 0:
            out.append(match.start())
    return out


def discord_strings(briefing: Briefing) -> tuple[list[str], list[str]]:
    """(texts where Discord renders Markdown and links, plain-text ones: titles, names, footers)."""
    rendered, plain = [], []
    for embeds in briefing_messages(for_display(briefing)):
        for embed in embeds:
            e = embed.to_dict()
            rendered += [e.get("description") or ""] + [f["value"] for f in e.get("fields", [])]
            plain += [e.get("title") or "", (e.get("footer") or {}).get("text") or ""]
            plain += [f["name"] for f in e.get("fields", [])]
    rendered += [piece for pieces in thread_messages(for_display(briefing)) for piece in pieces]
    return rendered, plain


@pytest.mark.parametrize("seed", range(6))
def test_discord_never_carries_a_live_masked_link_or_a_ping(seed):
    for line in hostile_lines(seed, 60):
        # A thread's name is plain text: Discord renders no Markdown and no mention in it.
        assert len(thread_name(for_display(briefing_of(line)))) <= 100
        rendered, plain = discord_strings(briefing_of(line))
        for text in rendered:
            assert _unescaped_brackets(text) == [], text
        for text in rendered + plain:  # and every message goes with allowed_mentions none (deliver.py)
            assert not re.search(r"@(everyone|here)\b", text), text  # escape_mentions breaks them
            assert not re.search(r"<@[!&]?\d+>|<#\d+>", text), text


def _slack_texts(message) -> list[str]:
    out = [message.text]

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("type") in ("mrkdwn", "plain_text"):
                out.append(value["text"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(list(message.blocks))
    return out


OUR_SOURCE_LINK = "<https://example.com/news/1|example.com/news/1>"


@pytest.mark.parametrize("seed", range(6))
def test_slack_never_carries_a_live_link_or_a_ping(seed):
    for line in hostile_lines(100 + seed, 60):
        briefing = briefing_of(line)
        messages = render_briefing(briefing) + [m for reply in render_point_replies(briefing) for m in reply]
        for message in messages:
            for text in _slack_texts(message):
                rest = text.replace(OUR_SOURCE_LINK, "")  # the one link we put there ourselves
                assert "<" not in rest and ">" not in rest, text
                assert not re.search(r"(?<![\w\u2060])@(everyone|here|channel)\b", rest), text
            assert "<https://evil" not in json.dumps(list(message.blocks), ensure_ascii=False)


# -- discussion briefings: people's own words, quoted, never pinging and never a disguised link --

SLACK_PERMALINK = "https://example.slack.com/archives/C1/p1700000000000100?thread_ts=1700000000.000100&cid=C1"
DISCORD_PERMALINK = f"https://discord.com/channels/{1}/{2}/{3}"
HOSTILE_URL = "https://ok.example/a?b=1&c=<!here>|x"


def discussion_of(line: str, permalink: str) -> DiscussionBriefing:
    cited = Cited(Bilingual(line, line), 3, author=line[:30] or "x", permalink=permalink)
    bare = Cited(Bilingual(None, line), 4, author="<@U1> @everyone", permalink=None)
    return DiscussionBriefing(
        language="zh-Hant",
        participants=(Participant(line[:40], 3), Participant("<!channel>", 1)),
        summary=Bilingual(line, line),
        key_points=(cited, bare),
        decisions=(cited,),
        open_questions=(bare,),
        action_items=(ActionItem(cited, who=line[:20], due=line[:20]), ActionItem(bare)),
        links=(line, HOSTILE_URL),
        translator=TranslatorInfo("test", "translation"),
        stats=DiscussionStats(messages=4, participants=2),
        title=line,
        notes=(line,),
    )


@pytest.mark.parametrize("seed", range(4))
def test_slack_discussion_never_carries_a_live_link_or_a_ping(seed):
    ours = re.compile(
        re.escape("<" + SLACK_PERMALINK.replace("&", "&amp;") + "|#") + r"\d+>|<https://ok\.example/[^|<>\s]*\|[^<>]*>"
    )
    for line in hostile_lines(200 + seed, 40):
        for message in render_discussion(discussion_of(line, SLACK_PERMALINK), share_key="k1"):
            for text in _slack_texts(message):
                rest = ours.sub("", text)  # the citation links and the shared link, ours
                assert "<" not in rest and ">" not in rest, text
                assert not re.search(r"(?<![\w\u2060])@(everyone|here|channel)\b", rest), text
            assert "<https://evil" not in json.dumps(list(message.blocks), ensure_ascii=False)
            assert "!here>" not in json.dumps(list(message.blocks), ensure_ascii=False)


@pytest.mark.parametrize("seed", range(4))
def test_discord_discussion_never_carries_a_live_masked_link_or_a_ping(seed):
    ours = re.compile(r"\[#\d+\]\(<" + re.escape(DISCORD_PERMALINK) + r">\)")
    for line in hostile_lines(300 + seed, 40):
        for embeds in discussion_messages(discussion_of(line, DISCORD_PERMALINK)):
            for embed in embeds:
                e = embed.to_dict()
                rendered = [e.get("description") or ""] + [f["value"] for f in e.get("fields", [])]
                plain = [e.get("title") or "", (e.get("footer") or {}).get("text") or ""]
                plain += [f["name"] for f in e.get("fields", [])]
                for text in rendered:
                    assert _unescaped_brackets(ours.sub("", text)) == [], text
                for text in rendered + plain:
                    assert not re.search(r"@(everyone|here)\b", text), text
                    assert not re.search(r"<@[!&]?\d+>|<#\d+>", text), text


def test_a_citation_links_only_to_a_real_permalink():
    evil = "https://evil.example/x)[y](https://evil.example"
    (slack_message,) = render_discussion(discussion_of("南韓政府", evil))
    assert "evil.example" not in json.dumps(list(slack_message.blocks))
    (discord_message,) = discussion_messages(discussion_of("南韓政府", evil))
    assert "evil.example" not in json.dumps([e.to_dict() for e in discord_message])
