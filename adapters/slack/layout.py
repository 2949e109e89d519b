"""Slack's Block Kit limits, and the pieces that keep every message inside them.

A message that breaks a limit is rejected (``invalid_blocks``, ``msg_blocks_too_long``) or cut
by Slack, so text is split here rather than truncated: long texts become several sections,
and blocks that do not fit one message flow into the next (see ``paginate``).

Lengths are counted in UTF-16 code units, as Slack's clients count them, so an emoji counts 2.
All text handed to this module is already escaped for mrkdwn.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from adapters import limits as shared

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
#: Our own cap on one context element and on a context block's total text, so that no single
#: block can approach the message budget.
MAX_CONTEXT_TEXT = 2000
#: Slack has rejected blocks near 13k characters in total (``msg_blocks_too_long``); the JSON of
#: a message's blocks stays under this budget.
MAX_MESSAGE_CHARS = 11_000
#: Top-level ``text`` (the notification fallback) is cut by Slack past 40,000; ours stays short.
MAX_FALLBACK_TEXT = 300
#: Room kept free on every page for the "part i of n" marker.
MARKER_RESERVE_CHARS = 600
_MARKER_RESERVE_BLOCKS = 1
#: A long line starts in the current section only if at least this much room is left there.
_MIN_PIECE = 200

_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One chat.postMessage worth: the notification fallback and the blocks."""

    text: str
    blocks: tuple[Block, ...]


def slack_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def json_len(value: object) -> int:
    return slack_len(json.dumps(value, ensure_ascii=False))


def _entity_guard(window: str) -> int:
    """A hard cut must not fall inside an entity such as ``&amp;``."""
    tail = _ENTITY_TAIL.search(window)
    return len(window) - tail.start() if tail and tail.start() > 0 else 0


def split_text(text: str, limit: int) -> list[str]:
    """Cut escaped ``text`` into pieces of at most ``limit``, at a natural break when one is near.

    Nothing is dropped except the whitespace at a cut, and no cut falls inside ``&amp;``.
    """
    pieces = [p.strip() for p in shared.split_text(text, limit, measure=slack_len, guard=_entity_guard)]
    return [p for p in pieces if p] or [""]


def _cut_point(text: str, limit: int) -> int:
    return shared.cut_point(text, limit, measure=slack_len, guard=_entity_guard)


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """Escaped ``text`` cut to ``limit`` with an ellipsis; says whether anything was cut."""
    shown = shared.shorten(text, limit, measure=slack_len, guard=_entity_guard)
    return shown, shown != text


def mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack does not auto-link URLs or parse @names and #channels in our text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def sections(items: list[str], *, lead: str | None = None) -> list[Block]:
    """Section blocks holding ``items`` one per line (``lead`` first), each within the text limit.

    A line too long for the room left in a section fills it and goes on in the next one.
    """
    blocks: list[Block] = []
    current = ""
    for line in [lead, *items] if lead else items:
        rest = line
        while rest:
            room = MAX_SECTION_TEXT - (slack_len(current) + 1 if current else 0)
            if slack_len(rest) <= room:
                current = f"{current}\n{rest}" if current else rest
                break
            if room >= _MIN_PIECE:
                cut = _cut_point(rest, room)
                head = rest[:cut].rstrip()
                if head:
                    current = f"{current}\n{head}" if current else head
                rest = rest[cut:].lstrip()
            if current:
                blocks.append({"type": "section", "text": mrkdwn(current)})
            current = ""
    if current:
        blocks.append({"type": "section", "text": mrkdwn(current)})
    return blocks


def contexts(items: list[str], *, lead: str | None = None, sep: str = " · ") -> list[Block]:
    """Context blocks: ``items`` joined by ``sep`` into elements, ≤ 10 elements and bounded text each."""
    runs: list[str] = []
    for item in items:
        for piece in split_text(item, MAX_CONTEXT_TEXT):
            joined = f"{runs[-1]}{sep}{piece}" if runs else piece
            if runs and slack_len(joined) <= MAX_CONTEXT_TEXT:
                runs[-1] = joined
            else:
                runs.append(piece)
    elements = ([lead] if lead else []) + runs
    blocks: list[Block] = []
    group: list[str] = []
    for element in elements:
        total = sum(slack_len(e) for e in group) + slack_len(element)
        if group and (len(group) == MAX_CONTEXT_ELEMENTS or total > MAX_CONTEXT_TEXT):
            blocks.append({"type": "context", "elements": [mrkdwn(e) for e in group]})
            group = []
        group.append(element)
    if group:
        blocks.append({"type": "context", "elements": [mrkdwn(e) for e in group]})
    return blocks


def paginate(blocks: list[Block]) -> list[list[Block]]:
    """Flow blocks into as many messages as needed, in order, each within the block and size limits."""
    pages: list[list[Block]] = [[]]
    size = 2  # the list's brackets
    for block in blocks:
        cost = json_len(block) + 2  # the separator
        full = len(pages[-1]) >= MAX_BLOCKS - _MARKER_RESERVE_BLOCKS
        too_big = size + cost > MAX_MESSAGE_CHARS - MARKER_RESERVE_CHARS
        if pages[-1] and (full or too_big):
            pages.append([])
            size = 2
        pages[-1].append(block)
        size += cost
    return pages
