"""Keywords: the article's topic words and names, whole, ranked by how central they are.

Chinese words are jieba's, on the Simplified copy, shown in the original script. Three
things keep the list clean: a compound is kept whole where jieba splits it (輔導金 when
CC-CEDICT knows it, 电子围栏 when the article repeats it); only nouns and names count
(jieba's own part-of-speech tags: 打造 and 奠下 are verbs); and a word jieba made up from
characters it does not know (卻成, 个村) counts only when the article repeats it, as it
does a name. The score is jieba's TF-IDF, each occurrence weighted by how central its
sentence is, so a name in the article's point outranks one in a side remark.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.text.analyse import ZH_STOP_WORDS, en_tokens, jieba_module, zh_idf
from bot.text.tags import is_name, non_topic_tag, tag_of

DEFAULT_KEYWORDS = 8
_NUMERALS = set("一二两三四五六七八九十百千万亿几数")
# Characters a made-up word must not start or end with: measure words and function words.
_LOOSE = set("个个位名条件只次种些的了在是和与及或也就都而并但却又还被把让对从向为以于之其这那着过地得很最更已将会能")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
#: A title of a work (on the Simplified copy): text in 「」 right after 片, 电影, 剧 or 书
#: (谍报片「鱼」, 韩剧「冬季恋歌」) names the work and is not glossed as a common noun.
_TITLE = re.compile(r"(?:片|电影|剧|书)「([^「」\n]{1,30})」")
#: What follows a person's name in news copy: a colon opening a quote, or a verb of saying.
_SPEAKS = re.compile(r"[:：]|表示|说|指出|认为|强调|坦言|透露|直言|回应|提到|呼吁|批评|解释|分析|感叹|质疑|建议")
#: The last character of a noun for a person's role, right before a name (工作者魚夫, 漫畫家魚夫).
_ROLE_END = set("者家员师长手")
#: How much more an occurrence in the most central sentence counts than one in the least.
CENTRAL_BOOST = 2.0
#: Two nouns are one term when at least this share of their uses are side by side.
TOGETHER = 0.6
#: How many of the best-scoring words are looked up (at least; ten per keyword asked for).
SHORTLIST = 80
#: Names (people, places, organisations) count this much more than common nouns.
NAME_BOOST = 2.0


def zh_keywords(
    original: str,
    simplified: str,
    tokens: Sequence[tuple[str, int, int]],
    weights: Sequence[float],
    k: int = DEFAULT_KEYWORDS,
) -> list[str]:
    """Top ``k`` keywords of a Chinese text, shown in its own script.

    ``tokens`` are jieba's words of ``simplified`` (the same-length t2s copy of ``original``)
    with their offsets; ``weights`` says for each how central its sentence is (1.0: a key point).
    """
    titles = _title_spans(simplified)
    words = _merge_compounds(_merge_titles(tokens, simplified, titles), simplified)
    counts = Counter(w for w, _, _ in words)
    title_words = {simplified[a:b] for a, b in titles}
    idf, median = zh_idf()
    freq = jieba_module().dt.FREQ
    score: defaultdict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    weight_at = _weights_by_offset(tokens, weights)
    plausible = {w: _plausible(w) or (w in title_words and len(w) >= 2) for w in counts}
    for word, start, _end in words:
        if plausible[word]:
            score[word] += 1.0 + CENTRAL_BOOST * weight_at.get(start, 0.0)
            first.setdefault(word, start)
    total = sum(counts.values()) or 1
    for word in score:
        score[word] *= idf.get(word, median) ** 0.75 / total
    # Look words up (tags, the dictionary) only near the top: a long article has thousands.
    shortlist = sorted(score, key=lambda w: (-score[w], first[w]))[: max(SHORTLIST, 10 * k)]
    for word in shortlist:
        score[word] *= NAME_BOOST if word in title_words or is_name(word) else 1.0
    ranked = sorted(shortlist, key=lambda w: (-score[w], first[w]))
    chosen: list[str] = []
    for word in ranked:
        # 影视业 adds nothing beside 影视: keep the first-ranked of nested terms.
        if any(word in c or c in word for c in chosen) or not (
            word in title_words or _is_candidate(word, counts[word], freq)
        ):
            continue
        chosen.append(word)
        if len(chosen) == k:
            break
    return [original[first[w] : first[w] + len(w)] for w in chosen]


def _weights_by_offset(tokens: Sequence[tuple[str, int, int]], weights: Sequence[float]) -> dict[int, float]:
    return {start: weight for (_, start, _), weight in zip(tokens, weights, strict=True)}


def _title_spans(simplified: str) -> list[tuple[int, int]]:
    """Where the titles of works are: the text inside 「」 after 片, 电影, 剧 or 书."""
    return [m.span(1) for m in _TITLE.finditer(simplified)]


def _merge_titles(
    tokens: Sequence[tuple[str, int, int]], simplified: str, titles: Sequence[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """Every title one word: 「冬季恋歌」 is a work's name, not 冬季 and 恋歌."""
    if not titles:
        return list(tokens)
    inside = {}
    for start, end in titles:
        for pos in range(start, end):
            inside[pos] = (start, end)
    out: list[tuple[str, int, int]] = []
    for word, start, end in tokens:
        span = inside.get(start)
        if span is None or end > span[1]:
            out.append((word, start, end))
        elif start == span[0]:
            out.append((simplified[span[0] : span[1]], span[0], span[1]))
        # else: a later piece of a title already added whole
    return out


def zh_names(terms: Sequence[str], simplified: str) -> frozenset[str]:
    """Which of ``terms`` (keywords, in the article's script) name someone or something.

    A name is one our entity list or jieba knows as a name (nr, ns, nt, nz tags), the title of
    a work (谍报片「鱼」), or a word jieba's dictionary lacks that the article uses as a person:
    right after a noun for a role (工作者魚夫) or before a colon or a verb of saying (魚夫表示).
    Names get no common noun's sense in the other language (魚夫 is not "fisher").
    """
    from bot.text.analyse import to_simplified

    titles = {simplified[a:b] for a, b in _title_spans(simplified)}
    out = set()
    for term in terms:
        word = to_simplified(term)
        if word in titles or _known_name(word) or (tag_of(word) is None and _used_as_person(word, simplified)):
            out.add(term)
    return frozenset(out)


def _known_name(word: str) -> bool:
    """On our list of names, or tagged a name by jieba with no common-noun entry in CC-CEDICT to
    say otherwise (jieba tags 明白, "clear", as a person's name)."""
    from bot.text.entities import by_name
    from bot.translate import cedict

    if word in by_name():
        return True
    return is_name(word) and not any(entry.pinyin[:1].islower() for entry in cedict.lookup(word))


def _used_as_person(word: str, simplified: str) -> bool:
    pos = simplified.find(word)
    while pos != -1:
        end = pos + len(word)
        if _SPEAKS.match(simplified, end) or (pos > 0 and simplified[pos - 1] in _ROLE_END):
            return True
        pos = simplified.find(word, end)
    return False


def _merge_compounds(tokens: Sequence[tuple[str, int, int]], simplified: str) -> list[tuple[str, int, int]]:
    """Adjacent words joined where they form one term: a dictionary compound (CC-CEDICT), or
    two nouns the article puts side by side more than once and seldom uses apart (电子围栏;
    not 台灣影視, where 影視 stands on its own elsewhere)."""
    from bot.translate import cedict
    from bot.translate.names import known_names

    names = known_names()
    han = {w: bool(_HAN.match(w)) for w in {w for w, _, _ in tokens}}
    # Side by side (no gap), both Han, and said at least twice: the only pairs worth a look.
    pairs = Counter(a[0] + b[0] for a, b in itertools.pairwise(tokens) if a[2] == b[1] and han[a[0]] and han[b[0]])
    # Said twice, or a term the dictionary or our names know whole (辅导|金, 电子|围栏): a term
    # known whole is glossed whole, and its parts must not stand in for it.
    pairs = Counter({joined: n for joined, n in pairs.items() if n >= 2 or joined in names})
    if not pairs:
        return list(tokens)
    alone = Counter(w for w, _, _ in tokens)
    known: dict[str, bool] = {}

    def compound(a: str, b: str) -> bool:
        joined = a + b
        if joined not in known:
            together = pairs[joined]
            if joined in names:
                known[joined] = True
            elif together < 2 or len(joined) > 6:
                known[joined] = False  # a term the article names once is no keyword either way
            elif len(a) >= 2 and len(b) >= 2:
                apart = max(alone[a], alone[b])
                known[joined] = together >= TOGETHER * apart and not (non_topic_tag(a) or non_topic_tag(b))
            else:  # jieba split off one character (輔導|金): whole if the dictionary has the whole
                known[joined] = len(joined) >= 3 and bool(cedict.lookup(joined))
        return known[joined]

    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        word, start, end = tokens[i]
        if i + 1 < len(tokens) and tokens[i + 1][1] == end and han[word]:
            nxt = tokens[i + 1][0]
            if han[nxt] and (word + nxt) in pairs and compound(word, nxt):
                out.append((word + nxt, start, tokens[i + 1][2]))
                i += 2
                continue
        out.append((word, start, end))
        i += 1
    return out


def _plausible(word: str) -> bool:
    """Cheap checks first: a word of Han characters, not a number, not a function word."""
    if len(word) < 2 or not _HAN.match(word) or (word[0] in _NUMERALS and len(word) <= 3):
        return False
    return word not in ZH_STOP_WORDS


def _is_candidate(word: str, count: int, freq: dict[str, int]) -> bool:
    """A topic word or name: whole, not a number, not a verb or function word, not a fragment."""
    if not _plausible(word):
        return False
    if freq.get(word) or tag_of(word) is not None:
        return not non_topic_tag(word)
    from bot.translate import cedict
    from bot.translate.names import english_name

    if english_name(word) or cedict.lookup(word):
        return True
    # A word jieba put together from characters it does not know: a name if the article
    # repeats it and it neither starts nor ends like loose grammar.
    return count >= 2 and word[0] not in _LOOSE and word[-1] not in _LOOSE


def en_keywords(text: str, k: int = DEFAULT_KEYWORDS) -> list[str]:
    """Most frequent content words of an English text, first-seen order breaking ties."""
    tokens = [t for t in en_tokens(text) if len(t) > 2]
    counts = Counter(tokens)
    first = {t: i for i, t in reversed(list(enumerate(tokens)))}
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return ranked[:k]
