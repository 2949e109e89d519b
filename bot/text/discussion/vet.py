"""A second look at what the cue rules found, learned from annotated threads.

The rules (``brief.py``) read one message at a time with a few neighbours; on threads nobody tuned
them on they miss decisions reached by agreement and keep some that were overturned. Here every
message is described by a few dozen signals — what the rules made of it and of its neighbours, its
cues, whether others back it or object, whether a later message changes the same matter, where it
stands in the thread — and the words it and the messages either side of it are written in
(``turn_words``: a fitted vocabulary of about 2,700 words of the message itself and 5,200 of its
neighbours, small words included, since "就這樣吧" and "let's" are what a decision sounds like, and an
"ok" right after a proposal is what makes it one) and, for decisions and open questions, every pair
of signals (``PAIRS``: the lead replying right after a question says more than either half) — and
three logistic models (decisions, open questions, action items), fitted by
``bench/fit_discussion.py`` on blind-written annotated threads and stored in ``data/vet.json``,
give the chance that a careful reader would cite it. A rule's item is kept when that chance is at
least ``keep``; a message the rules passed over becomes an item when it is at least ``add`` and no
kept item stands within ``SPAN`` messages of it (for a decision, within ``AHEAD`` messages after
it). Items are still the messages' own words. Threads shorter than ``MIN_MESSAGES`` keep the rules'
items: the models know nothing shorter.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import combinations

from bot.text.analyse import jieba_module, to_simplified
from bot.text.discussion import cues
from bot.text.discussion.brief import (
    _ADDRESSES,
    _GROUP,
    _OBJECTION,
    _OFFER,
    _OFFER_ASKED,
    _PROPOSAL,
    _QUIP,
    _SHORT_COMMITMENT,
    Found,
    _backs,
    _done,
    _Item,
    _needed,
    _overlap,
    _owner,
    _proposal,
    _question_text,
    _social,
    _topic_words,
    _Turn,
    _values,
    _work_cues,
    trimmed,
)

#: Messages either side of an item within which no second item on the same matter is added.
SPAN = 3
#: Messages before a kept decision within which none is added: a decision is put forward, then
#: settled ("那就…", "go with…"), so a message just before the settling one is mostly the proposal
#: it settles, not a second decision.
AHEAD = 4
#: The categories, each with its own model, in the order the rules find them.
KINDS = ("decisions", "open_questions", "action_items")
#: The models were fitted on threads of 20–80 messages; a shorter exchange keeps the rules' items.
MIN_MESSAGES = 20
#: Messages after one in which backing or objection from others is looked for.
REPLY_WINDOW = 4


def _bare_ack(text: str) -> bool:
    """ "ok", "好的👍", "sounds good!": agreement and nothing more (not "可以把簡報寄給大家嗎")."""
    head = cues.ACK.match(text)
    return head is not None and len(re.sub(r"[\W_]", "", text[head.end() :])) <= 4 and not cues.is_question(text)


_NO = re.compile(
    r"^(?:@\S+\s*)?(?:no\b|nope|nah|不行|不要|不好|唔好|唔得|別|别|but\b|但|可是|不過|不过|hmm)", re.IGNORECASE
)

FEATURES = (
    "rule_decision",
    "rule_agreed",
    "rule_replaced",
    "rule_decision_near",
    "rule_action",
    "rule_action_who",
    "rule_action_due",
    "rule_action_near",
    "rule_question",
    "decision_cue",
    "agreement",
    "backs",
    "proposal",
    "change",
    "put_off",
    "undecided",
    "question",
    "social",
    "request",
    "self_action",
    "todo",
    "needed",
    "done",
    "due",
    "offer",
    "short_commitment",
    "addresses",
    "group",
    "quip",
    "conditional",
    "mentions",
    "values",
    "acks_after",
    "objection_after",
    "commitment_after",
    "changed_later",
    "done_later",
    "after_question",
    "ack_before",
    "position",
    "late",
    "length",
    "short",
    "lead_author",
    "english",
    "first",
    "asker_acks",
    "acked_author",
)


#: Every pair of signals (a < b, in ``FEATURES`` order), each weighed as the product of the two: a
#: reply is a decision when the lead gives it right after a question, not for either alone.
PAIRS = tuple(combinations(range(len(FEATURES)), 2))


def _pair_position(a: int, b: int, n: int = len(FEATURES)) -> int:
    """Where the pair (a, b), a < b, stands in ``PAIRS``."""
    return a * n - a * (a + 1) // 2 + (b - a - 1)


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over ``FEATURES``, their ``PAIRS`` and a message's words (``turn_words``:
    its own and its neighbours'), and its two thresholds."""

    weights: tuple[float, ...]
    bias: float
    keep: float
    add: float
    #: The weight of each word of the fitted vocabulary (``turn_words``); other words weigh 0.
    words: Mapping[str, float] = field(default_factory=dict)
    #: The weight of each of ``PAIRS`` (none: pairs weigh 0).
    pairs: tuple[float, ...] = ()

    def chance(self, x: list[float], words: Iterable[str] = ()) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        z += sum(self.words.get(w, 0.0) for w in words)
        if self.pairs:
            # Most signals are 0 for a message: only pairs of the others count.
            on = [i for i, v in enumerate(x) if v]
            z += sum(self.pairs[_pair_position(a, b)] * x[a] * x[b] for a, b in combinations(on, 2))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


#: How ``message_words`` cuts a message and ``turn_words`` adds its neighbours' words; the shipped
#: vocabulary is used only when it was fitted on the same words.
WORDS_VERSION = 2
#: The marks of a word of the message before, and of the message after.
BEFORE, AFTER = "<", ">"
_LINK = re.compile(r"https?://\S+|www\.\S+")
_AT = re.compile(r"@\S+")
_DIGITS = re.compile(r"\d+")
_WORDISH = re.compile(r"\w")
#: Marks that say something on their own; each counts as a word when the message has it.
_MARKS = {"?": "?", "？": "?", "!": "!", "！": "!", "👍": "👍", "🙏": "🙏"}


@lru_cache(maxsize=8192)
def message_words(text: str) -> frozenset[str]:
    """The words a model weighs: jieba's words of the Simplified, lower-cased text, with every link
    one word ``<link>``, every @mention ``<at>`` and every number ``0``, plus a few marks (? ! 👍 🙏).
    Small words count here ("就", "吧", "let's"): they are much of what a decision sounds like."""
    unlinked = _LINK.sub(" ", text)
    plain = _DIGITS.sub("0", _AT.sub(" ", to_simplified(unlinked).lower()))
    found = {w for w in jieba_module().lcut(plain) if _WORDISH.search(w)}
    found |= {"<link>"} if unlinked != text else set()
    found |= {"<at>"} if _AT.search(unlinked) else set()
    found |= {mark for ch, mark in _MARKS.items() if ch in unlinked}
    return frozenset(found)


def turn_words(turns: list[_Turn]) -> list[frozenset[str]]:
    """The words each message of a thread is weighed by: its own (``message_words``), and those of
    the message before it, each marked ``<``, and of the one after it, marked ``>`` — a decision is
    often a reply to "which one?" and is followed by "ok"; a question followed by its answer is not
    open."""
    own = [message_words(t.text) for t in turns]
    if not own:
        return []
    before = [frozenset[str](), *(frozenset(BEFORE + w for w in words) for words in own[:-1])]
    after = [*(frozenset(AFTER + w for w in words) for words in own[1:]), frozenset[str]()]
    return [a | b | c for a, b, c in zip(own, before, after, strict=True)]


@lru_cache(maxsize=1)
def models() -> dict[str, Model] | None:
    """The fitted models, or None when none are shipped (then the rules' items stand)."""
    try:
        raw = json.loads(resources.files("bot.text").joinpath("data/vet.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if (
        tuple(raw["features"]) != FEATURES
        or raw.get("words_version") != WORDS_VERSION
        or any(len(m.get("pairs", ())) not in (0, len(PAIRS)) for m in raw["models"].values())
    ):
        return None  # fitted for other signals: refit with bench/fit_discussion.py
    return {
        name: Model(
            tuple(m["weights"]), m["bias"], m["keep"], m["add"], dict(m.get("words", {})), tuple(m.get("pairs", ()))
        )
        for name, m in raw["models"].items()
    }


def features(turns: list[_Turn], found: Found) -> list[list[float]]:
    """The signals of every message, in ``FEATURES`` order."""
    n = len(turns)
    decided = {d.turn.index: d for d in found.decisions}
    agreed = {turns[d.agreed_at].index for d in found.decisions if d.agreed_at is not None}
    acted = {a.turn.index: a for a in found.actions}
    asked = {q.turn.index for q in found.questions}
    position = {t.index: i for i, t in enumerate(turns)}
    decided_at = {position[i] for i in decided} | {position[i] for i in agreed}
    acted_at = {position[i] for i in acted}
    lead = Counter(t.author for t in turns).most_common(1)[0][0]
    topics = [set(_topic_words(t.text)) for t in turns]
    values = [_values(t.text) for t in turns]
    # Per message once, so that looking ahead from each message costs a set comparison at most.
    changes = [cues.CHANGE.search(t.text) is not None or cues.is_decision(t.text) for t in turns]
    dones = [_done(t.text) for t in turns]
    # A yes ("ok", "收到"), read once per message: for the yeses a message gets, and for how many its
    # author gets in all (the one who settles things is not always the one who talks most).
    yes = [cues.ACK.match(t.text) is not None and not cues.is_question(t.text) for t in turns]
    acked: Counter[str] = Counter()
    for k, turn in enumerate(turns):
        acked[turn.author] += sum(1 for j in range(k + 1, min(n, k + 3)) if yes[j] and turns[j].author != turn.author)
    most_acked = max(acked.values(), default=0)
    rows = []
    for k, turn in enumerate(turns):
        text = turn.text
        ahead = range(k + 1, min(n, k + 1 + REPLY_WINDOW))
        after = [turns[j] for j in ahead if turns[j].author != turn.author]
        acks = {turns[j].author for j in ahead if yes[j] and turns[j].author != turn.author}
        objection = any(_NO.match(t.text) or _OBJECTION.search(t.text) for t in after[:3])
        commitment = any(_SHORT_COMMITMENT.match(t.text) or cues.SELF_ACTION.search(t.text) for t in after[:2])
        changed = False
        done_later = False
        for j in range(k + 2, n):
            mine = dones[j] and turns[j].author == turn.author
            if not (changes[j] or mine) or (changed and done_later):
                continue
            shared = _overlap(topics[k], topics[j])
            if changes[j] and shared >= 0.34 and (not values[k] or values[k].keys() & values[j].keys()):
                changed = True
            if mine and shared >= 0.34:
                done_later = True
        before = turns[k - 1] if k else None
        action = acted.get(turn.index)
        english = sum(ch.isascii() for ch in text) > 0.8 * max(1, len(text))
        size = len(text.split()) * 5 if english else len(text)
        row = {
            "rule_decision": turn.index in decided,
            "rule_agreed": turn.index in agreed
            or (turn.index in decided and decided[turn.index].agreed_at is not None),
            "rule_replaced": turn.index in found.replaced,
            "rule_decision_near": any(0 < abs(k - d) <= SPAN for d in decided_at),
            "rule_action": action is not None,
            "rule_action_who": action is not None and action.who is not None,
            # (as fitted: a date the cues read, not a day of the month alone, "before the 30th")
            "rule_action_due": action is not None
            and action.due is not None
            and cues.DUE.search(action.due) is not None,
            "rule_action_near": any(0 < abs(k - a) <= SPAN for a in acted_at),
            "rule_question": turn.index in asked,
            "decision_cue": cues.is_decision(text),
            "agreement": cues.is_agreement(text),
            "backs": _backs(text),
            "proposal": _PROPOSAL.search(text) is not None,
            "change": cues.CHANGE.search(text) is not None,
            "put_off": cues.PUT_OFF.search(text) is not None
            or (
                cues.DEFERRED.search(text) is not None
                and cues.SELF_ACTION.search(text) is None
                and not (action is not None and action.who is not None and action.who != turn.author)
            ),
            "undecided": cues.UNDECIDED.search(text) is not None,
            "question": cues.is_question(text),
            "social": _social(turns, k),
            "request": cues.REQUEST.search(text) is not None,
            "self_action": cues.SELF_ACTION.search(text) is not None,
            "todo": cues.TODO.search(text) is not None,
            "needed": _needed(text),
            "done": _done(text),
            "due": cues.DUE.search(text) is not None,  # (as fitted: a date that is also a cue)
            "offer": _OFFER.search(text) is not None,
            "short_commitment": _SHORT_COMMITMENT.match(text) is not None,
            "addresses": _ADDRESSES.search(text) is not None,
            "group": _GROUP.search(text) is not None,
            "quip": _QUIP.search(text) is not None,
            "conditional": cues.CONDITIONAL.search(text) is not None,
            "mentions": bool(turn.prepared.mentions),
            "values": min(3, len(values[k])) / 3,
            "acks_after": min(3, len(acks)) / 3,
            "objection_after": objection,
            "commitment_after": commitment,
            "changed_later": changed,
            "done_later": done_later,
            "after_question": before is not None and before.author != turn.author and cues.is_question(before.text),
            "ack_before": before is not None and before.author != turn.author and cues.ACK.match(text) is not None,
            "position": k / max(1, n - 1),
            "late": k >= 0.85 * n,
            "length": min(1.0, math.log1p(size) / math.log1p(200)),
            "short": size <= 8,
            "lead_author": turn.author == lead,
            "english": english,
            "first": k == 0,
            "asker_acks": _asker_acks(turns, k),
            "acked_author": acked[turn.author] / most_acked if most_acked else 0.0,
        }
        rows.append([float(row[name]) for name in FEATURES])
    return rows


def _asker_acks(turns: list[_Turn], k: int) -> bool:
    """An answer to the question just before it that the asker then takes as said ("退款怎么回？"
    "想退的全部退，全额" "收到"): an answer given as a ruling, or a plain fact acknowledged."""
    if k == 0 or k + 1 >= len(turns) or cues.is_question(turns[k].text):
        return False
    asked, reply = turns[k - 1], turns[k + 1]
    return (
        asked.author != turns[k].author
        and cues.is_question(asked.text)
        and reply.author == asked.author
        and cues.ACK.match(reply.text) is not None
        and not cues.is_question(reply.text)
    )


def vet(turns: list[_Turn], found: Found) -> tuple[list[_Item], list[_Item], list[_Item]]:
    """Decisions, open questions and action items after the second look (the rules' own when no
    model is shipped)."""
    fitted = models()
    if fitted is None or len(turns) < MIN_MESSAGES:
        return found.decisions, found.questions, found.actions
    rows, words = features(turns, found), turn_words(turns)
    decisions = decide("decisions", turns, rows, fitted["decisions"], found, words)
    actions = decide("action_items", turns, rows, fitted["action_items"], found, words)
    taken = {i.turn.index for i in (*decisions, *actions)}
    questions = decide("open_questions", turns, rows, fitted["open_questions"], found, words)
    return decisions, [q for q in questions if q.turn.index not in taken], actions


def rule_items(kind: str, found: Found) -> list[_Item]:
    """The rules' own items of one category (``KINDS``)."""
    return {"decisions": found.decisions, "open_questions": found.questions, "action_items": found.actions}[kind]


def decide(
    kind: str,
    turns: list[_Turn],
    rows: list[list[float]],
    model: Model,
    found: Found,
    words: list[frozenset[str]] | None = None,
    chances: list[float] | None = None,
) -> list[_Item]:
    """The items of one category (``KINDS``) after the second look with ``model``; ``words`` are
    the messages' ``turn_words`` when already cut, ``chances`` the model's chance of each message
    when already weighed (the fitter tries many thresholds on the same chances)."""
    make = {"decisions": _decision_item, "open_questions": _question_item, "action_items": _action_item}[kind]
    barred = found.replaced if kind == "decisions" else frozenset()
    # A rule's job that promises to come back with what it finds ("let me check and revert") stays
    # whatever the model says: the model has no signal for it, and on the training threads every
    # such job it dropped was one the gold lists (7 of 7; of the 97 it kept, 95). So does the
    # speaker's own offer put as a question and said yes to (``brief._offer_taken``: "Want me to ring
    # them?" "Go for it"), for the same reason: the model has no signal for it.
    sure = (
        frozenset(
            i.turn.index
            for i in found.actions
            if _reports_back(i.turn.text) or (i.who == i.turn.author and _OFFER_ASKED.search(i.turn.text))
        )
        if kind == "action_items"
        else frozenset()
    )
    if words is None and chances is None:
        # (a model without words needs no cut of the messages)
        words = turn_words(turns) if model.words else [frozenset[str]()] * len(turns)
    ahead = AHEAD if kind == "decisions" else SPAN
    return _decode(turns, rows, words or [], model, rule_items(kind, found), make, barred, chances, sure, ahead)


def _decode(
    turns: list[_Turn],
    rows: list[list[float]],
    words: list[frozenset[str]],
    model: Model,
    items: list[_Item],
    make: Callable[[list[_Turn], int], _Item | None],
    barred: Set[int] = frozenset(),
    chances: list[float] | None = None,
    sure: Set[int] = frozenset(),
    ahead: int = SPAN,
) -> list[_Item]:
    """The rules' items whose chance is at least ``keep``, and the messages the rules passed over
    whose chance is at least ``add``, best first, none within ``SPAN`` messages after another item
    or ``ahead`` messages before one, and none of the ``barred`` messages (decisions the rules saw
    replaced later); the rules' items at the ``sure`` messages are kept whatever their chance."""
    position = {t.index: i for i, t in enumerate(turns)}
    if chances is None:
        chances = [model.chance(x, w) for x, w in zip(rows, words, strict=True)]
    kept = [i for i in items if chances[position[i.turn.index]] >= model.keep or i.turn.index in sure]
    taken = {position[i.turn.index] for i in kept}
    taken |= {i.agreed_at for i in kept if i.agreed_at is not None}
    added: list[_Item] = []
    for k in sorted(range(len(turns)), key=lambda k: -chances[k]):
        if chances[k] < model.add:
            break
        if any(-SPAN <= t - k <= ahead for t in taken):
            continue
        item = make(turns, k)
        if item is None or item.turn.index in barred or item.turn.index in {i.turn.index for i in (*kept, *added)}:
            continue
        added.append(item)
        taken.add(k)
    return sorted([*kept, *added], key=lambda i: i.turn.index)


def _reports_back(text: str) -> bool:
    """A job that promises to come back with what it finds, said, not asked."""
    return cues.REPORT_BACK.search(text) is not None and not cues.is_question(text)


def _decision_item(turns: list[_Turn], k: int) -> _Item | None:
    """A decision cited at message k: a bare "ok/同意" stands for the proposal it backs."""
    turn = turns[k]
    if _bare_ack(turn.text) or cues.is_agreement(turn.text) or len(_topic_words(turn.text)) < 2:
        proposal = _proposal(turns, k) or next(
            (
                t
                for t in reversed(turns[max(0, k - SPAN) : k])
                if t.author != turn.author
                and not _bare_ack(t.text)
                and not cues.is_question(t.text)
                and _says_something(t.text)
            ),
            None,
        )
        if proposal is None or not _says_something(proposal.text):
            return None  # "hello hello" "嚟緊 ✋" "收到": a greeting acknowledged decides nothing
        return _Item(proposal, trimmed(proposal.text, _PROPOSAL), agreed_at=k)
    if _done(turn.text) and not cues.is_decision(turn.text):
        return None  # "吸尘器我早上检查过了，已经报给工程部了": a report of work done settles nothing
    return _Item(turn, trimmed(turn.text, cues.DECISION if cues.DECISION.search(turn.text) else None))


def _says_something(text: str) -> bool:
    """Whether a message carries a matter (two topic words, or a value) that a decision could fix."""
    return len(_topic_words(text)) >= 2 or bool(_values(text))


def _action_item(turns: list[_Turn], k: int) -> _Item | None:
    """Work cited at message k, with who and when as the message says: the owner as the rules
    name it (``_owner``), else someone mentioned, else the next speaker who takes it up, else the
    one a request speaks to."""
    turn = turns[k]
    text = turn.text
    if _SHORT_COMMITMENT.match(text) or _bare_ack(text):
        return None  # "我來" / "ok" stand for the work asked before; the rules place those
    if cues.THREAT.search(text):
        return None  # a threat in jest ("谁再…我就…") takes nothing on, whatever the model makes of it
    self_, request, todo = _work_cues(turn)
    names = {t.author for t in turns}
    who = _owner(turns, k, names, self_, request, todo, guess=False)
    named = [m for m in turn.prepared.mentions if m != turn.author]
    if who is None and named:
        who = named[0]
    due = cues.due_in(text)
    if who is None:
        for later in turns[k + 1 : k + 3]:
            if later.author != turn.author and (
                _SHORT_COMMITMENT.match(later.text) or cues.SELF_ACTION.search(later.text)
            ):
                who, due = later.author, due or cues.due_in(later.text)
                break
    if who is None and request:
        who = _owner(turns, k, names, self_, request, todo)
    pattern = next((p for p in (cues.SELF_ACTION, cues.REQUEST, cues.TODO) if p.search(text)), None)
    return _Item(turn, trimmed(text, pattern), who=who, due=due)


def _question_item(turns: list[_Turn], k: int) -> _Item | None:
    """A question left open at message k: the question it asks, or the matter it puts off."""
    text = turns[k].text
    if cues.is_question(text):
        asked = _question_text(text)
        return None if asked is None else _Item(turns[k], trimmed(asked))
    if cues.DEFERRED.search(text) and not cues.PUT_OFF.search(text):
        # "不知道 leh" answers a question without settling it: the question is what stays open.
        for earlier in reversed(turns[max(0, k - SPAN) : k]):
            if earlier.author != turns[k].author and cues.is_question(earlier.text):
                asked = _question_text(earlier.text)
                return None if asked is None else _Item(earlier, trimmed(asked))
    if cues.PUT_OFF.search(text) or cues.DEFERRED.search(text):
        return _Item(turns[k], trimmed(text, cues.PUT_OFF))
    return None
