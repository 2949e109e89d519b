"""The Dockerfile and compose.yaml, checked as far as a machine without Docker allows.

Both are parsed; every file they copy exists (and is not left out by .dockerignore), every
``briefbot`` command they run is a real subcommand with real options, every Python one-liner
compiles and imports real names, the image does not run as root, and the health checks ask
``/readyz`` on the port ``briefbot serve`` listens on.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import yaml

from adapters.cli import build_parser
from tests.conftest import ROOT

SOURCE_DIRS = (ROOT / "bot", ROOT / "adapters")


@dataclass
class Stage:
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages, each a list of (INSTRUCTION, arguments) with continuations joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", args.strip(), re.IGNORECASE)
            assert match, line
            stages.append(Stage(match.group(2)))
        stages[-1].instructions.append((keyword, args.strip()))
    return stages


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(a, str) for a in value), args
    return value


def parse_briefbot(argv: list[str]):
    """``briefbot ARGV`` as the real command line reads it; a mistake fails the test."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"not a valid briefbot command: briefbot {' '.join(argv)}")


def check_python(code: str) -> None:
    """``python -c CODE``: it compiles and everything it imports exists."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                assert hasattr(module, alias.name), f"{node.module} has no {alias.name}"


def readyz_port(argv: list[str]) -> int:
    """The port a health-check command asks ``/readyz`` on."""
    assert argv[:2] == ["python", "-c"], argv
    check_python(argv[2])
    url = re.search(r"'(http://[^']+)'", argv[2]).group(1)
    parts = urlsplit(url)
    assert parts.path == "/readyz" and parts.hostname == "127.0.0.1", url
    return parts.port


def dockerignored(path: str) -> bool:
    patterns = [
        p.strip()
        for p in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if p.strip() and not p.startswith("#")
    ]
    parts = path.split("/")
    return any(
        fnmatch.fnmatch(path, p) or fnmatch.fnmatch(parts[0], p) or fnmatch.fnmatch(path, p.removeprefix("**/"))
        for p in patterns
    )


def known_variable(name: str) -> bool:
    """Whether briefbot reads environment variable ``name`` anywhere."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(word.search(path.read_text(encoding="utf-8")) for d in SOURCE_DIRS for path in d.rglob("*.py"))


def test_the_image_builds_from_files_that_exist_and_runs_briefbot_serve_as_a_user():
    stages = dockerfile_stages()
    names = {s.name for s in stages}
    final = stages[-1]
    copied_to = []
    for stage in stages:
        for args in stage.all("COPY"):
            words = args.split()
            flags = [w for w in words if w.startswith("--")]
            sources, destination = [w for w in words if not w.startswith("--")][:-1], words[-1]
            copied_to.append(destination)
            if any(f.startswith("--from=") for f in flags):
                assert flags[0].removeprefix("--from=") in names, args
                continue
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
                assert not dockerignored(source), f"COPY {source}: .dockerignore leaves it out"
        for args in stage.all("RUN"):
            for command in args.split("&&"):
                argv = shlex.split(command)
                if "pip" in argv[0] and "install" in argv:
                    extras = re.findall(r"\.\[(\w+)\]", command)
                    optional = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
                    assert all(extra in optional for extra in extras), command
                elif argv[0] in ("python", "python3") and argv[1] == "-c":
                    check_python(argv[2])
                elif argv[0] == "briefbot":
                    argv = argv[1 : argv.index(">")] if ">" in argv else argv[1:]
                    parse_briefbot(argv)
                    paths = [a for a in argv if a.startswith("/")]
                    assert all(p in copied_to for p in paths), f"{command}: a file the image does not have"

    user = final.last("USER")
    assert user is not None and user.split(":")[0] not in ("root", "0"), "the image must not run as root"
    assert final.all("RUN")[-1].count("preload()"), "jieba's and briefbot's caches are built in the image"
    for args in final.all("ENV"):
        for name in re.findall(r"\b(BRIEFBOT_[A-Z_]+)=", args):
            assert known_variable(name), name

    entrypoint, command = exec_form(final.last("ENTRYPOINT")), exec_form(final.last("CMD"))
    assert entrypoint == ["briefbot"]
    served = parse_briefbot(command)
    assert served.command == "serve" and served.host == "0.0.0.0"
    assert final.last("EXPOSE") == str(served.port)

    healthcheck = final.last("HEALTHCHECK")
    probe = exec_form(healthcheck[healthcheck.index("CMD") + 3 :].strip())
    assert readyz_port(probe) == served.port


def test_compose_runs_briefbot_beside_postgresql_with_health_checks():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "briefbot"}
    db, bot = services["db"], services["briefbot"]

    assert db["image"].startswith("postgres:")
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert "user" not in bot, "the image's own (non-root) user runs the bot"
    assert (ROOT / bot["build"] / "Dockerfile").is_file()
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}

    served = parse_briefbot(bot["command"])
    assert served.command == "serve"
    assert f"3000:{served.port}" in bot["ports"]
    test = bot["healthcheck"]["test"]
    assert test[0] == "CMD" and readyz_port(test[1:]) == served.port

    environment = bot["environment"]
    for name in environment:
        assert known_variable(name), f"briefbot does not read {name}"
    database = urlsplit(environment["BRIEFBOT_DB"].replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}", "x"))
    assert database.scheme == "postgresql+psycopg" and database.hostname in services
    assert database.path == "/" + db["environment"]["POSTGRES_DB"]
    assert database.username == db["environment"]["POSTGRES_USER"]
