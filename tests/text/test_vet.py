"""The learned second look at the rules' items (bot/text/discussion/vet.py): its signals, how its
thresholds keep, drop and add items, and that the shipped models fit its signals."""

import json
import math
import random
import re
from importlib import resources
from pathlib import Path

from bot.text.discussion import brief_discussion, parse_discussion
from bot.text.discussion.brief import find_items, read_turns
from bot.text.discussion.prepare import prepare
from bot.text.discussion.vet import (
    AFTER,
    BEFORE,
    FEATURES,
    MIN_MESSAGES,
    PAIRS,
    SPAN,
    Model,
    _action_item,
    _decision_item,
    _decode,
    _question_item,
    decide,
    features,
    message_words,
    models,
    turn_words,
)

THREAD = [
    "Ann: 週五的發表會要不要改在大會議室？小會議室坐不下",
    "Bob: 好啊，大會議室比較寬",
    "Cara: 同意",
    "Ann: 那就改大會議室",
    "Dan: 投影機誰來借？",
    "Bob: 我來，週四前借好",
    "Cara: 茶點要訂嗎",
    "Ann: 訂二十份好了",
    "Dan: ok",
    "Ann: 午餐大家想吃什麼",
    "Bob: 便當吧",
    "Cara: @Dan 可以把簡報最後一版寄給大家嗎",
]


def _read(lines: list[str]):
    turns, _, _ = read_turns(parse_discussion("\n".join(lines)))
    talking = [t for t in turns if t.text]
    return talking, find_items(talking)


def _signal(lines: list[str], name: str) -> list[float]:
    """One signal (``FEATURES``) of every message of a thread of ``Name: text`` lines."""
    turns, found = _read(lines)
    return [r[FEATURES.index(name)] for r in features(turns, found)]


def _constant(chance_logit: float, keep: float, add: float) -> Model:
    return Model(tuple(0.0 for _ in FEATURES), chance_logit, keep, add)


def test_every_message_gets_every_signal_between_zero_and_one():
    turns, found = _read(THREAD)
    rows = features(turns, found)
    assert len(rows) == len(turns)
    assert all(len(r) == len(FEATURES) for r in rows)
    assert all(0.0 <= v <= 1.0 for r in rows for v in r)
    column = {name: [r[i] for r in rows] for i, name in enumerate(FEATURES)}
    # Two others back Ann's proposal in the messages after it; nobody backs Cara's request.
    assert column["acks_after"][0] > 0 and column["acks_after"][-1] == 0
    assert column["question"][0] == 1.0 and column["question"][1] == 0.0
    assert column["first"] == [1.0] + [0.0] * (len(turns) - 1)
    assert column["rule_decision"] == [float(t.index in {d.turn.index for d in found.decisions}) for t in turns]


def test_asking_someone_to_go_and_ask_is_a_job_not_a_matter_put_off():
    # "問問" also says "I'll have to ask" when a question is put off; asked of 阿德, it is his job.
    lines = [
        "林正雄: 今年的戲班還沒定",
        "林正雄: 麻煩 阿德 幫忙聯絡一下去年那團歌仔戲，問問 4/20、4/21 兩晚有沒有檔期",
        "阿德: 好 我明天打",
        "Ann: 場地押金多少？",
        "Bob: 不確定，要問問",
    ]
    put_off = _signal(lines, "put_off")
    assert [a.who for a in _read(lines)[1].actions if a.turn.index == 2] == ["阿德"]
    assert put_off[1] == 0.0
    assert put_off[4] == 1.0


def test_the_person_others_say_ok_to_most_is_weighed_as_the_one_who_settles_things():
    # The lead is not always the one who talks most: here Bob talks most, and 林姐 is the one the
    # others answer "收到/好/ok" to.
    lines = [
        "林姐: 週六開兩個窗口",
        "Cara: 收到",
        "林姐: 贈品先不發",
        "Cara: 好",
        "林姐: 海報照舊",
        "Cara: ok",
        "Bob: 去年排隊排到外面",
        "Bob: 人真的很多",
        "Bob: 我覺得三個窗口比較保險",
        "Bob: 停車也是問題",
    ]
    acked = _signal(lines, "acked_author")
    assert acked[0] == acked[2] == acked[4] == 1.0  # 林姐: three yeses, the most anyone got
    assert acked[6:] == [0.0] * 4  # Bob: none, though he says the most
    assert acked[1] == acked[3] == acked[5] == 0.0  # Cara: none


def test_thresholds_keep_drop_and_add():
    turns, found = _read(THREAD)
    rows, no_words = features(turns, found), [frozenset[str]()] * len(turns)
    rules = [i.turn.index for i in found.decisions]
    assert rules, "the rules find the decision to move the launch"
    # A chance of one half everywhere: kept when keep ≤ ½, nothing added while add > ½.
    same = _decode(turns, rows, no_words, _constant(0.0, 0.5, 0.51), found.decisions, _decision_item)
    assert [i.turn.index for i in same] == rules
    dropped = _decode(turns, rows, no_words, _constant(0.0, 0.51, 1.01), found.decisions, _decision_item)
    assert dropped == []
    # Everything may be added, but never two items from messages within SPAN of each other: at most
    # one in every SPAN + 1 messages, no message twice, each item a message's own words.
    added = _decode(turns, rows, no_words, _constant(0.0, 0.51, 0.5), [], _decision_item)
    indices = [i.turn.index for i in added]
    assert 2 <= len(added) <= -(-len(turns) // (SPAN + 1))
    assert len(set(indices)) == len(indices)
    texts = {t.text for t in turns}
    assert all(any(i.text.rstrip("…") in t for t in texts) for i in added)


def test_a_job_that_promises_to_report_back_is_kept_whatever_the_model_says():
    # The model has no signal for "…and revert"; on the training threads every such job it dropped
    # was one the gold lists. A job without the promise is still the model's to drop.
    jobs, kept = _jobs_a_model_that_drops_all_keeps(
        "Eve: 場地押金多少？",
        "Gus: 我問一下廠商，問到再跟大家說",
        "Fay: 我來買膠帶",
        "Eve: CR raised last week. Let me check with the network team and revert",
    )
    promising = {
        jobs["我問一下廠商，問到再跟大家說"].turn.index,
        jobs["CR raised last week. Let me check with the network team and revert"].turn.index,
    }
    assert jobs["我來買膠帶"].turn.index not in promising
    assert kept == promising


def _jobs_a_model_that_drops_all_keeps(*lines: str) -> tuple[dict, set[int]]:
    """The rules' action items of THREAD and ``lines`` by text, and the messages of those a model
    that gives every message no chance still keeps."""
    turns, found = _read([*THREAD, *lines])
    rows, no_words = features(turns, found), [frozenset[str]()] * len(turns)
    kept = decide("action_items", turns, rows, _constant(-10.0, 0.5, 1.01), found, no_words)
    return {i.turn.text: i for i in found.actions}, {i.turn.index for i in kept}


def test_a_bare_ok_stands_for_the_proposal_it_backs():
    turns, _ = _read(THREAD)
    ok = next(k for k, t in enumerate(turns) if t.text == "ok")
    item = _decision_item(turns, ok)
    assert item is not None
    assert item.turn.text == "訂二十份好了"
    assert item.agreed_at == ok


def test_an_ok_to_a_greeting_decides_nothing_and_a_bare_ok_skips_what_says_nothing():
    turns, _ = _read(
        ["Ivy: 大家好！下星期五開幕夜，今日要搞掂幾樣嘢", "嘉欣: hello hello", "Wing仔: 嚟緊 ✋", "陳sir: 收到"]
    )
    # "收到" after "嚟緊 ✋" and "hello hello" backs the opening message, the first that says something;
    # it is never the item "嚟緊 ✋".
    for k in (2, 3):
        item = _decision_item(turns, k)
        assert item is not None and item.turn.index == 1
    greetings, _ = _read(["嘉欣: hello hello", "Wing仔: 嚟緊 ✋", "陳sir: 收到"])
    assert _decision_item(greetings, 2) is None


def test_a_dont_know_leaves_the_question_open_not_itself():
    turns, _ = _read(
        [
            "Mei Xin: venue 的 wifi upload 够不够 1080p60 ah?",
            "Kenji: 不知道 leh, never test before",
            "阿哲: me also dunno",
            "Kenji: prize 下次 meeting 再讨论",
        ]
    )
    item = _question_item(turns, 1)
    assert item is not None and item.turn.index == 1 and item.text.startswith("venue 的 wifi")
    # A matter put off is itself what stays open.
    put_off = _question_item(turns, 3)
    assert put_off is not None and put_off.turn.index == 4


def test_a_report_of_work_done_is_never_added_as_a_decision():
    turns, _ = _read(["小张: 吸尘器我早上检查过了，有两台坏了，已经报给工程部了，单号 ENG-0412", "刘姐: 好"])
    assert _decision_item(turns, 0) is None


def test_added_work_names_who_takes_it_and_when():
    turns, _ = _read(THREAD)
    asked = next(k for k, t in enumerate(turns) if t.text.startswith("投影機"))
    item = _action_item(turns, asked)
    assert item is not None and item.who == "Bob" and item.due is not None and "週四" in item.due
    request = len(turns) - 1
    item = _action_item(turns, request)
    assert item is not None and item.who == "Dan"
    # A bare "我來" is the acceptance of work asked before, never an item of its own.
    assert _action_item(_read(["Ann: 誰去借投影機？", "Bob: 我來"])[0], 1) is None


def test_added_work_names_its_owner_as_the_rules_do():
    # The rules' owner logic decides first: a request that calls someone by first name is theirs,
    # not the previous speaker's, and "我…還沒弄完" is a status, not the speaker's new work.
    turns, _ = _read(
        [
            "Jun Takahashi: the glossary is done",
            "Mia Wong: great",
            "Lee Chen: OK, back-translation stays. Jun, can you send the file to the vendor?",
        ]
    )
    item = _action_item(turns, 2)
    assert item is not None and item.who == "Jun Takahashi"
    # With no one named, a later taker wins over the one the request seems to speak to.
    turns, _ = _read(["Ann: 場地訂好了", "Bob: 你可以幫忙印一下名牌嗎", "Cara: 我來印"])
    item = _action_item(turns, 1)
    assert item is not None and item.who == "Cara"
    turns, _ = _read(["Ann: 場地訂好了", "Bob: 你可以幫忙印一下名牌嗎", "Ann: 好"])
    item = _action_item(turns, 1)
    assert item is not None and item.who == "Ann"


def test_the_shipped_models_fit_these_signals():
    fitted = models()
    assert fitted is not None, "bot/text/data/vet.json is missing or was fitted on other signals"
    for name in ("decisions", "open_questions", "action_items"):
        m = fitted[name]
        assert len(m.weights) == len(FEATURES)
        # as bench/fit_discussion.py's PAIRS_KINDS says (and the README): pairs of signals weigh
        # decisions and open questions, not action items
        assert len(m.pairs) == (len(PAIRS) if name in ("decisions", "open_questions") else 0)
        assert name == "action_items" or sum(1 for v in m.pairs if v) > len(PAIRS) // 2
        assert 0.0 <= m.keep <= 1.0 and 0.0 <= m.add <= 1.01
        # the words it was fitted on, in the form message_words gives them
        assert len(m.words) > 100
        assert all(w == w.lower() and not re.search(r"[1-9]", w) for w in m.words)


def test_a_message_is_weighed_by_the_same_words_in_either_script_and_any_link_or_number():
    traditional = message_words("就這樣決定，@Bob 週五前把 3 份報價寄到 https://example.com/a 👍")
    simplified = message_words("就这样决定，@Amy 周五前把 12 份报价寄到 https://example.org/b?x=1 👍")
    assert traditional == simplified
    assert {"<link>", "<at>", "0", "👍", "报价"} <= traditional
    assert not any("example" in w or "bob" in w for w in traditional)
    assert "?" in message_words("Should we go with plan B?") and "?" not in message_words("Let's go with B")
    assert "let" in message_words("Let's go with B") and "b" in message_words("Let's go with B")


def test_the_words_of_a_message_move_its_chance():
    lines = [f"{'Ann' if i % 2 else 'Bob'}: 第{i}件事我們再看看" for i in range(1, 26)]
    lines[10] = "Ann: 拍板了，下週起晨會改到十點"
    turns, found = _read(lines)
    rows = features(turns, found)
    assert len(turns) >= MIN_MESSAGES
    # Every signal weighs nothing and the bias alone says "never"; one word says "certainly".
    plain = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.5, 0.5)
    worded = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.5, 0.5, {"拍板": 60.0})
    assert decide("decisions", turns, rows, plain, found) == []
    items = decide("decisions", turns, rows, worded, found)
    assert [i.turn.text for i in items] == ["拍板了，下週起晨會改到十點"]


def test_a_message_is_also_weighed_by_the_words_of_its_neighbours():
    lines = [f"{'Ann' if i % 2 else 'Bob'}: 第{i}件事我們再看看" for i in range(1, 26)]
    lines[9] = "Bob: 晨會要改到十點還是十一點？"
    lines[10] = "Ann: 十點，下週開始"
    lines[11] = "Bob: 好，沒問題"
    turns, found = _read(lines)
    own, words = [message_words(t.text) for t in turns], turn_words(turns)
    assert BEFORE + "还是" in words[10] and AFTER + "问题" in words[10] and "十点" in words[10]
    # Its own words, the one before's marked <, the one after's marked >, and nothing else; the
    # first and last messages have one neighbour only.
    assert words[10] == own[10] | {BEFORE + w for w in own[9]} | {AFTER + w for w in own[11]}
    assert words[0] == own[0] | {AFTER + w for w in own[1]}
    assert words[-1] == own[-1] | {BEFORE + w for w in own[-2]}
    assert BEFORE + "还是" not in words[12]  # one message either side, no further
    # The answer to "which?" that is then agreed to: only the neighbours' words can tell.
    rows = features(turns, found)
    model = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.5, 0.5, {BEFORE + "还是": 30.0, AFTER + "问题": 30.0})
    items = decide("decisions", turns, rows, model, found)
    assert [i.turn.text for i in items] == ["十點，下週開始"]


def test_a_pair_of_signals_weighs_each_message_as_the_product_of_the_two():
    rng = random.Random(5)
    weights = tuple(rng.uniform(-1, 1) for _ in FEATURES)
    pairs = tuple(rng.uniform(-1, 1) for _ in PAIRS)
    model = Model(weights, 0.3, 0.5, 0.5, {}, pairs)
    for _ in range(20):
        x = [rng.choice([0.0, 0.0, 1.0, rng.random()]) for _ in FEATURES]
        z = (
            0.3
            + sum(w * v for w, v in zip(weights, x, strict=True))
            + sum(w * x[a] * x[b] for w, (a, b) in zip(pairs, PAIRS, strict=True))
        )
        assert abs(model.chance(x) - 1 / (1 + math.exp(-z))) < 1e-9


def test_a_pair_lifts_only_the_message_that_has_both_signals():
    lines = [f"{'Ann' if i % 3 else 'Bob'}: 第{i}件事我們再看看" for i in range(1, 26)]
    lines[9] = "Bob: 晨會要改到十點嗎？"
    lines[10] = "Ann: 十點，下週開始"  # the lead, right after a question: both
    lines[13] = "Ann: 會議室我已經訂好"  # the lead, after no question
    lines[15] = "Ann: 下週誰值班？"
    lines[16] = "Bob: 我週一到週三"  # right after a question, not the lead
    turns, found = _read(lines)
    rows = features(turns, found)
    lead, after = FEATURES.index("lead_author"), FEATURES.index("after_question")
    assert rows[10][lead] and rows[10][after] and rows[13][lead] and rows[16][after] and not rows[16][lead]
    pair = PAIRS.index((min(lead, after), max(lead, after)))
    alone = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.5, 0.5)
    paired = Model(alone.weights, -30.0, 0.5, 0.5, {}, tuple(60.0 if k == pair else 0.0 for k in range(len(PAIRS))))
    assert decide("decisions", turns, rows, alone, found) == []
    assert [i.turn.text for i in decide("decisions", turns, rows, paired, found)] == ["十點，下週開始"]


def test_chances_weighed_once_decide_as_the_model_would():
    lines = [f"{'Ann' if i % 3 else 'Bob'}: 第{i}件事我們再看看" for i in range(1, 26)]
    lines[9] = "Bob: 晨會要改到十點嗎？"
    lines[10] = "Ann: 十點，下週開始"
    turns, found = _read(lines)
    rows, words = features(turns, found), turn_words(turns)
    model = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.5, 0.5, {"十点": 60.0})
    weighed = [model.chance(x, w) for x, w in zip(rows, words, strict=True)]
    assert decide("decisions", turns, rows, model, found, words, weighed) == decide(
        "decisions", turns, rows, model, found
    )
    # and the chances given are the ones used: none high enough, nothing added
    assert decide("decisions", turns, rows, model, found, words, [0.0] * len(turns)) == []


CASES = Path(__file__).resolve().parents[2] / "bench" / "discussion_cases"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_item_of_a_long_thread_is_its_cited_messages_own_words():
    paths = sorted(CASES.glob("train*/*.txt"))
    assert paths
    checked = 0
    for path in paths:
        messages = parse_discussion(path.read_text(encoding="utf-8"))
        assert len(messages) >= MIN_MESSAGES
        b = brief_discussion(messages)
        cited = [*b.decisions, *b.open_questions, *(a.what for a in b.action_items)]
        for item in cited:
            # as read: chat markup dropped, a one-line quote cut from its reply
            earlier = [m.text for m in messages[: item.index - 1]]
            source = _flat(prepare(messages[item.index - 1].text, {}, earlier=earlier).text)
            # Offline (the glossary), an item has one side only: the message's own language.
            sides = [side for side in (item.text.zh, item.text.en) if side]
            assert len(sides) == 1, item
            for piece in _flat(sides[0]).split("…"):
                assert piece in source, (path.name, item.index, sides[0])
            checked += 1
    assert checked > 50


def test_the_second_look_changes_long_threads_and_leaves_short_ones_alone():
    path = sorted((CASES / "train1").glob("*.txt"))[0]
    messages = parse_discussion(path.read_text(encoding="utf-8"))
    long_ = brief_discussion(messages), brief_discussion(messages, vetted=False)
    assert long_[0].to_dict() != long_[1].to_dict()
    short = messages[: MIN_MESSAGES - 1]
    assert brief_discussion(short).to_dict() == brief_discussion(short, vetted=False).to_dict()


def test_the_proposal_a_kept_decision_settles_is_not_added_as_a_second_decision():
    # A decision is put forward, then settled: the message four before the ruling is the proposal it
    # settles. On the training threads the model added such a proposal beside the rules' ruling in 36
    # of the 141 decisions listed twice; the room before a kept decision is AHEAD messages, not SPAN.
    turns, found = _read(
        [
            "Ann: 迎新營地點大家有想法嗎？",
            "Bob: 苗栗那個露營區不錯，離學校也近，營地還有游泳池",
            "Cara: 有游泳池嗎",
            "Dan: 有，去年去過",
            "Eve: 價錢呢",
            "Ann: 好，那就定那裡，9/27-28 出發",
            "Fay: 收到",
            "Gus: 回程的遊覽車呢",
            "Hal: 遊覽車的事下週再說",
            "Ivy: 好",
            "Jo: 苗栗那邊晚上很冷，睡袋就各自帶",
        ]
    )
    assert [d.turn.text for d in found.decisions] == ["好，那就定那裡，9/27-28 出發"]
    ruling = next(k for k, t in enumerate(turns) if t.text.startswith("好，那就定"))
    assert ruling - 4 == 1 and SPAN < 4
    # Every rule item kept; the model is sure only of the messages that name 苗栗.
    model = Model(tuple(0.0 for _ in FEATURES), -30.0, 0.0, 0.5, {"苗栗": 60.0})
    items = decide("decisions", turns, features(turns, found), model, found)
    texts = [i.turn.text for i in items]
    assert "好，那就定那裡，9/27-28 出發" in texts
    assert not any(t.startswith("苗栗那個露營區") for t in texts)
    # The same message after the ruling, SPAN messages clear of it, is still added.
    assert any(t.startswith("苗栗那邊晚上很冷") for t in texts)


def test_a_decision_the_rules_saw_replaced_is_never_brought_back():
    turns, found = _read(
        [
            "Bob: 好，那就決定用 Redis 做列表快取",
            "Cara: 維運說 Redis 機器下個月才有",
            "Dan: 那列表頁先照舊",
            "Eve: 好",
            "Fay: 我再去問問維運",
            "Ann: 好，改成先用內建 LRU cache，等 Redis 機器下來再換",
        ]
    )
    # The replaced decision is the first message, more than SPAN messages from the one replacing
    # it: only the bar keeps it out, not the spacing between items.
    assert SPAN < 5
    replaced = {t.index for t in turns if t.text.startswith("好，那就決定用 Redis")}
    assert found.replaced == replaced
    rows = features(turns, found)
    # Every message is as likely as can be: still the replaced decision is not added back.
    items = decide("decisions", turns, rows, _constant(30.0, 0.0, 0.0), found)
    assert items and not {i.turn.index for i in items} & replaced
    assert [i.turn.index for i in items if i.turn.text.startswith("好，改成")]


def test_a_model_file_without_pairs_loads_as_a_model_that_weighs_none(tmp_path, monkeypatch):
    from bot.text.discussion import vet

    shipped = json.loads(resources.files("bot.text").joinpath("data/vet.json").read_text(encoding="utf-8"))
    for m in shipped["models"].values():
        m.pop("pairs", None)  # as written before pairs existed
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "vet.json").write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setattr(vet.resources, "files", lambda package: tmp_path)
    models.cache_clear()
    try:
        loaded = models()
        assert loaded is not None and all(m.pairs == () for m in loaded.values())
    finally:
        models.cache_clear()


def test_an_offer_put_as_a_question_and_taken_is_kept_whatever_the_model_says():
    # "Want me to ring them?" "Go for it": the model has never seen the rule, so it may not drop it.
    jobs, kept = _jobs_a_model_that_drops_all_keeps(
        "Eve: 場地押金多少？",
        "Gus: Want me to ring them? My cousin works on the council front desk",
        "Eve: Go for it",
        "Fay: 我來買膠帶",
    )
    offer = jobs["Want me to ring them? My cousin works on the council front desk"]
    assert offer.who == "Gus"
    assert kept == {offer.turn.index}
