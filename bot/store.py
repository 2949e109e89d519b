"""The store: articles, computed briefings, schedules and posts, channel settings, feedback
votes and the reactions already acted on (SQLAlchemy 2).

SQLite by default, any SQLAlchemy URL (PostgreSQL included) for deployments of more
than one process. The ``posts`` table carries the at-most-once guarantee: a run
*claims* (schedule, platform, channel, run key) with a unique constraint before it
posts anything, and moves the row to ``sending`` before its first message, so a retry,
a restart or a second scheduler on the same database finds the row taken and posts
nothing. Only a row that surely sent nothing (``failed``) is ever claimed again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    case,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.briefing import Briefing
from bot.chat.settings import ChannelSettings, with_changes
from bot.errors import ConfigError
from bot.schedule.spec import ScheduleSpec
from bot.text.dedupe import normalise, signature_similarity

#: A post row's life: claimed → sending → posted | partial | empty | unknown, or claimed →
#: failed (nothing was sent; it may be claimed again), or missed (never run).
CLAIMED, SENDING, POSTED, PARTIAL, EMPTY, FAILED, UNKNOWN, MISSED = (
    "claimed",
    "sending",
    "posted",
    "partial",
    "empty",
    "failed",
    "unknown",
    "missed",
)
#: Rows of a run still going on: their process refreshes ``updated_at`` while it runs.
IN_PROGRESS = (CLAIMED, SENDING)
#: Articles whose MinHash signatures agree on this share of positions are the same story.
SAME_STORY = 0.8


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[list[int]] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class BriefingRow(Base):
    __tablename__ = "briefings"
    __table_args__ = (UniqueConstraint("article_id", "points", "translator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    points: Mapped[int] = mapped_column(Integer)
    translator: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ScheduleRow(Base):
    __tablename__ = "schedules"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    channels: Mapped[list[str]] = mapped_column(JSON)
    when: Mapped[str] = mapped_column(String(128))
    timezone: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    articles: Mapped[int] = mapped_column(Integer)
    thread: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("schedule_id", "platform", "channel", "run_key", name="uq_post_claim"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(128))
    #: The run's slot as a UTC instant, ``2026-11-26T00:00Z``, or ``manual:2026-11-26`` (local date).
    run_key: Mapped[str] = mapped_column(String(64))
    #: See ``CLAIMED`` … ``MISSED`` above.
    status: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(128))
    thread_id: Mapped[str | None] = mapped_column(String(128))
    #: Why it failed or is unknown; for a post, a note such as the articles that were skipped.
    error: Mapped[str | None] = mapped_column(Text)
    #: How many times a run has claimed this row (a failed row may be claimed again).
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: When a failed scheduled run is tried again (None: not again).
    retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: Refreshed by the running process while the row is claimed or sending.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class DeliveryRow(Base):
    """Which article went to which channel (so it is never briefed there again)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("article_id", "platform", "channel"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(128))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class BriefingFailureRow(Base):
    """An article that could not be briefed (so later runs skip it at once and say so)."""

    __tablename__ = "briefing_failures"
    __table_args__ = (UniqueConstraint("article_id", "points", "translator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    points: Mapped[int] = mapped_column(Integer)
    translator: Mapped[str] = mapped_column(String(128))
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class TranslationRow(Base):
    """Translations by (text hash, model, target language), shared by every channel and process."""

    __tablename__ = "translations"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ChannelSettingsRow(Base):
    """What a channel's admins chose with /brief settings (NULL: not set, the config decides)."""

    __tablename__ = "channel_settings"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(128), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    zh: Mapped[str | None] = mapped_column(String(8))
    # "order" is an SQL keyword; the column has a plain name on every database.
    display_order: Mapped[str | None] = mapped_column(String(16))
    reactions: Mapped[bool | None] = mapped_column(Boolean)
    reaction: Mapped[str | None] = mapped_column(String(64))
    updated_by: Mapped[str | None] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ShownBriefingRow(Base):
    """A briefing that was posted, by its key (what feedback buttons carry), for the report."""

    __tablename__ = "shown_briefings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    translator: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class VoteRow(Base):
    """One person's 👍 (+1) or 👎 (-1) on one briefing; pressing again changes it."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("briefing_key", "platform", "user_id", name="uq_vote_per_person"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    briefing_key: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)
    translator: Mapped[str] = mapped_column(String(128))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    vote: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class SeenReactionRow(Base):
    """A message whose reaction was acted on, so a second reaction never briefs it again."""

    __tablename__ = "seen_reactions"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class StoreCache:
    """The translation cache kept in the store (``bot.translate.llm.TranslationCache``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> str | None:
        with Session(self.store.engine) as s:
            row = s.get(TranslationRow, key)
            return row.value if row else None

    def put(self, key: str, value: str) -> None:
        try:
            with Session(self.store.engine) as s, s.begin():
                s.merge(TranslationRow(key=key, value=value))
        except IntegrityError:
            pass


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    url: str | None
    title: str | None
    signature: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PostStatus:
    run_key: str
    channel: str
    status: str
    error: str | None
    updated_at: datetime
    attempts: int = 1
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """One channel's part of a run: ours to post (``post_id``), or someone else's."""

    channel: str
    #: Set when this run holds the row and may post.
    post_id: int | None
    #: ``claimed`` when ours, else the row's status as found (posted, sending, unknown…).
    status: str
    attempts: int = 1
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Finish:
    """How one claimed row ended (see ``Store.finish``)."""

    post_id: int
    status: str
    message_id: str | None = None
    thread_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    #: Article ids, platform, channel: written in the same transaction.
    delivered: tuple[list[int], str, str] | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    """Failed channels of one scheduled run, due to be tried again."""

    schedule_id: str
    run_key: str
    channels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vote:
    briefing_key: str
    source: str
    translator: str
    platform: str
    channel: str
    user: str
    vote: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes on a group of briefings: a source, a translator, or one briefing."""

    name: str
    up: int
    down: int
    #: For one briefing: its title, when it had one.
    title: str | None = None

    @property
    def score(self) -> int:
        return self.up - self.down

    @property
    def total(self) -> int:
        return self.up + self.down


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    since: datetime | None
    by_source: tuple[Tally, ...]
    by_translator: tuple[Tally, ...]
    #: Briefings with more 👎 than 👍, worst first.
    worst: tuple[Tally, ...]

    @property
    def empty(self) -> bool:
        return not self.by_source


def briefing_key(briefing: Briefing) -> str:
    """A short stable key for a briefing (16 hex digits: fits Discord's 100-character custom ids)."""
    data = json.dumps(briefing.to_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
                # WAL lets a second process read while one writes; the busy timeout waits for locks.
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()

            return engine
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # ArgumentError, missing driver (NoSuchModuleError, ImportError)
        raise ConfigError(f"Cannot use database {url!r}: {exc}. Set BRIEFBOT_DB to a path or SQLAlchemy URL.") from None


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        try:
            Base.metadata.create_all(self.engine)
            _add_missing_columns(self.engine, PostRow)
        except Exception as exc:
            raise ConfigError(f"Cannot open database {url!r}: {str(exc).splitlines()[0]}.") from None

    def close(self) -> None:
        self.engine.dispose()

    # --- channel settings ------------------------------------------------------------

    def channel_settings(self, platform: str, channel: str) -> ChannelSettings:
        """What the channel's admins set (fields they did not set are None)."""
        with Session(self.engine) as s:
            row = s.get(ChannelSettingsRow, (platform, channel))
            return self._row_settings(row) if row is not None else ChannelSettings()

    def update_channel_settings(
        self, platform: str, channel: str, changes: ChannelSettings, user: str | None = None
    ) -> ChannelSettings:
        """Set the fields ``changes`` sets (the others stay); the channel's stored settings after."""
        for _attempt in range(2):  # two admins saving at once: the loser updates the winner's row
            try:
                with Session(self.engine) as s, s.begin():
                    row = s.get(ChannelSettingsRow, (platform, channel))
                    if row is None:
                        row = ChannelSettingsRow(platform=platform, channel=channel)
                        s.add(row)
                    merged = with_changes(self._row_settings(row), changes)
                    row.locale, row.zh, row.display_order = merged.locale, merged.zh, merged.order
                    row.reactions, row.reaction = merged.reactions, merged.reaction
                    row.updated_by, row.updated_at = user, _now()
                return merged
            except IntegrityError:
                continue
        return self.channel_settings(platform, channel)

    @staticmethod
    def _row_settings(row: ChannelSettingsRow) -> ChannelSettings:
        return ChannelSettings(
            locale=row.locale,
            zh=row.zh,
            order=row.display_order,
            reactions=row.reactions,
            reaction=row.reaction,
        )

    # --- reactions ----------------------------------------------------------------------

    def claim_reaction(self, platform: str, message_id: str) -> bool:
        """True the first time a message's reaction is acted on, False ever after (any process)."""
        try:
            with Session(self.engine) as s, s.begin():
                s.add(SeenReactionRow(platform=platform, message_id=message_id))
            return True
        except IntegrityError:
            return False

    # --- feedback -----------------------------------------------------------------------

    def remember_briefing(self, briefing: Briefing) -> str:
        """Keep what the feedback report needs of a posted briefing; its key (for the buttons)."""
        key = briefing_key(briefing)
        try:
            with Session(self.engine) as s, s.begin():
                if s.get(ShownBriefingRow, key) is None:
                    s.add(
                        ShownBriefingRow(
                            key=key, source=briefing.source, title=briefing.title, translator=briefing.translator.name
                        )
                    )
        except IntegrityError:
            pass  # remembered by another process at the same moment
        return key

    def record_vote(self, key: str, *, platform: str, channel: str, user: str, vote: int) -> Vote:
        """Record (or change) ``user``'s vote, +1 or -1, on the briefing ``key``.

        One vote per person per briefing: voting again replaces the earlier vote.
        """
        if vote not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {vote!r}")
        with Session(self.engine) as s:
            shown = s.get(ShownBriefingRow, key)
        if shown is None:
            raise KeyError(f"no briefing {key!r} was remembered; call remember_briefing when posting it")
        for _attempt in range(2):
            try:
                with Session(self.engine) as s, s.begin():
                    row = s.scalars(
                        select(VoteRow).where(
                            VoteRow.briefing_key == key, VoteRow.platform == platform, VoteRow.user_id == user
                        )
                    ).first()
                    if row is None:
                        row = VoteRow(
                            briefing_key=key,
                            source=shown.source,
                            translator=shown.translator,
                            platform=platform,
                            channel=channel,
                            user_id=user,
                            vote=vote,
                        )
                        s.add(row)
                    else:
                        row.vote, row.channel, row.updated_at = vote, channel, _now()
                    s.flush()
                    return _vote(row)
            except IntegrityError:  # the same person pressed twice at once: the second updates
                continue
        raise RuntimeError("could not record the vote")

    def votes_for(self, key: str) -> tuple[int, int]:
        """(👍, 👎) on one briefing."""
        with Session(self.engine) as s:
            up, down = s.execute(
                select(
                    func.coalesce(func.sum(case((VoteRow.vote > 0, 1), else_=0)), 0),
                    func.coalesce(func.sum(case((VoteRow.vote < 0, 1), else_=0)), 0),
                ).where(VoteRow.briefing_key == key)
            ).one()
        return int(up), int(down)

    def feedback_report(self, since: datetime | None = None, *, worst: int = 5) -> FeedbackReport:
        """Votes per source and per translator, and the worst-rated briefings (votes since ``since``)."""
        up = func.sum(case((VoteRow.vote > 0, 1), else_=0))
        down = func.sum(case((VoteRow.vote < 0, 1), else_=0))
        where = [VoteRow.updated_at >= since] if since is not None else []

        def tally(column) -> tuple[Tally, ...]:  # noqa: ANN001 - a SQLAlchemy column
            with Session(self.engine) as s:
                rows = s.execute(select(column, up, down).where(*where).group_by(column)).all()
            out = [Tally(str(name), int(u), int(d)) for name, u, d in rows]
            return tuple(sorted(out, key=lambda t: (-t.total, t.name)))

        with Session(self.engine) as s:
            rows = s.execute(
                select(VoteRow.briefing_key, ShownBriefingRow.source, ShownBriefingRow.title, up, down)
                .join(ShownBriefingRow, ShownBriefingRow.key == VoteRow.briefing_key)
                .where(*where)
                .group_by(VoteRow.briefing_key, ShownBriefingRow.source, ShownBriefingRow.title)
            ).all()
        bad = [Tally(source, int(u), int(d), title=title) for _key, source, title, u, d in rows if int(d) > int(u)]
        bad.sort(key=lambda t: (t.score, -t.down, t.name))
        return FeedbackReport(
            since=since,
            by_source=tally(VoteRow.source),
            by_translator=tally(VoteRow.translator),
            worst=tuple(bad[:worst]),
        )

    # --- schedules -------------------------------------------------------------

    def upsert_schedule(self, spec: ScheduleSpec) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(ScheduleRow, spec.id)
            values = _schedule_values(spec)
            if row is None:
                s.add(ScheduleRow(id=spec.id, **values))
            else:
                for k, v in values.items():
                    setattr(row, k, v)

    def add_schedule(self, spec: ScheduleSpec) -> bool:
        """Insert a new schedule; False if the id is taken."""
        try:
            with Session(self.engine) as s, s.begin():
                s.add(ScheduleRow(id=spec.id, **_schedule_values(spec)))
            return True
        except IntegrityError:
            return False

    def remove_schedule(self, schedule_id: str) -> bool:
        with Session(self.engine) as s, s.begin():
            row = s.get(ScheduleRow, schedule_id)
            if row is None:
                return False
            s.delete(row)
            return True

    def get_schedule(self, schedule_id: str) -> ScheduleSpec | None:
        with Session(self.engine) as s:
            row = s.get(ScheduleRow, schedule_id)
            return _spec(row) if row else None

    def schedules(self) -> list[ScheduleSpec]:
        with Session(self.engine) as s:
            return [_spec(r) for r in s.scalars(select(ScheduleRow).order_by(ScheduleRow.id))]

    # --- the at-most-once claim ---------------------------------------------------

    def claim(self, schedule_id: str, platform: str, channel: str, run_key: str) -> int | None:
        """Take the run slot for this channel; the post id, or None if another run has it."""
        return self.claim_many(schedule_id, platform, [channel], run_key)[channel].post_id

    def claim_many(self, schedule_id: str, platform: str, channels: list[str], run_key: str) -> dict[str, Claim]:
        """Claim each channel's row for this run, in one transaction.

        A channel with no row gets one (``INSERT … ON CONFLICT DO NOTHING``); a ``failed`` row
        is taken again with one more attempt (a conditional ``UPDATE``, so of two processes only
        one gets it); every other row belongs to its run, whatever became of it.
        """
        wanted = list(dict.fromkeys(channels))
        now = _now()
        table = PostRow.__table__
        out: dict[str, Claim] = {}
        with self.engine.begin() as conn:
            for channel, post_id in self._insert_claims(conn, schedule_id, platform, wanted, run_key, now):
                out[channel] = Claim(channel, post_id, CLAIMED)
            rest = [c for c in wanted if c not in out]
            if rest:
                retaken = conn.execute(
                    update(table)
                    .where(
                        table.c.schedule_id == schedule_id,
                        table.c.platform == platform,
                        table.c.run_key == run_key,
                        table.c.channel.in_(rest),
                        table.c.status == FAILED,
                    )
                    .values(status=CLAIMED, attempts=table.c.attempts + 1, retry_at=None, error=None, updated_at=now)
                    .returning(table.c.channel, table.c.id, table.c.attempts)
                ).all()
                for channel, post_id, attempts in retaken:
                    out[channel] = Claim(channel, int(post_id), CLAIMED, int(attempts))
            rest = [c for c in wanted if c not in out]
            if rest:
                for channel, status, attempts, error in conn.execute(
                    select(table.c.channel, table.c.status, table.c.attempts, table.c.error).where(
                        table.c.schedule_id == schedule_id,
                        table.c.platform == platform,
                        table.c.run_key == run_key,
                        table.c.channel.in_(rest),
                    )
                ):
                    out[channel] = Claim(channel, None, status, int(attempts or 1), error)
        return {c: out.get(c, Claim(c, None, CLAIMED)) for c in wanted}

    def _insert_claims(
        self, conn: Connection, schedule_id: str, platform: str, channels: list[str], run_key: str, now: datetime
    ) -> list[tuple[str, int]]:
        if not channels:
            return []
        rows = [
            {
                "schedule_id": schedule_id,
                "platform": platform,
                "channel": channel,
                "run_key": run_key,
                "status": CLAIMED,
                "attempts": 1,
                "created_at": now,
                "updated_at": now,
            }
            for channel in channels
        ]
        table = PostRow.__table__
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:  # any other database: let the unique constraint refuse each second insert
            out = []
            for row in rows:
                try:
                    with conn.begin_nested():
                        result = conn.execute(table.insert().values(**row))
                    out.append((row["channel"], int(result.inserted_primary_key[0])))
                except IntegrityError:
                    pass
            return out
        stmt = insert(table).values(rows).on_conflict_do_nothing().returning(table.c.channel, table.c.id)
        return [(channel, int(post_id)) for channel, post_id in conn.execute(stmt)]

    def start_sending(self, post_id: int) -> bool:
        """Move a claimed row to ``sending`` just before the first message; False if the row
        is no longer claimed by this run (a sweep took it), and then nothing may be sent."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(PostRow)
                .where(PostRow.id == post_id, PostRow.status == CLAIMED)
                .values(status=SENDING, updated_at=_now())
            )
        return result.rowcount == 1

    def touch(self, post_ids: list[int]) -> None:
        """The running process is alive: refresh its unfinished rows."""
        if not post_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(PostRow)
                .where(PostRow.id.in_(post_ids), PostRow.status.in_(IN_PROGRESS))
                .values(updated_at=_now())
            )

    def finish(
        self,
        post_id: int,
        status: str,
        *,
        message_id: str | None = None,
        thread_id: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
        delivered: tuple[list[int], str, str] | None = None,
    ) -> None:
        """Record how a claimed run ended, and — in the same transaction — the articles that
        went to the channel (``delivered``: article ids, platform, channel)."""
        self.finish_many([Finish(post_id, status, message_id, thread_id, error, retry_at, delivered)])

    def finish_many(self, ends: list[Finish]) -> None:
        """Several ``finish`` calls in one transaction (a run's channels end together)."""
        table = PostRow.__table__
        now = _now()
        with self.engine.begin() as conn:
            for end in ends:
                conn.execute(
                    update(table)
                    .where(table.c.id == end.post_id)
                    .values(
                        status=end.status,
                        message_id=end.message_id,
                        thread_id=end.thread_id,
                        error=end.error,
                        retry_at=end.retry_at,
                        updated_at=now,
                    )
                )
                if end.delivered and end.delivered[0]:
                    article_ids, platform, channel = end.delivered
                    self._insert_deliveries(conn, article_ids, platform, channel, end.post_id)

    def _insert_deliveries(
        self, conn: Connection, article_ids: list[int], platform: str, channel: str, post_id: int
    ) -> None:
        rows = [
            {"article_id": a, "platform": platform, "channel": channel, "post_id": post_id, "delivered_at": _now()}
            for a in dict.fromkeys(article_ids)
        ]
        table = DeliveryRow.__table__
        dialect = self.engine.dialect.name
        if dialect in ("sqlite", "postgresql"):
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            conn.execute(insert(table).values(rows).on_conflict_do_nothing())
            return
        for row in rows:
            try:
                with conn.begin_nested():
                    conn.execute(table.insert().values(**row))
            except IntegrityError:
                pass

    def sweep_stale(self, stale_seconds: float) -> tuple[int, int]:
        """Rows whose process stopped refreshing them: ``sending`` → ``unknown`` (something may
        have been posted, so never again), ``claimed`` → ``failed`` (nothing was, so it may be
        retried). Returns (unknown, failed) counts."""
        cutoff = _now() - timedelta(seconds=stale_seconds)
        with self.engine.begin() as conn:
            platforms = (
                conn.execute(select(PostRow.platform).where(PostRow.status == SENDING, PostRow.updated_at < cutoff))
                .scalars()
                .all()
            )
            unknown = conn.execute(
                update(PostRow)
                .where(PostRow.status == SENDING, PostRow.updated_at < cutoff)
                .values(
                    status=UNKNOWN,
                    error="the bot stopped while posting; the digest may or may not have arrived",
                    updated_at=_now(),
                )
            ).rowcount
            failed = conn.execute(
                update(PostRow)
                .where(PostRow.status == CLAIMED, PostRow.updated_at < cutoff)
                .values(status=FAILED, error="the bot stopped before posting", retry_at=_now(), updated_at=_now())
            ).rowcount
        from bot import metrics  # prometheus-client; imported where it is used

        for platform in platforms[:unknown]:
            metrics.record_scheduled_run(platform, "unknown")
        return unknown, failed

    def due_retries(self, platforms: list[str], now: datetime | None = None) -> list[Retry]:
        """Failed scheduled runs whose retry time has come, for the platforms given."""
        now = now or _now()
        with Session(self.engine) as s:
            rows = s.execute(
                select(PostRow.schedule_id, PostRow.run_key, PostRow.channel)
                .where(PostRow.status == FAILED, PostRow.retry_at <= now, PostRow.platform.in_(platforms))
                .order_by(PostRow.schedule_id, PostRow.run_key, PostRow.channel)
            ).all()
        grouped: dict[tuple[str, str], list[str]] = {}
        for schedule_id, run_key, channel in rows:
            grouped.setdefault((schedule_id, run_key), []).append(channel)
        return [Retry(s, k, tuple(chs)) for (s, k), chs in grouped.items()]

    def record_missed(self, schedule_id: str, platform: str, channel: str, run_key: str) -> bool:
        """Note a run that was not posted (the bot was down past the grace period)."""
        with self.engine.begin() as conn:
            inserted = self._insert_claims(conn, schedule_id, platform, [channel], run_key, _now())
            if inserted:
                conn.execute(
                    update(PostRow)
                    .where(PostRow.id == inserted[0][1])
                    .values(status=MISSED, error="the bot was not running within the grace period")
                )
        return bool(inserted)

    def posts_for(self, schedule_id: str, limit: int = 20) -> list[PostStatus]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(PostRow)
                .where(PostRow.schedule_id == schedule_id)
                .order_by(PostRow.updated_at.desc(), PostRow.id.desc())
                .limit(limit)
            )
            return [
                PostStatus(r.run_key, r.channel, r.status, r.error, r.updated_at, r.attempts or 1, r.retry_at)
                for r in rows
            ]

    def runs_for(self, schedule_id: str, runs: int = 3) -> list[tuple[str, list[PostStatus]]]:
        """The latest ``runs`` runs of a schedule, newest first, each with every channel's row."""
        with Session(self.engine) as s:
            keys = [
                k
                for (k,) in s.execute(
                    select(PostRow.run_key)
                    .where(PostRow.schedule_id == schedule_id)
                    .group_by(PostRow.run_key)
                    .order_by(text("max(posts.created_at) DESC"))
                    .limit(runs)
                )
            ]
            out = []
            for key in keys:
                rows = s.scalars(
                    select(PostRow)
                    .where(PostRow.schedule_id == schedule_id, PostRow.run_key == key)
                    .order_by(PostRow.channel)
                )
                out.append(
                    (
                        key,
                        [
                            PostStatus(
                                r.run_key, r.channel, r.status, r.error, r.updated_at, r.attempts or 1, r.retry_at
                            )
                            for r in rows
                        ],
                    )
                )
            return out

    # --- articles and briefings ----------------------------------------------------

    def article(self, *, url: str | None, text: str, title: str | None, signature: tuple[int, ...]) -> StoredArticle:
        """The stored article with this content, inserting it the first time it is seen."""
        digest = content_hash(text)
        with Session(self.engine) as s:
            row = s.scalars(select(ArticleRow).where(ArticleRow.content_hash == digest)).first()
            if row is None:
                row = ArticleRow(url=url, content_hash=digest, signature=list(signature), title=title)
                s.add(row)
                try:
                    s.commit()
                except IntegrityError:  # another process stored it first
                    s.rollback()
                    row = s.scalars(select(ArticleRow).where(ArticleRow.content_hash == digest)).one()
            return StoredArticle(row.id, row.url, row.title, tuple(row.signature))

    def delivered_to(self, platform: str, channel: str, article: StoredArticle) -> bool:
        """Whether this article, or the same story from another source, already went to the channel."""
        with Session(self.engine) as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.signature)
                .join(DeliveryRow, DeliveryRow.article_id == ArticleRow.id)
                .where(DeliveryRow.platform == platform, DeliveryRow.channel == channel)
                .order_by(DeliveryRow.id.desc())
                .limit(5000)
            ).all()
        return any(
            row_id == article.id or signature_similarity(sig, article.signature) >= SAME_STORY for row_id, sig in rows
        )

    def delivered_ids(self, platform: str, channels: list[str]) -> dict[str, set[int]]:
        """The articles already delivered to each of ``channels`` (one query for a whole run)."""
        out: dict[str, set[int]] = {c: set() for c in channels}
        with Session(self.engine) as s:
            for start in range(0, len(channels), 500):
                part = channels[start : start + 500]
                for channel, article_id in s.execute(
                    select(DeliveryRow.channel, DeliveryRow.article_id).where(
                        DeliveryRow.platform == platform, DeliveryRow.channel.in_(part)
                    )
                ):
                    out[channel].add(article_id)
        return out

    def signatures(self, article_ids: set[int]) -> dict[int, tuple[int, ...]]:
        ids = sorted(article_ids)
        out: dict[int, tuple[int, ...]] = {}
        with Session(self.engine) as s:
            for start in range(0, len(ids), 500):
                for article_id, signature in s.execute(
                    select(ArticleRow.id, ArticleRow.signature).where(ArticleRow.id.in_(ids[start : start + 500]))
                ):
                    out[article_id] = tuple(signature)
        return out

    def mark_delivered(self, article_ids: list[int], platform: str, channel: str, post_id: int | None) -> None:
        with self.engine.begin() as conn:
            if article_ids:
                self._insert_deliveries(conn, article_ids, platform, channel, post_id)  # type: ignore[arg-type]

    def briefing_failure(self, article_id: int, points: int, translator: str) -> str | None:
        """Why this article could not be briefed before, if it could not."""
        with Session(self.engine) as s:
            return s.scalars(
                select(BriefingFailureRow.error).where(
                    BriefingFailureRow.article_id == article_id,
                    BriefingFailureRow.points == points,
                    BriefingFailureRow.translator == translator,
                )
            ).first()

    def remember_briefing_failure(self, article_id: int, points: int, translator: str, error: str) -> None:
        try:
            with Session(self.engine) as s, s.begin():
                s.add(BriefingFailureRow(article_id=article_id, points=points, translator=translator, error=error))
        except IntegrityError:
            pass  # remembered by another run already

    def cached_briefing(self, article_id: int, points: int, translator: str) -> Briefing | None:
        with Session(self.engine) as s:
            row = s.scalars(
                select(BriefingRow).where(
                    BriefingRow.article_id == article_id,
                    BriefingRow.points == points,
                    BriefingRow.translator == translator,
                )
            ).first()
            return Briefing.from_dict(row.data) if row else None

    def save_briefing(self, article_id: int, points: int, translator: str, briefing: Briefing) -> None:
        with self.engine.begin() as conn:  # the language is known once the article is analysed
            conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(language=briefing.language))
        try:
            with Session(self.engine) as s, s.begin():
                s.add(
                    BriefingRow(
                        article_id=article_id,
                        points=points,
                        translator=translator,
                        data=json.loads(json.dumps(briefing.to_dict(), ensure_ascii=False)),
                    )
                )
        except IntegrityError:
            pass  # computed concurrently elsewhere: the stored one is as good


def _add_missing_columns(engine: Engine, model: type[Base]) -> None:
    """Add columns a newer briefbot gave ``model``'s table to a database made by an older one."""
    table = model.__table__
    present = {c["name"] for c in inspect(engine).get_columns(table.name)}
    with engine.begin() as conn:
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=engine.dialect)
            default = f" DEFAULT {column.server_default.arg}" if column.server_default is not None else ""
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{default}"))


def _schedule_values(spec: ScheduleSpec) -> dict:
    return {
        "platform": spec.platform,
        "channels": list(spec.channels),
        "when": spec.when,
        "timezone": spec.timezone,
        "source": spec.source,
        "articles": spec.articles,
        "thread": spec.thread,
        "points": spec.points,
        "origin": spec.origin,
        "created_by": spec.created_by,
    }


def _spec(row: ScheduleRow) -> ScheduleSpec:
    return ScheduleSpec(
        id=row.id,
        platform=row.platform,
        channels=tuple(row.channels),
        when=row.when,
        timezone=row.timezone,
        source=row.source,
        articles=row.articles,
        thread=row.thread,
        points=row.points,
        origin=row.origin,
        created_by=row.created_by,
    )


# --- events already received (Slack's event_id), shared by every replica ---------------------


class SeenEventRow(Base):
    __tablename__ = "seen_events"
    #: ``platform:id``, e.g. ``slack:Ev0123ABC``.
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class SeenEvents:
    """Event ids already received, in the store, so that replicas behind one load balancer share them.

    The primary key decides: of two processes recording the same id at once, exactly one
    inserts it. Ids older than a day are forgotten (Slack retries within minutes).
    """

    KEEP = timedelta(days=1)
    #: Forget old ids once every this many new ones.
    PRUNE_EVERY = 1000

    def __init__(self, store: Store) -> None:
        self.store = store
        self._recorded = 0

    def first_time(self, key: str) -> bool:
        """Record ``key``; True when no process had recorded it before."""
        try:
            with Session(self.store.engine) as s, s.begin():
                s.add(SeenEventRow(key=key, seen_at=_now()))
        except IntegrityError:
            return False
        self._recorded += 1
        if self._recorded % self.PRUNE_EVERY == 0:
            self.forget_before(_now() - self.KEEP)
        return True

    def forget_before(self, moment: datetime) -> int:
        with self.store.engine.begin() as conn:
            return conn.execute(delete(SeenEventRow).where(SeenEventRow.seen_at < moment)).rowcount


def _vote(row: VoteRow) -> Vote:
    return Vote(
        briefing_key=row.briefing_key,
        source=row.source,
        translator=row.translator,
        platform=row.platform,
        channel=row.channel,
        user=row.user_id,
        vote=row.vote,
        updated_at=row.updated_at,
    )
