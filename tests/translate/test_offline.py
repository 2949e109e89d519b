"""The offline translator: a real OPUS-MT package run by CTranslate2 (no mocks), and `briefbot models`."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from bot import summarize
from bot.errors import ConfigError, InputError
from bot.translate import models
from bot.translate.choose import make_translator
from bot.translate.glossary import GlossaryTranslator
from tests.conftest import SEED, run_cli

TSMC_SENTENCE = "台積電今年營收創新高，行政院表示將以新台幣五百億元補助。"


def _english_sentence(text: str | None) -> bool:
    """Real English: mostly Latin letters and at least a few words."""
    if not text:
        return False
    letters = [c for c in text if c.isalpha()]
    return len(re.findall(r"[A-Za-z]+", text)) >= 4 and sum(c.isascii() for c in letters) / len(letters) > 0.9


def _fake_package(path: Path, *, pair: tuple[str, str] = ("zh", "en"), drop: str | None = None) -> Path:
    """A zip shaped like an .argosmodel (not a working model): for install's structure checks."""
    files = {
        "pkg/metadata.json": json.dumps({"package_version": "0.1", "from_code": pair[0], "to_code": pair[1]}),
        "pkg/sentencepiece.model": "x",
        "pkg/model/model.bin": "x",
        "pkg/README.md": "Authors: Ann Example and Bo Sample\nYear: 2021\nlicensed CC-BY 4.0\n",
    }
    if drop:
        files.pop(drop)
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return path


def test_install_checks_the_package_and_lists_licence_and_attribution(tmp_path: Path) -> None:
    target = tmp_path / "models"
    model = models.install("zh-en", _fake_package(tmp_path / "p.argosmodel"), target)
    assert (model.pair, model.version, model.license) == ("zh-en", "0.1", "CC BY 4.0")
    assert model.attribution == "Example & Sample, 2021"
    assert [m.pair for m in models.installed(target)] == ["zh-en"]
    # Installing again replaces the old copy and leaves no staging folders behind.
    models.install("zh-en", _fake_package(tmp_path / "p.argosmodel"), target)
    assert sorted(p.name for p in target.iterdir()) == ["zh-en"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: _fake_package(d / "p.argosmodel", pair=("en", "de")), "translates en-de, not zh-en"),
        (lambda d: _fake_package(d / "p.argosmodel", drop="pkg/model/model.bin"), "lacks model/model.bin"),
        (lambda d: (d / "p.argosmodel").write_bytes(b"\x00not a zip") and d / "p.argosmodel", "not an Argos"),
        (lambda d: d / "missing.argosmodel", "No such file"),
    ],
)
def test_install_refuses_a_wrong_package_in_one_sentence(tmp_path: Path, make, words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)):
        models.install("zh-en", make(tmp_path), tmp_path / "models")
    assert not (tmp_path / "models" / "zh-en").exists()


def test_install_refuses_paths_that_leave_the_package_folder(tmp_path: Path) -> None:
    package = _fake_package(tmp_path / "p.argosmodel")
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("pkg/../../escape.txt", "x")
    with pytest.raises(InputError, match="outside its folder"):
        models.install("zh-en", package, tmp_path / "models")
    assert not (tmp_path / "escape.txt").exists()


def test_download_from_the_index_and_a_clear_sentence_when_it_is_unreachable(tmp_path: Path, local_site) -> None:
    package = _fake_package(tmp_path / "p.argosmodel").read_bytes()
    link = local_site.add("/zh_en.argosmodel", body=package, content_type="application/zip")
    index = [
        {"from_code": "en", "to_code": "zh", "links": ["http://127.0.0.1:9/no"]},
        {"from_code": "zh", "to_code": "en", "links": [link]},
    ]
    url = local_site.add("/index.json", body=json.dumps(index).encode(), content_type="application/json")
    model = models.download("zh-en", tmp_path / "models", url=url)
    assert model.pair == "zh-en" and "/zh_en.argosmodel" in local_site.hits
    with pytest.raises(InputError, match=r"Could not reach the Argos package index .* --from FILE"):
        models.download("zh-en", tmp_path / "other", url="http://127.0.0.1:9/index.json", timeout=5)


def test_cli_models_commands(tmp_path: Path) -> None:
    env = {"BRIEFBOT_MODELS_DIR": str(tmp_path / "m")}
    empty = run_cli("models", "list", env=env)
    assert empty.code == 0 and "No models installed" in empty.out
    bad = run_cli("models", "install", "zh-en", "--from", str(SEED), env=env)
    assert bad.code == 2 and bad.err.count("\n") == 1 and "not an Argos Translate package" in bad.err
    ok = run_cli("models", "install", "zh-en", "--from", str(_fake_package(tmp_path / "p.argosmodel")), env=env)
    assert ok.code == 0, ok.err
    listed = run_cli("models", "list", env=env)
    assert "zh-en" in listed.out and "CC BY 4.0" in listed.out and "Example & Sample" in listed.out
    unknown = run_cli("models", "install", "zh-fr", env=env)
    assert unknown.code == 2 and "invalid choice" in unknown.err


def test_auto_is_the_glossary_without_a_model_and_offline_refuses_without_one(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFBOT_MODELS_DIR", str(tmp_path))
    monkeypatch.delenv("BRIEFBOT_LLM_BASE_URL", raising=False)
    assert isinstance(make_translator("auto"), GlossaryTranslator)
    assert isinstance(make_translator(None), GlossaryTranslator)
    with pytest.raises(ConfigError, match="briefbot models install zh-en"):
        make_translator("offline")
    with pytest.raises(ConfigError, match="Unknown translator 'deepl'"):
        make_translator("deepl")


# --- with the real model ------------------------------------------------------------


@pytest.fixture
def offline(zh_en_models_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEFBOT_MODELS_DIR", str(zh_en_models_dir))
    monkeypatch.delenv("BRIEFBOT_LLM_BASE_URL", raising=False)
    return make_translator("auto")


def test_auto_takes_the_installed_model_and_the_llm_wins_when_configured(offline, monkeypatch) -> None:
    from bot.translate.offline import OfflineTranslator

    assert isinstance(offline, OfflineTranslator)
    monkeypatch.setenv("BRIEFBOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("BRIEFBOT_LLM_MODEL", "m")
    assert type(make_translator("auto")).__name__ == "OpenAITranslator"


def test_names_are_kept_tsmc_executive_yuan_nt_dollars(offline) -> None:
    (english,) = offline.translate_texts([TSMC_SENTENCE], "zh-en")
    assert english is not None
    assert "TSMC" in english and "Executive Yuan" in english and "NT$" in english


def test_the_seed_gets_real_english_with_attribution(offline, seed_text: str) -> None:
    briefing = summarize(seed_text, translator=offline)
    assert briefing.translator.kind == "translation"
    assert "CC BY 4.0" in (briefing.translator.attribution or "")
    assert "Tiedemann" in (briefing.translator.attribution or "")
    texts = [briefing.summary.en, *(p.en for p in briefing.key_points)]
    assert all(_english_sentence(t) for t in texts), texts
    everything = " ".join(texts)  # type: ignore[arg-type]
    assert "Hollywood" in everything and "Korea" in everything
    # Keywords still come from the glossary; no glossary note, since the sentences are translated.
    assert any(k.en for k in briefing.keywords)
    assert not any("glossary" in n for n in briefing.notes)


def test_english_articles_without_an_en_zh_model_fall_back_to_the_glossary(offline) -> None:
    text = (
        "The city council voted on Tuesday to extend the bus routes to the new hospital. "
        "Drivers said the buses run every ten minutes during the day. "
        "The mayor said the plan would cost 3 million dollars over two years."
    )
    briefing = summarize(text, translator=offline)
    assert briefing.translator.kind == "glossary"
    assert all(p.zh is None for p in briefing.key_points)


def test_the_cli_says_which_model_made_the_english(zh_en_models_dir: Path) -> None:
    out = run_cli("brief", str(SEED), "--format", "json", env={"BRIEFBOT_MODELS_DIR": str(zh_en_models_dir)})
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert data["translator"]["kind"] == "translation" and "OPUS-MT" in data["translator"]["name"]
    assert all(_english_sentence(p["en"]) for p in data["key_points"])
    text = run_cli("brief", str(SEED), env={"BRIEFBOT_MODELS_DIR": str(zh_en_models_dir)})
    assert "machine translation by OPUS-MT" in text.out and "CC BY 4.0" in text.out
    glossary = run_cli(
        "brief",
        str(SEED),
        "--translator",
        "glossary",
        "--format",
        "json",
        env={"BRIEFBOT_MODELS_DIR": str(zh_en_models_dir)},
    )
    assert json.loads(glossary.out)["translator"]["kind"] == "glossary"
