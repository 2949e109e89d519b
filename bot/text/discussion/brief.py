"""Brief a discussion: messages in, a ``DiscussionBriefing`` out, offline.

prepare each message → find decisions, open questions and action items by their cues
(``cues.py``), letting later messages settle earlier ones (a changed decision, an answered
question) → rank the messages for key points and the summary (the article ranking's TF-IDF
centrality, ``bot.text.rank``) → the other language through the translator. Every text item is
a message's own words, trimmed to the sentence that carries the cue, never invented.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from bot.briefing import Bilingual, Language, TranslatorInfo
from bot.errors import InputError
from bot.text.analyse import detect_language, document_idf, en_tokens, to_simplified, zh_tokens
from bot.text.choose import headline_from
from bot.text.dedupe import jaccard, normalise
from bot.text.discussion import cues
from bot.text.discussion.model import (
    ActionItem,
    Cited,
    Decision,
    DiscussionBriefing,
    DiscussionStats,
    Message,
    Participant,
)
from bot.text.discussion.prepare import QUOTE_LOOKBACK, Prepared, prepare
from bot.text.discussion.written import Source, Writer, rewrite
from bot.text.rank import select, signals
from bot.text.split import cut_at_word
from bot.translate.base import TranslationRequest, Translator, target_for
from bot.translate.glossary import GlossaryTranslator, note_for

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGES = 500
KEY_POINTS = 5
#: An item is at most this long (Chinese characters; English: words), else cut with "…".
MAX_ITEM = {"zh": 120, "en": 40}
#: Summary budget, as for articles: Chinese characters or English words.
MAX_SUMMARY = {"zh": 200, "en": 120}
#: Messages after a question in which an answer is looked for.
ANSWER_WINDOW = 6
#: How much of its words a later decision must share with an earlier one to replace it unasked.
SAME_TOPIC = 0.5

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+|\n|$)|(?<=[。！？!?])[」』”’）)]+")
_EN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z@\"'(])|\n")
#: Where a part of a message ends, for telling one part of a plan from another: Chinese end
#: punctuation anywhere, English only before a space or the end (so "1.5" and "v2.1" stay whole).
_PART_END = re.compile(r"[.!?;](?=\s|$)|[。！？；]")
_PROPOSAL = re.compile(
    # (吧 proposes, but 好吧 / 行吧 / 算了吧 give in)
    r"要不要|建議|建议|提議|提议|我覺得|我觉得|不如|改成|改用|用\S{1,12}吧|(?<![好行了])吧[？?]?$|我們就|我们就|"
    r"\bhow about\b|\bwhat if\b|\bpropose\b|\bsuggest\b|\bshould we\b|\bshall we\b|\blet'?s\b|\bcould we\b|"
    r"\bmaybe we\b|\bwe could\b|\bwe should\b|\bI'?d go with\b|\bplan\b|\bproposal\b|提案|"
    r"\bI'?d (?:love|like) to\b|\bwe'?ll (?!see\b|know\b|find\b|be\b)|我想(?:改|用|換|换|做|把|先)",
    re.IGNORECASE,
)
#: A message that backs what was proposed before it, with reasons: not itself the proposal.
_SUPPORT = re.compile(
    r"^(?:@\S+\s*)?(?:我覺得可以|我觉得可以|可以|同意|贊成|赞成|好|對|对|沒錯|没错|\+1|"
    # The matter then a yes: "中班可以，我之前就是这样排的".
    r"[\u4e00-\u9fff]{1,4}(?:可以|沒問題|没问题)(?=[，,。！!\s]|$)|"
    r"(?:agree|agreed|yes|yeah|sounds good|makes sense|works for me|I'?m fine with)\b)",
    re.IGNORECASE,
)
_ANSWER_START = re.compile(
    r"^(?:@\S+\s*)?(?:是|對(?!了)|对(?!了)|不是|沒有|没有|有|可以|不行|不能|應該|应该|大概|在|用|因為|因为|會|会|不會|不会|要|不用|"
    r"如果|要是|我|還沒|还没|目前|大部分|大多|截至|按|"
    r"(?:yes|yeah|yep|no|nope|none|nothing|it'?s|it is|they|we|because|probably|I think|I'?d|imo|you can|use|should|"
    r"the|if|me)\b)",
    re.IGNORECASE,
)
#: A question that asks for an amount, a count or a time: a number in the reply answers it.
_QUANTITY = re.compile(
    r"多少|幾|几|多久|多大|多長|多长|\bhow (?:many|much|long|big)\b|\bwhen\b|\bwhat time\b", re.IGNORECASE
)
#: Thanks that close the meeting ("thanks all", "謝謝大家"), not an answer.
_CLOSING = re.compile(r"\bthanks (?:all|everyone|team|folks)\b|謝謝大家|谢谢大家|大家辛苦|辛苦了", re.IGNORECASE)
_THANKS = re.compile(
    # 原來 as "I see" opens the reply or says 原來如此; "用原來那家" (the original one) thanks no one.
    r"謝謝|谢谢|感謝|感谢|了解|收到|懂了|^\W*原[來来]|原[來来]如此|\bthanks?\b|\bthx\b|\bgot it\b|\bmakes sense\b",
    re.IGNORECASE,
)


def _thanks(text: str) -> bool:
    """Whether ``text`` thanks someone ("謝謝", "got it", "辛苦了", "cheers")."""
    return bool(_THANKS.search(text) or re.search(r"辛苦|\bcheers\b", text, re.IGNORECASE))


@dataclass(frozen=True, slots=True)
class _Turn:
    """A message that is read: its number in the discussion and its prepared text."""

    index: int
    message: Message
    prepared: Prepared

    @property
    def author(self) -> str:
        return self.message.author

    @property
    def text(self) -> str:
        return self.prepared.text


@dataclass(slots=True)
class _Item:
    turn: _Turn
    text: str
    who: str | None = None
    due: str | None = None
    #: For a decision taken from agreement ("能不能平日？" "同意，…"): where it was agreed.
    agreed_at: int | None = None


def brief_discussion(
    messages: Sequence[Message],
    *,
    translator: Translator | None = None,
    max_messages: int = DEFAULT_MAX_MESSAGES,
    title: str | None = None,
    vetted: bool = True,
) -> DiscussionBriefing:
    """Brief a discussion: who took part, what was said, decided, left open and taken on.
    ``vetted=False`` leaves out the learned second look at the rules' items (``vet.py``)."""
    turns, offset, bots = read_turns(messages, max_messages)
    links = tuple(dict.fromkeys(link for t in turns for link in t.prepared.links))
    talking = [t for t in turns if t.text]
    if not talking:
        raise InputError(
            "None of the messages has any text to brief (they are empty, or all the bot's own); "
            "brief a discussion where people wrote something."
        )
    language = detect_language("\n".join(t.text for t in talking))
    english = language == "en"

    found = find_items(talking)
    decisions, questions, actions = found.decisions, found.questions, found.actions
    if vetted:
        from bot.text.discussion import vet  # (vet reads this module's cues)

        decisions, questions, actions = vet.vet(talking, found)
    actions = split_jobs(talking, actions)
    date_items(talking, actions, {d.turn.index for d in decisions})
    scores = _scores(talking, english, {i.turn.index for i in (*decisions, *actions)})
    points = _key_points(talking, scores)
    summary = _summary(talking, scores, english)

    counts = Counter(t.author for t in turns)
    participants = tuple(Participant(name, n) for name, n in counts.most_common())
    stamps = [t.message.ts for t in turns if t.message.ts is not None]
    stats = DiscussionStats(
        messages=len(turns),
        participants=len(participants),
        bot_messages_skipped=bots,
        truncated=offset,
        first_ts=min(stamps) if stamps else None,
        last_ts=max(stamps) if stamps else None,
    )
    heading = title or headline_from(talking[0].text.replace("\n", " "), english=english)

    texts = [summary or "", *(i.text for i in points), *(i.text for i in decisions)]
    texts += [i.text for i in questions] + [i.text for i in actions]
    bilingual, info, notes = _bilingual(texts, language, translator or GlossaryTranslator())
    it = iter(bilingual)
    summary_pair = next(it)
    if summary is None:
        summary_pair = Bilingual(zh=None, en=None)

    def cited(items: list[_Item]) -> tuple[Cited, ...]:
        return tuple(_cited(i, next(it)) for i in items)

    key_points = cited(points)
    decided = tuple(Decision.of(_cited(i, next(it)), found.changed_from.get(i.turn.index, ())) for i in decisions)
    open_ = cited(questions)
    action_items = tuple(ActionItem(what=_cited(a, next(it)), who=a.who, due=a.due) for a in actions)
    briefing = DiscussionBriefing(
        language=language,
        participants=participants,
        summary=summary_pair,
        key_points=key_points,
        decisions=decided,
        open_questions=open_,
        action_items=action_items,
        links=links,
        translator=info,
        stats=stats,
        title=heading,
        notes=tuple(notes),
    )
    if isinstance(translator, Writer) and info.kind == "translation":
        # An LLM is configured (and answered the translation): it writes the briefing, each item
        # checked against the messages it cites, the extractive items standing in for the rest.
        sources = [Source(t.index, t.author, t.text, t.message.permalink) for t in talking]
        return rewrite(briefing, sources, translator)
    return briefing


def read_turns(messages: Sequence[Message], max_messages: int = DEFAULT_MAX_MESSAGES) -> tuple[list[_Turn], int, int]:
    """The messages that are read (the last ``max_messages``, the bot's own left out), prepared:
    (turns, how many were cut from the front, how many of the bot's were skipped)."""
    if max_messages < 1:
        raise InputError(f"The message limit must be at least 1, not {max_messages}.")
    if not messages:
        raise InputError("The discussion has no messages to brief.")
    offset = max(0, len(messages) - max_messages)
    names_by_id = {m.author_id: m.author for m in messages if m.author_id}
    people = {m.author for m in messages}
    turns: list[_Turn] = []
    bots = 0
    for n, message in enumerate(messages[offset:], offset + 1):
        if message.is_bot:
            bots += 1
            continue
        # The messages before it, for a one-line quote to be matched against (only a quote needs them).
        quotes = message.text.lstrip().startswith((">", "&gt;"))
        earlier = [m.text for m in messages[max(offset, n - 1 - QUOTE_LOOKBACK) : n - 1]] if quotes else []
        turns.append(_Turn(n, message, prepare(message.text, names_by_id, people, earlier)))
    return turns, offset, bots


@dataclass(slots=True)
class Found:
    """What the cue rules find: decisions, open questions, action items, and the messages of
    decisions later replaced."""

    decisions: list[_Item]
    questions: list[_Item]
    actions: list[_Item]
    replaced: set[int]
    #: For a decision that changed earlier ones: their message numbers, oldest first.
    changed_from: dict[int, tuple[int, ...]] = field(default_factory=dict)


def find_items(talking: list[_Turn]) -> Found:
    """Decisions, open questions and action items by the cue rules alone."""
    replaced: set[int] = set()
    changed_from: dict[int, tuple[int, ...]] = {}
    decisions = _decisions(talking, replaced, changed_from)
    questions = _open_questions(talking, decisions)
    # Work that comes with a decision later changed goes with it ("10% credit, I'll approve it"), unless
    # it has a date of its own ("…要建新的 price ID。這個我接，下週一前建好"): work set for a day stands.
    actions = [a for a in _actions(talking) if a.turn.index not in replaced or a.due is not None]
    acted = {a.turn.index for a in actions}
    questions = [q for q in questions if q.turn.index not in acted]
    return Found(decisions, questions, actions, replaced, changed_from)


def _cited(item: _Item, text: Bilingual) -> Cited:
    return Cited(text=text, index=item.turn.index, author=item.turn.author, permalink=item.turn.message.permalink)


# --- what each message says -------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    if _han_share(text) < 0.3:
        parts = _EN_SENTENCE.split(text)
    else:
        parts = [m.group(0) for m in _SENTENCE.finditer(text)]
    return [p.strip() for p in parts if p and p.strip()]


def _han_share(text: str) -> float:
    """Han characters against Han characters and English words: "我明天寫 migration script" is Chinese."""
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    words = len(re.findall(r"[A-Za-z]+", text))
    return han / (han + words) if han + words else 0.0


def trimmed(text: str, pattern: re.Pattern[str] | None = None) -> str:
    """The sentence of ``text`` that carries ``pattern`` (else all of it), cut to an item's length."""
    pieces = _sentences(text) or [text]
    chosen = text
    if pattern is not None and len(pieces) > 1:
        for k, piece in enumerate(pieces):
            found = pattern.search(piece)
            if found:
                chosen = piece
                gap = " " if _han_share(piece) < 0.3 else ""
                if re.match(r"\s*[:：]", piece[found.end() :]):
                    # "Schedule proposal: DE by Thu. JA by Fri.": the plan is all that follows.
                    chosen = gap.join(pieces[k:])
                elif len(piece) < 12 and k + 1 < len(pieces):
                    # A bare cue ("決定", "Decision") leans on what follows it…
                    chosen = piece + gap + pieces[k + 1]
                elif len(piece) < 12 and k:
                    # …and a closing one ("Final deadline stays Fri 9am. Let's go") on what came before.
                    chosen = pieces[k - 1] + gap + piece
                break
    chosen = chosen.replace("\n", " ").strip()
    english = _han_share(chosen) < 0.3
    if english:
        words = chosen.split()
        if len(words) <= MAX_ITEM["en"]:
            return chosen
        head = " ".join(words[: MAX_ITEM["en"]])
        return head.rstrip(",;:") + "…"
    limit = MAX_ITEM["zh"]
    if len(chosen) <= limit:
        return chosen
    return chosen[: cut_at_word(chosen, limit - 1)].rstrip("，、；：,;: ") + "…"


def _bigrams(text: str) -> set[str]:
    key = normalise(to_simplified(text))
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def _similarity(a: str, b: str) -> float:
    return jaccard(_bigrams(a), _bigrams(b))


# --- decisions ------------------------------------------------------------------------------------


def _decisions(
    turns: list[_Turn], replaced: set[int] | None = None, changed_from: dict[int, tuple[int, ...]] | None = None
) -> list[_Item]:
    """Decisions in order; a later one on the same matter (or one that says it changes an
    earlier one) replaces it, so only the final decision counts. The messages of the replaced
    decisions are added to ``replaced``; ``changed_from`` gets, for each decision that changed
    earlier ones (not one that only says them again), their message numbers."""
    history: dict[int, tuple[int, ...]] = {}
    out: list[_Item] = []
    seen: set[int] = set()
    position = {t.index: n for n, t in enumerate(turns)}
    for k, turn in enumerate(turns):
        text = turn.text
        if _social(turns, k):
            continue  # "+1 雞腿" to "中午要不要訂便當？" settles lunch, not the work
        backs = _backs(text)
        strong = cues.STRONG_AGREEMENT.match(text) is not None and not cues.is_question(text)
        proposal = _proposal(turns, k) if backs or strong or cues.is_agreement(text) else None
        backing = backs and proposal is not None
        if backs and not backing and k and cues.is_agreement(turns[k - 1].text):
            continue  # "+1" then "同意，SSO 根本沒用到": one more vote, the decision is still to come
        agrees = cues.is_agreement(text) or backing or strong
        if proposal is not None and cues.SOCIAL.search(proposal.text):
            proposal = None  # a yes to lunch plans agrees to no decision
        if agrees and proposal is None and (cues.is_agreement(text) or not cues.is_decision(text)):
            continue  # a bare "agreed" with nothing found to agree to decides nothing
        if proposal is not None:
            if any(
                d.turn.index == proposal.index or (d.agreed_at is not None and turns[d.agreed_at] is proposal)
                for d in out
            ):
                continue  # "+1" to "同意，一家一个", itself the yes to a proposal already decided
            item = _Item(proposal, trimmed(proposal.text, _PROPOSAL), agreed_at=k)
            changes = cues.CHANGE.search(proposal.text) is not None
        elif cues.is_decision(text) and not _news(text):
            # (also a yes whose proposal is not found that says what it decides: "同意，加中班")
            if (
                _SUPPORT.match(text)
                and k
                and out
                and 0 < k - position[out[-1].turn.index] <= 2
                and out[-1].turn.author != turn.author
                and not cues.CHANGE.search(text)
            ):
                continue  # "同意，…" right after a decision (a "👍" between) backs it; it is no new one
            item = _Item(turn, trimmed(text, cues.DECISION))
            changes = cues.CHANGE.search(text) is not None
        elif _takes_side(turns, k) or _ruled_answer(turns, k):
            item = _Item(turn, trimmed(text))
            changes = False
        else:
            continue
        said_before: _Item | None = None
        if out and out[-1].agreed_at is not None and 0 < k - out[-1].agreed_at <= 2 and item.agreed_at is None:
            # "能不能平日？" "同意，…" "那改 9/19-20": what was agreed, then the decision it became
            said_before = out.pop()
        elif (
            out
            and _AGREE_HEAD.match(out[-1].turn.text)
            and out[-1].turn.author != turn.author
            and position[item.turn.index] - position[out[-1].turn.index] <= 2
        ):
            said_before = out.pop()  # "同意，佔用週末不太好" then "那改 9/19-20": a vote, then the decision it led to
        elif (
            out
            and position[item.turn.index] - position[out[-1].turn.index] == 1
            and out[-1].turn.author != item.turn.author
            and (
                _topic_words(out[-1].turn.text) & _topic_words(item.turn.text)
                or (
                    not _topic_words(item.turn.text)
                    and (
                        _option_words(out[-1].turn.text) & _option_words(item.turn.text)
                        or _bare_choice(item.turn.text) in out[-1].turn.text
                    )
                )
            )
        ):
            # "…再加印貼紙就好" "OK，贈品就環保袋＋貼紙", "A3啦…" "A3 👍": the same decision, said again
            said_before = out.pop()
        elif (
            out
            and position[item.turn.index] - position[out[-1].turn.index] <= CONFIRM_WINDOW
            and _CONFIRMS.search(item.turn.text)
            and _topic_words(out[-1].turn.text) & _topic_words(item.turn.text)
            and not _partly(out[-1].turn.text, item.turn.text, _topic_words(item.turn.text))
        ):
            # "那改去植物园吧" … "那就确定植物园，日期不变": the firmer word on the same decision
            said_before = out.pop()
        # What this decision takes over: the history of one it says again, and one it changes.
        earlier = list(history.get(said_before.turn.index, ())) if said_before is not None else []
        for gone in _replace(out, item, changes):
            earlier += history.get(gone.turn.index, ())
            if _changes(gone.turn.text, item.turn.text):
                earlier.append(gone.turn.index)
        if earlier:
            history[item.turn.index] = tuple(sorted(set(earlier)))
        out.append(item)
        seen.add(item.turn.index)
    undecided = {d.turn.index for d in out if _own_work(d.turn.text) or _puts_off_only(d.turn.text)}
    out = [d for d in out if d.turn.index not in undecided]
    seen -= undecided
    if replaced is not None:
        replaced |= seen - {i.turn.index for i in out}
    if changed_from is not None:
        changed_from.update({i.turn.index: history[i.turn.index] for i in out if i.turn.index in history})
    return out


#: Decided for the time being, whatever comes later: "pin it to 4.1.8 for now and revisit", "暫時先這樣".
_FOR_NOW = re.compile(r"\bfor now\b|暫時|暂时|先這樣|先这样|目前先", re.IGNORECASE)


#: Someone outside the thread said it: "業務今天早上打來說原廠那邊卡料，延到下個月", "市場說要等…才會定案",
#: "the client says they moved it to Friday" (not "我說就這樣": the speaker's own call).
_SAID = re.compile(
    r"(?<![我])(?:(?:說|说)(?![明服話话])|話(?![題题])|话(?![題题])|表示)|"
    # (not "Nobody's said no to 05:30, so 05:30 start Friday it is": no one objected, the team decides)
    r"(?<!nobody's )(?<!no one's )(?<!nobody has )(?<!no one has )\b(?:says|said|told us|tells us)\b",
    re.IGNORECASE,
)


def _news(text: str) -> bool:
    """A decision cue that reports what someone else said or did, in the same sentence after the
    report: news for the team, not the team's decision."""
    cue = cues.DECISION.search(text)
    if cue is None:
        return False
    said = _SAID.search(text, 0, cue.start())
    return said is not None and not re.search(r"[。.!！?？]", text[said.end() : cue.start()])


def _puts_off_only(text: str) -> bool:
    """A message whose one call is to take the matter to a later meeting ("Let's table that at the next MC
    meeting", "let's take that to Monday's ops meeting"): the question stays open, nothing is decided."""
    if not cues.PUT_OFF.search(text) or _FOR_NOW.search(text) or cues.is_agreement(text):
        return False  # "Agreed. Let's pin the SDK to 4.1.8 for now and revisit next sprint" decides, for now
    rest = [c.group(0) for c in cues.CLAUSE.finditer(text) if not cues.PUT_OFF.search(c.group(0))]
    return not any(cues.DECISION.search(c) for c in rest)


def _own_work(text: str) -> bool:
    """A message that only takes work on ("Agoda那邊的取消設定我今天晚上弄", "I'll circulate the final
    draft by 5 June"): the speaker's action item, not something the group decided."""
    own = cues.SELF_ACTION.search(text)
    if own is None or cues.DECISION.search(text) or cues.is_agreement(text) or cues.TAKES_SIDE.match(text):
        return False
    return own.start() <= 12 or len(text) <= 40


def _changes(old: str, new: str) -> bool:
    """Whether decision ``new`` says something ``old`` did not: a word or a value of its own.
    "OK 就 Redis" after "決定用 Redis" says it again; "改到 3/15" after "定 3/1" changes it."""
    old_values = _values(old)
    return not _topic_words(new) <= _topic_words(old) or any(
        not values <= old_values.get(kind, set()) for kind, values in _values(new).items()
    )


#: A decision said firmly, which takes the place of the softer one just before on the same matter.
_CONFIRMS = re.compile(r"確定|确定|定了|定案|拍板|\bfinal\b|\bconfirmed\b|\bconfirm(?:ing)?:", re.IGNORECASE)
#: Messages within which a firmer word on a decision is looked for.
CONFIRM_WINDOW = 6

_AGREE_HEAD = re.compile(
    r"^(?:@\S+\s*)?(?:同意|贊成|赞成|附議|附议|\+1|agreed|agree|works for me|sounds good|makes sense|perfect|"
    r"fair enough|sounds reasonable|冇問題|沒問題|没问题|這樣可以|这样可以|得(?=[，,])|沒意見|没意见|"
    r"(?:ok|okay|fine) (?:for|with) me|[^\s,，]{1,12}\s+works(?: for me)?)"
    r"[，,、。.!！\s]+",
    re.IGNORECASE,
)


def _backs(text: str) -> bool:
    """ "同意，順手轉掉" / "agreed, it's cheaper": agreement with a reason that decides nothing of its
    own; like a bare "同意" it makes the proposal before it the decision."""
    head = _AGREE_HEAD.match(text)
    rest = text[head.end() :] if head else ""
    return head is not None and not cues.DECISION.search(rest) and not _PROPOSAL.search(rest)


def _takes_side(turns: list[_Turn], k: int) -> bool:
    """Whether the message answers a choice put to the group just before ("要不要…？" → "要，用 …")
    by taking one side: then the answer states what was decided."""
    turn = turns[k]
    text = turn.text
    if cues.DEFERRED.search(text) or cues.UNDECIDED.search(text) or cues.is_question(text):
        return False
    if cues.REQUEST.search(text):
        return False  # "要，麻煩你們更新一下" hands the work to someone: an action item
    if _thanks(text):
        return False  # "好，谢谢小北", "好，秀琴辛苦了": thanks for an answer take no side
    for earlier in reversed(turns[max(0, k - 2) : k]):
        if earlier.author == turn.author or not cues.is_question(earlier.text) or cues.SOCIAL.search(earlier.text):
            continue
        if cues.REQUEST.search(earlier.text) and (earlier.prepared.mentions or _ADDRESSES.search(earlier.text)):
            return False  # "@Ann can you …?" "sure, will do": work accepted, nothing decided
        if cues.TAKES_SIDE.match(text) and cues.CHOICE.search(earlier.text):
            return True
        if _PRECEDENT.match(text):
            return True  # "晚班的餐呢？" "照去年，加班的人公司出便當": settled by what was done before
        if _RULING.match(text):
            return True  # "use one of the spare FOs for DUB", "先印，别耽误包装排产", "发吧，附上…": a ruling
        if _picks_option(earlier.text, text):
            return True
    return False


#: An answer given as an order, after an optional yes: "keep him as backup", "replace. refund only if
#: they insist", "先印，…", "发吧，…" (not "go go", "go on": cheering; not "wait", mostly "wait, …").
_RULING = re.compile(
    r"(?:\W*(?:ok(?:ay)?|yes|no|good|fine|right|sure|好|可以|行|对|對|係|嗯)[,，.。!！\s]*)?"
    r"(?:(?:use|keep|send|skip|ship|replace|print|cancel|drop|stick with|put|move|make|leave|book|buy|order|"
    r"hold)\b"
    r"|先[\u4e00-\u9fff]{1,2}(?=[，,。！!\s]|$)|(?!都|好|我|算)[\u4e00-\u9fff]{1,2}吧(?=[，,。！!\s]|$))",
    re.IGNORECASE,
)
#: An answer that settles the matter by what was done before: "照舊一人一半啦", "same as last year lah".
_PRECEDENT = re.compile(
    r"(?:@\S+\s*)?(?:(?:ok(?:ay)?|好|yes|yeah)[,，.。!！\s]*)?"
    r"(?:照舊|照旧|照去年|照上次|同上次|跟上次一[樣样]|跟去年一[樣样]|"
    r"\bsame as (?:last|before)\b|\bas usual\b|\blike last\b)",
    re.IGNORECASE,
)
_OBJECTION = re.compile(
    r"很差|太差|不好|不行|太貴|太贵|太慢|太麻煩|太麻烦|沒辦法|没办法|不夠|不够|"
    r"\b(?:bad|worse|too (?:slow|expensive)|can'?t)\b",
    re.IGNORECASE,
)
#: An answer that leans without settling: "I'd …", "rather not", "… but …".
_HEDGE = re.compile(r"\bI'?d\b|\brather\b|\bbut\b|但|不過|不过|可是", re.IGNORECASE)
_OR = re.compile(rf"還是|还是|\bor\b|{cues.EITHER_OR}", re.IGNORECASE)
#: A choice of what to do ("要用 A 還是 B", "should we A or B"), not of what is ("是 A 還是 B").
_PUT_TO_GROUP = re.compile(
    r"要|用|選|选|改|換|换|\b(?:should|shall|do) we\b|\bwhich\b|"
    # "Wait for them or file first?": a choice between two things to do
    r"^\W*(?:wait|file|go|send|use|keep|tell|move|push|hold|ship|print|buy|order|cancel|delay|skip|book|pay)\b",
    re.IGNORECASE,
)
_ASKS_FOR_SELF = re.compile(r"\b(?:should|do|can|shall) I\b|我(?:也|還|还|都)?(?:要|該|该|應該|应该)", re.IGNORECASE)


def _picks_option(question: str, answer: str) -> bool:
    """An answer to "A 還是 B？" / "should we A or B?" whose first clause speaks of one option only
    ("直接在 PagerDuty 上排", "放 main site 好了"): it picks that option. A question about what the
    asker should do ("should I reply now or …?") asks for an instruction, not a group decision."""
    asked = _question_text(question) or question
    # What is put to the group may be said in the question before the options: "which rate this time?
    # MAS closing or DBS rate?"
    put = " ".join(p for p in _sentences(question) if cues.is_question(p)) or asked
    if not cues.CHOICE.search(asked) or not _PUT_TO_GROUP.search(put) or _ASKS_FOR_SELF.search(asked):
        return False
    parts = _OR.split(asked, maxsplit=1)
    if len(parts) != 2:
        return False
    first = re.split(r"[，,。；;！!]", answer, maxsplit=1)[0]
    if _OBJECTION.search(first):
        return False  # "Notion 公開頁的 SEO 很差" speaks of one option to reject it
    if _HEDGE.search(answer) or re.search("比較|比较", first):
        # A view, no pick: "I'd claw back but it flags them", "I'd rather not take a day-old release", and
        # "A 館比較近", a point in one option's favour for the asker to weigh ("放 main site 好了，SEO 比較好" picks).
        return False
    said = _option_words(first)
    # Words the question said before the options name no option ("which rate? MAS closing or DBS rate?").
    context = _option_words(put.replace(asked, " ")) if put != asked else frozenset()
    a = _option_words(parts[0]) - _option_words(parts[1]) - context
    b = _option_words(parts[1]) - _option_words(parts[0]) - context
    return bool(said & a) != bool(said & b)


#: What a short call says besides its choice: marks, numbers, yeses and particles.
_FILLER = re.compile(r"[\W\d_]+|\b(?:ok|okay|yes|yeah|fine)\b|[好吧啦喔哦了呀啊嘛]", re.IGNORECASE)


def _bare_choice(text: str) -> str:
    """What a short call names once its cue words are gone ("那就谱尼" → "谱尼"); a string no text
    contains when nothing of two characters or more is left."""
    rest = _FILLER.sub("", cues.DECISION.sub("", text))
    return rest if len(rest) >= 2 else "\0"


#: Names of options that are no words: A3, 6:30, 2x, a lone capital ("plan B", "Room A").
_OPTION_NAME = re.compile(r"(?<![A-Za-z\d:.])(?:[A-Za-z]*\d[A-Za-z\d:.]*|[A-Z])(?![A-Za-z\d:])")


def _option_words(text: str) -> frozenset[str]:
    """What names an option: its topic words, and names such as "A3", "6:30" or "B"."""
    return _topic_words(text) | {m.group(0).lower() for m in _OPTION_NAME.finditer(text)}


#: A decision of at least this many sentences is a plan of parts; a later one that speaks to only
#: one of them changes that part, and the plan stands.
PLAN_PARTS = 3


def _part_ends(text: str) -> list[int]:
    """The offsets at which the parts of ``text`` end (``_PART_END``)."""
    return [m.end() for m in _PART_END.finditer(text)]


def _parts(text: str) -> list[str]:
    """``text`` cut at each part's end, spaces stripped, empty parts left out."""
    bounds = [0, *_part_ends(text), len(text)]
    return [part for a, b in pairwise(bounds) if (part := text[a:b].strip())]


def _partly(plan: str, new: str, new_words: frozenset[str]) -> bool:
    """Whether ``new`` speaks to just one part of a plan of several (``PLAN_PARTS`` sentences)."""
    parts = [p for p in _parts(plan) if _topic_words(p) or _values(p)]
    if len(parts) < PLAN_PARTS or _CHANGE_OF_PLAN.search(new):
        return False
    values = set().union(*_values(new).values())
    touched = sum(1 for p in parts if (_topic_words(p) & new_words) or values & set().union(*_values(p).values()))
    return touched <= 1


def _replace(out: list[_Item], item: _Item, changes: bool) -> list[_Item]:
    """Drop the earlier decisions the new one replaces: those on the same matter.

    The same matter is told first by the values a decision fixes (a date, a time, a level, a
    duration, an amount): a new date replaces an earlier date when the wording overlaps, or when the
    new message says it changes something and either names no matter of its own ("6/18" → "回到
    6/19", "L5" → "make it L6 after all"); two matters with no word in common are two decisions. An
    earlier decision that fixes a kind of value the new one does not speak of stands (a changed
    place leaves the agreed date); a change that fixes a value does not touch a decision with no
    such value ("改到 27 号" leaves "定路演厅"). Otherwise topic words decide (cue words such as
    改成/decided left out, so two unrelated "那就改成…" do not look alike): a change replaces the
    decision it shares most topic words with, any decision replaces one it mostly repeats.
    Returns the decisions dropped, in their order."""
    if not out:
        return []
    new_values = _values(item.turn.text)
    new_words = _topic_words(item.turn.text)
    doomed: set[int] = set()
    scored: list[tuple[float, int]] = []
    for i, earlier in enumerate(out):
        if _partly(earlier.turn.text, item.turn.text, new_words):
            continue  # "Schedule: DE Thu 12:00. JA Thu 15:00. We skip the BT." → "BT stays": the rest stands
        old_values = _values(earlier.turn.text)
        overlap = _overlap(_topic_words(earlier.turn.text), new_words)
        if old_values.keys() & new_values.keys():
            if (
                # (a change with a value of the same kind, on no matter of its own or on the same one:
                # "改到凌晨1点" about the night snack leaves "改成SMT 11:00-11:40" about lunch standing)
                (changes and (not new_words or not _topic_words(earlier.turn.text)))
                or overlap > 0
                or (_value_only(earlier.turn.text) and item.turn.index - earlier.turn.index <= VALUE_ONLY_WINDOW)
            ):
                # (also "那就八點", a value alone, soon followed by "…就七點半開打": the new value replaces it)
                doomed.add(i)
            continue
        if old_values or (new_values and changes):
            shared = len(_topic_words(earlier.turn.text) & new_words)
            if overlap >= SAME_TOPIC and (
                _CHANGE_OF_PLAN.search(item.turn.text) or (changes and not old_values and shared >= 3)
            ):
                doomed.add(i)  # "降回專業版" → "改一下：9/30 到期後換專業版"
            continue
        scored.append((overlap, i))
    if not doomed and scored:
        best, at = max(scored)
        if changes and best > 0:
            doomed.add(at)
    doomed |= {i for s, i in scored if s >= SAME_TOPIC}
    gone = [out[i] for i in sorted(doomed)]
    for i in sorted(doomed, reverse=True):
        del out[i]
    return gone


#: A change said outright, which may replace a decision whatever values either fixes: "那改一下：…",
#: "change of plan: …" (unlike "改到 27 号, 还是路演厅", which changes only the date).
_CHANGE_OF_PLAN = re.compile(
    r"改一下[:：]|更正|改主意|\bchange of plan\b|\bscratch that\b|\bon second thought\b", re.IGNORECASE
)

_VALUE_KINDS = {
    "date": re.compile(
        r"\d{1,2}/\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*[日號号]?|\d{1,2}\s*月(?:份|初|中|底)?(?!\s*\d)|\d{1,2}\s*[號号](?!\S*(?:人|位|個|个))|"
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\b",
        re.IGNORECASE,
    ),
    # 7點, 7點半, and in words: 八點, 七點半, 十二點 (not 一點 "a little", 兩點 "two points").
    "time": re.compile(
        r"\b\d{1,2}:\d{2}\b|\d{1,2}\s*[點点](?:半|\d{1,2}分)?(?!\d)|"
        r"(?<![一二三四五六七八九十兩两幾几這这那有])(?:十[一二]?|[二三四五六七八九])\s*[點点](?:半|[一二三四五]十分?)?(?![心子])|"
        r"\b\d{1,2}\s*(?:am|pm)\b",
        re.IGNORECASE,
    ),
    "level": re.compile(r"\b(?:L|IC|E|M|P|T)\d{1,2}\b"),
    "percent": re.compile(r"\d+(?:\.\d+)?\s*%"),
    "money": re.compile(r"[$¥€£]\s*\d|\d+(?:\.\d+)?\s*(?:元|塊|块|萬|万|k\b|USD|NTD|RMB)", re.IGNORECASE),
    "duration": re.compile(
        r"\d+\s*(?:分鐘|分钟|小時|小时|天|週|周|個月|个月|年|minutes?|mins?|hours?|days?|weeks?|months?|years?)\b",
        re.IGNORECASE,
    ),
    "version": re.compile(r"\bv?\d+\.\d+(?:\.\d+)*\b"),
    "size": re.compile(r"\d+\s*(?:pt|px|GB|MB|TB|筆|笔|rps|qps)\b", re.IGNORECASE),
}


#: Messages within which a later value replaces a decision that says nothing but a value.
VALUE_ONLY_WINDOW = 12


def _value_only(text: str) -> bool:
    """A decision that says nothing but a time ("八點可以啊，那就八點"), or no topic word at all: a later value
    of its kind, said within ``VALUE_ONLY_WINDOW`` messages, replaces it."""
    return all(_VALUE_KINDS["time"].fullmatch(word) for word in _topic_words(text))


def _values(text: str) -> dict[str, set[str]]:
    """The values a message fixes, by kind: {"date": {"6/14", "6/19"}, "level": {"L6"}}."""
    out: dict[str, set[str]] = {}
    for kind, pattern in _VALUE_KINDS.items():
        found = {m.group(0).replace(" ", "").lower() for m in pattern.finditer(text)}
        if found:
            out[kind] = found
    return out


_STOP = frozenset(
    "a an the and or but so to of in on at for with by from it its it's is are was be we we'll i i'll you he she "
    "they this that these those then there here our us his her their my me will would can could should do does "
    "did not no yes ok okay also just all after up out as if about too ll ve re them "
    "last next year week month time get got oh ya lah leh "
    "一下 大家 那边 这边 刚刚 刚才 其实 不要 可以 我们 你们 他们 这个 那个 时候 现在 今天 明天 一起 还是 就是 然后 "
    "所以 因为 但是 不过 如果 的话 什么 怎么 好像 应该 已经 先生 对了 一样 感谢 谢谢 辛苦".split()
)


@lru_cache(maxsize=4096)
def _topic_words(text: str) -> frozenset[str]:
    """What a decision is about: its words without cue words, values and small words. (Cached:
    the same messages are compared many times over, and each reading runs jieba.)"""
    out = set()
    for word in _words(text):
        if len(word) < 2 or word in _STOP or any(ch.isdigit() for ch in word) or cues.DUE.fullmatch(word):
            continue
        if any(p.fullmatch(word) for p in (cues.DECISION, cues.CHANGE, cues.UNDECIDED, cues.AGREEMENT)):
            continue
        if cues.DECISION.search(word) or cues.CHANGE.search(word):
            continue
        out.add(word)
        if len(word) >= 3 and all("\u3400" <= ch <= "\u9fff" for ch in word):
            # The tokenizer may glue a word to the next ("資安回"): its pairs of characters count too.
            out.update(pair for pair in (word[i : i + 2] for i in range(len(word) - 1)) if pair not in _STOP)
    return frozenset(out)


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set's words the other has too (0 when either has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _proposal(turns: list[_Turn], k: int) -> _Turn | None:
    """What a short "同意/agreed" agrees with: the message it replies to, else the latest earlier
    message of someone else that proposes something (or states a decision)."""
    turn = turns[k]
    if turn.message.reply_to is not None:
        for earlier in turns[:k]:
            if earlier.index == turn.message.reply_to:
                return earlier if not cues.is_agreement(earlier.text) else None
    for earlier in reversed(turns[max(0, k - 4) : k]):
        if earlier.author == turn.author or cues.is_agreement(earlier.text):
            continue
        if (
            _SUPPORT.match(earlier.text)
            and not cues.is_decision(earlier.text)
            and not _takes_side(turns, turns.index(earlier))
        ):
            continue  # "+1" then "同意，…": more votes for what came before
        proposed = _PROPOSAL.search(earlier.text)
        opener = _OPENER.match(earlier.text)
        holds = [
            m
            for m in (*cues.UNDECIDED.finditer(earlier.text), cues.PUT_OFF.search(earlier.text))
            if m and not (opener and m.start() < opener.end())  # "what if …?" "works for me": agreed
        ]
        if any(not _elsewhere(earlier.text, hold.start(), proposed) for hold in holds):
            return None  # "Let's hold on that until I hear from legal" "ok": agreed to wait, nothing decided
        if _TALK_ABOUT.search(earlier.text) and not cues.is_decision(earlier.text):
            return None  # "Let's sort out the plan here" "👍": agreed to talk, nothing decided yet
        if cues.REQUEST.search(earlier.text) and turn.author in (
            *earlier.prepared.mentions,
            _called(earlier.text, {t.author for t in turns} - {earlier.author}),
        ):
            return None  # "麻煩小芸幫忙聯絡設計公司" "好的沒問題": work accepted, not a decision
        if _PROPOSAL.search(earlier.text) or cues.is_decision(earlier.text):
            return earlier
        strong = cues.STRONG_AGREEMENT.match(turn.text) or _AGREE_HEAD.match(turn.text)
        if _backed_twice(turns, turns.index(earlier), k):
            # "Ipoh lah，food 好吃" "Ipoh +1" "Ipoh +1, 芽菜鸡!!": two others back it, the group has agreed
            return earlier
        if strong and (_answers_choice(turns, turns.index(earlier)) or _proposes(earlier)):
            # "what's our definition?" "30 days w/ one activity" "works for me. …", "beta with 5 reps?"
            # "perfect. …": the answer or the proposal is what was agreed
            return earlier
        return None
    return None


#: A proposal's opening words, which hold nothing back once someone agrees: "what if whoever's on
#: afternoon milking does the 10pm check…" "works for me".
_OPENER = re.compile(r"^(?:@\S+\s*)?(?:ok[,\s]+)?(?:要不(?!要)|不如|how about|what if|maybe we)", re.IGNORECASE)

#: "OK，那我 dashboard 加一個篩選": a yes, then the speaker's own next step.
_OK_THEN_I = re.compile(r"\W*(?:ok|好|行)\W*那我", re.IGNORECASE)


def _backed_twice(turns: list[_Turn], at: int, k: int) -> bool:
    """Whether the statement at ``at`` is backed by message ``k`` and, in between, by a third person:
    two others agree with it and no one objects. A question of fact, a report of work done and one's
    own work are no proposal to agree with."""
    said = turns[at]
    if (
        cues.is_question(said.text)
        or _done(said.text)
        or _own_work(said.text)
        or _OK_THEN_I.match(said.text)
        or cues.is_agreement(said.text)
        or not _topic_words(said.text)
        or _social(turns, at)
    ):
        return False
    backers = set()
    for t in turns[at + 1 : k + 1]:
        if t.author == said.author:
            continue
        if _OBJECTION.search(t.text) or _HEDGE.search(t.text) or cues.is_question(t.text):
            return False
        if cues.is_agreement(t.text) or _backs(t.text) or cues.STRONG_AGREEMENT.match(t.text):
            backers.add(t.author)
    return len(backers) >= 2 and turns[k].author in backers


#: A call to talk a matter through, which a "👍" agrees to without deciding it.
_TALK_ABOUT = re.compile(
    r"\blet'?s (?:sort (?:out|through)|discuss|talk|go through|figure (?:out|this out)|recap|sync|run through|"
    r"get (?:started|going)|kick off)\b|"
    r"(?:我們|我们|大家|咱們|咱们)(?:先)?(?:來|来)?(?:討論|讨论|對一下|对一下|過一下|过一下|整理一下|理一下)|"
    r"(?:傾|倾)一(?:傾|倾)|(?:傾|倾)下",
    re.IGNORECASE,
)


def _elsewhere(text: str, at: int, match: re.Match[str] | None) -> bool:
    """Whether ``match`` lies in another sentence of ``text`` than position ``at``: in "Schedule
    proposal: DE by Thu. FR tbd. …" one open part leaves the rest of the plan proposed."""
    if match is None:
        return False
    ends = _part_ends(text)
    return bisect.bisect_right(ends, at) != bisect.bisect_right(ends, match.start())


def _proposes(turn: _Turn) -> bool:
    """A yes/no question that puts something forward ("beta with like 5 reps?", "不如減半？"), not
    one that asks for facts (what, who, when…) or asks someone to do work ("@美玲 可以把單號貼上來嗎？")."""
    text = turn.text
    return (
        cues.is_question(text)
        and not _ASKS_WHAT.search(text)
        and not (cues.REQUEST.search(text) and (turn.prepared.mentions or _ADDRESSES.search(text)))
        and not _ASKS_FOR_SELF.search(text)
    )


#: A question about how to do the work: "update 里新的 ETA 写几月？", "退款的问题怎么回？", "撤離要幾點開始？",
#: "bundle 要印幾多套？" (not "測試機放在哪？", which asks for a fact).
_HOW_TO_DO = re.compile(
    r"(?:要|寫|写|回|改|印|開始|开始|做|用|定|排|送|發|发|放|訂|订|買|买|報|报|收|退|開|开|加|停|換|换|派|批|配|留|keep)"
    r"[^，,。？?]{0,6}"
    r"(?:幾|几|多少|怎麼|怎么|點樣|点样|(?<!在)哪|什麼時候|什么时候|幾時|几时)|"
    r"(?:幾|几|多少|怎麼|怎么|點樣|点样|什麼時候|什么时候|幾時|几时)[^，,。？?]{0,4}"
    r"(?:寫|写|回|改|印|開始|开始|做|用|定|排|送|發|发|放|訂|订|買|买|報|报|收|退|開|开|加|停|換|换|派|批|配|留)|"
    # Cantonese 點 + the verb: "咁我 post 入面點寫？", "點回佢？"
    r"(?<![一兩两幾几\d])點(?=[寫写回做搞揀拣計计排收退])",
)
#: A question about what to do, in English or as a choice: "which rate we using this time?", "still need
#: bank rec for it?", "Do we tell the couple now or wait till Wednesday?".
_WHAT_TO_DO = re.compile(
    r"\b(?:which|how|what)\b[^?]{0,40}\b(?:should|do|shall|are) (?:we|I)\b|\bwhich\b[^?]{0,20}\busing\b|"
    r"\b(?:still|do we|should we) need\b|\b(?:should|shall|do) we\b|要不要|要唔要|使唔使|還是|还是|"
    r"點算|怎麼辦|怎么办|咋办|咋整|點搞|点搞|怎麼弄|怎么弄",
    re.IGNORECASE,
)
#: An answer given as a ruling: a limit, an all, a don't, a "first …".
_RULING_MARK = re.compile(
    r"不要|不用|唔使|唔好|別|别|全部|一律|最多|以[内內]|為止|为止|照|按|先(?!生)|(?<![早])就(?![是算])|"
    r"\b(?:don'?t|do not|only|all|must|same as|keep|use|tell|hold off|just)\b",
    re.IGNORECASE,
)
#: The asker takes the answer as said.
_TAKEN = re.compile(
    r"^\W*(?:嗯呐\s*|嗯\s*)?(?:ok(?:ay)?|好(?:的|啊|喔|哦)?|收到|明白|了解|知道了|noted|got it|👍|行|可以)"
    r"(?![\w\u4e00-\u9fff]{3})",
    re.IGNORECASE,
)


def _ruled_answer(turns: list[_Turn], k: int) -> bool:
    """An answer to someone's question about how to do the work that the asker then takes as said
    ("update 里新的 ETA 写几月？" "写 late August，不要写具体日期" "ok"): the answer is the ruling.
    The question may be a few messages back ("which rate? MAS closing or DBS rate?" … "MAS closing
    rate on 30 Sep. Same as year-end" "Ok noted")."""
    if k == 0 or k + 1 >= len(turns):
        return False
    answer = turns[k]
    text = answer.text
    at = next(
        (
            j
            for j in range(k - 1, max(-1, k - 4), -1)
            if turns[j].author != answer.author
            and cues.is_question(turns[j].text)
            and (_HOW_TO_DO.search(turns[j].text) or _WHAT_TO_DO.search(turns[j].text))
        ),
        None,
    )
    if at is None:
        return False
    asked, between = turns[at], turns[at + 1 : k]
    if any(
        t.author == answer.author
        or (t.author != asked.author and _RULING_MARK.search(t.text) and not cues.is_question(t.text))
        for t in between
    ):
        return False  # only the first ruling answers: "兩點OK，我…廣播會先講" after "明天下午兩點開始撤" backs it
    if (
        cues.is_question(text)
        or _done(text)
        or cues.DEFERRED.search(text)
        or cues.UNDECIDED.search(text)
        or cues.PUT_OFF.search(text)
        or cues.SELF_ACTION.match(text)
        or not _RULING_MARK.search(text)
    ):
        return False
    if _GOES_ON.match(text) or cues.CONDITIONAL.search(text):
        return False  # "而且有的病人早就出院了", "business 的话就不止三万了哦": a point in the weighing, no ruling
    for t in turns[k + 1 : k + 3]:
        if cues.DEFERRED.search(t.text) or cues.UNDECIDED.search(t.text):
            return False  # "这个我拿不准，…明天周会上再定" "好": taken to a meeting, not ruled
        if t.author == asked.author and _TAKEN.match(t.text):
            return True
    # Or a ruling that says the question's words again, which no one then questions or objects to:
    # "谱尼还是华测？" "谱尼快，上次3天就出报告"
    if not (_topic_words(asked.text) & _topic_words(text)):
        return False
    return not any(
        cues.is_question(t.text) or _OBJECTION.search(t.text) or _HEDGE.search(t.text) for t in turns[k + 1 : k + 3]
    )


#: A message that adds to what was said before: "而且…", "also …", "because …".
_GOES_ON = re.compile(r"^\W*(?:而且|並且|并且|況且|况且|因為|因为|also\b|and also\b|because\b|plus\b)", re.IGNORECASE)


def _answers_choice(turns: list[_Turn], k: int) -> bool:
    """A statement (no question, no report of work done, no small talk) that answers, within the
    two messages before it, someone else's question about what to do, which or how much."""
    turn = turns[k]
    if cues.is_question(turn.text) or _done(turn.text) or _social(turns, k):
        return False
    for earlier in turns[max(0, k - 2) : k]:
        if earlier.author == turn.author or not cues.is_question(earlier.text):
            continue
        if _PUTS_TO_GROUP.search(earlier.text) or _ASKS_WHAT.search(earlier.text):
            return True
        if earlier.text.rstrip("？? ").endswith("呢"):
            return True
    return False


# --- questions ------------------------------------------------------------------------------------


#: A question that objects to the one just before: "但是…", "可是…", "but …" ("and …" may ask anew).
_FOLLOWS_ON = re.compile(r"^(?:@\S+\s*)?(?:但是|但|可是|不過|不过|\bbut\b)", re.IGNORECASE)


def _open_questions(turns: list[_Turn], decisions: list[_Item]) -> list[_Item]:
    decided = {d.turn.index for d in decisions}
    position = {t.index: n for n, t in enumerate(turns)}
    out: list[_Item] = []
    for k, turn in enumerate(turns):
        if not cues.is_question(turn.text) or turn.index in decided:
            continue
        question = _question_text(turn.text)
        if question is None or cues.SOCIAL.search(question) or _conceded(turn.text) or _answered(turns, k, question):
            continue  # small talk (lunch, weekend plans) is no open question of the work
        if _QUIP.search(turn.text):
            continue  # "什么时候能拆完啊🥲", "who reads the appendix lol": a sigh or a joke, not a question to settle
        if out and k - position[out[-1].turn.index] <= 2 and _FOLLOWS_ON.match(question.strip()):
            continue  # "今年還是穿白衣黑褲嗎？" "但是要大家自己買會不會太麻煩": one matter, asked on
        out.append(_Item(turn, trimmed(question)))
    return _put_off(turns, out, decided)


def _put_off(turns: list[_Turn], found: list[_Item], decided: set[int]) -> list[_Item]:
    """A matter put off to later ("外包這個今天沒辦法決定，等 8 月再討論", "let's decide at sprint
    planning") stays open: the message that puts it off is an open question, unless it only
    defers a question already listed (one of the three messages before) or a matter already put off."""
    out = list(found)
    for k, turn in enumerate(turns):
        text = turn.text
        if turn.index in decided or not cues.PUT_OFF.search(text) or cues.is_question(text) or _social(turns, k):
            continue
        near = {t.index for t in turns[max(0, k - 3) : k]}
        words = _topic_words(text)
        if any(q.turn.index in near or (words & _topic_words(q.turn.text)) for q in out):
            continue
        out.append(_Item(turn, trimmed(text, cues.PUT_OFF)))
    return sorted(out, key=lambda i: i.turn.index)


def _question_text(text: str) -> str | None:
    pieces = _sentences(text)
    asked = [p for p in pieces if cues.is_question(p)]
    if not asked:
        return text if cues.QUESTION_CUE.search(text) else None
    return asked[-1] if len(asked[-1]) >= 6 or len(asked) == 1 else " ".join(asked)


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    simplified = to_simplified(text)
    return frozenset({w.lower() for w in zh_tokens(simplified)} | set(en_tokens(text)))


def _answered(turns: list[_Turn], k: int, question: str) -> bool:
    """Whether someone else answered the question later: replying to it, naming the asker,
    quoting it, agreeing or deciding, or saying something on its words right after."""
    asker = turns[k]
    words = _words(question) - _STOP
    quantity = _QUANTITY.search(question) is not None
    others = 0
    #: Once someone else asks something new, the replies that follow answer that question, not
    #: this one, unless they speak of its words.
    interrupted = False
    for n, later in enumerate(turns[k + 1 :]):
        if later.author == asker.author:
            if (
                (_THANKS.search(later.text) and not _CLOSING.search(later.text))
                or _conceded(later.text)
                or (n < 2 and _WHO.search(question) and cues.SELF_ACTION.search(later.text))
            ):
                return True  # thanked for the answer, or "誰要寫？ … 喔 應該是我，我來寫"
            if others and _PUTS_TO_GROUP.search(question) and cues.is_decision(later.text):
                return True  # "9/20-21 如何？" … replies … "fair，那改 9/19-20": the asker settles it
            continue
        if later.message.reply_to != asker.index and (
            _social(turns, k + 1 + n) or (_ASIDE.search(later.text) and not cues.is_question(later.text))
        ):
            # lunch talk answers nothing; "對了 runbook 很多都過期了" brings up a new matter
            interrupted = interrupted or _ASIDE.search(later.text) is not None
            continue
        others += 1
        if others <= 2 and _WHO.search(question) and cues.SELF_ACTION.search(later.text):
            return True  # "誰在跟運營對接？" "我去問運營要": who will do it is answered
        if others == 1 and cues.DEFERRED.search(later.text):
            # put off ("let's discuss at planning", "再討論"): still open, unless who said they would
            # find out ("這要問 HR，我來問") reports back later
            return cues.SELF_ACTION.search(later.text) is not None and _reported(turns, k, later, words)
        if later.message.reply_to == asker.index:
            return True
        to_group = _PUTS_TO_GROUP.search(question) and not _ASKS_FOR_SELF.search(question)
        if n == 0 and not to_group and _states(later.text) and not _social(turns, k + 1):
            return True  # the very next message, someone else's statement: "位置在哪？" "4 樓靠近演講廳入口"
        if n == 0 and _OPTIONS.search(question) and (_PUTS_TO_GROUP.search(later.text) or cues.is_question(later.text)):
            return True  # "what are our options?" answered by a proposal
        if others > ANSWER_WINDOW:
            break
        if later.prepared.quoted and _similarity(later.prepared.quoted, question) > QUOTE_SAME:
            return True
        if asker.author in later.prepared.mentions:
            return True
        if cues.is_decision(later.text) and _values(question).keys() & _values(later.text).keys():
            return True  # "9/20-21 如何？" … "那改 9/19-20": a date asked about, a date decided
        if interrupted:
            if words & _words(later.text) and not cues.is_question(later.text):
                return True
            continue
        if others <= 2 and quantity and re.search(r"\d", later.text) and not cues.is_question(later.text):
            return True  # "how many …?" answered with a number
        first = re.split(r"[，,。；;！!？?]", later.text, maxsplit=1)[0]
        if others <= 2 and _ANSWER_START.search(later.text) and not cues.is_question(first):
            return True  # "會，…", "可以啊，你有聯絡方式嗎？" answer; "會不會下雨啊" asks something else
        if others <= 2 and (
            cues.SELF_ACTION.search(later.text) or (cues.REQUEST.search(later.text) and later.prepared.mentions)
        ):
            return True  # "who will …?" answered by someone taking it on
        if cues.is_question(later.text) and not cues.is_decision(later.text):
            interrupted = interrupted or not (words & _words(later.text))
            continue
        after_asker = turns[k + n].author == asker.author and n > 0
        if (
            (cues.is_agreement(later.text) and others <= 2 and not after_asker)
            or (cues.is_decision(later.text) and words & _words(later.text))
        ) and cues.CHOICE.search(question):
            return True  # a choice put to the group, settled (by a decision on it, not on another matter)
        if others <= 2 and to_group and cues.TAKES_SIDE.match(later.text):
            return True  # "那先把和文社排除？" "先不要啦，…"
        if others <= 2 and cues.is_decision(later.text) and not _ASKS_WHAT.search(question):
            return True  # "那往後推一週？" … "行，改到 22 號"
        if others <= 2 and words & _words(later.text):
            return True
    return False


#: Who is asked for: "誰來做？", "who's writing the email?".
_WHO = re.compile(r"誰|谁|\bwho\b", re.IGNORECASE)
#: A question that puts something to the group (a choice, a proposal), which a reply weighs and
#: only a decision settles.
_PUTS_TO_GROUP = re.compile(
    rf"{cues.CHOICE.pattern}|要不(?![是然])|提個想法|提个想法|不如|如何|怎麼樣|怎么样|好不好|行不行|吧[？?]|"
    r"\b(?:how about|what if|could we|can we|why don'?t we|let'?s)\b",
    re.IGNORECASE,
)
#: Giving a question up: "好吧", "算了", "no? ok 😂".
_CONCEDE = re.compile(
    r"^\W*(?:ok(?:ay)?|fine|fair(?: enough)?|好吧|算了|那算了|nvm|never ?mind)[\s.。!！~～]*(?:[😂😅🤣🥲🙃]\W*)?$",
    re.IGNORECASE,
)
#: A new matter brought up: "對了…", "btw …", "wait, …" does not answer what was asked before it.
_ASIDE = re.compile(
    r"^(?:@\S+\s*)?(?:[(（]|對了|对了|另外|還有|还有|話說|话说|順便|顺便|等等|等一下|"
    r"btw\b|by the way\b|also\b|anyway\b|wait\b|hold on\b)",
    re.IGNORECASE,
)
#: Asking what can be done: a proposal answers it ("what are our options?" "EVT 先用 3D print 的殼？").
_OPTIONS = re.compile(
    r"\boptions?\b|\bwhat (?:can|should|do) we do\b|怎麼辦|怎么办|有什麼辦法|有什么办法", re.IGNORECASE
)


def _conceded(text: str) -> bool:
    """The asker gives the question up, in a later message ("哈哈 好吧") or in the same one after
    asking ("anyone? no? ok 😂")."""
    after = re.split(r"[?？]", text)[-1]
    return _CONCEDE.match(re.sub(r"^(?:哈哈|haha|lol)\s*", "", after.strip(), flags=re.IGNORECASE)) is not None


def _states(text: str) -> bool:
    """A reply that says something of its own: no question, no mere "ok/+1", no putting off, no
    aside, no decision (which settles a matter of its own: "有人知道密碼在哪嗎？" "決定：週五上線")."""
    return (
        len(re.sub(r"\W", "", text)) >= 6
        and not _ASIDE.search(text)
        and not cues.is_question(text)
        and not cues.is_agreement(text)
        and not cues.DEFERRED.search(text)
        and not cues.UNDECIDED.search(text)
        and not cues.is_decision(text)
    )


#: A question that asks for something (where, who, what…), which a decision nearby does not answer.
_ASKS_WHAT = re.compile(
    r"哪|什麼|什么|誰|谁|多少|幾|几|怎麼|怎么|為什麼|为什么|有人知道|有沒有人|有没有人|"
    r"\b(?:what|where|who|when|why|how|which|anyone)\b",
    re.IGNORECASE,
)


def _reported(turns: list[_Turn], k: int, deferral: _Turn, words: set[str]) -> bool:
    """Whether whoever said they would find out later reports back on the matter."""
    words = words | _topic_words(deferral.text)
    for later in turns[k + 1 :]:
        if later.index <= deferral.index or later.author != deferral.author:
            continue
        if (_done(later.text) or _REPORT.search(later.text)) and words & _topic_words(later.text):
            return True
    return False


# --- action items ---------------------------------------------------------------------------------

_SHORT_COMMITMENT = re.compile(
    r"^(?:好[，,]?\s*)?(?:我來|我来|我去|我負責|我负责|交給我|交给我|我可以|"
    r"I'?ll (?:do|take) (?:it|that|this)|I can do (?:it|that)|on it|"
    r"I'?m on it|I'?ve got (?:it|this)|mine|我|"
    # "will do", "yes will do", "no worries, can do": yes to the request before.
    r"(?:(?:ok|okay|sure|yes|yep|yeah|noted|roger|no worries|no problem)[,\s]*)?(?:will|can) do)[\s!！.。~～👍]*$",
    re.IGNORECASE,
)


def _actions(turns: list[_Turn]) -> list[_Item]:
    names = {t.author for t in turns}
    out: dict[int, _Item] = {}
    for k, turn in enumerate(turns):
        text = turn.text
        if _social(turns, k) and not _BOOKS_FOR_ALL.search(text):
            continue  # lunch talk: "中午有人要去吃拉麵嗎" / "我！" is nobody's work
        if _SHORT_COMMITMENT.match(text):
            earlier = _asked(turns, k)
            if earlier is not None:
                item = out.get(earlier.index) or _Item(earlier, trimmed(earlier.text, cues.REQUEST))
                item.who = turn.author
                item.due = item.due or cues.due_in(earlier.text)
                out[earlier.index] = item
            continue
        if _OFFERS_IDEA.search(text):
            continue  # lunch talk, or an idea put forward ("我提議…", "what if we…"): nobody's work
        if cues.THREAT.search(text):
            continue  # "谁再把我的移液枪拿走我就把他埋进干冰里", "whoever left milk in the fridge, I will find you"
        self_, request, todo = _work_cues(turn)
        others = names - {turn.author}
        if self_ and re.search(rf"[{_GIVING}报報]\s*$", text[: self_.start()]) and _told(text, others):
            self_ = None  # "周工下周一前发我看看": 周工's job, handed to the speaker when done
        if not (self_ or request) and not _speaks_of_someone(text, others):
            self_ = _delivers(text)  # "好 週五前搞定", "主視覺下週一交": the speaker's own date for their work
        told = None
        if not (self_ or request) and not cues.is_question(text):
            told = _told(text, others)
            request = told[1] if told else None
        if not (self_ or request or todo):
            continue
        dated = self_ is not None and cues.DUE.search(text, self_.end()) is not None and not _PAST_DATE.search(text)
        if _done(text) and not request and not (self_ and (dated or not _done(_clause_at(text, self_.start())))):
            continue  # "我看過了" reports; "…我來修，明天中午前發 PR", "我把班表改好，週三前寄給主任" take work on
        if self_ and not request and _takes_nothing_on(turns, k, self_):
            continue
        if (self_ or request) and (followed := _followed_up(out, turns, k, self_, request)) is not None:
            followed.due = followed.due or cues.due_in(text)
            continue
        accepted = _accepts(out, turns, k) if self_ and not request else None
        if accepted is not None:
            accepted.who = turn.author
            accepted.due = accepted.due or cues.due_in(text, self_.start())
            continue
        named = [m for m in turn.prepared.mentions if m != turn.author]
        who = told[0] if told else _owner(turns, k, names, self_, request, todo)
        if not (self_ or who or todo or request):
            continue
        if not (self_ or request or who) and not cues.due_in(text) and _QUIP.search(text) and len(text) <= 60:
            continue  # "呃 offsite 還要寫 code 😅", "and someone has to be on call for it 😬": a remark
        rest = cues.TODO.sub("", text)
        heading = (
            len(rest.split()) <= 2
            and len(re.sub(r"\W", "", rest)) <= 8
            and sum("\u3400" <= ch <= "\u9fff" for ch in rest) < 2
        )
        if todo and not (self_ or request) and heading:
            continue  # a heading ("ok so action items.", "待辦：") announces items, it is none
        if request and not self_ and not todo and who is None:
            continue  # asked of nobody in particular ("麻煩大家看一下", "please post your …"): no one's job
        if request and not self_ and not todo and _addresses_group(text) and not named and not _called(text, others):
            if not cues.due_in(text) or _GLANCE.search(text):
                continue  # "麻煩大家看一下" asks everyone; "張經理你…發俾大家睇" asks 張經理, for everyone
            who = None  # "大家月底前把PDF交給小芳": everyone's work, by a date, and no one person's
        pattern = cues.SELF_ACTION if self_ else cues.REQUEST if request else cues.TODO
        pattern = pattern if pattern.search(text) else None
        at = (self_ or request).start() if (self_ or request) else 0
        item = _Item(turn, trimmed(text, pattern), who=who, due=cues.due_in(text, at))
        jobs = _jobs(item, names)
        # "@Bob 辛苦了，@Cat 你負責訂場地" is Cat's job, not Bob's, before it is weighed against other work
        # (one message's jobs for several people are split after the second look: ``split_jobs``).
        out[turn.index] = jobs[0] if jobs and len(jobs) == 1 else item
    _unclaimed(turns, out)
    _yes_to_named(turns, out)
    _offer_taken(turns, out)
    _when_asked(turns, out)
    for index in _superseded(turns, out):
        out.pop(index, None)  # (an item may be superseded twice over: by a firmer one and as a repeat)
    for index in [i for i, item in out.items() if _finished(turns, item, list(out.values()))]:
        del out[index]
    return [out[i] for i in sorted(out)]


def date_items(turns: list[_Turn], actions: list[_Item], decided: Set[int] = frozenset()) -> None:
    """Give each action item without a date the one its words say in no cue ("today", "這禮拜內",
    "上線前": ``cues.day_in``), or else the date of its owner's reply right after, when that reply is
    no item of its own (no job, and none of the ``decided`` messages: "台北那邊我再跟他們講" then
    "那出貨日就定3/12禮拜三" fixes the shipping day, not when Taipei is told): "9 台，王工你那边安排"
    "好，下周三前组装好" is due 下周三前; that reply also
    narrows a date the item has ("by tomorrow" "ok boss, by tomorrow noon"). Someone else's
    question in between starts another matter, and the owner's next words answer that. Done last,
    so that these dates change nothing of what is found."""
    position = {t.index: n for n, t in enumerate(turns)}
    cited = {a.turn.index for a in actions}
    for item in actions:
        if item.due is None:
            item.due = cues.day_in(item.text)
        if item.who is None:
            continue
        k = position[item.turn.index]
        for reply in turns[k + 1 : k + 3]:
            if reply.author != item.who:
                if cues.is_question(reply.text):
                    break
                continue
            if reply.index not in cited and reply.index not in decided and not cues.is_question(reply.text):
                said = cues.day_in(reply.text)
                if item.due is None or (said is not None and _narrower(item.due, said)):
                    item.due = said
            break


def _narrower(due: str, said: str) -> bool:
    """Whether ``said`` names the same day as ``due`` more closely: "by tomorrow" → "by tomorrow
    noon", "聽日" → "聽日朝早", "这周" → "这周五之前", "周六" → "周六早上8点"."""
    core = re.sub(r"^(?:by|before|on)\s+|\s*(?:之前|以前|前|之內|之内|內|内)$", "", due, flags=re.IGNORECASE)
    return bool(core) and said != due and core.lower() in said.lower() and len(said) > len(due)


#: Where one job of a message that hands out several may end: a mark of punctuation, or "and" /
#: "then" before an @mention.
_JOB_BREAK = re.compile(r"[，,、。；;！!？?\n]+\s*|\s+(?:and|then)\s+(?=@)", re.IGNORECASE)
#: What may come before the owner at the start of a clause: "好。", "ok so", "那", "然後", "另外".
_LEAD_IN = re.compile(
    r"(?:(?:好的?|ok(?:ay)?|那就|那|然[後后]|另外|還有|还有|also|and|then|so)(?![A-Za-z])[\s,，:：]*)*", re.IGNORECASE
)
#: The speaker taking a job on at a clause's start: "我來…", "我先查", "I'll …".
_MINE = re.compile(
    r"I(?:'ll| will| can take)\b|"
    r"我(?:們|们)?(?:會|会|再|先|也)?(?:來|来|去|負責|负责|跟進|跟进|處理|处理|帶|带|寫|写|做|改|訂|订|聯絡|联系|問|问|查|"
    r"整理|準備|准备|安排)",
    re.IGNORECASE,
)
#: Words that make a clause a job rather than a remark: it asks, orders, takes on or dates work.
_JOB_WORDS = re.compile(
    r"負責|负责|把|一下|幫|帮|記得|记得|[給给畀俾]我|\b(?:need to|make sure|own|take)\b", re.IGNORECASE
)


def split_jobs(turns: list[_Turn], actions: list[_Item]) -> list[_Item]:
    """Each action item whose message hands jobs to several people, one item per person: "@Bob
    please book the room by Friday, and @Cat can you send the invites by Monday?" is Bob's job and
    Cat's, each with its own due date; "我來寫新聞稿，@小王 負責拍照，週三前" is the speaker's and
    小王's, both due 週三前 (a date said alone at the end is everyone's). Every item is still the
    message's own words, a clause of it, and cites it; a message with one owner keeps its item."""
    names = {t.author for t in turns}
    out: list[_Item] = []
    for item in actions:
        out.extend(_jobs(item, names) or [item])
    return out


def _jobs(item: _Item, names: set[str]) -> list[_Item] | None:
    """The jobs of ``item``'s message, one per owner, when its clauses name two owners or more; else
    None. When only one of them is given a job ("@Bob 辛苦了，@Cat 你負責訂場地"), the job is that one's."""
    turn = item.turn
    text = turn.text
    if not text or len(text) > 400:
        return None
    others = names - {turn.author}
    starts = [0, *(m.end() for m in _JOB_BREAK.finditer(text) if m.end() < len(text))]
    owned: list[tuple[int, str]] = []  # (where a clause with an owner starts, its owner)
    for start in starts:
        lead = _LEAD_IN.match(text, start)
        at = lead.end() if lead else start
        owner = _clause_owner(text[at:], turn, others)
        if owner is not None and (not owned or owned[-1][1] != owner):
            owned.append((at, owner))
    if len({owner for _, owner in owned}) < 2 or (item.who is not None and item.who not in {o for _, o in owned}):
        return None
    jobs: list[_Item] = []
    for n, (at, owner) in enumerate(owned):
        end = owned[n + 1][0] if n + 1 < len(owned) else len(text)
        piece = re.sub(r"[\s，,、；;]*(?:(?:and|then)\s*)?$", "", text[at:end], flags=re.IGNORECASE)
        if not _is_job(piece):
            continue
        jobs.append(_Item(turn, trimmed(piece), who=owner, due=cues.due_in(piece)))
    if not jobs or (len({j.who for j in jobs}) < 2 and jobs[0].who == item.who):
        return None  # (one job, already its owner's: "@Cat 你負責…" keeps its whole message)
    tail = _JOB_BREAK.split(text.rstrip("。！!？?；; \n"))[-1].strip()
    shared = cues.due_in(tail) if tail and cues.DUE.fullmatch(tail) else None
    for job in jobs:
        job.due = job.due or shared
    return jobs


def _clause_owner(clause: str, turn: _Turn, others: set[str]) -> str | None:
    """Whom a clause hands its job to, by its start: an @mention, a participant called by name, or
    the speaker taking it on; None for a clause that starts otherwise (it goes on the one before)."""
    for name in sorted(turn.prepared.mentions, key=len, reverse=True):
        if clause.startswith("@" + name):
            return name
    for name, spoken in _named_in(clause[:40], others):
        for said in spoken:
            if re.match(rf"@?{re.escape(said)}(?=$|[\s,，:：你妳您]|[\u3400-\u9fff])", clause, re.IGNORECASE):
                return name
    if _MINE.match(clause) or cues.SELF_ACTION.match(clause):
        return turn.author
    return None


def _is_job(piece: str) -> bool:
    """Whether a clause (or run of clauses) hands out work, rather than thanks ("@Bob thanks for the
    check", "@Bob 辛苦了"), a remark or leave taken ("我先去開會了")."""
    if cues.LEAVING.search(piece):
        return False
    if cues.REQUEST.search(piece) or _directive(piece) or _JOB_WORDS.search(piece):
        return True
    if _ORDER.search(piece) and not _thanks(piece):
        return True
    if _MINE.search(piece) or cues.SELF_ACTION.search(piece):
        return True
    return cues.DUE.search(piece) is not None and not cues.is_question(piece)


def _takes_nothing_on(turns: list[_Turn], k: int, cue: re.Match[str]) -> bool:
    """Whether message ``k``, though it says what the speaker does (``cue``), takes no work on."""
    text = turns[k].text
    clause = _clause_at(text, cue.start())
    return (
        # "我上傳到共用資料夾了", "我問咗金記", "I check already": done, no work taken on
        _past(clause, cue.group(0))
        # "我这周画图画不完了": what the speaker cannot do
        or _CANNOT.search(clause) is not None
        # "我要先去開會了 bye": the speaker leaves
        or (cues.LEAVING.search(text) is not None and not cues.due_in(text))
        # "專車這個下週一主管會議再談，我要先看預算": a matter put off; looking first is no task
        or (cues.PUT_OFF.search(text) is not None and _TO_DECIDE_LATER.search(clause) is not None)
        # "我可以畫畫直播 XD", "我要跑 DRC 你們去 😭": a joke, unless it answers "who brings…?"
        or (_QUIP.search(text) is not None and not cues.due_in(text) and not _wanted(turns, k))
        # "配方我先发群里：https://…", "我发一下上个月的数据 [图片]": shared in the message itself
        or _shares_here(turns[k], cue)
    )


#: Sharing: "我先发群里", "我 share 一下", "I'll post", "我貼".
_SHARE_VERB = re.compile(r"[发發貼贴傳传]|分享|\b(?:share|post|paste|attach)\b", re.IGNORECASE)
#: What a chat shows as an attachment: "[图片]", "[image]", "[file: …]".
_ATTACHED = re.compile(
    r"\[(?:图片|圖片|照片|图|圖|文件|檔案|image|photo|picture|file|attachment)\b[^\]]*\]", re.IGNORECASE
)


def _shares_here(turn: _Turn, cue: re.Match[str]) -> bool:
    """Whether the work taken on is sharing something that the message itself carries: a link, an
    attachment, or the content after a colon ("timeline 我先 share 一下：self-review 11/22 截止…")."""
    text = turn.text
    rest = text[cue.start() :]
    verb = _SHARE_VERB.search(rest[: len(cue.group(0)) + 8])
    if verb is None or cues.due_in(text):
        return False
    after = rest[verb.end() :]
    colon = re.search(r"[:：]\s*(\S.{9,})", after)
    return bool(turn.prepared.links or _ATTACHED.search(text) or colon)


#: Booking or ordering for the team is work even when it is a meal: "便當我來訂", "ok 燒肉，我來訂位",
#: "I'll book the table".
_BOOKS_FOR_ALL = re.compile(
    r"我(?:來|来|嚟|去|負責|负责)?(?:訂|订|叫)|(?:訂|订)位|\bI'?ll (?:book|order|reserve)\b|\bI can (?:book|order)\b",
    re.IGNORECASE,
)
#: Asking who will take a job on: "背景是要换，谁有空跟一下？", "划线谁弄？", "who's bringing the
#: ladder saturday?", "iOS side who take?". Not "是誰…" or "who owns …", which ask who someone is.
_VOLUNTEER = re.compile(
    r"(?<![是係])(?:誰|谁|邊個|边个)(?:要|來|来|有空|得閒|得闲|負責|负责|去|可以|幫|帮|接|弄|做|跟|打印|處理|处理|排|翻|訂|订)|"
    r"\bwho(?:'s| is) (?!\w+ing (?:the )?(?:owner|in charge))\w+ing\b|\bwho (?:will|can|wants? to|takes?|does|do)\b",
    re.IGNORECASE,
)


_SOMEONE = re.compile(r"[要得]有人|\bneeds? someone\b|\bsomeone (?:should|needs|has to|must)\b", re.IGNORECASE)


def _wanted(turns: list[_Turn], k: int) -> bool:
    """Whether someone else asked, just before message ``k``, for a volunteer or for work to be done
    ("mahjong set who bring?", "還有垃圾分類那邊也要有人顧")."""
    return any(
        t.author != turns[k].author
        and (_VOLUNTEER.search(t.text) or _WHO.search(t.text) or _SOMEONE.search(t.text) or _needed(t.text))
        for t in turns[max(0, k - 2) : k]
    )


def _yes_to_named(turns: list[_Turn], out: dict[int, _Item]) -> None:
    """Work asked of one person by name, with a date, that no cue marks as a request ("@小马 3.4的修正
    下周三之前能弄完吗", "@阿May 通告今晚出咗佢"), which that person says yes to in the next two
    messages ("没问题"): their action item, citing the ask. (A yes that says the work again is an item
    of its own already.)"""
    names = {t.author for t in turns}
    for k, turn in enumerate(turns):
        if turn.index in out or _social(turns, k):
            continue
        named = [m for m in turn.prepared.mentions if m != turn.author]
        if not named:
            called = _called(turn.text, names - {turn.author})
            named = [called] if called else []
        if len(named) != 1:
            continue
        asked_by = cues.due_in(turn.text)
        for reply in turns[k + 1 : k + 3]:
            if (
                reply.author == named[0]
                and reply.index not in out
                and not cues.is_question(reply.text)
                and cues.ACK.match(reply.text)
                and (due := asked_by or cues.due_in(reply.text))
            ):
                out[turn.index] = _Item(turn, trimmed(turn.text), who=named[0], due=due)
                break


#: The speaker offering to do something, as a question: "Want me to ring them?", "shall I book it?",
#: "要不要我先問他們", "我來排好不好？", "其中一條讓我定好不好".
_OFFER_ASKED = re.compile(
    r"\b(?:want|need) me to\b|\bshall I\b|\bshould I (?!\w+ (?:or|and)\b)|"
    r"要不要我|需不需要我|要唔要我|使唔使我|"
    r"(?:我(?:來|来|嚟|去|先)|讓我|让我)[^？?，,。]{1,24}(?:好嗎|好吗|好不好|好唔好|可以嗎|可以吗|得唔得)[？?]?",
    re.IGNORECASE,
)


#: A yes to an offer that ``cues.ACK`` does not read ("yes please" it does): "Go for it", "please do", "給你".
_GO_AHEAD = re.compile(r"(?:@\S+\s*)?(?:go for it|go ahead|please do|pls do|給你|给你|交給你|交给你)", re.IGNORECASE)


def _offer_taken(turns: list[_Turn], out: dict[int, _Item]) -> None:
    """An offer put as a question ("Want me to ring them? My cousin works on the council front desk")
    that someone else says yes to in the next two messages ("yes pls"): the speaker's action item,
    citing the offer. (An offer the rules already read as work is left as it is.)"""
    for k, turn in enumerate(turns):
        if turn.index in out or not _OFFER_ASKED.search(turn.text) or _social(turns, k):
            continue
        for reply in turns[k + 1 : k + 3]:
            if reply.author == turn.author:
                break
            if not cues.is_question(reply.text) and (cues.ACK.match(reply.text) or _GO_AHEAD.match(reply.text)):
                due = cues.due_in(turn.text) or cues.due_in(reply.text)
                out[turn.index] = _Item(turn, trimmed(turn.text), who=turn.author, due=due)
                break


def _unclaimed(turns: list[_Turn], out: dict[int, _Item]) -> None:
    """A job someone asks a volunteer for ("谁有空跟一下？") that no one takes on in the next messages
    is still to be done, by no one yet: an action item without an owner. When the question is
    bare ("谁来排？"), the item cites the message before it that says what the job is."""
    for k, turn in enumerate(turns):
        text = turn.text
        if turn.index in out or not _VOLUNTEER.search(text) or not cues.is_question(text) or _social(turns, k):
            continue
        later = [t for t in turns[k + 1 : k + 5] if t.author != turn.author]
        if any(
            (t.index in out and out[t.index].who == t.author)
            or (cues.SELF_ACTION.search(t.text) and not cues.LEAVING.search(t.text))
            or _SHORT_COMMITMENT.match(t.text)
            for t in later[:3]
        ):
            continue  # someone took it on
        cited = turn
        bare = _VOLUNTEER.sub("", text)
        if len(re.sub(r"\W", "", bare)) <= 2 and k > 0 and turns[k - 1].index not in out:
            cited = turns[k - 1]
        if cited.index in out:
            continue
        out[cited.index] = _Item(cited, trimmed(cited.text), due=cues.due_in(text))


#: Asking when work will be delivered: "王工你这边什么时候能有结论？", "几点交稿？", "When can you have
#: that done?" (not "下次開會是哪天？", "餐厅几点关？": when something happens).
_WHEN = re.compile(r"什么时候|什麼時候|幾時|几时|幾點|几点|哪天|\bwhen\b|\bETA\b", re.IGNORECASE)
_DELIVERED = re.compile(
    r"你|妳|您|交|給|给|發|发|出來|出来|結論|结论|搞定|弄好|做好|完成|\byou\b|\bdone\b|\bready\b|\bfinished\b",
    re.IGNORECASE,
)


def _when_asked(turns: list[_Turn], out: dict[int, _Item]) -> None:
    """An answer with a date to "when will it be done?" ("这周五前改板打样出来", "by Nov 1") is the
    answerer's commitment: an action item of theirs, due then."""
    for k, turn in enumerate(turns):
        text = turn.text
        if not (cues.is_question(text) and _WHEN.search(text) and _DELIVERED.search(text)) or _social(turns, k):
            continue
        for later in turns[k + 1 : k + 3]:
            if later.author == turn.author:
                continue
            answer = later.text
            due = cues.due_in(answer)
            asked = out.get(turn.index)
            if due is not None and not cues.is_question(answer):
                if asked is not None:
                    # "When can you have that done?" "by Nov 1": the request's due date, said in reply
                    asked.due = asked.due or due
                    asked.who = asked.who or later.author
                elif (
                    later.index not in out
                    and not (cues.DEFERRED.search(answer) or cues.PUT_OFF.search(answer))
                    and not _done(answer)
                    and not _PAST.search(answer)
                ):
                    out[later.index] = _Item(later, trimmed(answer), who=later.author, due=due)
            break  # only the first reply by someone else answers


#: A delivery right after a date: "週五前給", "今晚发", "下週一交", "这周内弄完".
_DELIVERY = re.compile(
    r"(?:之?前|以前|内|內)?\s*(?:统一|統一|就|會|会|可以|能)?"
    r"(?:交|給|给|發|发|出|上線|上线|寄|送|訂|订|買|买|弄完|做完|改完|搞定|完成|合(?:到|进|進|入)|提交|上傳|上传|"
    r"(?:修|改|弄|做|寫|写)好)"
)
_PAST_DATE = re.compile(r"上週|上周|上禮拜|上礼拜|昨天|昨日|前天|尋日|寻日|\blast\b", re.IGNORECASE)


def _speaks_of_someone(text: str, others: set[str]) -> bool:
    """Whether ``text`` names a person, by pronoun, @mention or another participant's name
    ("翻译明早交，老郑校对" sets work for others)."""
    if re.search(r"你|妳|您|@|有人|他|她|\b(?:you|someone|he|she|they)\b", text, re.IGNORECASE):
        return True
    return any(len(said) >= 2 and said in text for _, spoken in _named_in(text, others) for said in spoken)


def _delivers(text: str) -> re.Match[str] | None:
    """A statement that gives a date for delivering something ("好 週五前搞定", "园服下周一统一发链接"),
    not a question, a put-off or a report of the past; where the delivery is said."""
    if cues.is_question(text) or cues.DEFERRED.search(text) or cues.PUT_OFF.search(text) or _PAST_DATE.search(text):
        return None
    for due in cues.DUE.finditer(text):
        if delivery := _DELIVERY.match(text, due.end()):
            return delivery
    return None


#: Verbs of giving that make the 我 after them the one who receives the work, not the one who does it:
#: "…明天中午前給我 draft", "周工下周一前发我看看".
_GIVING = "给給发發传傳交俾畀"


def _work_cues(turn: _Turn) -> tuple[re.Match[str] | None, re.Match[str] | None, bool]:
    """Where a message takes work on itself and where it asks it of someone, with the readings
    that are neither set aside: a status ("…還沒弄完"), an offer put as a question, a "可以…嗎" asked
    of no one, and the speaker's own work that merely mentions another person; and whether it says
    work is to be done (TODO, "需要…")."""
    text = turn.text
    self_ = cues.SELF_ACTION.search(text)
    if self_ and re.search(r"還沒|还没|\bhaven'?t\b", _clause_at(text, self_.start()), re.IGNORECASE):
        self_ = None  # "我排班表還沒弄完" says where things stand, it takes nothing new on
    if (
        self_
        and self_.group(0) == "我看"
        and not re.match(r"\s*(?:一下|看|下|完|過|过)", text[self_.end() :])
        and not re.search(r"[发發传傳给給]$", text[: self_.start()])
    ):
        self_ = None  # "我看台南那邊有人賣750", "我看颜色批次号跟之前不一样": what they see, not work
    if (
        self_
        and re.search(rf"[{_GIVING}]\s*$", text[: self_.start()])
        and any(m != turn.author for m in turn.prepared.mentions)
    ):
        self_ = None  # "@Kevin 存證信函 明天中午前給我 draft": Kevin's job, handed to the speaker when done
    if self_ and _asks_at(text, self_.start()):
        self_ = None  # "場地布置需要我這邊做什麼？" offers, asking; it takes nothing on
    if self_ and re.search(r"[？?]", text[: self_.start()]) and re.match(r"我(?:這邊|这边)?要", text[self_.start() :]):
        self_ = None  # "Curam 的院內碼是多少？我要改醫囑組套": why they ask, not work taken on
    request = cues.REQUEST.search(text) or _directive(text)
    if request and request.group(0) in ("交給", "交给") and "我" in _clause_at(text, request.start())[:20]:
        request = None  # "我刚先交给管理处了": the speaker handed something over; no one is asked
    if request and request.group(0) in ("負責", "负责") and _asks_at(text, request.start()):
        request = None  # "UN38.3 是电池厂负责还是我们自己送？" asks who is in charge; it hands nothing over
    people = [m for m in turn.prepared.mentions if m.lower() not in ("all", "here", "channel", "everyone")]
    if not request and not self_ and people and not cues.is_question(text):
        # "@大刘 排班表今晚改好发群里", "@阿杰 主图+详情页 10月20号前给我初稿": a job and a date for the one named
        request = cues.DUE.search(text) or cues.deadline_at(text)
    if (
        request
        and request.group(0).startswith(("可以", "能不能", "可不可以"))
        and not (turn.prepared.mentions or re.search(r"你|妳|您", text))
    ):
        request = None  # "那個授權可以退嗎" asks whether it can be done, of no one
    if (
        self_
        and request
        and self_.start() <= request.start()
        and not turn.prepared.mentions
        and not _ADDRESSES.search(text)
    ):
        request = None  # "我負責訂遊覽車", "我可以找 Amy 幫忙": the speaker's own work, not a request
    offer = _OFFER.search(text) if request and not self_ else None
    if offer and offer.start() <= request.start() and not turn.prepared.mentions and not _ADDRESSES.search(text):
        # "我可以叫我们 RC 的 uncle aunty 来帮忙": the speaker offers to get help, asks no one here
        self_, request = offer, None
    if not self_ and not request:
        back = cues.REPORT_BACK.search(text)
        if back and not cues.is_question(text) and not _quoted(text, back.start()):
            # "好 我問他們多久能到再回報", "I revert later": the speaker will come back with an answer;
            # "@小蔡 新竹那邊有回覆再po上來": the one mentioned is to.
            if people and not re.search(r"我|\bI\b", text):
                request = back
            else:
                self_ = back
    todo = any(not _other_option(text, m.start()) for m in cues.TODO.finditer(text))
    return self_, request, todo or _needed(text)


def _quoted(text: str, at: int) -> bool:
    """Whether position ``at`` is inside a quotation ("她说 "will check and revert""): someone
    else's words, reported."""
    before = text[:at]
    return before.count('"') % 2 == 1 or sum(map(before.count, "“「『")) > sum(map(before.count, "”」』"))


def _owner(
    turns: list[_Turn],
    k: int,
    names: set[str],
    self_: re.Match[str] | None,
    request: re.Match[str] | None,
    todo: bool,
    guess: bool = True,
) -> str | None:
    """Whose work message k names: someone named as its owner; for a request, the one mentioned,
    called by name, or (``guess``) the one spoken to; else the speaker taking it on; else, for
    work said to be needed, the one mentioned."""
    turn = turns[k]
    text = turn.text
    others = names - {turn.author}
    named = [m for m in turn.prepared.mentions if m != turn.author]
    who = _named_owner(text, others)
    if request:
        who = who or (named[0] if named else None) or _called(text, others)
        if who is None and guess and not re.search(r"someone|somebody|anyone|有人|誰|谁", text, re.IGNORECASE):
            who = _addressed(turns, k)
    if who is None and self_:
        who = turn.author
    if who is None and todo and named:
        who = named[0]
    return who


#: An idea put to the group is a proposal, not work taken on: "我提議…", "我建議…", "what if we…".
_OFFERS_IDEA = re.compile(
    r"^(?:@\S+\s*)?(?:我)?(?:提議|提议|建議|建议|提個想法|提个想法)|"
    r"^(?:@\S+\s*)?(?:what if|how about|I (?:suggest|propose))\b",
    re.IGNORECASE,
)
#: Said with a laugh or a wince: a remark about work, not work to do.
_QUIP = re.compile(r"(?:[😅😂🤣😬🙃😭🥲💀😆😤]|\blol\b|\blmao\b|\bhaha\w*|哈哈|XD)\W*$", re.IGNORECASE)
#: Someone else spoken to: "你/您 …", "can you …".
_ADDRESSES = re.compile(
    r"(?:^|[，,\s]|請|请|麻[煩烦]|讓|让)(?:你|妳|您)(?!們|们)|\b(?:can|could|would) you\b", re.IGNORECASE
)
#: An offer, not yet a commitment: "我可以寫個排程", "I can look into it".
_OFFER = re.compile(r"我可以|\bI can\b|\bI could\b", re.IGNORECASE)
#: Messages after an item in which a firmer word on the same work is looked for.
FIRMER_WINDOW = 6


def _social(turns: list[_Turn], k: int) -> bool:
    """Small talk: the message names food or lunch, or is a short reply to a message that does."""
    text = turns[k].text
    if cues.SOCIAL.search(text):
        return True
    if len(text) > 16 or cues.DUE.search(text):
        return False
    return any(cues.SOCIAL.search(t.text) for t in turns[max(0, k - 2) : k] if t.author != turns[k].author)


#: A yes at the start of a message: "yes please", "ya pls ask him", "好，Joanne 麻煩妳了", "对 @阿芳 你写个通知".
#: Not ``cues.ACK``: a go-ahead to an offer ("please", "pls", "对" are in it), not agreement with a view
#: ("+1", "同意", "sounds good", "me too" are not: they hand no one work).
_APPROVES = re.compile(
    r"^\W*(?:@\S+\s*)?(?:(?:yes|yeah|ya|yep|ok(?:ay)?|sure|please|pls)(?![A-Za-z])|好(?!像)|对|對|行|可以)",
    re.IGNORECASE,
)


def _superseded(turns: list[_Turn], out: dict[int, _Item]) -> list[int]:
    """Items a later, firmer one on the same work replaces: an offer without a date ("我可以排")
    followed by the same person's commitment or a request to them with a date ("週五前排好"), an
    offer and someone else's yes to it right after, and work said to be needed that is then asked
    of someone or taken on by name."""
    position = {t.index: n for n, t in enumerate(turns)}
    doomed = []
    items = sorted(out.values(), key=lambda i: i.turn.index)
    named = {t.author for t in turns}.union(*(t.prepared.mentions for t in turns))
    people = frozenset().union(*map(_words, named))
    # What the work is about, without the people it names: "@Bob 辛苦了，@Cat 你負責訂場地" and "@Bob thanks
    # for the check, @Cat can you send the deck?" share two names and no work.
    work = {i.turn.index: _topic_words(i.turn.text) - people for i in items}
    for a, item in enumerate(items):
        same = next(
            (
                earlier
                for earlier in items[:a]
                if item.who is not None
                and earlier.who == item.who
                and earlier.turn.index not in doomed
                # (someone else asking the owner later is no saying-again of the owner's own job)
                and (item.turn.author == item.who or earlier.turn.author != item.who)
                # two dates, two jobs: "get reviewers from Lexstaff by tomorrow", then "send them the protocol tonight"
                and not (earlier.due and item.due and earlier.due != item.due)
                and (
                    len(work[earlier.turn.index] & work[item.turn.index]) >= (1 if _ALONG.search(item.turn.text) else 2)
                    or (
                        position[item.turn.index] - position[earlier.turn.index] == 1
                        and len(_topic_words(item.turn.text)) <= 2
                    )
                )
            ),
            None,
        )
        if same is not None:
            # "遊覽車那我就改問台北近郊的" after "我負責訂遊覽車", "排班表我明天中午前出" after "那我按兩班
            # 出排班表": the same work, updated or given a date, not new work
            if item.due is not None and same.due is None:
                # "我查一下 offer letter" … "我明天把…offer letter 寄給你": the dated word is the one a
                # reader lists, and it stands for the earlier
                doomed.append(same.turn.index)
                continue
            same.due = same.due or item.due
            doomed.append(item.turn.index)
            continue
        here = position[item.turn.index]
        before = items[a - 1] if a else None
        if (
            item.who is None
            and before is not None
            and before.who is None
            and before.turn.index not in doomed
            and position[before.turn.index] == here - 1
            and (len(item.turn.text) <= 20 or _topic_words(item.turn.text) & _topic_words(before.turn.text))
        ):
            # "那个 304 通风橱的标线也得重新贴" "对，得有人弄一下": one piece of work, said twice
            doomed.append(item.turn.index)
            continue
        for later in items[a + 1 :]:
            if position[later.turn.index] - here > FIRMER_WINDOW:
                break
            if (
                # "I can call the electrician" "yes please, by 5pm": someone's offer, and the yes to it
                # from another right after, are one job (due as the yes says). A yes with a date that
                # hands the work to them by name or says more of it ("好，@Mia 你整理一份…明細表，
                # 週五前發到群組") is the firmer word on it, and the offer gives way.
                item.who is not None
                and item.who == item.turn.author
                and later.who == item.who
                and later.turn.author != item.who
                and position[later.turn.index] - here == 1
                and _APPROVES.match(later.turn.text)
            ):
                if later.due is not None and (
                    item.who in later.turn.prepared.mentions
                    or _called(later.turn.text, {item.who})
                    or len(work[later.turn.index] - work[item.turn.index]) >= 4
                ):
                    later.due = later.due or item.due
                    doomed.append(item.turn.index)
                    break
                item.due = item.due or later.due
                doomed.append(later.turn.index)
                continue
            if item.who is None and later.who is not None:
                if (work[item.turn.index] & work[later.turn.index]) - _WHEN_WORDS:
                    doomed.append(item.turn.index)
                    break
            elif (
                item.who is not None
                and later.who == item.who
                and (item.due is None or _OFFER.search(item.turn.text))
                and later.due is not None
                and position[later.turn.index] - here <= 3
            ):
                if (
                    len(_topic_words(later.turn.text)) <= 2
                    and later.turn.author == item.turn.author
                    and not cues.SELF_ACTION.search(later.turn.text)
                    and not cues.is_question(item.turn.text)
                ):
                    # "我打算把证书换成…" … "这周内弄完": the work as first said, due as said after
                    item.due = later.due
                    doomed.append(later.turn.index)
                else:
                    doomed.append(item.turn.index)
                break
    return doomed


#: Words of time that two pieces of work may share without being the same work ("最晚明天中午前要到位"
#: and "志明你明天中午前跟全聯確認數量"), and ordinal endings ("the 14th").
_WHEN_WORDS = frozenset(
    "before after morning afternoon evening tonight today tomorrow th st nd rd "
    "早上 上午 中午 下午 晚上 今晚 傍晚".split()
)
#: Work said to go along with earlier work: "PR 的內容就跟著改", "export 也是我這邊順便做".
_ALONG = re.compile(r"跟著|跟着|順便|顺便|一起|也是我|\balso\b|\btoo\b|\bas well\b", re.IGNORECASE)


#: What a speaker says they will do about a matter put off to a meeting that is no task of its own:
#: decide then ("我下禮拜跟老闆開會再決定"), or look at it first ("我要先看 margin", "I need to check
#: leaves first"). Asking someone ("我先跟 finance 確認…") is still work.
_TO_DECIDE_LATER = re.compile(
    r"再(?:決定|决定|定|討論|讨论|談|谈|傾|倾)|我(?:要|得)?先看|"
    r"\bI (?:need|have) to (?:check|look at|see)\b.*\bfirst\b",
    re.IGNORECASE,
)
#: What the speaker cannot do: "画不完了", "來不及", "走唔開", "I'm going to struggle from Wigan".
_CANNOT = re.compile(
    r"不完|來不及|来不及|趕不上|赶不上|搞不定|做不了|弄不了|走唔開|走唔开|\bcan'?t make it\b|\bwon'?t make it\b|"
    r"\bstruggl\w*|\bnot be able to\b|\bunable to\b",
    re.IGNORECASE,
)


#: The whole group addressed: a request to everyone is no one's action item.
_GROUP = re.compile(r"大家|各位|所有人|\beveryone\b|\ball of you\b|\by'?all\b|\bfolks\b|\bteam\b", re.IGNORECASE)


#: A look asked for, not work: "麻煩大家今天看一下", "大家留意", "參考一下".
_GLANCE = re.compile(
    r"看一下|看一看|看看|看下|睇下|睇吓|睇睇|留意|注意|參考|参考|\bhave a look\b|\btake a look\b", re.IGNORECASE
)


def _addresses_group(text: str) -> bool:
    """Whether the whole group is spoken to, not only sent something ("發俾大家睇", "send to everyone")."""
    return any(
        not re.search(r"(?:給|给|俾|跟|同|向|\bto|\bfor|\bwith)\s*$", text[: m.start()], re.IGNORECASE)
        for m in _GROUP.finditer(text)
    )


#: What the speaker did, said as past: Cantonese 咗 or "already" ("我問咗金記", "I check already"; not
#: 咗再/咗先, "after": "我問咗再話你知" will ask, then tell)…
_PAST = re.compile(r"咗(?!\s*(?:再|先|就|之後|之后))|\balready\b")
#: …or a 了 after the verb ("我把各队队长拉了个群"; not 好了, 来了, 了解, 为了, 了沒).
#: (After 來, only as a direction: "我调出来了" reports; "我來了" arrives.)
_PAST_LE = re.compile(
    # (not the 了 of what is asked about: "我查一下他们到底用了哪些", nor of what is waited for:
    # "我等大伟画面定了再 final mix")
    r"(?:(?<![好來来要為为除算])|(?<=[出起下回過过進进上][來来]))了(?![解不吧嗎吗沒没]|[\u4e00-\u9fff]?(?:哪|什么|什麼|多少|幾|几|誰|谁)|(?:之後|之后|以後|以后)?\s*再)"
)
#: …or a 過 right after the verb: "我問過採購" (not 過去, 過來, 過目: "I'll go over").
_PAST_GUO = re.compile(r"^\s*[過过](?![去來来目])")
#: The future said in English, which a report is not: "it'll go out with the price list update on Thursday".
_WILL = re.compile(r"\bwill\b|'ll\b|\bgoing to\b", re.IGNORECASE)
#: Said of the future: "明天改好" is not done yet, and "我來送區公所好了" offers ("let me"), it does not report.
_FUTURE = re.compile(
    # (會 as "will", not the 會 of a meeting: "我剛開完會看到了" reports.)
    r"(?<![開开大機机社學学例週周聚約约展協协工議议晚早茶酒舞宴])(?<!開完)(?<!开完)(?:會|会)(?![議议員员])|要|將|将|我來|我来|我嚟|"
    r"先去|"
    rf"{_WILL.pattern}|\bshould\b|\bby\b|\bonce\b|\bwhen\b",
    re.IGNORECASE,
)
#: Work said to be needed, with no one named yet: "runbook 也要補一段…", "會後把錄像剪一下發 B 站".
_NEEDED = re.compile(
    r"(?:也要|也得|還要|还要|都要|需要|得要|必須|必须|應該要|应该要|應該|应该|一定要|還是得|还是得)(?:再|先|全部|多|重新)?"
    r"(?:補|补|寫|写|改|加|做|整理|更新|修|發|发|準備|准备|提供|記錄|记录|通知|確認|确认|調整|调整|測|测|清|同步|"
    r"印|訂|订|買|买|換|换|貼|贴|租|搬|洗|排|聯絡|联络|聯繫|联系|"
    r"重(?:拍|做|寫|写|畫|画|印|跑|貼|贴))|要(?:人去|找人)|"
    # A plain 要 with a verb of repair or replacement: "個牌要換", "標線…要重貼", "要搵個師傅去報價" (not "又要换衣服").
    r"(?<![又不想])要(?:換|换|補|补|修|貼|贴|重(?:拍|做|寫|写|畫|画|印|跑|貼|贴)|搵(?:人|個|个)|找(?:個|个)|整(?:個|个)新)|"
    # ... and first or again ("柴油要先補吧", "不夠的要先換"; "你要先換護照" is the one spoken to's),
    # and 得 for must ("消防开业前得再查一遍"; not 記得 "remember", 覺得 "think", 取得 "obtain", 捨不得,
    # 懶得, 免得, or 我得 "I must").
    r"(?<![又不想你])要[先再](?:換|换|補|补|修|貼|贴)|"
    r"(?<![我你他她記记覺觉懂曉晓值獲获取使捨舍懶懒不免省])得(?:先|再)?(?:補|补|修|查|抽|訂|订|買|买|換|换)|"
    r"\b(?:also )?needs? to (?:change|update|fix|add|send|check|be (?:changed|updated|fixed|done|informed|told))\b|"
    r"\bneeds? (?:washing|updating|fixing|changing|cleaning|replacing|redoing)\b|"
    r"\b(?:also )?need (?:someone|somebody) (?:to )?[a-z]+|"
    # "we'll also need a parent FAQ", "we also need posters for it", "really needs a checklist": a thing to make
    r"\b(?:we(?:'ll| will)?|really) (?:also |still )?needs? "
    r"(?!to\b|(?:more |a |an )?(?:time|decision|answer|name|bodies|people|hands|staff|help|money|budget)\b)"
    r"(?:a |an |more |new |some |proper )?[a-z-]{4,}\b|"
    r"\bneeds? to go to (?:the )?\w+|"
    # "we have to order by the 15th", "we must book the hall this week": work the group has to do
    r"\bwe (?:have to|need to|must|gotta|'ve got to|got to|should) (?:order|book|send|buy|call|email|submit|pay|"
    r"print|confirm|tell|inform|get|renew|register|file|reply)\b|"
    r"(?:會後|会后|會議後|会议后|之後|之后|事後|事后|上線後|上线后|明天|下週|下周)\S{0,3}把",
    re.IGNORECASE,
)
#: Work said to be needed for fear of what happens otherwise: "客服那边要提前通知吧，不然玩家…一脸懵",
#: "免箱期最好跟船公司申请延一下，不然…", "cap table要按新cap再run過 唔係dilution啲數會錯". Not a bare
#: "要啦，不然…" or "我覺得要，唔係…", which answer, nor "要不要…", which asks.
_OTHERWISE = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2}[^，,。？?！!]{0,20}?(?<!不)(?:要|得|最好)(?!不要|不)[^，,。？?！!]{2,30}?"
    r"[，,\s]\s*(?:不然|否則|否则|唔係|唔系|要不然|免得)"
)
#: Something to get done: "要把 … 標出來", "要搞定", "要有結論" (with a date, needed work).
_TO_DO_BY = re.compile(r"要把|得把|要(?:搞定|完成|弄好|做完|交|給|给|有(?:結論|结论|結果|结果))")
#: Work reported as it happens: "剛剛資安回我了", "更新一下：園區說…", "update: found it".
_REPORT = re.compile(
    r"剛剛|刚刚|剛才|刚才|我[剛刚](?!好)|^更新|回我了|回了[:：]|回覆了|回复了|\bupdate\b|\bjust\b(?! in case)",
    re.IGNORECASE,
)
#: A report that leaves work to do: "But the lens cracked, still need to replace", "還要再…", "還沒".
_STILL_TO_DO = re.compile(
    r"\bstill (?:need|have to|got to|gotta|waiting|pending)\b|\bnot yet\b|"
    r"還要|还要|還得|还得|仍需|仍然要|還沒|还没|未搞掂|未做",
    re.IGNORECASE,
)


#: A clause that offers the other option of a question just asked: "…嗎？還是…".
_OR_ELSE = re.compile(r"\s*(?:還是|还是|或是|或者|\bor\b)", re.IGNORECASE)


def _other_option(text: str, at: int) -> bool:
    """Whether the clause of ``text`` at ``at`` offers the other option of a question asked before it."""
    clause = _clause_span(text, at)
    return (
        clause is not None
        and re.search(r"[？?]", text[: clause.start()]) is not None
        and _OR_ELSE.match(clause.group(0)) is not None
    )


def _needed(text: str) -> bool:
    """A statement (no question) that some work is needed, long enough to say what: "這個一定要改"
    alone says too little to be an item."""
    if cues.is_question(text):
        return False
    if cues.PUT_OFF.search(text) or cues.UNDECIDED.search(text) or re.search(r"定下[來来]", text):
        return False  # "等下週把內用訂位數字拉出來再決定", "這週要把方案定下來": a decision to make, no work item
    for clause in cues.CLAUSE.finditer(text):
        if _other_option(text, clause.start()):
            continue  # "送件是寄掛號嗎？還是要有人送過去": the other half of a question
        if _NEEDED.search(clause.group(0)):
            return len(re.sub(r"\s", "", text)) >= 15
    if _OTHERWISE.search(text) and not re.match(r"\W*(?:我覺得|我觉得|對|对|要啊|要啦|要呀|要的)", text):
        return True
    # "…要把每張表的保留期限標出來，這個月內要搞定": work to do by a date
    return _TO_DO_BY.search(text) is not None and cues.due_in(text) is not None and not _done(text)


def _asks_at(text: str, at: int) -> bool:
    """Whether the clause of ``text`` around position ``at`` asks (ends in ？ or 嗎)."""
    clause = _clause_span(text, at)
    return clause is not None and (
        text[clause.end() : clause.end() + 1] in ("？", "?") or clause.group(0).rstrip().endswith(("嗎", "吗"))
    )


def _directive(text: str) -> re.Match[str] | None:
    """A task handed to "you" (``cues.DIRECTIVE``) in a sentence that does not ask."""
    for match in cues.DIRECTIVE.finditer(text):
        rest = text[match.start() :]
        end = re.search(r"[。！!？?\n]|$", rest)
        assert end is not None
        sentence = rest[: end.end()]
        if not cues.is_question(sentence) and not re.search(r"[嗎吗呢][\s。！!]*$", sentence):
            return match
    return None


def _clause_span(text: str, at: int) -> re.Match[str] | None:
    """The clause of ``text`` (``cues.CLAUSE``) around position ``at``; None at a mark of punctuation."""
    return next((c for c in cues.CLAUSE.finditer(text) if c.start() <= at < c.end()), None)


def _clause_at(text: str, at: int) -> str:
    """The text of the clause of ``text`` around position ``at`` (all of ``text`` at a mark)."""
    clause = _clause_span(text, at)
    return clause.group(0) if clause is not None else text


def _past(clause: str, cue: str) -> bool:
    """Whether ``clause`` tells what was done (``_PAST`` anywhere, ``_PAST_LE`` after the ``cue`` that
    takes work on: "涨了一点 我问下货代" still takes it on), with no time or word ahead ("我明天
    跟工厂把合同签了", "我也要開始做了" are still to come)."""
    after = clause.partition(cue)[2]
    said = _PAST.search(clause) or _PAST_LE.search(after) or _PAST_GUO.search(after)
    return bool(said) and not cues.due_in(clause) and not _FUTURE.search(clause)


def _done(text: str) -> bool:
    """Work reported done in some clause that is not said in the future ("我來，明天改好" is not)."""
    for clause in cues.CLAUSE.finditer(text):
        piece = clause.group(0)
        if (
            cues.DONE.search(piece)
            and not cues.due_in(piece)
            and not _FUTURE.search(piece)
            and not _STILL_NOT.search(piece)
            and not _THEN_TELL.search(piece)
        ):
            return True
    return False


#: Done, then passed on, said of what is still to come: "问好了跟大家说", "弄好丟群組" (not "改好了发群里了",
#: which reports both).
_THEN_TELL = re.compile(
    r"(?:好|完)了?\s*(?:再|就)?\s*(?:跟|同|丟|丢|發|发|傳|传|告訴|告诉|通知|說|说|回|貼|贴|放)(?![^，,。]*[了咗])"
)


#: 已經 that tells how long something has gone undone: "KS 评论区已经 200 多条没回了".
_STILL_NOT = re.compile(r"已[經经][^，,。]{0,12}?(?:沒|没|未)")
#: How alike (character pairs shared) a quote must be to a message to be taken as quoting it.
QUOTE_SAME = 0.3
#: Messages after a task within which the owner's next message may say, in a word, that it is done.
JUST_DONE_WINDOW = 4
#: A report that opens with the work done, in a word or two: "貼好了", "开好了 #482", "回了", "问了，…",
#: "看到了", "done", "trimmed to 24" (not "對了" by the way, "到了" arrived, "來了" here I am, "先不要好了" let's
#: not).
#: The Chinese verb must be one the task used ("我現在去貼" … "貼好了"; not "習慣了 😂").
_JUST_DONE = re.compile(
    r"(?:@\S+\s*)?(?:ok\S*\s*)?(?:"
    r"(?![對对到來来算先不])(?P<verb>[\u4e00-\u9fff]{1,2})(?:好了|完了|咗|出[來来]了)|"
    r"(?![對对到來来算好先為为除])(?P<verb2>[\u4e00-\u9fff]?[^\W\d_])了(?=[\W\d]|$)|"
    r"(?:done|sent|posted|filed|booked|trimmed|updated|fixed|replied|logged)\b)",
    re.IGNORECASE,
)


def _just_done(reply: str, task: str) -> bool:
    """Whether ``reply`` opens by saying the ``task`` is done, with a verb of the task's own."""
    said = _JUST_DONE.match(reply)
    if said is None:
        return False
    verb = said.group("verb") or said.group("verb2")
    return verb is None or any(ch in task for ch in verb if ch != "到")  # 看到了 after 看一下; not 拿到了


def _finished(turns: list[_Turn], item: _Item, items: Sequence[_Item] = ()) -> bool:
    """Whether the owner later reports the work done (or under way and answered) in the thread:
    a later message of theirs that says so and shares a topic word with the item — more of them
    than with any other item of theirs ("意見已經匯總發給法務了" finishes the summary for legal,
    not "我得再跟法務確認" too). Finished work is no action item any more."""
    if item.who is None:
        return False
    at = next(k for k, t in enumerate(turns) if t.index == item.turn.index)
    window = turns[at + 1 : at + 1 + JUST_DONE_WINDOW]
    reply_at = next((n for n, t in enumerate(window) if t.author == item.who), None)
    task = item.turn.text if len(item.turn.text) > 40 or not at else turns[at - 1].text + item.turn.text
    if reply_at is not None and _just_done(window[reply_at].text, task):
        said = _JUST_DONE.match(window[reply_at].text)
        assert said is not None  # (``_just_done`` matched it)
        # "Ask Mwangi for their guy's number" "Sent you on WhatsApp": a bare "sent", "done" after someone
        # else asked for something answers that, not the earlier job
        asked_since = not (said.group("verb") or said.group("verb2")) and any(
            cues.is_question(t.text) or cues.REQUEST.search(t.text) for t in window[:reply_at]
        )
        # "> 押运员哪天到？ 刚回了，周三上午到": a reply to a quoted message is about that message
        elsewhere = bool(window[reply_at].prepared.quoted) and (
            _similarity(window[reply_at].prepared.quoted, item.turn.text) <= QUOTE_SAME
        )
        if not asked_since and not elsewhere:
            return True  # "我現在去貼" … "貼好了，放冰箱最下層": their next word is that it is done
    words = _item_words(turns, item)
    for later in turns:
        if later.index <= item.turn.index or later.author != item.who:
            continue
        done = _done(later.text)
        if not (done or _REPORT.search(later.text)) or _STILL_TO_DO.search(later.text):
            continue
        if cues.is_question(later.text):
            continue  # "还有那些已经来投诉的用户，要不要补偿点啥" asks about something else, reports nothing
        if not done and (cues.SELF_ACTION.search(later.text) or cues.REQUEST.search(later.text)):
            continue  # "ok will check and update 你", "Friday 前搞定, 到时候 update": work (re)taken on, not reported
        if not done and _WILL.search(later.text):
            continue  # "it'll go out with the price list update on Thursday": still to come
        said = _topic_words(later.text)
        shared = len(words & said)
        if not shared or not (done or said & _topic_words(item.turn.text) or shared >= 2):
            continue  # "我剛翻了初稿" shares one word with the question answered: too little to tell
        rivals = [o for o in items if o is not item and o.who == item.who and o.turn.index < later.index]
        if all(
            len(_item_words(turns, other) & said) < shared
            or (len(_item_words(turns, other) & said) == shared and other.turn.index > item.turn.index)
            for other in rivals
        ):
            return True
    return False


def _item_words(turns: list[_Turn], item: _Item) -> set[str]:
    """What an action item is about: its words, and for a reply too short to name its subject
    ("on it, PR in an hour", "好，我現在就弄") the words of the message it answers."""
    words = _topic_words(item.turn.text)
    at = next(n for n, t in enumerate(turns) if t.index == item.turn.index)
    if len(item.turn.text) <= 40 and at and turns[at - 1].author != item.turn.author:
        words |= _topic_words(turns[at - 1].text)
    return words


def _accepts(found: dict[int, _Item], turns: list[_Turn], k: int) -> _Item | None:
    """The request a "yes, I'll do it Monday" accepts: one of the two messages before, asked of the
    speaker (or of no one by name), or work said to be needed that the speaker's words take up.
    Accepting is no new action item; it names who and maybe when."""
    speaker = turns[k].author
    for earlier in reversed(turns[max(0, k - 2) : k]):
        item = found.get(earlier.index)
        if (
            item is not None
            and earlier.author == speaker
            and item.who is None
            and turns[k - 1] is earlier
            and not cues.REQUEST.search(earlier.text)
        ):
            return item  # "官網的時間也要改" "這個我處理，上線前改好": work said to be needed, then taken on
        if item is not None and earlier.author != speaker and item.who in (speaker, None):
            answered = turns[k - 1] is not earlier and turns[k - 1].author == speaker
            shared = _topic_words(earlier.text) & _topic_words(turns[k].text)
            if answered and not shared:
                continue  # "OK 周五前订好" answered it; "我问下货代…" next is work of its own
            if (cues.REQUEST.search(earlier.text) or item.who == speaker) and len(turns[k].text) <= 60:
                return item  # "孫倩你跟勞務公司說一下" "好的，我下午就打電話": the same work, accepted
            if item.who is None and _topic_words(earlier.text) & _topic_words(turns[k].text):
                return item  # work said to be needed, taken on by the next speaker ("I'll add the alert")
    return None


#: The speaker as the one work is handed to: "給我報價", "发我看看" (not "交給我", "leave it to me").
_HANDED_TO_ME = re.compile(rf"(?<!交)[{_GIVING.replace('交', '')}]\s*我")
#: Letters at most (punctuation and spaces aside) of a bare go-ahead: "Sawa, please do", "好 go ahead".
GO_AHEAD_CHARS = 16


def _followed_up(
    found: dict[int, _Item],
    turns: list[_Turn],
    k: int,
    self_: re.Match[str] | None,
    request: re.Match[str] | None,
) -> _Item | None:
    """The job someone just took on that message k answers with a yes and when the speaker wants it
    back ("洛神我來問富里那個小農" "好 週五前給我報價", "那我先把採收排好…" "好，下禮拜一前排好給我看"):
    the 我 is the one it is handed to, so the message is no job of the speaker's, nor a second one.
    Nor is a bare go-ahead to it ("I can pass by VFS tomorrow and ask" "Sawa, please do")."""
    text = turns[k].text
    handed_back = self_ is not None and request is None and cues.ACK.match(text) and _HANDED_TO_ME.search(text)
    go_ahead = request is not None and _GO_AHEAD.search(text) and len(re.sub(r"\W", "", text)) <= GO_AHEAD_CHARS
    if not (handed_back or go_ahead) or turns[k].prepared.mentions:
        return None
    for earlier in reversed(turns[max(0, k - 2) : k]):
        item = found.get(earlier.index)
        if item is not None and earlier.author != turns[k].author and item.who == earlier.author:
            return item
    return None


def _named_owner(text: str, names: set[str]) -> str | None:
    """A participant named as the owner: "小王負責", "交給 Ann", "Ann will …", "assign to Ann"."""
    for name, spoken in _named_in(text, names):
        e = "|".join(re.escape(said) for said in spoken if len(said) >= 2)
        if e and re.search(
            rf"^(?:{e})\s*[,，:：](?!\s*(?:I\b|I'|我))|(?:交給|交给|分給|分给|派給|派给|assign(?:ed)? (?:it |this )?to|"
            # a bare 給 hands work over only at the start ("给小王"), not "做好给陈总签" (for 陈总 to sign)
            rf"(?:^|(?<=[，,。；;\s就都]))(?:給|给))\s*@?(?:{e})|"
            rf"@?(?:{e})\s*(?:負責|负责|來|来|去|will|'ll|can take|to own)",
            text,
            re.IGNORECASE,
        ):
            return name
    return None


#: Titles said after a surname: 张工 (an engineer), 陳經理, 李老師, 王師傅, 劉生 (Cantonese Mr).
_BY_SURNAME = tuple("工 总 總 经理 經理 老师 老師 主任 师傅 師傅 医生 醫生 律师 律師 生 姐 哥".split())
#: The commonest Chinese surnames (both scripts): a three-character name that starts with one is called
#: by the other two ("志明" for 陳志明), and a name of two or three characters that starts with one by
#: the surname and a title (``_BY_SURNAME``: "张工" for 张伟).
_SURNAMES = frozenset(
    "陳陈林黃黄張张李王吳吴劉刘蔡楊杨許许鄭郑謝谢郭洪曾邱廖賴赖周徐蘇苏葉叶莊庄呂吕江何蕭萧羅罗高潘簡简朱鍾钟彭游詹"
    "胡施沈余趙赵盧卢梁顏颜柯孫孙魏翁戴范方宋鄧邓杜傅侯曹薛丁卓馬马董唐藍蓝石蔣蒋古紀纪姚連连馮冯歐欧程湯汤黎田康"
    "姜白汪鄒邹尤巫溫温龔龚嚴严袁韓韩金任孔"
)
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "uncle", "auntie", "aunty", "boss", "prof", "mdm", "madam", "coach"}


@lru_cache(maxsize=256)
def _spoken(names: frozenset[str]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Each display name, longest first, with the shorter ways people call it: the first name of
    "Rachel Wong", the English name of "Jason船务" or "周婷Cathy", the name before a role in brackets
    ("Amber Lin (HR)"), the name beside a role after a dash ("张婷" of "导游-张婷", "May" of "阿May-魚檔")
    — when no one else there shares it
    (not a title: "Mr Tan" is not called "Mr"); and those forms lower-cased, for ``_named_in``."""
    short: dict[str, list[str]] = {}
    for name in names:
        first = name.split()[0] if name.split() else name
        if first.rstrip(".").lower() in _TITLES:
            continue
        if " " in name:
            short.setdefault(first, []).append(name)
        base = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", name)
        if base != name and len(base) >= 2:
            short.setdefault(base, []).append(name)  # "Ah Seng" for "Ah Seng (Kitchen)"
        for latin in re.findall(r"^[A-Za-z]{2,}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[A-Za-z]{2,}$", name):
            short.setdefault(latin, []).append(name)
        for part in re.split(r"\s*[-－–—]\s*", name):
            # "阿May-魚檔", "导游-张婷", "王师傅-维修": the part that names the person, not the role (a
            # name with no dash is its only part, and a form equal to a display name is dropped below)
            if re.search(r"[A-Za-z]{2,}", part) or (
                re.fullmatch(r"[\u4e00-\u9fff]{2,3}", part) and part[0] in _SURNAMES
            ):
                short.setdefault(part, []).append(name)
        if ah := re.match(r"阿([A-Za-z]{2,})", name):
            short.setdefault(ah.group(1), []).append(name)  # "May" for 阿May
        if re.fullmatch(r"[\u4e00-\u9fff]{3}", name) and name[0] in _SURNAMES:
            short.setdefault(name[1:], []).append(name)  # "冠宇" for 陳冠宇: the given name, as colleagues say it
        if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) and name[0] in _SURNAMES:
            # "张工", "老張", "陳經理" for 张伟 / 張志明 / 陳美玲: the surname with a title, as colleagues say it
            for said in (f"老{name[0]}", f"小{name[0]}", *(name[0] + title for title in _BY_SURNAME)):
                short.setdefault(said, []).append(name)
    extra: dict[str, list[str]] = {}
    for said, owners in short.items():
        if len(owners) == 1 and said not in names:
            extra.setdefault(owners[0], []).append(said)
    out = []
    for name in sorted(names, key=len, reverse=True):
        spoken = (name, *extra.get(name, ()))
        out.append((name, spoken, tuple(form.lower() for form in spoken)))
    return tuple(out)


def _named_in(text: str, names: Set[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The names of ``_spoken`` that ``text`` contains in some spoken form (a quick filter before the
    patterns that say how a name is used)."""
    lowered = text.lower()
    group = frozenset(names)
    if _any_name(group).search(lowered) is None:
        return []  # most messages name no one: one pattern says so faster than every name in turn
    return [(name, spoken) for name, spoken, forms in _spoken(group) if any(f in lowered for f in forms)]


@lru_cache(maxsize=256)
def _any_name(names: frozenset[str]) -> re.Pattern[str]:
    """One pattern for every spoken form of ``names`` (lower-cased), to rule a message out at once."""
    forms = sorted({f for _, _, fs in _spoken(names) for f in fs if f}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)) or r"(?!)")


def _called(text: str, names: set[str]) -> str | None:
    """Whom a request calls by name: at the start of a clause ("…OK, back-translation stays. Jun, can
    you…" asks Jun Takahashi; a first name counts when no one else there has it), right before the
    "you" or "please" it asks with ("另外 Cindy 你可唔可以…", "Rachel pls…", "Steph you've got the list,
    can you…"), or right after the asking word ("麻煩小芸幫忙…")."""
    for name, spoken in _named_in(text, names):
        for said in spoken:
            if re.search(rf"(?:^|[.!?。！？;；]\s*){re.escape(said)}\s*[,，:：]", text, re.IGNORECASE):
                return name
            if re.search(
                rf"(?:^|(?<=[\s，,.!?。！？;；]))(?:{re.escape(said)})\s*(?:(?:麻煩|麻烦|請|请)?\s*(?:你|妳|您)(?![們们哋地])|(?:麻煩|麻烦)(?![了的]))|"
                rf"(?:^|(?<=[\s，,.!?;]))(?:{re.escape(said)})(?:\s*,)?\s+"
                r"(?:(?:can|could|would) you|pls|please|plz|you(?:'ve|'re)?)\b|"
                rf"(?:麻煩|麻烦|拜託|拜托|請|请)\s*(?:{re.escape(said)})",
                text,
                re.IGNORECASE,
            ):
                return name
    return None


#: What a task told to someone by name starts with: an English order ("Junjie, print the fingers in
#: PETG"), or in Chinese a date, 把 or "…一下" right after the name ("Jason周五前把舱位订好", "黄师傅安排一下安保").
_WORK_VERBS = (
    r"print|send|book|call|draft|update|email|order|prepare|set up|write|fix|confirm|upload|schedule|cancel|buy|"
    r"pick up|review|chase"
)
_ORDER = re.compile(
    rf"(?:please\s+|pls\s+)?(?:{_WORK_VERBS}|swap|check|ask|bring|get|make|find|share|post|move|test|reply|tell|go|"
    r"take|sort out|handle)\b",
    re.IGNORECASE,
)
#: An order right after an @mention with nothing between: only verbs of work, since "@Dave get well
#: soon", "@Ann take care" and "@Ben go for it" order nothing.
_WORK_ORDER = re.compile(
    rf"\s+(?:please\s+|pls\s+)?(?:{_WORK_VERBS}|arrange|organi[sz]e|ring|contact|remind|collect|follow up)\b",
    re.IGNORECASE,
)
#: "Name, you're doing X": the job handed over as already theirs (not "you're kidding", "you're going to love it").
_YOURE_ON = re.compile(
    r"\s*,?\s*you(?:'re| are)\s+(?!kidding|joking|killing|going to love|being|missing|welcome)\w+ing\b", re.IGNORECASE
)
#: A Chinese order right after a name and a comma: "刘洋，跟查验科沟通完…", "阿May，先把報價寄出去".
_CHINESE_ORDER = re.compile(
    r"(?:先|再|記得|记得)?(?:跟|同|給|给|把|去|聯絡|联系|通知|安排|準備|准备|整理|訂|订|買|买|查|發|发|寄|催|交|報|报)"
    r"(?=[^，,。！!？?]{2})"
)
_TASK_AFTER_NAME = re.compile(r"[^，,。！!？?\s]{0,10}?(?:把|一下)")


def _told(text: str, names: set[str]) -> tuple[str, re.Match[str]] | None:
    """A task told to a participant called by name at the start of a sentence or clause, without
    "you" or "please" (``_called`` reads those): who is told, and where the task starts."""
    for name, spoken in _named_in(text, names):
        for said in spoken:
            if len(said) < 2:
                continue
            # (after a yes too: "好 Tony 周四前发我看看")
            for at in re.finditer(
                rf"(?:^|(?<=[.!?。！？;；，,]))\s*(?:(?:好|ok|okay|行|嗯)\s+)?(@?){re.escape(said)}",
                text,
                re.IGNORECASE,
            ):
                rest = text[at.end() :]
                order = re.match(r"\s*[,，]\s*|\s*you\s+", rest, re.IGNORECASE)  # "Junjie, print…", "Aina you do…"
                if order and (task := _ORDER.match(rest, order.end()) or re.match(r"do\b", rest[order.end() :])):
                    return name, task
                if order and "," not in order.group(0) and (task := _CHINESE_ORDER.match(rest, order.end())):
                    return name, task  # "刘洋，跟查验科沟通完…给我回个话"
                if at.group(1) and not _QUIP.search(text) and (task := _WORK_ORDER.match(rest)):
                    return name, task  # "@Otieno arrange the inspection…" (not "@Dave get well soon", "@Ann go home")
                if task := _YOURE_ON.match(rest):
                    return name, task  # "Tanner you're running the Ptarmigan drill then"
                due = cues.DUE.match(rest.lstrip())
                start = len(rest) - len(rest.lstrip()) + (due.end() if due else 0)
                if (task := _TASK_AFTER_NAME.match(rest, start)) and (due or task.group(0).endswith("一下")):
                    return name, task
                if due and (task := re.match(r"\s*[\u4e00-\u9fff]", rest[start:])):
                    return name, task
    return None


def _addressed(turns: list[_Turn], k: int) -> str | None:
    """Who an unnamed "can you …" speaks to: the one it replies to, else the previous speaker."""
    turn = turns[k]
    if turn.message.reply_to is not None:
        for earlier in turns[:k]:
            if earlier.index == turn.message.reply_to and earlier.author != turn.author:
                return earlier.author
    for earlier in reversed(turns[:k]):
        if earlier.author != turn.author:
            return earlier.author
    return None


def _asked(turns: list[_Turn], k: int) -> _Turn | None:
    """The request or question a bare "我來 / on it" takes on: the latest earlier message of someone else."""
    for earlier in reversed(turns[max(0, k - 3) : k]):
        if earlier.author != turns[k].author:
            return earlier
    return None


# --- key points and summary -----------------------------------------------------------------------


def _tokens(turns: list[_Turn], english: bool) -> list[list[str]]:
    if english:
        return [en_tokens(t.text) for t in turns]
    return [zh_tokens(to_simplified(t.text)) for t in turns]


def _scores(turns: list[_Turn], english: bool, items: set[int]) -> list[float]:
    """How much each message carries the discussion: centrality of its words (as for an
    article's sentences), its length, reactions, and whether it decides or assigns something."""
    token_lists = _tokens(turns, english)
    idf, default_idf = document_idf(token_lists)
    word_signals = signals(token_lists, idf, default_idf)
    most_reactions = max((t.message.reactions or 0 for t in turns), default=0) or 1
    out = []
    for n, (turn, s) in enumerate(zip(turns, word_signals, strict=True)):
        size = len(turn.text.split()) * 5 if english else len(turn.text)
        length = min(1.0, math.log1p(size) / math.log1p(120))
        value = 0.5 * s.centrality + 0.3 * length + 0.1 * (turn.message.reactions or 0) / most_reactions
        value += 0.15 * (turn.index in items) + 0.1 * (n == 0)
        if size < 8 or cues.is_agreement(turn.text):
            value *= 0.3
        out.append(value)
    return out


def _key_points(turns: list[_Turn], scores: list[float]) -> list[_Item]:
    texts = [t.text for t in turns]
    allowed = [len(t.text) >= 4 and not cues.is_agreement(t.text) for t in turns]
    chosen = select(texts, scores, KEY_POINTS, allowed=allowed if any(allowed) else None)
    return [_Item(turns[i], trimmed(turns[i].text)) for i in sorted(chosen)]


#: A message whose character pairs (word pairs in English) are more than this share already in the
#: summary repeats it and is left out (chosen on half of CSDS val; bench.discussion --rouge).
REPEATS = 0.3


def _pairs(text: str, english: bool) -> set[str]:
    """Consecutive word pairs (English) or character pairs (Chinese) of ``text``, for overlap."""
    if english:
        words = re.findall(r"\w+", text.lower())
        return {f"{a} {b}" for a, b in pairwise(words)}
    chars = re.sub(r"\W", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _summary(turns: list[_Turn], scores: list[float], english: bool) -> str | None:
    """The best messages, in the order they were written, within the budget, none repeating what
    the summary already says."""

    def size(text: str) -> int:
        return len(text.split()) if english else len(text)

    total = sum(size(t.text) for t in turns)
    budget = MAX_SUMMARY["en" if english else "zh"]
    budget = min(budget, max(25 if english else 60, int(0.4 * total)))
    picked: list[tuple[int, str]] = []
    said: set[str] = set()
    used = 0
    for i in sorted(range(len(turns)), key=lambda i: -scores[i]):
        piece = trimmed(turns[i].text)
        if size(piece) < (3 if english else 8) or cues.is_agreement(turns[i].text):
            continue
        if picked and used + size(piece) > budget:
            continue
        pairs = _pairs(piece, english)
        if pairs and len(pairs & said) > REPEATS * len(pairs):
            continue  # it says again what the summary already says
        picked.append((i, piece))
        said |= pairs
        used += size(piece)
        if used >= budget * 0.9:
            break
    if not picked:
        return None
    return " / ".join(piece for _, piece in sorted(picked))


# --- the other language ---------------------------------------------------------------------------


def _bilingual(
    texts: list[str], language: Language, translator: Translator
) -> tuple[list[Bilingual], TranslatorInfo, list[str]]:
    """Each text in both languages: its own (the language it is written in, which in a mixed
    thread may not be the discussion's) and the other through the translator."""
    own: list[Language] = [_item_language(t, language) for t in texts]
    other: list[str | None] = [None] * len(texts)
    info = translator.info
    notes: list[str] = []
    for lang in dict.fromkeys(own):
        at = [i for i, x in enumerate(own) if x == lang and texts[i]]
        if not at:
            continue
        target = target_for(lang, "hans" if language == "zh-Hans" else "hant")
        result = translator.translate(
            TranslationRequest(
                source_language=lang,
                target=target,
                summary=None,
                key_points=tuple(texts[i] for i in at),
                keywords=(),
            )
        )
        info = result.info
        for i, translated in zip(at, result.key_points, strict=True):
            other[i] = translated
        if result.fallback_reason:
            log.warning("translation fell back to the glossary: %s", result.fallback_reason)
            notes.append("The translation backend did not give a usable answer this time, so the glossary was used.")
        if result.info.kind == "glossary":
            notes.append(note_for(target))
    pairs = []
    for text, lang, translated in zip(texts, own, other, strict=True):
        pairs.append(Bilingual(zh=translated, en=text) if lang == "en" else Bilingual(zh=text, en=translated))
    return pairs, info, list(dict.fromkeys(notes))


def _item_language(text: str, discussion: Language) -> Language:
    """English or Chinese by the item's own words; the script is the discussion's, else the item's."""
    if _han_share(text) < 0.3:
        return "en"
    if discussion != "en":
        return discussion
    return detect_language("".join(ch for ch in text if "\u3400" <= ch <= "\u9fff"))


__all__ = ["DEFAULT_MAX_MESSAGES", "brief_discussion", "trimmed"]
