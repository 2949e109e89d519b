"""``briefbot feedback [--since 7d]``: what readers thought of the briefings, from the store."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from adapters.shell.render import for_terminal
from bot.chat.i18n import tr
from bot.config import database_url, load_config
from bot.store import FeedbackReport, Store, Tally


def print_report(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    locale = args.locale or config.locale
    since = datetime.now(UTC) - timedelta(seconds=args.since) if args.since else None
    store = Store(database_url(config))
    try:
        report = store.feedback_report(since)
    finally:
        store.close()
    print(for_terminal(render_report(report, locale)), end="")
    return 0


def render_report(report: FeedbackReport, locale: str = "en") -> str:
    """The report as plain text: counts per source and per translator, then the worst briefings."""
    if report.empty:
        if report.since is None:
            return tr(locale, "No feedback yet.") + "\n"
        return tr(locale, "No feedback since {since}.", since=_when(report.since)) + "\n"
    lines = []
    if report.since is not None:
        lines += [tr(locale, "Feedback since {since}", since=_when(report.since)), ""]
    lines.append(tr(locale, "By source"))
    lines += [_row(t) for t in report.by_source]
    lines += ["", tr(locale, "By translator")]
    lines += [_row(t) for t in report.by_translator]
    lines += ["", tr(locale, "Worst-rated briefings")]
    if not report.worst:
        lines.append("  " + tr(locale, "none: no briefing has more 👎 than 👍"))
    for t in report.worst:
        lines.append(_row(t) + (f"  {t.title}" if t.title else ""))
    return "\n".join(lines) + "\n"


def _row(t: Tally) -> str:
    return f"  👍 {t.up:>4}  👎 {t.down:>4}  {t.score:>+5}  {t.name}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
