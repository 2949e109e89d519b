"""Keep the gettext catalogues in step with the code: extract, update, compile (babel).

    python -m bot.chat.catalogs update    # new strings from the code into every .po (empty msgstr)
    python -m bot.chat.catalogs compile   # every .po to its .mo
    python -m bot.chat.catalogs check     # exit 1 when a string is missing or untranslated, or a .mo is stale

The compiled ``.mo`` files are committed beside their ``.po``: ``pip install -e .`` on a fresh
machine then has working catalogues with no build step (setuptools has no hook for editable
installs that would compile them), and ``tests/chat/test_catalogs.py`` fails when a ``.mo`` no
longer matches its ``.po`` or the code has a string the catalogues lack.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from bot.chat.i18n import CATALOGUE_NAMES, DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
#: Where the bot's words are written. The chat adapters join this list as they are localised.
SOURCES: tuple[str, ...] = (
    "bot",
    "adapters/shell",
    "adapters/cli.py",
    "adapters/slack",
    "adapters/discord",
    "adapters/discussion.py",
)
#: The calls whose string arguments are message ids: gettext's own names, the helpers in
#: bot.chat.i18n (``tr(locale, msgid, …)``), and the error classes, whose first argument is the
#: English template of the sentence a user sees.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "tr": (2,),
    "ntr": (2, 3),
    "Message": None,
    "BriefbotError": None,
    "InputError": None,
    "FetchError": None,
    "ConfigError": None,
    "CommandError": None,
    "ScheduleError": None,
    "SettingsError": None,
    "FileRefused": None,
    "DiscussionFetchError": None,
    "DiscordError": None,
    "DiscussionError": None,
}
#: babel's spec for a keyword with no positions: the first argument.
_FIRST = (1,)


def source_files(sources: Iterable[str] = SOURCES) -> list[Path]:
    files: list[Path] = []
    for name in sources:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def extract(sources: Iterable[str] = SOURCES) -> Catalog:
    """Every message id in the code, with where it was found."""
    catalog = Catalog(domain=DOMAIN, project="briefbot", charset="utf-8")
    keywords = {name: spec or _FIRST for name, spec in KEYWORDS.items()}
    for path in source_files(sources):
        # babel warns on stderr about every f-string passed to a keyword (an f-string error is
        # English-only by design); the catalogue is what matters here.
        with contextlib.redirect_stderr(io.StringIO()):
            found = list(extract_from_file("python", str(path), keywords=keywords, comment_tags=("Translators:",)))
        for lineno, message, comments, context in found:
            where = str(path.relative_to(ROOT))
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE_DIR / CATALOGUE_NAMES[locale] / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=CATALOGUE_NAMES[locale], domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update(sources: Iterable[str] = SOURCES) -> None:
    template = extract(sources)
    for locale in CATALOGUE_NAMES:
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            catalog = read_catalog(path, locale)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=CATALOGUE_NAMES[locale], domain=DOMAIN, project="briefbot", charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=False, omit_header=False)


def compile_all() -> None:
    for locale in CATALOGUE_NAMES:
        path = po_path(locale)
        path.with_suffix(".mo").write_bytes(compiled(read_catalog(path, locale)))


def problems(sources: Iterable[str] = SOURCES) -> list[str]:
    """What is wrong with the catalogues, one line each (none: they are complete and compiled)."""
    template = extract(sources)
    found: list[str] = []
    for locale in CATALOGUE_NAMES:
        path = po_path(locale)
        catalog = read_catalog(path, locale)
        for message in template:
            if not message.id:
                continue
            have = catalog.get(message.id, message.context)
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:1])
            if have is None:
                found.append(f"{locale}: {_first(message.id)!r} ({where}) is not in {path.name}")
            elif not _translated(have.string) or have.fuzzy:
                found.append(f"{locale}: {_first(message.id)!r} ({where}) has no translation")
        mo = path.with_suffix(".mo")
        if not mo.exists():
            found.append(f"{locale}: {mo.name} is missing; run python -m bot.chat.catalogs compile")
            continue
        with mo.open("rb") as fh:
            committed = read_mo(fh)
        if _pairs(committed) != _pairs(catalog):
            found.append(f"{locale}: {mo.name} does not match {path.name}; run python -m bot.chat.catalogs compile")
    return found


def _first(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _translated(string: str | tuple[str, ...] | None) -> bool:
    if isinstance(string, tuple):
        return all(string)
    return bool(string)


def _pairs(catalog: Catalog) -> dict[object, object]:
    """Message id → translation, plural forms as tuples (read_mo gives lists, read_po tuples)."""

    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id and _translated(m.string) and not m.fuzzy}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    action = args[0] if args else "check"
    if action == "update":
        update()
    elif action == "compile":
        compile_all()
    elif action == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print("usage: python -m bot.chat.catalogs update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
