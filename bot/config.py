"""The TOML config file: platforms, schedules, admins, database. Secrets never live here.

Every mistake is reported as one sentence naming the file, the key and its line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.chat.settings import ChannelSettings, SettingsError, check
from bot.errors import ConfigError
from bot.schedule.spec import ScheduleSpec, validate, zone

DEFAULT_DB = "sqlite:///briefbot.db"


@dataclass(frozen=True, slots=True)
class Admins:
    slack_users: tuple[str, ...] = ()
    discord_users: tuple[str, ...] = ()
    discord_roles: tuple[str, ...] = ()
    #: Whether Slack workspace admins/owners may change schedules (looked up with users.info).
    slack_workspace_admins: bool = True
    #: Whether Discord members with Manage Server may change schedules.
    discord_manage_server: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    timezone: str = "UTC"
    points: int = 5
    database: str = DEFAULT_DB
    #: Seconds after a missed run during which it is still posted on start.
    grace_seconds: int = 3600
    #: "post" a short "nothing new today" message, or "skip" the post.
    nothing_new: str = "post"
    #: Chinese script for English articles: "hant" or "hans".
    chinese_script: str = "hant"
    admins: Admins = field(default_factory=Admins)
    schedules: tuple[ScheduleSpec, ...] = ()
    #: The raw [translator] table (read by the translation backend).
    translator: dict[str, Any] = field(default_factory=dict)
    #: The bot's language where neither the user nor the channel says: en, zh-Hant or zh-Hans.
    locale: str = "en"
    #: The Chinese side of briefings: hant or hans (None: as the article is written).
    zh: str | None = None
    #: zh-first, en-first, zh-only or en-only (None: the article's language first).
    order: str | None = None
    #: Per-channel overrides, keyed "platform:channel" ([channels."slack:C0123"]).
    channels: dict[str, ChannelSettings] = field(default_factory=dict)


def database_url(config: Config | None = None) -> str:
    """``BRIEFBOT_DB`` (a path or any SQLAlchemy URL) wins over the config file."""
    raw = os.environ.get("BRIEFBOT_DB", "").strip()
    if raw:
        return raw if "://" in raw else f"sqlite:///{raw}"
    return config.database if config else DEFAULT_DB


def load_config(path: str | Path | None) -> Config:
    """Read ``path`` (None gives the defaults)."""
    if path is None:
        return Config()
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Config file {p} does not exist; copy config/briefbot.example.toml to start.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read config file {p}: {exc}.") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}.") from None
    return _Reader(p, raw).config(data)


class _Reader:
    def __init__(self, path: Path, raw: str) -> None:
        self.path = path
        self.lines = raw.splitlines()

    def fail(self, where: str, key: str, message: str) -> ConfigError:
        line = self._line_of(where, key)
        at = f" line {line}" if line else ""
        return ConfigError(f"{self.path}{at}: {where + '.' if where else ''}{key}: {message}")

    def _line_of(self, where: str, key: str) -> int | None:
        """The line of ``key`` inside table ``where`` (``schedules[2]`` counts array tables)."""
        match = re.fullmatch(r"(\w+)\[(\d+)\]", where) if where else None
        table, index = (match.group(1), int(match.group(2))) if match else (where, 0)
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*$")
            seen = -1
            for i, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == index:
                        start = i
                        break
            else:
                return None
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, len(self.lines)):
            if i > start and table and self.lines[i].lstrip().startswith("["):
                break
            if key_re.match(self.lines[i]):
                return i + 1
        return start + 1 if table else None

    def get(self, data: dict[str, Any], where: str, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        if key not in data:
            return default
        value = data[key]
        if isinstance(value, bool) and kind in (int, str):
            raise self.fail(where, key, f"expected {kind.__name__}, got {value!r}.")
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(where, key, f"expected {names}, got {value!r}.")
        return value

    def config(self, data: dict[str, Any]) -> Config:
        known = {"bot", "scheduler", "admins", "schedules", "translator", "slack", "discord", "channels"}
        for key in data:
            if key not in known:
                raise self.fail("", key, f"unknown section; expected one of {', '.join(sorted(known))}.")
        bot = self.table(data, "bot")
        timezone = self.get(bot, "bot", "timezone", str, "UTC")
        self.check_zone("bot", "timezone", timezone)
        points = self.get(bot, "bot", "points", int, 5)
        if not 1 <= points <= 20:
            raise self.fail("bot", "points", f"must be between 1 and 20, not {points}.")
        script = self.get(bot, "bot", "chinese_script", str, "hant")
        if script not in ("hant", "hans"):
            raise self.fail("bot", "chinese_script", f"must be 'hant' or 'hans', not {script!r}.")
        database = self.get(bot, "bot", "database", str, DEFAULT_DB)
        display = self.display_settings("bot", bot, ("locale", "zh", "order"))

        sched = self.table(data, "scheduler")
        grace = self.get(sched, "scheduler", "grace_minutes", (int, float), 60)
        if grace < 0:
            raise self.fail("scheduler", "grace_minutes", f"must not be negative, not {grace}.")
        nothing_new = self.get(sched, "scheduler", "nothing_new", str, "post")
        if nothing_new not in ("post", "skip"):
            raise self.fail("scheduler", "nothing_new", f"must be 'post' or 'skip', not {nothing_new!r}.")

        admins_t = self.table(data, "admins")
        admins = Admins(
            slack_users=tuple(map(str, self.get(admins_t, "admins", "slack_users", list, []))),
            discord_users=tuple(map(str, self.get(admins_t, "admins", "discord_users", list, []))),
            discord_roles=tuple(map(str, self.get(admins_t, "admins", "discord_roles", list, []))),
            slack_workspace_admins=self.get(admins_t, "admins", "slack_workspace_admins", bool, True),
            discord_manage_server=self.get(admins_t, "admins", "discord_manage_server", bool, True),
        )

        schedules = []
        raw_schedules = data.get("schedules", [])
        if not isinstance(raw_schedules, list):
            raise self.fail("", "schedules", "must be an array of tables: write each as [[schedules]].")
        seen: set[str] = set()
        for i, entry in enumerate(raw_schedules):
            spec = self.schedule(f"schedules[{i}]", entry, timezone, points)
            if spec.id in seen:
                raise self.fail(f"schedules[{i}]", "id", f"{spec.id!r} is used twice; ids must be unique.")
            seen.add(spec.id)
            schedules.append(spec)

        return Config(
            path=str(self.path),
            timezone=timezone,
            points=points,
            database=database,
            grace_seconds=int(grace * 60),
            nothing_new=nothing_new,
            chinese_script=script,
            admins=admins,
            schedules=tuple(schedules),
            translator=self.table(data, "translator"),
            locale=display.locale or "en",
            zh=display.zh,
            order=display.order,
            channels=self.channels(self.table(data, "channels")),
        )

    def display_settings(self, where: str, table: dict[str, Any], keys: tuple[str, ...]) -> ChannelSettings:
        values = {}
        for key in keys:
            if key not in table:
                continue
            raw = table[key]
            if key == "reactions" and not isinstance(raw, bool):
                raise self.fail(where, key, f"expected true or false, got {raw!r}.")
            if key != "reactions" and not isinstance(raw, str):
                raise self.fail(where, key, f"expected a string, got {raw!r}.")
            try:
                values[key] = check(key, raw)
            except SettingsError as exc:
                raise self.fail(where, key, exc.message.removeprefix(key + " ")) from None
        return ChannelSettings(**values)

    def channels(self, table: dict[str, Any]) -> dict[str, ChannelSettings]:
        keys = ("locale", "zh", "order", "reactions", "reaction")
        out: dict[str, ChannelSettings] = {}
        for name, entry in table.items():
            platform, sep, channel = name.partition(":")
            if not sep or platform not in ("slack", "discord", "shell") or not channel:
                raise self.fail("channels", name, 'name a channel as "slack:C0123", "discord:1234" or "shell:shell".')
            if not isinstance(entry, dict):
                raise self.fail("channels", name, f'must be a table: write it as [channels."{name}"].')
            for key in entry:
                if key not in keys:
                    where = f'channels."{name}"'
                    raise self.fail(where, key, f"unknown setting; expected one of {', '.join(keys)}.")
            out[name] = self.display_settings(f'channels."{name}"', entry, keys)
        return out

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail("", key, f"must be a table: write it as [{key}].")
        return value

    def check_zone(self, where: str, key: str, name: str) -> None:
        try:
            zone(name)
        except ConfigError as exc:
            raise self.fail(where, key, exc.message) from None

    def schedule(self, where: str, entry: Any, default_tz: str, default_points: int) -> ScheduleSpec:
        if not isinstance(entry, dict):
            raise self.fail("", "schedules", "each schedule must be a table: write it as [[schedules]].")
        for required in ("id", "platform", "source"):
            if required not in entry:
                raise self.fail(where, required, "is missing.")
        if "channel" not in entry and "channels" not in entry:
            raise self.fail(where, "channel", 'is missing: give channel = "…" or channels = ["…", "…"].')
        if "channels" in entry:
            channels = tuple(str(c) for c in self.get(entry, where, "channels", list, []))
        else:
            channels = (str(self.get(entry, where, "channel", (str, int), "")),)
        if "when" not in entry and "cron" not in entry:
            raise self.fail(where, "when", 'is missing: give when = "daily 08:00" or cron = "0 8 * * mon-fri".')
        when_key = "when" if "when" in entry else "cron"
        tz = self.get(entry, where, "timezone", str, default_tz)
        self.check_zone(where, "timezone", tz)
        spec = ScheduleSpec(
            id=self.get(entry, where, "id", str, ""),
            platform=self.get(entry, where, "platform", str, ""),
            channels=channels,
            when=self.get(entry, where, when_key, str, ""),
            timezone=tz,
            source=self.get(entry, where, "source", str, ""),
            articles=self.get(entry, where, "articles", int, 5),
            thread=self.get(entry, where, "thread", bool, False),
            points=self.get(entry, where, "points", int, default_points),
        )
        try:
            return validate(spec)
        except ConfigError as exc:
            key = when_key if "cron" in exc.message or "schedule" in exc.message else _guess_key(exc.message)
            raise self.fail(where, key, exc.message) from None


def _guess_key(message: str) -> str:
    for key in ("platform", "channel", "source", "articles", "points", "timezone", "id"):
        if key in message:
            return key
    return "when"
