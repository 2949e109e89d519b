"""``--summary llm``: the LLM's summary and key points of an article, each checked against the
sentences it cites, through the real backend and the fake OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest

from bot import summarize
from bot.text.written import NOT_USABLE, REPLACED, WRITTEN
from bot.translate.llm import OpenAITranslator
from fakes.openai_api import FakeLLM
from tests.conftest import SEED, llm_translator, run_cli


def _translator(llm: FakeLLM) -> OpenAITranslator:
    return llm_translator(llm, retries=0)


def _item(zh: str, en: str, *cites: int) -> dict:
    return {"zh": zh, "en": en, "cites": list(cites)}


# The seed's sentences, by number: 0 好萊塢 and 韓國 envied; 3 南韓 sets up a film commission;
# 4 Taiwan stays a Hollywood subcontractor, only 輔導金; 6 裴勇俊 or 李英愛; 7 the government should see it.
GOOD = {
    "summary": _item(
        "南韓影視靠政府打造產業成功，台灣需要的不只是輔導金。",
        "South Korea's screen industry succeeded with government backing; Taiwan needs more than grants.",
        3,
        7,
    ),
    "key_points": [
        _item("韓國影視產品風靡亞洲，國內業者羨慕。", "Korean screen products swept Asia, to local envy.", 0),
        _item("南韓成立電影委員會及媒體中心。", "South Korea set up a film commission and a media centre.", 3),
        _item("國內仍幫好萊塢代工，政府只給輔導金。", "Taiwan still subcontracts for Hollywood; grants only.", 4),
        _item("只靠美色與金錢造不出第二個裴勇俊。", "Looks and money cannot make another Bae Yong-joon.", 6),
        _item("政府應明白台灣影視需要的不只是輔導金。", "The government should see Taiwan needs more than grants.", 7),
    ],
}


def test_points_that_check_out_are_the_llms_and_cite_their_sentences(llm, seed_text):
    llm.article_answer = json.dumps(GOOD, ensure_ascii=False)
    t = _translator(llm)
    briefing = summarize(seed_text, translator=t, writer=t)
    assert [p.zh for p in briefing.key_points] == [i["zh"] for i in GOOD["key_points"]]
    assert [p.source_index for p in briefing.key_points] == [0, 3, 4, 6, 7]
    assert briefing.summary.en == GOOD["summary"]["en"]
    assert WRITTEN in briefing.notes and REPLACED not in briefing.notes
    user = llm.requests[-1]["json"]["messages"][-1]["content"]
    assert user.startswith("<sentences>") and user.count("</sentences>") == 1


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (_item("南韓政府投入 300 億成立電影委員會。", "Korea spent 30 billion on a film commission.", 3), "a number"),
        (_item("台積電成立電影委員會。", "TSMC set up a film commission.", 3), "a name the sentence lacks"),
        (_item("南韓成立電影委員會。", "Korea set up a film commission.", 42), "a sentence that does not exist"),
        (_item("南韓成立電影委員會，詳見 http://evil.example", "See http://evil.example", 3), "a link"),
    ],
)
def test_a_point_that_does_not_check_out_gives_way_to_the_extractive_one(llm, seed_text, bad, why):
    extractive = summarize(seed_text)
    llm.article_answer = json.dumps({**GOOD, "key_points": [bad, *GOOD["key_points"][2:]]}, ensure_ascii=False)
    t = _translator(llm)
    briefing = summarize(seed_text, translator=t, writer=t)
    shown = [p.zh for p in briefing.key_points]
    assert bad["zh"] not in shown, why
    assert len(briefing.key_points) == len(extractive.key_points)
    # The extractive points that the LLM's did not cover fill the gap, as written in the article.
    assert any(p.zh == e.zh for p in briefing.key_points for e in extractive.key_points)
    assert REPLACED in briefing.notes


def test_an_answer_that_is_not_json_leaves_the_extractive_briefing(llm, seed_text):
    llm.article_answer = "Here is a summary: Korea good, Taiwan bad."
    t = _translator(llm)
    briefing = summarize(seed_text, translator=t, writer=t)
    assert [p.zh for p in briefing.key_points] == [p.zh for p in summarize(seed_text).key_points]
    assert NOT_USABLE in briefing.notes


def test_the_cli_refuses_summary_llm_without_an_llm_in_one_sentence():
    out = run_cli("brief", str(SEED), "--summary", "llm", "--translator", "glossary")
    assert out.code == 2 and out.err.count("\n") == 1 and "--summary llm needs an LLM" in out.err


def test_the_cli_with_summary_llm(llm):
    llm.article_answer = json.dumps(GOOD, ensure_ascii=False)
    env = {"BRIEFBOT_LLM_BASE_URL": llm.base_url, "BRIEFBOT_LLM_MODEL": "fake-model"}
    out = run_cli("brief", str(SEED), "--summary", "llm", "--format", "json", env=env)
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert [p["source_index"] for p in data["key_points"]] == [0, 3, 4, 6, 7]
    assert WRITTEN in data["notes"]
