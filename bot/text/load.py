"""Load: a file path, ``-`` for stdin, or an http(s) URL, turned into text.

Bytes are decoded by detection (charset-normalizer), never by guessing by hand, and
every refusal is a ``BriefbotError`` with one sentence a person can act on.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bot import settings
from bot.chat.i18n import N_
from bot.errors import InputError

#: The refusals that name an article; a discussion's reader (``bot.text.discussion.load``) words
#: them for a discussion instead.
EMPTY = N_("The input is empty; paste an article or give a file that contains one.")
BINARY = N_("The input looks like binary data, not text; give a plain-text or HTML article.")
NOT_UTF16 = N_("The input starts like UTF-16 but does not read as UTF-16 text; save it as UTF-8 and try again.")
FOLDER = N_("{path} is a folder; give the path of an article file.")
TOO_LARGE = N_(
    "The input is {size}, more than the {limit} limit; brief a single article, or raise BRIEFBOT_MAX_INPUT_BYTES."
)

# Encodings an article may come in besides UTF-8; detection chooses among them.
_CANDIDATE_ENCODINGS = ["utf_8", "utf_16", "big5", "cp950", "gb18030", "gbk", "gb2312", "cp1252"]


@dataclass(frozen=True, slots=True)
class LoadedText:
    text: str
    #: What the user gave: the path, ``stdin`` or the URL.
    source: str
    #: A title found by the loader (an HTML page's title), if any.
    title: str | None = None
    encoding: str = "utf-8"


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def load(source: str, *, max_bytes: int | None = None, stdin: BinaryIO | None = None) -> LoadedText:
    """Load ``source`` (path, ``-`` or URL) as text, refusing what cannot be summarised."""
    limit = max_bytes if max_bytes is not None else settings.max_input_bytes()
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(limit + 1)
        return _from_bytes(data, source="stdin", limit=limit)
    if is_url(source):
        from bot.text.fetch import fetch_article  # httpx and trafilatura load only when needed

        return fetch_article(source, max_text_bytes=limit)
    if "://" in source:
        scheme = source.split("://", 1)[0]
        raise InputError("Only http and https links can be briefed, not {scheme}:// links.", scheme=scheme)
    return _from_path(Path(source), limit)


def _from_path(path: Path, limit: int) -> LoadedText:
    try:
        if path.is_dir():
            raise InputError(FOLDER, path=str(path))
        size = path.stat().st_size
        if size > limit:
            raise _too_large(size, limit)
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(
            "No such file: {path}. Check the path, or pass - to read from stdin.", path=str(path)
        ) from None
    except PermissionError:
        raise InputError("Cannot read {path}: permission denied.", path=str(path)) from None
    except IsADirectoryError:
        raise InputError(FOLDER, path=str(path)) from None
    except OSError as exc:
        raise InputError("Cannot read {path}: {reason}.", path=str(path), reason=str(exc.strerror or exc)) from None
    return _from_bytes(data, source=str(path), limit=limit)


def _too_large(size: int, limit: int) -> InputError:
    return InputError(
        TOO_LARGE,
        size=_human(size),
        limit=_human(limit),
    )


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _from_bytes(data: bytes, *, source: str, limit: int) -> LoadedText:
    if len(data) > limit:
        raise _too_large(len(data), limit)
    text, encoding = decode(data)
    return LoadedText(text=text, source=source, encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 with BOM, Big5, GB18030 and kin."""
    if not data.strip():
        raise InputError(EMPTY)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
        if text is None or not _reads_as_text(text):
            raise InputError(NOT_UTF16) from None
        return _checked(text), "utf-16"
    if b"\x00" in data:
        raise InputError(BINARY)
    try:
        return _checked(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError("The input is not text in a known encoding; save it as UTF-8 (or Big5/GB18030) and try again.")
    return _checked(str(best)), best.encoding


def _reads_as_text(text: str) -> bool:
    """Whether text decoded after a UTF-16 byte-order mark reads as writing, not as bytes that
    happen to follow two BOM-like bytes: any two bytes decode to some UTF-16 character, so junk
    comes out as unassigned and private-use code points, Han characters outside the everyday
    sets (GB2312, Big5) and letters of far-off scripts. Text is refused when a third or more of
    its first 4,096 visible characters are such. Real text scores low: none of 14,356 texts (the
    seed, 1,000 LCSTS posts and their summaries, every press release of the quality benchmark),
    re-encoded as UTF-16, is refused; random bytes of 20 characters or more are, 98 times in 100
    (91 in 100 at ten characters, and the shortest junk can pass for text at all)."""
    sample = [ch for ch in text[:4096] if not ch.isspace() and ch != "\ufeff"]
    odd = 0
    for ch in sample:
        code = ord(ch)
        if unicodedata.category(ch) in ("Co", "Cn", "Cs"):
            odd += 1
        elif 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
            odd += not _everyday_han(ch)
        elif code > 0x2FFF and not (0x3000 <= code <= 0x30FF or 0xFF00 <= code <= 0xFFEF):
            odd += unicodedata.category(ch)[0] in "LM"
    return odd * 3 <= len(sample)


def _everyday_han(ch: str) -> bool:
    for encoding in ("gb2312", "big5"):
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _checked(text: str) -> str:
    """Refuse decoded text that is mostly control characters (binary that happened to decode)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(EMPTY)
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > len(sample) * 0.02:
        raise InputError(BINARY)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text_size(text: str, *, max_bytes: int | None = None) -> None:
    """Refuse text over the size limit, or text that is not valid Unicode (for text handed in
    directly, as in chat: bytes that were not UTF-8 arrive as lone surrogates)."""
    if _SURROGATE.search(text):
        raise InputError(
            "The input holds bytes that are not valid UTF-8 text; save or paste it as UTF-8 and try again."
        )
    limit = max_bytes if max_bytes is not None else settings.max_input_bytes()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise _too_large(size, limit)


__all__ = ["LoadedText", "check_text_size", "decode", "is_url", "load"]
