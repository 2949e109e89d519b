from pathlib import Path

import pytest

from bot.config import load_config
from bot.errors import ConfigError
from tests.conftest import ROOT, run_cli

EXAMPLE = ROOT / "config" / "briefbot.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads():
    config = load_config(EXAMPLE)
    assert config.schedules, "the example documents at least one schedule"
    assert config.timezone
    for spec in config.schedules:
        assert spec.channels and spec.source


def test_malformed_toml_names_the_line(tmp_path):
    path = write(tmp_path, '[bot]\ntimezone = "UTC"\npoints = \n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "line 3" in info.value.message and str(path) in info.value.message


def test_unknown_time_zone_names_key_and_line(tmp_path):
    text = """[bot]
timezone = "UTC"

[[schedules]]
id = "morning"
platform = "slack"
channel = "C1"
when = "daily 08:00"
timezone = "Asia/Taipie"
source = "https://example.com/rss"
"""
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = info.value.message
    assert "line 9" in message and "timezone" in message and "Asia/Taipie" in message


@pytest.mark.parametrize(
    "body, words",
    [
        ('id = "a"\nplatform = "slack"\nwhen = "daily 08:00"\nsource = "x"\n', "channel"),
        ('id = "a"\nplatform = "irc"\nchannel = "c"\nwhen = "daily 08:00"\nsource = "x"\n', "platform"),
        ('id = "a"\nplatform = "slack"\nchannel = "c"\nwhen = "hourly"\nsource = "x"\n', "when"),
        (
            'id = "a"\nplatform = "slack"\nchannel = "c"\nwhen = "daily 08:00"\nsource = "x"\narticles = "five"\n',
            "articles",
        ),
    ],
)
def test_schedule_mistakes(tmp_path, body, words):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "[[schedules]]\n" + body))
    assert words in info.value.message
    assert "line" in info.value.message


def test_cli_bad_config_is_exit_2_one_sentence(tmp_path):
    path = write(tmp_path, "[bot]\ntimezone = 'Nowhere/Land'\n")
    result = run_cli("schedule", "list", "--config", str(path), env={"BRIEFBOT_DB": str(tmp_path / "x.db")})
    assert result.code == 2
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Nowhere/Land" in result.err and "line 2" in result.err
