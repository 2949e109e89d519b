"""Briefing a team discussion (a thread, a channel's recent messages, an export).

Messages in, a :class:`DiscussionBriefing` out: who took part, what was said, what was
decided, what is still open and who will do what, each item taken from (and citing) the
message it rests on. Adapters fetch the messages and render the value; they never summarise.
"""

from bot.text.discussion.brief import brief_discussion
from bot.text.discussion.load import load_discussion, parse_discussion
from bot.text.discussion.model import (
    ActionItem,
    Cited,
    Decision,
    DiscussionBriefing,
    DiscussionStats,
    Message,
    Participant,
)

__all__ = [
    "ActionItem",
    "Cited",
    "Decision",
    "DiscussionBriefing",
    "DiscussionStats",
    "Message",
    "Participant",
    "brief_discussion",
    "load_discussion",
    "parse_discussion",
]
