"""A briefing as a channel shows it: the Chinese side in the channel's script, its languages in
the channel's order, with section labels to match.

``for_display(briefing, zh="hans", order="en-first")`` gives a ``Display``: the same briefing
with every Chinese text (title, summary, key points, keywords) converted to Traditional with
Taiwan usage (OpenCC ``s2twp``) or Simplified (``tw2sp``), whatever script the article was in,
plus the rules every renderer follows for order. Nothing else changes: a key point still
cites the sentence it came from (``source_index``), and ``language`` still names the article's
own script. Text already in the wanted script is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword
from bot.chat.i18n import N_, tr
from bot.chat.settings import Order, Script

Side = Literal["zh", "en"]
Section = Literal["summary", "key_points", "keywords"]

#: Beside a keyword the glossary does not know.
NOT_IN_GLOSSARY = N_("(not in the glossary)")

_LABELS: dict[str, str] = {
    "summary": N_("Summary"),
    "key_points": N_("Key points"),
    "keywords": N_("Keywords"),
}
#: The locale whose catalogue words a label in each script.
_SCRIPT_LOCALE = {"hant": "zh-Hant", "hans": "zh-Hans"}
#: How the second language is introduced under the first: "EN: …", "中文: …".
SIDE_TAGS: dict[Side, str] = {"en": "EN", "zh": "中文"}


@dataclass(frozen=True, slots=True)
class Display:
    #: The briefing with its Chinese side in ``script``.
    briefing: Briefing
    #: The script the Chinese side is shown in.
    script: Script
    #: The channel's order; None: the article's own language first.
    order: Order | None = None

    @property
    def first(self) -> Side:
        """The language shown first."""
        if self.order in ("zh-first", "zh-only"):
            return "zh"
        if self.order in ("en-first", "en-only"):
            return "en"
        return "en" if self.briefing.language == "en" else "zh"

    @property
    def only(self) -> bool:
        return self.order in ("zh-only", "en-only")

    def sides(self, zh: str | None, en: str | None) -> list[tuple[Side, str]]:
        """The texts of a zh/en pair to show, in order; the first is the main one.

        With ``zh-only``/``en-only`` the other language is left out — unless the wanted side has
        no text (an article with only a glossary has no translation), when the article's own
        text is shown rather than nothing.
        """
        texts: dict[Side, str | None] = {"zh": zh, "en": en}
        second: Side = "en" if self.first == "zh" else "zh"
        ordered = [(side, texts[side]) for side in (self.first, second)]
        present = [(side, text) for side, text in ordered if text]
        if self.only and present:
            return present[:1]
        return present

    def keyword(self, keyword: Keyword) -> tuple[str, str | None]:
        """A keyword as (the term, its gloss or None): the article's term first, its gloss beside.

        With ``zh-only``/``en-only`` only the side in that language is shown (the term when the
        glossary has nothing), so the gloss is None.
        """
        b = self.briefing
        gloss = b.other(keyword.zh, keyword.en)
        if not self.only:
            return keyword.term, gloss
        wanted = keyword.zh if self.first == "zh" else keyword.en
        return wanted or keyword.term, None

    def keyword_lines(self, locale: str) -> list[tuple[str, str | None, bool]]:
        """Each keyword as (term, what to show beside it, whether that is the "not in the
        glossary" note): the gloss; nothing with ``*-only``; else the note, in ``locale``."""
        out: list[tuple[str, str | None, bool]] = []
        for keyword in self.briefing.keywords:
            term, gloss = self.keyword(keyword)
            if gloss:
                out.append((term, gloss, False))
            elif self.only:
                out.append((term, None, False))
            else:
                out.append((term, tr(locale, NOT_IN_GLOSSARY), True))
        return out

    def label(self, section: Section) -> str:
        """A section's heading: English and Chinese (in the shown script), in the channel's order;
        with ``*-only``, the one language (labels name the content, so they follow its languages,
        not the reader's locale)."""
        english = _LABELS[section]
        chinese = tr(_SCRIPT_LOCALE[self.script], english)
        if self.order == "zh-only":
            return chinese
        if self.order == "en-only":
            return english
        return f"{chinese} {english}" if self.order == "zh-first" else f"{english} {chinese}"


def for_display(briefing: Briefing, *, zh: Script | None = None, order: Order | None = None) -> Display:
    """``briefing`` as a channel with these settings shows it (None: as the article has it)."""
    current = chinese_script(briefing)
    if zh is None or zh == current:
        return Display(briefing, current, order)
    return Display(convert(briefing, zh), zh, order)


def chinese_script(briefing: Briefing) -> Script:
    """The script of a briefing's Chinese side: the article's, or for an English article its
    translation's (Traditional when it has none)."""
    if briefing.language != "en":
        return "hans" if briefing.language == "zh-Hans" else "hant"
    sample = "".join(
        t for t in [briefing.summary.zh, *(p.zh for p in briefing.key_points), *(k.zh for k in briefing.keywords)] if t
    )
    if not sample:
        return "hant"
    from bot.text.analyse import detect_language

    return "hans" if detect_language(sample) == "zh-Hans" else "hant"


def in_script(text: str | None, script: Script, current: Script) -> str | None:
    """``text`` (Chinese in ``current``, or English) in ``script``; unchanged when they agree."""
    if not text or script == current:
        return text
    from bot.text.analyse import to_mainland_simplified, to_taiwan_traditional

    return to_taiwan_traditional(text) if script == "hant" else to_mainland_simplified(text)


def convert(briefing: Briefing, script: Script) -> Briefing:
    """Every Chinese text of ``briefing`` in ``script`` (English texts go through unchanged)."""
    from bot.text.analyse import to_mainland_simplified, to_taiwan_traditional

    to = to_taiwan_traditional if script == "hant" else to_mainland_simplified

    def c(text: str | None) -> str | None:
        return to(text) if text else text

    chinese_article = briefing.language != "en"
    return replace(
        briefing,
        title=c(briefing.title) if chinese_article else briefing.title,
        summary=Bilingual(zh=c(briefing.summary.zh), en=briefing.summary.en),
        key_points=tuple(KeyPoint(c(p.zh), p.en, p.source_index) for p in briefing.key_points),
        keywords=tuple(
            Keyword(term=(c(k.term) or k.term) if chinese_article else k.term, en=k.en, zh=c(k.zh))
            for k in briefing.keywords
        ),
    )
