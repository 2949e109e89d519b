"""The command line as a user meets it: a subprocess, real files, real exit codes."""

import json

import pytest

from tests.conftest import ARTICLE_HTML, SEED, run_cli


def test_brief_seed_text():
    result = run_cli("brief", str(SEED))
    assert result.code == 0, result.err
    assert "Key points" in result.out and "1. " in result.out
    assert "好萊塢 — Hollywood" in result.out
    assert "not a translation" in result.out
    assert "6 duplicate passages removed" in result.out
    assert result.err == ""


def test_brief_seed_json_shape():
    result = run_cli("brief", str(SEED), "--format", "json", "--points", "3")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["language"] == "zh-Hant"
    assert len(data["key_points"]) == 3
    assert data["translator"] == {"name": "cc-cedict", "kind": "glossary", "attribution": None}
    assert data["stats"]["duplicates_removed"] == 6
    assert data["source"] == str(SEED)


def test_brief_markdown():
    result = run_cli("brief", str(SEED), "--format", "markdown")
    assert result.code == 0, result.err
    assert result.out.startswith("# ")
    assert "## Key points" in result.out


def test_stdin_and_python_m():
    result = run_cli("brief", "-", "--format", "json", stdin=SEED.read_bytes())
    assert result.code == 0, result.err
    assert json.loads(result.out)["source"] == "stdin"


def test_url_through_the_cli(local_site):
    body = SEED.read_text(encoding="utf-8").split("。")[0:6]
    url = local_site.add("/a", body=ARTICLE_HTML.format(body="。".join(body) + "。").encode("utf-8"))
    result = run_cli("brief", url, "--format", "json", env={"BRIEFBOT_ALLOW_PRIVATE_URLS": "1"})
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["title"] == "南韓影視產業為何成功"
    assert data["source"] == url


def _assert_clean_error(result, *words):
    assert result.code == 2, (result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("briefbot: ")
    for word in words:
        assert word in lines[0], lines[0]


def test_missing_file():
    _assert_clean_error(run_cli("brief", "no/such/file.txt"), "No such file")


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", ["empty"]),
        (b"   \n \r\n\t", ["empty"]),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00", ["binary"]),
        (bytes(range(128, 256)) * 4, ["encoding"]),
        (b"\xff\xfe\xde\xad\xbe\xef\x12\x34\x56\x78", ["UTF-16", "UTF-8"]),
    ],
    ids=["empty", "whitespace", "binary", "undecodable", "utf16-bom-then-junk"],
)
def test_bad_files(tmp_path, content, words):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    _assert_clean_error(run_cli("brief", str(path)), *words)


def test_fifty_megabyte_paste_is_refused_quickly(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        chunk = SEED.read_bytes()
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    _assert_clean_error(run_cli("brief", str(big)), "limit", "BRIEFBOT_MAX_INPUT_BYTES")
    # The same through stdin, and with the limit set in the environment.
    _assert_clean_error(
        run_cli("brief", "-", stdin=SEED.read_bytes(), env={"BRIEFBOT_MAX_INPUT_BYTES": "1000"}), "limit"
    )


def test_bad_limit_setting():
    _assert_clean_error(
        run_cli("brief", str(SEED), env={"BRIEFBOT_MAX_INPUT_BYTES": "lots"}), "BRIEFBOT_MAX_INPUT_BYTES"
    )


@pytest.mark.parametrize(
    "url, words",
    [
        ("ftp://example.com/a", ["http and https"]),
        ("http://", ["not a valid"]),
        ("http://127.0.0.1:9/a", ["private or local"]),
        ("http://10.0.0.1/a", ["private or local"]),
        ("http://[::1]/a", ["private or local"]),
        ("http://localhost/a", ["private or local"]),
    ],
)
def test_refused_and_bad_urls(url, words):
    _assert_clean_error(run_cli("brief", url), *words)


def test_http_error_and_timeout(local_site):
    env = {"BRIEFBOT_ALLOW_PRIVATE_URLS": "1", "BRIEFBOT_FETCH_TIMEOUT": "1"}
    _assert_clean_error(run_cli("brief", local_site.base + "/missing", env=env), "404")
    slow = local_site.add("/slow", body=b"x", delay=5)
    _assert_clean_error(run_cli("brief", slow, env=env), "did not answer")


@pytest.mark.parametrize(
    "args, words",
    [
        (["brief"], ["SOURCE"]),
        (["brief", str(SEED), "--points", "0"], ["--points"]),
        (["brief", str(SEED), "--points", "many"], ["--points"]),
        (["brief", str(SEED), "--format", "pdf"], ["--format"]),
        (["summarise", str(SEED)], ["summarise"]),
    ],
)
def test_mistyped_commands(args, words):
    _assert_clean_error(run_cli(*args), *words)


def test_help_explains_everything():
    top = run_cli("--help")
    assert top.code == 0 and "brief" in top.out
    brief = run_cli("brief", "--help")
    assert brief.code == 0
    for word in ["--format", "--points", "stdin", "BRIEFBOT_ALLOW_PRIVATE_URLS", "Big5", "2 MB"]:
        assert word in brief.out, word


def test_no_command_prints_help():
    result = run_cli()
    assert result.code == 2
    assert "brief" in result.err
