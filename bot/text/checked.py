"""Is what a model wrote supported by the text it cites? The check every LLM-written briefing passes.

An LLM-written item (a discussion's decision, an article's key point) cites the numbered
messages or sentences it rests on; it is kept only when every number, day or date, link,
@mention, person and Latin-letter name in it appears in those (compared after converting both
sides to Simplified, so the script never decides). Used by ``bot.text.discussion.written`` and
``bot.text.written``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.briefing import Bilingual
from bot.text.analyse import to_simplified

if TYPE_CHECKING:
    from bot.text.discussion.model import ActionItem, Cited


@dataclass(frozen=True, slots=True)
class Source:
    """A message the model may cite: its number, author, text and permalink."""

    index: int
    author: str
    text: str
    permalink: str | None = None


_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"<[@#!][^>]*>|@[\w.\-\u3400-\u9fff]+")
#: Latin-letter words of three letters or more that start with a capital or hold a capital later
#: (Redis, LRU, iOS): product and people's names a model may invent.
_LATIN_NAME = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z0-9]*[A-Za-z0-9]\b")
#: Ordinary capitalised words of an English sentence: not names.
_COMMON = {
    "the",
    "a",
    "an",
    "we",
    "i",
    "it",
    "they",
    "he",
    "she",
    "you",
    "team",
    "decided",
    "decision",
    "agreed",
    "will",
    "should",
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "is",
    "are",
    "do",
    "does",
    "can",
    "use",
    "using",
    "by",
    "before",
    "after",
    "on",
    "in",
    "to",
    "for",
    "and",
    "or",
    "but",
    "ok",
    "okay",
    "yes",
    "no",
    "everyone",
    "someone",
    "all",
    "this",
    "that",
    "next",
    "first",
    "then",
    "also",
    "not",
    "open",
    "question",
    "action",
    "item",
    "summary",
    "english",
    "chinese",
    "utc",
    "pr",
    "todo",
    "eod",
    "asap",
    "api",
    "db",
    "id",
}
#: Days and relative days, each with the words for it in either language and script.
_DAYS: tuple[tuple[str, ...], ...] = (
    ("monday", "mon", "週一", "周一", "星期一", "禮拜一", "礼拜一"),
    ("tuesday", "tue", "週二", "周二", "星期二", "禮拜二", "礼拜二"),
    ("wednesday", "wed", "週三", "周三", "星期三", "禮拜三", "礼拜三"),
    ("thursday", "thu", "週四", "周四", "星期四", "禮拜四", "礼拜四"),
    ("friday", "fri", "週五", "周五", "星期五", "禮拜五", "礼拜五"),
    ("saturday", "sat", "週六", "周六", "星期六", "禮拜六", "礼拜六"),
    ("sunday", "sun", "週日", "周日", "星期日", "星期天", "禮拜天", "礼拜天"),
    ("today", "今天", "今日"),
    ("tomorrow", "明天", "明日"),
    ("yesterday", "昨天", "昨日"),
    ("next week", "下週", "下周", "下星期", "下禮拜", "下礼拜"),
    ("this week", "本週", "本周", "這週", "这周"),
    ("end of day", "eod", "下班前", "今天下班"),
)
_DAY_WORD = re.compile(
    "|".join(
        sorted(
            (rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(to_simplified(w)) for ws in _DAYS for w in ws),
            key=len,
            reverse=True,
        )
    ),
    re.IGNORECASE,
)


def _day_of(word: str) -> int | None:
    w = to_simplified(word.lower())
    for k, words in enumerate(_DAYS):
        if w in (to_simplified(x) for x in words):
            return k
    return None


def _chinese_names(simplified: str) -> list[str]:
    """The names (two characters or more) jieba finds in Simplified ``simplified``."""
    from bot.text.analyse import jieba_module
    from bot.text.tags import is_name

    return [w for w in jieba_module().lcut(simplified) if len(w) >= 2 and not w.isascii() and is_name(w)]


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isascii() for c in letters) / len(letters) if letters else 0.0


def _sentence_start(text: str, at: int, word: str) -> bool:
    """An ordinary word capitalised only because it begins a sentence."""
    before = text[:at].rstrip()
    return (not before or before[-1] in ".!?:;\"'(（「") and word[1:].islower()


class Checker:
    """Checks an LLM item against the messages it cites."""

    def __init__(self, sources: Mapping[int, Source], participants: set[str], *, chinese_names: bool = False) -> None:
        self.sources = sources
        self.participants = participants
        #: Also check Chinese names (jieba's person, place and organisation words, and the curated
        #: list): an article's key point may not name 台積電 where its sentence says 聯電.
        self.chinese_names = chinese_names

    def _cites(self, raw: dict[str, Any]) -> list[Source] | None:
        cites = raw.get("cites")
        if not isinstance(cites, list) or not cites:
            return None
        found = []
        for n in cites:
            if isinstance(n, bool) or not isinstance(n, int) or n not in self.sources:
                return None
            found.append(self.sources[n])
        return found

    def cited(self, raw: object) -> Cited | None:
        """The item as a ``Cited`` when it checks out against its cited messages, else None."""
        from bot.text.discussion.model import Cited  # the package imports this module

        if not isinstance(raw, dict):
            return None
        cited = self._cites(raw)
        zh, en = raw.get("zh"), raw.get("en")
        if cited is None or not isinstance(zh, str) or not isinstance(en, str) or not zh.strip() or not en.strip():
            return None
        if not all(self.supported(text, cited) for text in (zh, en)):
            return None
        first = cited[0]
        return Cited(
            text=Bilingual(zh=zh.strip(), en=en.strip()),
            index=first.index,
            author=first.author,
            permalink=first.permalink,
        )

    def action(self, raw: object) -> ActionItem | None:
        from bot.text.discussion.model import ActionItem  # the package imports this module

        what = self.cited(raw)
        if what is None or not isinstance(raw, dict):
            return None
        cited = self._cites(raw) or []
        said = to_simplified(" ".join(s.text for s in cited)).lower()
        who, due = raw.get("who"), raw.get("due")
        if who is not None:
            if not isinstance(who, str) or not who.strip():
                return None
            who = who.strip().lstrip("@")
            writers = {s.author for s in cited}
            if who not in writers and to_simplified(who).lower() not in said:
                return None
        if due is not None:
            if not isinstance(due, str) or not due.strip() or not self.supported(due, cited, exact=True):
                return None
            due = due.strip()
        return ActionItem(what=what, who=who, due=due)

    def supported(self, text: str, cited: Sequence[Source], *, exact: bool = False) -> bool:
        """Every number, day, link, mention and name in ``text`` is in the cited messages.

        ``exact``: the whole of ``text`` (a due date) must be said there, in either language's
        words for a day.
        """
        said = to_simplified(" ".join(s.text for s in cited)).lower()
        writers = {s.author for s in cited}
        mine = to_simplified(text)
        numbers = {n.replace(",", "") for n in _NUMBER.findall(said)}
        if any(n.replace(",", "") not in numbers for n in _NUMBER.findall(mine)):
            return False
        days_said = {_day_of(m) for m in _DAY_WORD.findall(said)}
        if any(_day_of(m) not in days_said for m in _DAY_WORD.findall(mine)):
            return False
        for url in _URL.findall(mine):
            if url.rstrip(".,)").lower() not in said:
                return False
        for mention in _MENTION.findall(mine):
            if mention.lower() not in said:
                return False
        for name in self.participants:
            if name and to_simplified(name) in mine and name not in writers and to_simplified(name).lower() not in said:
                return False
        if _latin_share(mine) < 0.5 or _latin_share(said) >= 0.5:
            # Latin-letter names are compared within one language: in Chinese text they are product
            # and people's names as written; in the English of a Chinese thread they are translations.
            for match in _LATIN_NAME.finditer(mine):
                word = match.group(0)
                if word.lower() in _COMMON or _day_of(word) is not None or _sentence_start(mine, match.start(), word):
                    continue
                if word.lower() not in said and word not in writers:
                    return False
        if self.chinese_names and any(name not in said for name in _chinese_names(mine)):
            return False
        if exact:
            pieces = _DAY_WORD.findall(mine) or [mine]
            return all(
                (_day_of(p) in days_said) if _day_of(p) is not None else to_simplified(p).lower() in said
                for p in pieces
            )
        return True
