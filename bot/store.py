"""The store: articles, computed briefings, schedules and posts, channel settings, feedback
votes and the reactions already acted on (SQLAlchemy 2).

SQLite by default, any SQLAlchemy URL (PostgreSQL included) for deployments of more
than one process. The ``posts`` table carries the exactly-once guarantee: a run
*claims* (schedule, platform, channel, run key) with a unique constraint before it
posts anything, so a retry, a restart or a second scheduler on the same database
finds the row taken and posts nothing.
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
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.briefing import Briefing
from bot.chat.settings import ChannelSettings, with_changes
from bot.errors import ConfigError
from bot.schedule.spec import ScheduleSpec
from bot.text.dedupe import normalise, signature_similarity

#: Seconds after which an unfinished claim is taken to belong to a dead process.
CLAIM_LEASE = 15 * 60
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
    #: The run's slot in the schedule's time zone: ``2026-11-26T08:00``, or ``manual:2026-11-26``.
    run_key: Mapped[str] = mapped_column(String(64))
    #: claimed → posted | empty | failed; or missed (never claimed by a run).
    status: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(128))
    thread_id: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
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

    # --- the exactly-once claim ----------------------------------------------------

    def claim(
        self, schedule_id: str, platform: str, channel: str, run_key: str, *, lease_seconds: int = CLAIM_LEASE
    ) -> int | None:
        """Take the run slot for this channel; the post id, or None if another run has it.

        A claim left ``claimed`` for longer than ``lease_seconds`` belongs to a process that
        died mid-run; the next run takes it over, so a crash does not lose the post.
        """
        post_id = self._insert_claim(schedule_id, platform, channel, run_key)
        if post_id is not None:
            return post_id
        stale = _now() - timedelta(seconds=lease_seconds)
        with self.engine.begin() as conn:
            row = conn.execute(
                update(PostRow)
                .where(
                    PostRow.schedule_id == schedule_id,
                    PostRow.platform == platform,
                    PostRow.channel == channel,
                    PostRow.run_key == run_key,
                    PostRow.status == "claimed",
                    PostRow.updated_at < stale,
                )
                .values(updated_at=_now())
                .returning(PostRow.id)
            ).first()
        return int(row[0]) if row else None

    def release(self, post_id: int) -> None:
        """Give back a claim whose run stopped before posting (the next run may take it)."""
        with self.engine.begin() as conn:
            conn.execute(delete(PostRow).where(PostRow.id == post_id, PostRow.status == "claimed"))

    def _insert_claim(self, schedule_id: str, platform: str, channel: str, run_key: str) -> int | None:
        values = {
            "schedule_id": schedule_id,
            "platform": platform,
            "channel": channel,
            "run_key": run_key,
            "status": "claimed",
            "created_at": _now(),
            "updated_at": _now(),
        }
        table = PostRow.__table__
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:  # any other database: let the unique constraint refuse the second insert
            try:
                with self.engine.begin() as conn:
                    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])
            except IntegrityError:
                return None
        with self.engine.begin() as conn:
            stmt = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
            row = conn.execute(stmt).first()
        return int(row[0]) if row else None

    def finish(
        self,
        post_id: int,
        status: str,
        *,
        message_id: str | None = None,
        thread_id: str | None = None,
        error: str | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(PostRow)
                .where(PostRow.id == post_id)
                .values(status=status, message_id=message_id, thread_id=thread_id, error=error, updated_at=_now())
            )

    def record_missed(self, schedule_id: str, platform: str, channel: str, run_key: str) -> bool:
        """Note a run that was not posted (the bot was down past the grace period)."""
        post_id = self.claim(schedule_id, platform, channel, run_key)
        if post_id is None:
            return False
        self.finish(post_id, "missed", error="the bot was not running within the grace period")
        return True

    def posts_for(self, schedule_id: str, limit: int = 20) -> list[PostStatus]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(PostRow)
                .where(PostRow.schedule_id == schedule_id)
                .order_by(PostRow.updated_at.desc(), PostRow.id.desc())
                .limit(limit)
            )
            return [PostStatus(r.run_key, r.channel, r.status, r.error, r.updated_at) for r in rows]

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

    def mark_delivered(self, article_ids: list[int], platform: str, channel: str, post_id: int | None) -> None:
        for article_id in article_ids:
            try:
                with Session(self.engine) as s, s.begin():
                    s.add(DeliveryRow(article_id=article_id, platform=platform, channel=channel, post_id=post_id))
            except IntegrityError:
                pass

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
