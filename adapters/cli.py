"""The ``briefbot`` command line. Heavy imports happen inside the commands that need them."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.chat.i18n import LOCALES, error_text, tr
from bot.errors import BriefbotError, ConfigError

if TYPE_CHECKING:
    from bot.translate.base import Translator

EXIT_OK = 0
EXIT_USAGE = 2

DESCRIPTION = """\
briefbot turns a news article (Chinese or English) into a short bilingual briefing:
a faithful summary, key points and keywords, with English glosses from CC-CEDICT
offline. It cleans pasted text first: hard-wrapped lines, repeated copies, half-width
punctuation, bylines and copyright lines."""

BRIEF_EPILOG = """\
SOURCE is a file path, - for standard input, or an http(s) URL.
Files may be UTF-8 (with or without BOM), UTF-16 with BOM, Big5 or GB18030.
URLs: HTML pages have their article body extracted; private and loopback
addresses are refused unless BRIEFBOT_ALLOW_PRIVATE_URLS=1.
Inputs over 2 MB are refused (set BRIEFBOT_MAX_INPUT_BYTES to change).

examples:
  briefbot brief seeds/000_ad45b660a4293367.txt
  briefbot brief article.txt --format json --points 3
  pbpaste | briefbot brief -
  briefbot brief https://example.com/news/1234 --format markdown
  briefbot brief --discussion thread.json --format json
  briefbot brief article.txt --locale zh-Hans --zh hans --order en-first
"""


class UsageError(BriefbotError):
    """Options that do not go together."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistyped command in one sentence, exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # Parsing happens before any --locale is known, and argparse words its own messages in
        # English: the sentence stays English, but comes from the catalogue like every other.
        self.exit(
            EXIT_USAGE,
            "briefbot: " + tr(None, "{message} (see '{prog} --help').", message=message, prog=self.prog) + "\n",
        )


def build_parser() -> argparse.ArgumentParser:
    from bot import __version__

    parser = _Parser(prog="briefbot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"briefbot {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="log details (and tracebacks of internal errors) to stderr"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    brief = sub.add_parser(
        "brief",
        help="brief one article (file, - for stdin, or URL)",
        description="Brief one article: summary, key points and keywords in both languages.",
        epilog=BRIEF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    brief.add_argument("source", metavar="SOURCE", nargs="?", help="file path, - for stdin, or an http(s) URL")
    brief.add_argument(
        "--discussion",
        metavar="FILE",
        default=None,
        help="brief a team discussion instead: a Slack or DiscordChatExporter JSON export, "
        "or 'Name: text' lines (- for stdin)",
    )
    brief.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format (default: text)"
    )
    brief.add_argument("--points", type=_points, default=5, metavar="N", help="number of key points, 1-20 (default: 5)")
    _translator_options(brief)
    brief.add_argument(
        "--summary",
        choices=("extractive", "llm"),
        default="extractive",
        help="extractive (the article's own sentences, the default) or llm (the LLM writes the summary and "
        "key points, each checked against the sentences it cites; needs an LLM translator)",
    )
    _display_options(brief)
    brief.add_argument(
        "--max-input-bytes", type=_bytes, default=None, metavar="BYTES", help="refuse larger inputs (default: 2 MB)"
    )
    brief.set_defaults(handler=_cmd_brief)

    serve = sub.add_parser(
        "serve",
        help="run the chat bot (Slack and/or Discord, whichever has its tokens set)",
        description=SERVE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="0.0.0.0",
        metavar="ADDRESS",
        help="address to listen on (default: 0.0.0.0, every interface; 127.0.0.1 for this machine only)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=3000,
        help="HTTP port for Slack events, /healthz, /readyz and /metrics (default: 3000)",
    )
    serve.add_argument("--points", type=_points, default=None, metavar="N", help="key points per briefing (default: 5)")
    serve.add_argument(
        "--config", metavar="FILE", help="TOML config (schedules, admins; see config/briefbot.example.toml)"
    )
    _translator_options(serve, config=False)
    serve.set_defaults(handler=_cmd_serve)

    chat = sub.add_parser(
        "chat",
        help="talk to the bot in this terminal (no token needed)",
        description="A shell adapter: type the same /brief commands as in Slack or Discord. "
        "/brief <file> reads a local file; scheduled posts for the 'shell' channel print here. "
        'The config\'s [bot] locale, zh and order (and [channels."shell:shell"]) apply, '
        "then what /brief settings stores.",
    )
    chat.add_argument("--config", metavar="FILE", help="TOML config (schedules, time zone, database)")
    _translator_options(chat, config=False)
    chat.set_defaults(handler=_cmd_chat)

    schedule = sub.add_parser("schedule", help="list schedules or run one now, without starting the adapters")
    schedule_sub = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", parser_class=_Parser)
    listing = schedule_sub.add_parser("list", help="every schedule, its next run and its last result")
    listing.add_argument("--config", metavar="FILE", help="TOML config")
    listing.set_defaults(handler=_cmd_schedule_list)
    run_now = schedule_sub.add_parser("run", help="post a schedule's digest now (once per day per channel)")
    run_now.add_argument("id", metavar="ID", help="schedule id (see briefbot schedule list)")
    run_now.add_argument("--config", metavar="FILE", help="TOML config")
    run_now.set_defaults(handler=_cmd_schedule_run)

    post = sub.add_parser(
        "post",
        help="post one briefing to a Slack or Discord channel and exit",
        description="Post one briefing to a channel and exit (for cron jobs and scripts).",
        epilog=POST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    post.add_argument("platform", choices=("slack", "discord"), help="where to post")
    post.add_argument("channel", metavar="CHANNEL", help="Slack channel id (C…) or Discord channel id")
    post.add_argument("source", metavar="SOURCE", help="file path, - for stdin, or an http(s) URL")
    post.add_argument("--thread", action="store_true", help="add one thread reply per key point")
    post.add_argument("--points", type=_points, default=5, metavar="N", help="number of key points (default: 5)")
    _translator_options(post)
    post.set_defaults(handler=_cmd_post)

    models = sub.add_parser(
        "models",
        help="install or list offline translation models",
        description=MODELS_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    models_sub = models.add_subparsers(dest="models_command", metavar="ACTION", parser_class=_Parser)
    install = models_sub.add_parser("install", help="install a model: zh-en (Chinese to English) or en-zh")
    install.add_argument("pair", choices=("zh-en", "en-zh"), help="language pair")
    install.add_argument(
        "--from", dest="package", metavar="FILE", default=None, help="an .argosmodel package file (else download it)"
    )
    install.set_defaults(handler=_cmd_models_install)
    listing_models = models_sub.add_parser("list", help="installed models, with licence and attribution")
    listing_models.set_defaults(handler=_cmd_models_list)

    feedback = sub.add_parser(
        "feedback",
        help="👍/👎 counts per source and translator, and the worst-rated briefings",
        description="What readers thought of the briefings: 👍/👎 counts per source and per translator, "
        "and the briefings with more 👎 than 👍.",
    )
    feedback.add_argument(
        "--since",
        type=_since,
        default=None,
        metavar="AGE",
        help="only votes from the last AGE: 7d, 24h, 2w (default: all)",
    )
    feedback.add_argument("--config", metavar="FILE", help="TOML config (database, locale)")
    feedback.add_argument("--locale", choices=LOCALES, default=None, help="language of the report's words")
    feedback.set_defaults(handler=_cmd_feedback)

    discord = sub.add_parser("discord", help="Discord housekeeping (register the /brief command)")
    discord_sub = discord.add_subparsers(dest="discord_command", metavar="ACTION", parser_class=_Parser)
    sync = discord_sub.add_parser(
        "sync",
        help="register /brief with Discord",
        description="Register the /brief command: in one server at once with --guild, else globally.",
    )
    sync.add_argument("--guild", type=_guild, default=None, metavar="ID", help="server id (instant; for testing)")
    sync.set_defaults(handler=_cmd_discord_sync)
    return parser


SERVE_DESCRIPTION = """\
Run the bot. Slack starts when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set: in HTTP mode
(POST /slack/events on --port), or in Socket Mode when SLACK_APP_TOKEN is set too.
Discord starts when DISCORD_BOT_TOKEN is set. Both may run in one process.
--host:--port always serves GET /healthz (alive), /readyz (database, platform tokens, worker pools)
and /metrics (Prometheus).
BRIEFBOT_SLACK_API_URL and BRIEFBOT_DISCORD_API_URL override the API base URLs (proxies, tests);
BRIEFBOT_CPU_WORKERS, BRIEFBOT_NETWORK_THREADS and BRIEFBOT_QUEUE_LIMIT size the worker pools."""

MODELS_DESCRIPTION = """\
Offline machine translation uses Argos Translate packages (.argosmodel: an OPUS-MT model for
CTranslate2 and SentencePiece; pip install -e ".[mt]" for the runtime). Models live in
BRIEFBOT_MODELS_DIR (default: briefbot's folder in your user data directory). Without --from,
install downloads the package from the Argos package index (BRIEFBOT_MODELS_INDEX_URL).

examples:
  briefbot models install zh-en
  briefbot models install zh-en --from translate-zh_en-1_9.argosmodel
  briefbot models list"""

POST_EPILOG = """\
Slack needs SLACK_BOT_TOKEN; Discord needs DISCORD_BOT_TOKEN. No gateway or event server is started.

examples:
  briefbot post slack C0123456789 seeds/000_ad45b660a4293367.txt --thread
  briefbot post discord 123456789012345678 https://example.com/news/1234
"""


def _translator_options(parser: argparse.ArgumentParser, *, config: bool = True) -> None:
    parser.add_argument(
        "--translator",
        choices=("auto", "glossary", "offline", "openai"),
        default=None,
        help="auto (the default: an LLM if BRIEFBOT_LLM_BASE_URL is set, else an installed offline model, else "
        "the glossary), glossary (CC-CEDICT key terms only), offline (a model from `briefbot models install`), "
        "or openai (an OpenAI-compatible endpoint: BRIEFBOT_LLM_BASE_URL, BRIEFBOT_LLM_MODEL, BRIEFBOT_LLM_API_KEY). "
        "BRIEFBOT_TRANSLATOR sets the default.",
    )
    if config:
        parser.add_argument("--config", metavar="FILE", help="TOML config ([translator] and [bot] settings)")


def _display_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        choices=LOCALES,
        default=None,
        help="language of the bot's own words: labels, notes, errors (default: [bot] locale, else en)",
    )
    parser.add_argument(
        "--zh",
        choices=("hant", "hans"),
        default=None,
        help="show the Chinese side in Traditional (Taiwan usage) or Simplified, whatever the article's script",
    )
    parser.add_argument(
        "--order",
        choices=("zh-first", "en-first", "zh-only", "en-only"),
        default=None,
        help="which language first, or only one (default: the article's own language first)",
    )


def _since(raw: str) -> float:
    """An age like 7d, 24h, 90m or 2w, in seconds; refused in one sentence."""
    import re

    match = re.fullmatch(r"\s*(\d{1,5})\s*([mhdw])\s*", raw.lower())
    if not match:
        raise argparse.ArgumentTypeError(tr(None, "--since takes an age like 7d, 24h or 2w, not {raw}", raw=repr(raw)))
    return int(match.group(1)) * {"m": 60, "h": 3600, "d": 86400, "w": 604800}[match.group(2)]


def _whole_number(option: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high], refused in one sentence naming ``option``."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(
                tr(None, "{option} takes a whole number, not {raw}", option=option, raw=repr(raw))
            ) from None
        if value < low or (high is not None and value > high):
            if high is not None:
                sentence = tr(
                    None,
                    "{option} must be between {low} and {high}, not {value}",
                    option=option,
                    low=low,
                    high=high,
                    value=value,
                )
            else:
                sentence = tr(None, "{option} must be at least {low}, not {value}", option=option, low=low, value=value)
            raise argparse.ArgumentTypeError(sentence)
        return value

    return parse


_port = _whole_number("--port", 0, 65535)
_points = _whole_number("--points", 1, 20)
_bytes = _whole_number("--max-input-bytes", 1)
_guild = _whole_number("--guild", 1)


def _cmd_brief(args: argparse.Namespace) -> int:
    from bot.text.pipeline import brief_source
    from bot.translate.choose import for_command_line, make_translator

    if (args.source is None) == (args.discussion is None):
        raise UsageError(
            "Give either SOURCE (an article) or --discussion FILE (a discussion), not both or neither "
            "(see 'briefbot brief --help')."
        )
    # Without --config, skip bot.config: it imports the schedule room, and with it APScheduler
    # and asyncio (0.1 s of every cold `briefbot brief`) only to parse a file nobody gave.
    if args.config is None:
        translator = make_translator(args.translator)
    else:
        from bot.config import load_config

        config = load_config(args.config)
        args.locale = args.locale or config.locale
        args.zh = args.zh or config.zh
        args.order = args.order or config.order
        translator = for_command_line(args.translator, args.config)
    if args.discussion is not None:
        return _brief_discussion(args, translator)
    writer = None
    if args.summary == "llm":
        from bot.text.discussion.written import Writer

        if not isinstance(translator, Writer):
            raise ConfigError(
                "--summary llm needs an LLM: set BRIEFBOT_LLM_BASE_URL and BRIEFBOT_LLM_MODEL "
                "(with --translator openai or auto)."
            )
        writer = translator
    briefing = brief_source(
        args.source, points=args.points, translator=translator, max_bytes=args.max_input_bytes, writer=writer
    )
    from adapters.shell.render import for_terminal, json_for_terminal, render_json, render_markdown, render_text

    locale = args.locale or "en"
    if args.format == "json":
        out = json_for_terminal(render_json(briefing, zh=args.zh)) + "\n"
    elif args.format == "markdown":
        out = for_terminal(render_markdown(briefing, locale, zh=args.zh, order=args.order))
    else:
        out = for_terminal(render_text(briefing, locale, zh=args.zh, order=args.order))
    sys.stdout.write(out)
    return EXIT_OK


def _brief_discussion(args: argparse.Namespace, translator: Translator) -> int:
    from adapters.shell.render import for_terminal, json_for_terminal
    from adapters.shell.render_discussion import render_discussion_markdown, render_discussion_text
    from bot.text.discussion import brief_discussion, load_discussion

    messages = load_discussion(args.discussion, max_bytes=args.max_input_bytes)
    briefing = brief_discussion(messages, translator=translator)
    if args.format == "json":
        out = json_for_terminal(briefing.to_dict()) + "\n"
    elif args.format == "markdown":
        out = for_terminal(render_discussion_markdown(briefing, args.locale or "en"))
    else:
        out = for_terminal(render_discussion_text(briefing, args.locale or "en"))
    sys.stdout.write(out)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from adapters.serve import serve

    return serve(args)


def _cmd_chat(args: argparse.Namespace) -> int:
    from adapters.shell.chat import main as chat_main
    from bot.config import load_config

    return chat_main(load_config(args.config), args.translator)


def _cmd_schedule_list(args: argparse.Namespace) -> int:
    from adapters.shell.schedule_cli import list_schedules

    return list_schedules(args)


def _cmd_schedule_run(args: argparse.Namespace) -> int:
    from adapters.shell.schedule_cli import run_schedule

    return run_schedule(args)


def _cmd_models_install(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.translate import models

    if args.package:
        model = models.install(args.pair, Path(args.package).expanduser())
    else:
        print(
            "briefbot: "
            + tr(None, "downloading the {pair} package from {url} …", pair=args.pair, url=models.index_url()),
            file=sys.stderr,
        )
        model = models.download(args.pair)
    print(
        _printable(
            tr(
                None,
                "Installed {pair} {version} in {path} ({license}; {attribution}).",
                pair=model.pair,
                version=model.version,
                path=model.path,
                license=model.license,
                attribution=model.attribution,
            )
        )
    )
    return EXIT_OK


def _cmd_models_list(args: argparse.Namespace) -> int:
    from bot.translate import models

    found = models.installed()
    if not found:
        print(
            _printable(
                tr(
                    None,
                    "No models installed in {path}; try `briefbot models install zh-en`.",
                    path=models.models_dir(),
                )
            )
        )
        return EXIT_OK
    for model in found:
        print(_printable(f"{model.pair}\t{model.version}\t{model.license}\t{model.attribution}\t{model.path}"))
    return EXIT_OK


def _cmd_feedback(args: argparse.Namespace) -> int:
    from adapters.shell.feedback import print_report

    return print_report(args)


def _cmd_post(args: argparse.Namespace) -> int:
    if args.platform == "slack":
        from adapters.slack.post import main as post_main
    else:
        from adapters.discord.post import main as post_main
    return post_main(args)


def _cmd_discord_sync(args: argparse.Namespace) -> int:
    from adapters.discord.commands import sync_main

    return sync_main(args)


def _printable(text: str) -> str:
    from adapters.shell.render import for_terminal  # a message may quote a file name or a link

    return for_terminal(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="briefbot: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except BriefbotError as exc:
        print(f"briefbot: {_printable(error_text(exc, getattr(args, 'locale', None)))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefbot: " + tr(getattr(args, "locale", None), "interrupted."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if args.debug:
            logging.exception("internal error")
        sentence = tr(
            getattr(args, "locale", None),
            "internal error ({error}); rerun with --debug and report it.",
            error=f"{type(exc).__name__}: {exc}",
        )
        print(_printable(f"briefbot: {sentence}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
