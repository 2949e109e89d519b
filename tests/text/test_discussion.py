"""brief_discussion on real messages: what it extracts, cites and leaves out."""

import pytest

from bot.briefing import TranslatorInfo
from bot.errors import InputError
from bot.text.discussion import Message, brief_discussion, cues, parse_discussion
from bot.text.discussion.brief import _PROPOSAL, _done, _needed, _partly, _parts, _topic_words, trimmed
from bot.text.discussion.prepare import prepare
from bot.translate.base import TranslationRequest, TranslationResult


def _thread(*lines: str) -> list[Message]:
    return parse_discussion("\n".join(lines))


def _decided(*lines: str) -> list[int]:
    """The messages the rules alone cite as decisions in a thread of ``Name: text`` lines."""
    return [d.index for d in brief_discussion(_thread(*lines), vetted=False).decisions]


def _owners(*lines: str) -> dict[int, str | None]:
    """The rules' action items of a thread of ``Name: text`` lines: message number → owner."""
    return {a.what.index: a.who for a in brief_discussion(_thread(*lines), vetted=False).action_items}


def _tasks(*lines: str) -> dict[int, tuple[str | None, str | None]]:
    """The rules' action items of a thread of ``Name: text`` lines: message number → (owner, due)."""
    return {a.what.index: (a.who, a.due) for a in brief_discussion(_thread(*lines), vetted=False).action_items}


def test_changed_decision_only_the_final_one_counts():
    b = brief_discussion(
        _thread(
            "Ann: 要不要加一層 Redis 快取？",
            "Bob: 好，那就決定用 Redis 做列表快取",
            "Cara: 維運說 Redis 機器下個月才有",
            "Ann: 好，改成先用內建 LRU cache，等 Redis 機器下來再換",
        )
    )
    assert [d.index for d in b.decisions] == [4]
    assert b.decisions[0].text.zh == "好，改成先用內建 LRU cache，等 Redis 機器下來再換"
    assert b.decisions[0].author == "Ann"
    # It says what it changed, so a reader sees the matter was settled twice.
    assert b.decisions[0].replaces == (2,)
    assert b.to_dict()["decisions"][0]["replaces"] == [2]


def test_a_decision_said_again_replaces_nothing_and_a_firmer_word_keeps_what_was_changed():
    again = brief_discussion(
        _thread("Ann: 上線日定了，就 3/12", "Bob: 收到", "Cara: 那決定了，上線日就 3/12", "Dan: ok")
    )
    assert [(d.index, d.replaces) for d in again.decisions] == [(3, ())]
    changed = brief_discussion(
        _thread(
            "Ann: 上線日定了，就 3/12",
            "Bob: 收到",
            "Ann: 廠商延期，上線日改到 3/19",
            "Cara: 好",
            "Ann: 那就確定 3/19 上線",
        )
    )
    # The firm word confirms the change (#3) and takes over what that change replaced (#1).
    assert [(d.index, d.replaces) for d in changed.decisions] == [(5, (1,))]


def test_a_request_in_cantonese_is_work_for_the_one_called_and_a_huh_asks_nothing():
    b = brief_discussion(
        _thread(
            "Ivy Lam: @阿Ken 你可唔可以聽日之前整好更表，放上 Google Sheet？",
            "阿Ken: 得，聽日之前搞掂",
            "Kelvin Chan: 另外 Cindy 你可唔可以 set 個 Google Form 俾家長揀時段？",
            "Joanne: 戲院話大堂五點後唔俾人聚集",
            "Ivy Lam: 吓？咁集合點要改",
            "Cindy Ho: 收到",
        )
    )
    # Asked of 阿Ken and accepted: his work by tomorrow, not a decision of the group.
    assert not b.decisions
    got = {a.what.index: (a.who, a.due) for a in b.action_items}
    assert got[1] == ("阿Ken", "聽日之前")
    # Called by name right before the "you" it asks, not the previous speaker.
    assert got[3][0] == "Cindy Ho"
    pls = brief_discussion(
        _thread(
            "Mr Lim: ok so we recall lot 2405",
            "Faizal: noted",
            "Mr Lim: Rachel pls draft the customer letter",
            "Rachel Wong: ok boss",
        )
    )
    assert [(a.what.index, a.who) for a in pls.action_items] == [(3, "Rachel Wong")]
    # "吓？" (huh?) is a reaction: no open question.
    assert 5 not in {q.index for q in b.open_questions}
    assert not cues.is_question("吓？") and not cues.is_question("咩？")
    # 聽日 (tomorrow) is a due date; "今日傾到呢度" (that's all for today) closes the meeting.
    assert cues.due_in("我聽日打俾酒店") == "聽日"
    assert cues.UNDECIDED.search("好，今日傾到呢度，有嘢再 post 👋")


def test_agreeing_to_talk_or_to_wait_decides_nothing_and_a_final_call_does():
    b = brief_discussion(
        _thread(
            "Dana: morning all. Need the data room in shape before Monday. Let's sort out the plan here",
            "Tom: 👍",
            "Sophie: what about the option pool? investors will ask",
            "Dana: that's a board conversation, we'll take it to the board meeting on the 22nd. not deciding in here",
            "Tom: makes sense",
            "Dana: final call from me: data room opens to the Series A leads on Monday the 14th",
        )
    )
    assert [d.index for d in b.decisions] == [6]
    assert 3 in {q.index for q in b.open_questions} or 4 in {q.index for q in b.open_questions}


def test_a_question_said_with_a_sigh_or_a_laugh_is_not_left_open():
    b = brief_discussion(
        _thread(
            "孙浩: 展柜的钥匙在谁那里？",
            "吴敏: 这么多箱子什么时候能拆完啊🥲",
        )
    )
    assert [q.index for q in b.open_questions] == [1]


def test_singlish_work_taken_on_without_will():
    b = brief_discussion(
        _thread(
            "Mei Xin: ok I set up the donation tracker + Tiltify page, by Thursday",
            "Kenji: 还有 cafe 那边 can we stay past midnight? I ask the owner then tell you guys",
            "Kenji: @阿哲 can you test the capture cards?",
            "阿哲: ok weekend 我 test",
            "Raz: ok I update the sheet with Celeste first slot tonight",
        )
    )
    got = {a.what.index: (a.who, a.due) for a in b.action_items}
    assert got[1] == ("Mei Xin", "by Thursday")
    assert got[2][0] == "Kenji" and got[3][0] == "阿哲" and got[5] == ("Raz", "tonight")
    assert not cues.SELF_ACTION.search("I update my status daily anyway")  # a habit, not work taken on
    # A 24-hour clock and "within" are due dates too.
    assert cues.due_in("I'll send the delay notification, by 22:00 as well") == "by 22:00"
    assert cues.due_in("someone needs to file the report with the CAA within 72h") == "within 72h"
    assert cues.due_in("I was there at 10:00") is None
    assert cues.due_in("I'll circulate the final draft to everyone by 5 June") == "by 5 June"
    # Going through it at a later meeting puts it off; "let's go" alone still decides.
    later = "hard to say without reading it. let's go through it at the pre-defence meeting"
    assert cues.PUT_OFF.search(later) and not cues.is_decision(later)
    assert cues.is_decision("ok, let's go with the claw")


def test_votes_that_name_the_matter_or_say_i_think_so_back_the_proposal_before_them():
    b = brief_discussion(
        _thread(
            "刘姐: 那现在早班的人肯定不够，退房房一般要下午两点前做完",
            "小张: 我建议加个中班，10点到7点，专门做退房房和晚到的",
            "阿芳: 中班可以，我之前在别的酒店就是这样排的",
            "刘姐: 我觉得行",
            "王经理: 同意，加中班",
        )
    )
    # The decision is the proposal, not "我觉得行".
    assert [d.index for d in b.decisions] == [2]
    assert cues.is_agreement("我觉得行") and not cues.is_agreement("我覺得可以先問問")


def test_a_but_right_after_a_question_asks_on_the_same_matter():
    b = brief_discussion(
        _thread(
            "美玲姊: 服裝呢？今年還是穿白衣黑褲嗎？還是要換紅色的",
            "怡君: 紅色好看！但是要大家自己買會不會太麻煩",
            "志明: 12/14那個週六如果要加練，副堂可以用嗎？",
            "Tom: and do we proactively notify other customers or is that overkill?",
        )
    )
    assert [q.index for q in b.open_questions] == [1, 3, 4]


def test_no_clue_leaves_a_question_open_and_a_matter_sent_to_a_review_is_put_off():
    b = brief_discussion(
        _thread(
            "Olu: does finance's Q4 forecast already assume these savings or is it on top?",
            "Rachel: no clue honestly",
            "Diego: same, never seen their model",
            "Hannah: what about RDS? the prod db is a db.r5.4xlarge at like 15% CPU",
            "Diego: could go Aurora Serverless v2, but that's a migration not a config change",
            "Rachel: let's not open that today. Aurora question goes to the architecture review next Thursday",
            "Hannah: ok",
        )
    )
    assert not b.decisions
    assert {1, 6} <= {q.index for q in b.open_questions}
    assert not cues.PUT_OFF.search("I'm going to the meeting at 3")


def test_a_request_accepted_is_work_and_a_second_yes_after_a_thumb_is_no_new_decision():
    b = brief_discussion(
        _thread(
            "佩君: 伯爵司康我們店試做過，保存期限只有一天，報廢率很高欸",
            "陳經理: 那司康先不上好了",
            "阿凱: 👍",
            "林淑芬: 同意，司康太難控",
            "阿凱: 話說新菜單的 POP 海報誰做？上次是設計公司做的",
            "陳經理: 麻煩小芸幫忙聯絡設計公司，9/5 前要拿到稿",
            "小芸: 好的沒問題",
            "陳經理: 新菜單原本是 9/15，但跟中秋檔期撞到，改 9/22 上架",
        )
    )
    assert [d.index for d in b.decisions] == [2, 8]
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(6, "小芸", "9/5 前")]
    first = brief_discussion(
        _thread("佩君: 伯爵司康保存期限只有一天", "陳經理: 那司康先不上好了", "阿凱: 👍", "林淑芬: 同意，司康太難控")
    )
    assert [d.index for d in first.decisions] == [2]
    offer = brief_discussion(
        _thread(
            "Grace Tan: roadshow need helpers, at least 6 people",
            "Ahmad: I can do the booth setup",
            "Lily 阿姨: 我可以叫我们 RC 的 uncle aunty 来帮忙，大概 6 个人",
        )
    )
    assert {a.what.index: a.who for a in offer.action_items}.get(3) == "Lily 阿姨"


def test_giving_in_proposes_nothing_and_a_notice_or_a_goodnight_is_neither_decision_nor_work():
    b = brief_discussion(
        _thread(
            "老郑: 诶 刚收到总部通知，周日晚上10点到周一早上6点ERP系统升级，停机",
            "孙浩: 那周日晚上盘不了了啊，盘点要扫码的",
            "周丽: 那改周一早上，7点开始，9点开门前盘完",
            "何敏: 可以",
            "陈晓雨: 早上7点😭 好吧",
            "老郑: 行",
            "周丽: 好，那周一见，大家早点休息",
        )
    )
    # "好吧" gives in to the change; the "行" after it backs the change, not "早上7点😭 好吧".
    assert [d.index for d in b.decisions] == [3]
    assert not b.action_items
    assert cues.UNDECIDED.search("诶 刚收到总部通知，周日晚上ERP系统升级")


def test_answered_question_is_not_open_and_unanswered_is():
    b = brief_discussion(
        _thread(
            "Priya: Root cause was the connection pool, right? Do we know why staging missed it?",
            "Marcus: Yes, staging has retries disabled by config.",
            "Priya: ok thanks",
            "Jonas: Are we refunding the failed orders automatically?",
            "Marcus: Finance hasn't decided yet.",
        )
    )
    assert [q.index for q in b.open_questions] == [4]


def test_action_items_who_and_due():
    b = brief_discussion(
        _thread(
            "Dan: @Ann 可以幫忙週五前更新部署文件嗎？",
            "Ann: 好",
            "Cara: 我明天寫 migration script",
            "Marcus: I'll add the pool saturation alert by Friday.",
            "Ken: 週報已經寫好了",
        )
    )
    got = [(a.what.index, a.who, a.due) for a in b.action_items]
    assert got == [(1, "Ann", "週五前"), (3, "Cara", "明天"), (4, "Marcus", "by Friday")]


def test_an_owner_with_a_space_in_the_name_is_named_whole():
    """@mentions of display names with a space, typed or resolved from Slack's <@U…>."""
    b = brief_discussion(
        [
            Message(author="Priya Shah", author_id="U1", text="hi all, deck is half done"),
            Message(author="Priya Rao", author_id="U3", text="I can help with the charts"),
            Message(author="Sam Lee", author_id="U2", text="@Priya Shah can you send the deck by Friday?"),
            Message(author="Sam Lee", author_id="U2", text="<@U3> can you book the room for Monday?"),
            Message(author="Sam Lee", author_id="U2", text="@Priya Shahid can you check the printer?"),
        ]
    )
    got = [(a.what.index, a.who) for a in b.action_items]
    assert got == [(3, "Priya Shah"), (4, "Priya Rao"), (5, "Priya")]


def test_a_request_that_calls_someone_by_first_name_is_theirs_and_an_offer_stays_the_speakers():
    b = brief_discussion(
        _thread(
            "Jun Takahashi: I can take JA.",
            "Lena Vogel: the MSA says BT is required for Class IIb",
            "Priya Nair: ugh, you're right. OK, back-translation stays. Jun, can you still do JA by Thu 15:00?",
            "Lena Vogel: Tom, I'll send you my QA checklist for IFUs tonight",
            "Tom Becker: thanks",
        )
    )
    got = {a.what.index: a.who for a in b.action_items}
    assert got[3] == "Jun Takahashi"
    assert got[4] == "Lena Vogel"


def test_bot_messages_skipped_numbers_kept_and_window_truncates():
    messages = [Message(author=f"p{i % 3}", text=f"message number {i} about the release plan") for i in range(1, 8)]
    messages.insert(3, Message(author="briefbot", text="Decision: we go with the bot", is_bot=True))
    b = brief_discussion(messages, max_messages=5)
    assert b.stats.truncated == 3
    assert b.stats.bot_messages_skipped == 1
    assert b.stats.messages == 4
    assert all(p.index >= 5 for p in b.key_points)  # numbers count every message given
    assert not b.decisions


def test_markup_code_quotes_and_links():
    messages = [
        Message(
            author="Ann",
            text="Spec is <https://example.com/spec|here> and also https://example.com/spec",
            author_id="U1",
        ),
        Message(author="Bob", text="> Spec is here\n<@U1> can you fix the `timeout` by EOD?\n```\nretries: 3\n```"),
        Message(author="Cara", text="[docs](https://example.com/docs) :tada:"),
    ]
    b = brief_discussion(messages)
    assert b.links == ("https://example.com/spec", "https://example.com/docs")
    (action,) = b.action_items
    assert action.who == "Ann" and action.due == "by EOD"
    assert action.what.text.en == "@Ann can you fix the timeout by EOD?"
    for item in (*b.key_points, action.what):
        text = item.text.en or item.text.zh or ""
        assert "<" not in text and "```" not in text and ":tada:" not in text and "retries" not in text
        assert item.index != 2 or "Spec is here" not in text  # Bob's quote of Ann is not Bob's point


def test_every_item_is_text_from_its_message():
    messages = parse_discussion(open("bench/discussion_cases/07_api_versioning_en.txt", encoding="utf-8").read())
    b = brief_discussion(messages)
    items = [*b.key_points, *b.decisions, *b.open_questions, *(a.what for a in b.action_items)]
    assert items
    for item in items:
        text = (item.text.en or item.text.zh or "").removesuffix("…")
        assert text in messages[item.index - 1].text.replace("\n", " ")
        assert item.author == messages[item.index - 1].author


def test_participants_and_glossary_note():
    b = brief_discussion(_thread("小林: 我覺得可以", "阿哲: 好，那就用 Redis 吧。", "小林: 同意"))
    assert [(p.name, p.messages) for p in b.participants] == [("小林", 2), ("阿哲", 1)]
    assert b.translator.kind == "glossary" and b.summary.en is None
    assert any("not a translation" in n for n in b.notes)
    assert b.to_dict()["kind"] == "discussion"


class _Upper:
    """A translator that really returns a text for every sentence (the interface, not a mock of ours)."""

    info = TranslatorInfo(name="upper", kind="translation")

    def translate(self, request: TranslationRequest) -> TranslationResult:
        return TranslationResult(
            summary=None,
            key_points=tuple(f"[{request.target}] {t}" for t in request.key_points),
            keywords=(),
            info=self.info,
        )


def test_other_language_through_the_translator_per_item_language():
    b = brief_discussion(
        _thread("Tina: 下週二要送審，決定用 phased release", "Ken: I'll fix the crash by tomorrow"),
        translator=_Upper(),
    )
    assert b.decisions[0].text.en == "[en] 下週二要送審，決定用 phased release"
    assert b.action_items[0].what.text.zh == "[zh-Hant] I'll fix the crash by tomorrow"
    assert b.summary.en and b.summary.en.startswith("[en]")
    assert not b.notes


@pytest.mark.parametrize(
    "messages",
    [[], [Message(author="briefbot", text="hi", is_bot=True)], [Message(author="a", text="  ")]],
)
def test_nothing_to_brief_is_one_sentence(messages):
    with pytest.raises(InputError) as info:
        brief_discussion(messages)
    assert info.value.message.endswith(".") and "\n" not in info.value.message


def test_negative_decision_and_a_change_replaces_only_the_same_matter():
    b = brief_discussion(
        _thread(
            "Ann: 上線日定了，就 3/12",
            "Bob: 那就改成：API 文件放 Notion",
            "Cara: 暗色主題這版先不做，排到下一季",
            "Ann: 廠商延期，上線日改到 3/19",
        )
    )
    # The date moved (3/12 → 3/19); the unrelated 改成 and the negative decision stand.
    assert [d.index for d in b.decisions] == [2, 3, 4]
    assert [d.replaces for d in b.decisions] == [(), (), (1,)]


def test_deferral_and_condition_are_no_decision():
    b = brief_discussion(
        _thread(
            "Ann: 要不要改成每兩週 freeze 一次？",
            "Bob: 好點子，但不是今天要決定的，下次 retro 再聊",
            "Cara: 延到週二的話 release 就是下週五",
        )
    )
    assert not b.decisions
    assert [q.index for q in b.open_questions] == [1]


def test_chinese_commitment_with_time_and_small_talk():
    b = brief_discussion(
        _thread(
            "Ann: 快取設定誰要調？",
            "Bob: 我來，明天調好",
            "Cara: 那我先整理一下壓測數據，週四給大家",
            "Dan: 大家中午要不要一起訂便當？",
            "Ann: 好啊",
        )
    )
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(2, "Bob", "明天"), (3, "Cara", "週四")]
    assert not b.open_questions
    # A clock time between 我 and the verb: "校对我中午12点前搞定" takes the proofreading on.
    noon = brief_discussion(_thread("周蕾: 翻译明早交，老郑校对", "老郑: 收到，校对我中午12点前搞定"))
    assert [(a.what.index, a.who, a.due) for a in noon.action_items] == [(2, "老郑", "12点前")]


def test_commitments_in_cantonese_singlish_and_without_a_listed_verb():
    """Work taken on as people write it in Hong Kong and Singapore chats, and "let me … 好了"."""
    b = brief_discussion(
        _thread(
            "Karen: 邊個幫手諗吓接新娘遊戲？",
            "Winnie: 我嚟！下個禮拜三前出個 list",
            "Kelvin: 路權申請我來送區公所好了，下禮拜三前送出去",
            "阿強: 北角嗰邊有無 shuttle？",
            "Joyce: 我打去問吓佢哋 front office，等陣覆你哋",
            "Lily: homestay who book?",
            "Ah Keong: I book tonight",
            "Mei: ok I go withdraw the cash",
            "Tom: I ask because last year it was a mess",
            "小周: 我们上周打了一场球，挺好玩",
            "阿明: 我收到了，谢谢",
            "Ann: 我印象中是週五",
        )
    )
    got = [(a.what.index, a.who) for a in b.action_items]
    assert got == [(2, "Winnie"), (3, "Kelvin"), (5, "Joyce"), (7, "Ah Keong"), (8, "Mei")]


def test_will_without_a_subject_takes_work_on_only_when_no_one_else_is_named():
    for said in ("will transfer tonight", "ok will check and update you", "sure, will do"):
        assert cues.SELF_ACTION.search(said), said
    for asked in ("Will you join the call?", "will the vendor be on the call?", "Will we need a permit?"):
        assert not cues.SELF_ACTION.search(asked), asked


def test_answer_that_picks_one_option_decides_and_a_put_off_matter_stays_open():
    b = brief_discussion(
        _thread(
            "Ann: 文件要放 Confluence 還是 GitHub wiki？",
            "Bob: 放 GitHub wiki，跟程式碼一起 review",
            "Cara: 要不要順便把 API 文件也改成自動產生？",
            "Dan: 工作量不小，這個下個月再評估",
            "Ann: 了解",
            "Bob: 好",
            "Eve: 另外外包翻譯的預算，今天沒辦法決定，等季度結算再討論",
        )
    )
    assert [d.index for d in b.decisions] == [2]
    assert [q.index for q in b.open_questions] == [3, 7]


def test_the_summary_never_says_the_same_thing_twice():
    # The customer asks again in nearly the same words and the agent repeats the same answer: the
    # summary has room for the copies, but says each thing once.
    complaint = "我的訂單 20231105 已經超過七天還沒有出貨，物流也查不到任何資訊，請問到底什麼時候可以寄出"
    answer = "很抱歉讓您久等，這筆訂單因為倉庫盤點延誤，我們已經幫您加急處理，預計明天下午前會從台北倉出貨"
    lines = [
        f"客戶: {complaint}",
        f"客服: {answer}",
        f"客戶: 再問一次，{complaint}？",
        f"客服: 您好，{answer}，謝謝",
        "客戶: 好，那我再等等，如果明天還沒出貨可以直接幫我退款嗎，我下週要出國用",
        "客服: 可以的，明天傍晚前沒有出貨的話，我們會直接幫您全額退款到原付款方式",
        "客戶: 另外發票可以改成公司抬頭嗎，統一編號我等一下傳給你們",
        "客服: 可以，請提供統一編號和公司全名，我們會在出貨前幫您更正發票資料",
        "客戶: 統一編號是 24536806，公司全名是晨光資訊股份有限公司，地址跟訂單上一樣",
        "客服: 收到，發票資料已經更新為晨光資訊股份有限公司，統一編號 24536806",
        "客戶: 另外外箱可以不要放廣告傳單嗎，上次收到一大疊很難處理，也很浪費紙",
        "客服: 好的，已經在訂單備註不放任何廣告傳單，包裝也會改用回收紙箱",
    ]
    b = brief_discussion(_thread(*lines))
    summary = b.summary.zh or ""
    assert summary.count("盤點延誤") == 1 and summary.count("物流也查不到") <= 1
    assert len(summary) > len(answer) * 2  # there was room for more than one thing


def test_a_plan_with_one_part_open_is_agreed_and_a_later_word_on_one_part_leaves_the_rest():
    b = brief_discussion(
        _thread(
            "Priya: Schedule proposal: DE draft Tom by Thu 12:00. JA Jun by Thu 15:00. FR tbd. "
            "Marco DTP overnight, done Fri 7:00. We skip the JA back-translation this time.",
            "Lena: works for me",
            "Jun: ok for JA",
            "Sam: found a FR translator, Claire, she can start at 3pm",
            "Priya: book her",
            "Sam: booked",
            "Priya: Final deadline stays Fri 9am CET. Let's go",
        )
    )
    # "FR tbd" leaves one part open, not the plan; the deadline speaks to none of its parts.
    assert 1 in [d.index for d in b.decisions]


def test_a_plan_is_cut_into_parts_at_sentence_ends_not_inside_numbers():
    # Two sentences, whatever dots "v2.1" and "1.5k" hold: too few parts for a word on one of
    # them to leave the rest standing, so a change replaces such a plan whole.
    plan = "Plan: hall A on v2.1 rollout day. Budget 1.5k for snacks."
    assert _parts(plan) == ["Plan: hall A on v2.1 rollout day.", "Budget 1.5k for snacks."]
    assert not _partly(plan, "hall B then", _topic_words("hall B then"))
    assert _parts("上午彩排。下午 2.5 小時正式演出；晚上收場! Done") == [
        "上午彩排。",
        "下午 2.5 小時正式演出；",
        "晚上收場!",
        "Done",
    ]


def test_a_decision_item_shows_the_plan_after_its_heading_and_what_a_closing_cue_leans_on():
    plan = "Schedule proposal: DE draft by Thu 12:00. JA by Thu 15:00. DTP done Fri 7:00."
    assert trimmed(plan, _PROPOSAL) == plan
    closing = "Budget is fine. Final deadline is Fri 9am CET. Let's go"
    assert cues.DECISION.search("Let's go")
    assert trimmed(closing, cues.DECISION) == "Final deadline is Fri 9am CET. Let's go"
    # A sentence that carries its own cue ("… stays …") is shown for itself.
    assert trimmed("Budget is fine. Final deadline stays Fri 9am CET. Let's go", cues.DECISION) == (
        "Final deadline stays Fri 9am CET."
    )
    # A long sentence that carries the cue is still shown alone.
    told = "We looked at both vendors again. Let's go with Veridex because it is hosted in Singapore. Thanks all"
    assert trimmed(told, cues.DECISION) == "Let's go with Veridex because it is hosted in Singapore."


def test_votes_for_a_yes_and_a_firmer_word_make_one_decision_each():
    b = brief_discussion(
        _thread(
            "王老师: 秋游时间定在10月18日周五，园里已经批了",
            "浩浩奶奶: 家长要跟着去吗？我腿脚不太好",
            "乐乐妈妈: 我觉得每家去一个家长就够了，太多人园里也乱",
            "Lily: 同意，一家一个",
            "豆豆爸: +1",
            "朵朵妈: 可以",
            "Lily: 动物园10月在改造，猛兽区都关了",
            "王老师: 那改去植物园吧，那边有儿童科普区，园长之前也提过，大巴停车也方便",
            "豆豆爸: 植物园好",
            "朵朵妈: 同意",
            "浩浩奶奶: 我们家让浩浩爸爸去",
            "乐乐妈妈: 收到",
            "王老师: 那就确定植物园，日期不变，费用我再重新算一下",
        )
    )
    # "+1" backs Lily's yes, which backs the proposal: one decision, cited at the proposal. The
    # firm "确定植物园" takes the place of "改去植物园吧" five messages before it.
    assert [d.index for d in b.decisions] == [1, 3, 13]


def test_saying_a_matter_is_not_decided_tonight_decides_nothing():
    b = brief_discussion(
        _thread(
            "黃太: 電單車位月費要唔要加？幾年冇加過",
            "李Sir: 加幾多？",
            "Raymond: 呢個涉及收費，要下次業委會正式會議先傾，今晚唔決定",
            "黃太: ok",
            "Ann: we won't decide the logo tonight either",
            "Bob: fine",
        )
    )
    assert b.decisions == ()


def test_a_bare_will_do_takes_on_the_request_before_it():
    b = brief_discussion(
        _thread(
            "Priya: vendor call is booked for Tuesday",
            "Wei Ming: ok",
            "Priya: ok that's all from me. Jason let us know on the MAS thing",
            "Jason: will do 👍",
            "Darren: @Huiling can you send the sandbox keys by Friday?",
            "Huiling: yes will do",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(3, "Jason"), (5, "Huiling")]
    assert b.action_items[1].due is not None and "Friday" in b.action_items[1].due


def test_will_after_a_clause_of_its_own_takes_work_on_but_will_see_does_not():
    b = brief_discussion(
        _thread(
            "Ms. Okoro: permission slips are due Friday",
            "Tyler: ok I'm heading out, will bring the slips friday",
            "Kai: rain tomorrow maybe, will see",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(2, "Tyler")]


def test_a_matter_taken_to_a_later_meeting_stays_open():
    b = brief_discussion(
        _thread(
            "Ann: we go with the blue banner for the stand",
            "Bob: agreed",
            "Cara: and the image rights fee for the photos?",
            "Ann: Let's leave the image rights fee for the budget meeting on the 3rd, I don't want to decide that alone",
            "Bob: ok",
            "Dan: the stand opens at 9, I'll be there at 8 to set up",
            "Eve: I'll bring the extension cords to the meeting",
            "Dan: the badge printer lease, nobody here has the numbers",
            "Ann: ok this one we bring to next week's cost review",
        )
    )
    assert [d.index for d in b.decisions] == [1]
    assert {q.index for q in b.open_questions} >= {4, 9}
    # Taking things to a meeting puts nothing off; taking the matter there does.
    assert not cues.PUT_OFF.search("I'll bring the extension cords to the meeting")
    assert cues.PUT_OFF.search("can we take this to the sync tomorrow")


def test_offer_gives_way_to_dated_request_and_lunch_or_ideas_are_no_work():
    b = brief_discussion(
        _thread(
            "Ann: log 太多了，我可以寫個清理的 cron",
            "Bob: 好，@Ann cron 可以週四前弄好嗎？",
            "Ann: 可以",
            "Cara: 中午有人要去吃咖哩嗎",
            "Dan: 我！",
            "Eve: 我提議把舊的 log 直接搬到冷儲存",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(2, "Ann")]


def test_change_of_plan_replaces_the_decision_and_its_work():
    b = brief_discussion(
        _thread(
            "Ann: should we give them a discount?",
            "Bob: yes — 20% discount on the renewal, I'll approve it",
            "Cara: finance says discounts need a contract change",
            "Bob: ok change of plan: no discount on the renewal, we add two free seats instead",
        )
    )
    assert [d.index for d in b.decisions] == [4]
    assert all(a.what.index != 2 for a in b.action_items)


def test_work_with_a_date_of_its_own_outlives_the_decision_said_with_it():
    # The price IDs have to be built whatever the old customers end up paying.
    lines = (
        "Jessica: 新價格就照這樣上",
        "Jerry: 新價格 Stripe 那邊要建新的 price ID，不然舊客戶會被改到。這個我接，下週一前建好",
        "Ryan: 說到舊客戶，他們會被漲價嗎？",
        "Jessica: ok change of plan: 舊客戶維持原價，新價格只給新客戶",
    )
    tasks = {a.what.index: (a.who, a.due) for a in brief_discussion(_thread(*lines), vetted=False).action_items}
    assert tasks.get(2) == ("Jerry", "下週一前")


def test_small_talk_votes_and_the_speakers_own_work():
    b = brief_discussion(
        _thread(
            "阿明: 晚上要不要一起聚餐？我來訂位",
            "小美: +1 火鍋",
            "阿明: 報價單誰來整理？",
            "小美: 我負責整理報價單，週四前給你",
            "阿明: @小美 麻煩了",
            "小美: 呃 下週還要加班寫文件 😅",
        )
    )
    assert b.decisions == ()  # a vote on dinner decides nothing of the work
    # Booking the table is 阿明's job (the blind-written training sets list a team meal booked or
    # ordered as an action item); 小美's 😅 about overtime is a remark.
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(1, "阿明", None), (4, "小美", "週四前")]


def test_next_statement_answers_but_an_aside_or_lunch_does_not():
    b = brief_discussion(
        _thread(
            "Lin: 測試機放在哪？",
            "Wu: 三樓機房第二排，鑰匙在櫃台",
            "Lin: 新版要不要先給客戶試用？",
            "Wu: 對了 報表匯出還是有亂碼",
            "Chen: 牛肉麵走起",
        )
    )
    assert [q.index for q in b.open_questions] == [3]


def test_a_decision_with_a_request_a_change_at_clause_start_and_the_vote_before_it():
    b = brief_discussion(
        _thread(
            "Joy: 場地選 A 館還是 B 館？",
            "Sam: A 館比較近",
            "Joy: ok 就 A 館，Sam can you 幫忙訂場地？",
            "Sam: 沒問題，明天前訂好",
            "Kai: 日期 3/8 如何？",
            "Amy: 週六大家會累吧，能不能平日？",
            "Sam: 同意，週末不太好",
            "Kai: 好，那改 3/6",
        )
    )
    assert [d.index for d in b.decisions] == [3, 8]
    assert b.open_questions == ()
    assert [(a.what.index, a.who) for a in b.action_items] == [(3, "Sam")]


def test_work_due_within_a_span_is_not_done_and_a_report_finishes_only_its_own_item():
    b = brief_discussion(
        _thread(
            "Ivy: 合約條款我得再跟法務確認",
            "Tom: @Ivy 能不能把大家的修改意見匯總給法務？",
            "Ivy: 好，我現在就弄",
            "Tom: 住宿我來找，this week 內搞定",
            "Ivy: 修改意見已經匯總寄給法務了",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(1, "Ivy"), (4, "Tom")]


def test_english_choice_settled_done_reports_and_questions_without_a_mark():
    b = brief_discussion(
        _thread(
            "Ana: Venue: the rooftop, or the hall downstairs?",
            "Ben: Hall. Rooftop gets windy after six",
            "Cy: ok hall it is",
            "Ana: I'll check whether the projector works",
            "Ben: GPU 搞定了，明天就能跑",
            "Ana: checked the projector, works fine",
            "Cy: is the caterer confirmed for Friday",
            "Ben: 會不會下雨啊",
        )
    )
    assert [d.index for d in b.decisions] == [3]  # "搞定了" reports; it decides nothing
    assert b.action_items == ()  # the projector check is reported done in the thread
    assert [q.index for q in b.open_questions] == [7, 8]


def test_an_answer_backed_by_others_is_the_decision_and_a_closing_is_not():
    b = brief_discussion(
        _thread(
            "Mia: what cutoff do we use for a late order?",
            "Raj: 48 hours after checkout, same as the warehouse uses",
            "Lee: works for me. I'll update the report filter tomorrow",
            "Mia: 贈品要不要加印？",
            "阿強: 只印 500 份，多的不要",
            "小芬: 贊成",
            "Mia: 那就這樣，大家辛苦",
        )
    )
    assert [d.index for d in b.decisions] == [2, 5]
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(3, "Lee", "tomorrow")]


def test_questions_without_a_mark_put_off_matters_and_an_agreed_proposal():
    b = brief_discussion(
        _thread(
            "Kim: So my proposal: ship the beta to staff first, customers a week later",
            "Ola: Sounds reasonable",
            "Kim: I need to confirm the venue by Friday",
            "阿良: 收據格式要不要改，下週店長會議再定",
            "Kim: 後台的印表機修好沒有",
            "Ola: 倉庫鑰匙放在哪個抽屜",
            "阿良: 那就先這樣，大家辛苦了",
        )
    )
    assert [d.index for d in b.decisions] == [1]  # the closing decides nothing
    assert [q.index for q in b.open_questions] == [4, 5, 6]
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(3, "Kim", "by Friday")]


def test_times_are_kept_while_emoji_shortcodes_go():
    b = brief_discussion(
        _thread(
            "老周: 那就这么定了：阿May 晚场 19:00-23:00，小鹿 下午场 14:00-18:00 :tada:",
            "Ann: 好的:+1:",
        )
    )
    said = " ".join(c.text.zh or "" for c in (*b.decisions, *b.key_points))
    assert "19:00-23:00" in said and "14:00-18:00" in said
    assert ":tada:" not in said and ":+1:" not in said


def test_a_task_handed_to_you_with_its_deadline_is_work_for_the_one_called():
    got = _tasks(
        "周丽: 处方药这边差了三盒",
        "周丽: @孙浩 你明天中午之前把处方药柜再复盘一遍",
        "孙浩: 好的，明天中午前",
        "强哥: 麗姐你今日收工前打電話通知嗰 5 個客",
        "麗姐: 收到",
        "周丽: 老郑你明天几点到？",
        "老郑: 九点",
    )
    assert got.get(2) == ("孙浩", "明天中午之前")  # the hour is part of the date
    assert got.get(4, (None,))[0] == "麗姐"
    assert 6 not in got  # "你明天几点到？" asks, it hands nothing over


def test_a_job_nobody_volunteers_for_stays_to_be_done_by_no_one_yet():
    b = brief_discussion(
        _thread(
            "阿May: 直播间背景还是夏天那套绿植，双11 应该换红色的",
            "大刘: 确实",
            "老周: 背景是要换，谁有空跟一下？",
            "大刘: not me, 我忙死了",
            "阿May: 我也没空 😭",
            "Ravi: Tamil translation who do?",
            "Ahmad: 我来",
        ),
        vetted=False,
    )
    got = {a.what.index: a.who for a in b.action_items}
    assert 3 in got and got[3] is None  # still to be done, no owner named
    assert 3 not in [q.index for q in b.open_questions]  # a job to do, not a question to settle
    assert got.get(6) == "Ahmad"  # taken on: Ahmad's, not an unowned job


def test_work_said_to_be_needed_names_its_verb_in_more_words():
    b = brief_discussion(
        _thread(
            "小芳: 品質標籤也要印，去年那款用完了",
            "阿珠姐: 對 每箱都要貼",
            "Hemi: also the bins need washing before the 28th, there's about 40 of them",
            "Liam: not it 😂",
            "Ivy: 仲有，要人去買膠紙、名牌套同埋幾支 marker",
        ),
        vetted=False,
    )
    assert {a.what.index for a in b.action_items} >= {1, 3, 5}
    assert all(a.who is None for a in b.action_items if a.what.index in (1, 3, 5))


@pytest.mark.parametrize(
    "said",
    [
        "展柜周二到货，我周四前全部装完",
        "灯的话，我15号之前全部调完",
        "車隊客嗰兩架我聽日裝",
        "我幫手update B線嘅學生名單，下星期三前搞掂",
        "黑色唔要住，改做螢光黃，我今晚同印刷廠講",
        "once keys come I start android integration first",
        "我回去查一下染缸的温控记录，有问题再跟你们说",
        "Need to replace the unit. Vendor got stock, I can get it installed by tomorrow noon",
        "I can record the English version of the training video next week",
        "ok I prepare a few slides before the meeting",
        "那 boss BGM 我要重新 mix 一下 loudness，現在太大聲",
        "可以，鸟瞰我用Lumion跑，今晚先出个白模",
        "收到 我回邮件",
        "我找人來修",
        # Cantonese 整 is "make": "I'll do it myself"
        "唔使搵人啦，我自己整，下個禮拜三前俾兩個 draft 你揀",
        "我自己拎上去，順便問埋 registry 有冇新要求",
        "OK 我先截圖存起來",
        "我可以接第9到15條，週四下班前給 Amy",
        "咁我用 Audacity 自己整 sound effect 同配樂",
        "you'll have them wed 10am",
        "I'm back friday so I can help test the rc over the weekend",
        "我順手問下泵車公司可唔可以豁免，問到再覆大家",
        "放心，聽日收工前我叫班工人將七樓同天台啲散料全部綁實",
        "好，送到我即刻叫人堆喺地庫入口",
        "我可以试试，用学校那个视频号",
        "I'll be on site to receive it. Need a level spot next to the batching plant",
        "这个我想先问下医生的意见，不急着 decide",
        "我整個 memo 俾各 ward，今日 5 點前 send",
        "好的，我 compile 好再发一版给大家看",
        "其實我可以叫阿輝聽朝返OT揸明珠",
        "我一齊整埋啦，同 FB 嗰張一樣",
        "那回滚我也一起测",
        "我回去翻一下再跟大家說",
        "👌 will let them know",
        "DSE 嗰班我自己同 parents 講，佢哋個 group 我有",
    ],
)
def test_more_ways_of_taking_work_on(said):
    assert cues.SELF_ACTION.search(said)


def test_the_due_date_is_the_one_said_with_the_work():
    assert cues.due_in("展柜周二到货，我周四前全部装完", "展柜周二到货，我周四前全部装完".index("我")) == "周四前"
    assert cues.due_in("另外聽日早更我同 Yan 調咗，roster 我今晚改", 23) == "今晚"
    assert cues.due_in("週五前我把備案交上去", 3) == "週五前"  # said before the work, in no later clause
    b = brief_discussion(_thread("Ann: 另外下週一 briefing 要更新流程，我來改簡報，週五前上", "Ben: 好"), vetted=False)
    assert [(a.who, a.due) for a in b.action_items] == [("Ann", "週五前")]


def test_what_the_speaker_already_did_is_no_work_taken_on_but_a_plan_with_a_time_is():
    b = brief_discussion(
        _thread(
            "陳冠宇: 我上傳到共用資料夾了 alarm log 跟 trace 都在",
            "梁sir: 我問咗金記，佢話今晚 10 點可以嚟做",
            "Wei Ling: I check already, G Hotel still has 16 rooms",
            "阿杰: 我明天跟工厂把 2000 的合同签了",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(4, "阿杰")]


@pytest.mark.parametrize(
    "lines",
    [
        # why someone asks ("…多少？我要改…") is no work they take on
        ("阿蔡: Curam 的院內碼是多少？我要改醫囑組套", "林佩君: 是 A123", "陈晨: 我要做预估，明天前给大家"),
        # "who is in charge, A or B?" and the other option of a question hand nothing over
        (
            "小何: 话说电池认证是厂商负责还是我们自己送？",
            "Amy: 送件是寄掛號嗎？還是要有人送過去",
            "小何: 电池认证要有人跟厂商确认一下",
        ),
    ],
)
def test_a_question_takes_no_work_on_and_hands_none_over(lines):
    b = brief_discussion(_thread(*lines), vetted=False)
    assert [a.what.index for a in b.action_items] == [3]


def test_a_job_and_a_date_for_the_one_named_is_their_work():
    got = _owners(
        "老周: 对，@大刘 排班表今晚改好发群里",
        "大刘: 好 今晚发",
        "老周: @all 这个月账单已经超预算了，月底前要有方案",
        "老周: 9 台，王工你那边安排",
        "王工: 好",
        "Shu Fen: 我 tomorrow 12pm 之前 send the script to Grab",
    )
    assert got.get(1) == "大刘"
    assert got.get(3) is None  # @all is everyone, no one's job
    assert got.get(4) == "王工"
    assert got.get(6) == "Shu Fen"


def test_what_someone_sees_and_who_is_in_charge_are_no_work():
    b = brief_discussion(
        _thread(
            "陳俊宏: 680還在行情內啦，我看台南那邊有人賣750",
            "Vivian陈: 那问题就比较清楚了。新的IT负责人是谁？",
            "Leo: 不知道",
            "小雨: 海报我看一下，明天给意见",
            "王磊: 摘要週三晚上以前先傳我看",
        ),
        vetted=False,
    )
    got = {a.what.index for a in b.action_items}
    assert 1 not in got and 2 not in got
    assert 4 in got and 5 in got


def test_a_past_tense_le_after_the_work_is_done_but_one_before_it_is_not():
    b = brief_discussion(
        _thread(
            "阿飞: 我把各队队长拉了个群，大家扫码进一下",
            "品妤: 我去了沖繩！曬超黑",
            "Jason: 第二批的海运费最近涨了一点 我问下货代具体多少再回你们",
            "小魚: 海報跟節目單我也要開始做了",
        ),
        vetted=False,
    )
    assert [a.what.index for a in b.action_items] == [3, 4]


def test_thanks_for_an_answer_decides_nothing():
    b = brief_discussion(
        _thread(
            "阿泽: 另外要不要顺便把 mypy 开 strict？现在类型标注一半是 Any",
            "小北: 迁移指南我来写吧，把上面这些都列进去，月底前出初稿",
            "林舟: 好，谢谢小北",
        ),
        vetted=False,
    )
    assert 3 not in [d.index for d in b.decisions]  # thanks for the offer, no side of the mypy question


def test_a_question_nobody_can_answer_in_cantonese_or_chat_stays_open():
    b = brief_discussion(
        _thread(
            "陳主任: 好，咁就咁定",
            "何Miss: 學校份保險包唔包家長義工㗎？",
            "梁sir: 唔清楚喎",
            "陳主任: 我都唔肯定",
            "小陈: 那有交通补贴吗 天河北好远",
            "王建国: 不清楚，以前没遇到过这种情况",
            "阿哲: 有人記得去年週年 peak CCU 多少嗎？",
            "小瑜: 忘了 orz，dashboard 壞掉一陣子了",
            "Raj: does the county post mail ballots at 8 sharp?",
            "Gabe: honestly nobody knows, last time it was 8:40",
        ),
        vetted=False,
    )
    assert [q.index for q in b.open_questions] == [2, 5, 7, 9]


@pytest.mark.parametrize(
    "said",
    [
        "呢個下個禮拜一開會再傾",
        "閉幕禮嗰邊未傾，留返下次大會先講",
        "價格的部分下週跟你們老闆開合約會議再談，今天先不定",
        "Licensing we will take up in Monday call with client",
        "Extend 的事要 steering committee 批，next month meeting then discuss",
        "Let's park that till the AGM on the 9th",
        "好，呢件事留返下個月業主大會再傾",
        "車位費今天看來定不了，等年底的住戶大會再一起表決",
        "定价这个下周一跟老板的 review 再拍板",
        "退款這件下禮拜跟供應商的 meeting 再一起談，今天先不處理",
        "Let's table this until the board has the quotes",
        "I'm not deciding anything till the landlord replies",
        "We shouldn't rule on this over chat, it needs the full committee",
    ],
)
def test_a_matter_taken_to_a_meeting_in_more_words_is_put_off(said):
    assert cues.PUT_OFF.search(said)


def test_a_matter_left_for_a_later_vote_decides_nothing_and_stays_open():
    lines = (
        "阿May: 冷氣要不要換新的？舊的那台一直漏水",
        "陳主委: 金額太大，等下個月管委會再一起表決",
        "阿May: 好",
    )
    assert _decided(*lines) == []
    assert [q.index for q in brief_discussion(_thread(*lines), vetted=False).open_questions] in ([1], [2])
    # Something settled today still decides, beside what waits for the vote.
    assert _decided("陳主委: 那就先修，換新的等下個月管委會再一起表決") == [1]


def test_a_question_taken_to_a_meeting_in_cantonese_stays_open():
    b = brief_discussion(
        _thread(
            "強哥: 好，就咁定",
            "阿豪: 師傅加班嘅人工點計？呢兩個禮拜實要開夜",
            "強哥: 呢個下個禮拜一開會再傾",
            "阿豪: 好",
        ),
        vetted=False,
    )
    assert [q.index for q in b.open_questions] in ([2], [3])
    assert 3 not in [d.index for d in b.decisions]


def test_a_number_echoed_in_surprise_asks_nothing():
    assert not cues.is_question("15%??")
    assert not cues.is_question("$400??")
    assert cues.is_question("加租 15%?")


@pytest.mark.parametrize(
    "said", ["Priya it is. Reception ends at 9:30", "线上两场加现场一场，这个我批", "另外我定一下：从明天起限速5公里"]
)
def test_a_ruling_in_more_words_decides(said):
    assert cues.is_decision(said)


def test_of_course_it_is_decides_nothing():
    assert not cues.is_decision("of course it is")


def test_an_answer_given_as_an_order_decides():
    decided = _decided(
        "Jules: what about the DUB rotation tomorrow? the FO is out of hours",
        "Aisha: use one of the spare FOs from reserve for DUB",
        "Tony: 要不要给他们发个短信道歉？",
        "周敏: 发吧，附上重新预约的链接",
        "阿May: 我来吧？",
        "Kev: are we cheering at the end?",
        "Rich: go go",
    )
    assert decided == [2, 4]


@pytest.mark.parametrize(
    "said",
    [
        "Someone also need to label all 6 boxes with the dry ice sticker",
        "then someone must charge both batteries before Sunday",
        "packing 那边 someone 要先准备 carton",
        "Someone also needs to draft the production cover letter",
    ],
)
def test_work_left_to_someone_is_a_to_do(said):
    assert cues.TODO.search(said)


def test_wait_after_a_question_is_no_ruling():
    b = brief_discussion(
        _thread(
            "Kenji: can we stay at the cafe past midnight?",
            "Raz: wait, the whole mall shuts at 11 on Saturdays",
        ),
        vetted=False,
    )
    assert not b.decisions


def test_leaving_a_coffee_run_and_a_finished_check_take_no_work_on():
    b = brief_discussion(
        _thread(
            "佩琪: 我要先去開會了 bye",
            "刘老师: 我先去上课了 🏃",
            "孙婷: 我先去开评审会了",
            "Tom: ok if nothing else I go makan first",
            "Raj: anyone want anything from the cafe? going now",
            "Ben: flat white please 🙏",
            "阿明: 錄影我调出来了，已经放到共享盘",
            "阿華: 我剛開完會看到了。報價我問過廠商，他們也在缺貨",
            "阿華: 我明天再問另一家，下午回覆大家",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(9, "阿華")]
    assert [q.index for q in b.open_questions] == []


def test_a_promise_to_find_out_and_report_back_is_no_put_off_signal():
    from bot.text.discussion.brief import find_items, read_turns
    from bot.text.discussion.vet import FEATURES, features

    turns, _, _ = read_turns(
        _thread(
            "Ann: does the venue need a permit?",
            "Priya: I'll check with the council and get back to you all",
            "Bob: not sure, let's discuss it at the next meeting",
        )
    )
    rows = features(turns, find_items(turns))
    put_off = FEATURES.index("put_off")
    assert [row[put_off] for row in rows] == [0.0, 0.0, 1.0]


def test_a_task_told_to_someone_by_name_is_theirs():
    got = _tasks(
        "Junjie: the claw fingers keep snapping",
        "Mr Tan: Claw is fine with me. Junjie, print the fingers in PETG, not PLA",
        "Jason船务: 11/8 的船也有位",
        "陈总: 那就11/11。Jason周五前把舱位订好",
        "Jason船务: OK 周五前订好",
        "Jason船务: 第二批的海运费涨了一点 我问下货代具体多少再回你们",
        "李悦: 好，那周三上午点交，黄师傅安排一下安保",
        "黄师傅: 没问题",
        "Mr Tan: Darren, good point",
    )
    assert got.get(2, (None,))[0] == "Junjie"
    assert got.get(4) == ("Jason船务", "周五前")
    assert got.get(6, (None,))[0] == "Jason船务"  # new work of its own, not the yes to the booking
    assert got.get(7, (None,))[0] == "黄师傅"
    assert 9 not in got


def test_more_ways_to_take_work_on_without_will():
    got = _owners(
        "李红: 服务员班表我这两天排出来",
        "Cathy: 客户要书面的amendment，我等下做好给陈总签",
        "Siti: ok by next Wed I send the quote",
        "Siti: the wifi was super lag. I check with the IT office whether can get a dedicated line",
        "Mei: cash 😅 ok I go withdraw",
        "怡君: 我自己要找東西都直接 grep repo 😂",
    )
    assert got == {1: "李红", 2: "Cathy", 3: "Siti", 4: "Siti", 5: "Mei"}


def test_repair_work_said_with_a_plain_yao_is_needed_and_a_first_name_before_a_comma_owns_it():
    got = _owners(
        "阿凱: 碼頭那邊的動線標線去年就磨掉了，臨時工一多很危險，要重貼",
        "Connie Lau: 仲有訪客位個牌要換，而家嗰個寫「限時1小時」，好舊",
        "乐乐妈妈: 是啊 明天又要换衣服了",
        "黃教授: Eric，Figure 2 的 quantification 要重做，error bar 改成 SEM，週五前給我",
        "Eric 吳: 收到",
        "Lena Vogel: Tom, I'll send you my QA checklist, look at the units section",
        "Tom Becker: thanks",
    )
    assert got.get(1, "missing") is None and got.get(2, "missing") is None  # needed, no one named yet
    assert 3 not in got
    assert got.get(4) == "Eric 吳"
    assert got.get(6) == "Lena Vogel"


def test_a_date_in_reply_to_when_will_it_be_done_is_a_commitment():
    got = _tasks(
        "老周: 王工你这边什么时候能有结论？",
        "王工: 这周五前改板打样出来，下周一去预扫",
        "林正雄: 下次開會是哪天？",
        "秀琴: 下禮拜五晚上七點半，廟裡二樓",
        "Dana: Kevin can you update the interface spec? When can you have that done?",
        "Kevin: by Nov 1",
    )
    assert got.get(2) == ("王工", "这周五前")
    assert 4 not in got
    assert got.get(5) == ("Kevin", "by Nov 1")


def test_no_more_discussion_settles_and_a_closing_question_asks_nothing():
    b = brief_discussion(
        _thread(
            "Ethan: 我想把同步 API 整个删掉，只留 async",
            "chenxi: 反对，脚本用户全是同步",
            "林舟: 同步 API 不删，3.x 都保留。这个不再讨论了",
            "小北: 那今天就这些？",
        ),
        vetted=False,
    )
    assert [q.index for q in b.open_questions] == []
    assert 3 in [d.index for d in b.decisions]


def test_work_for_everyone_to_see_is_still_the_named_ones_and_plans_in_more_words():
    got = _owners(
        "張經理: 抽籤程序我哋可以安排",
        "Raymond: 好，張經理你幫手擬個通告初稿，星期五前發俾大家睇",
        "IT-老孙: 我打算把证书换成托管的自动续期",
        "郁婷: 老師 那一頁我 3/5 前改完給你看",
        "柏翰: 好 我今晚登入看",
        "阿哲: 我再對一下 log 裡的 trend，晚點回報",
        "Dave: the failed ones might be us. I'm checking with the acquirer",
        "Cathy: 我先去把amendment做了",
        "Vicky: 麻煩大家今天看一下",
    )
    assert 9 not in got  # everyone is asked: no one's job
    assert {i: got.get(i) for i in range(2, 9)} == {
        2: "張經理",
        3: "IT-老孙",
        4: "郁婷",
        5: "柏翰",
        6: "阿哲",
        7: "Dave",
        8: "Cathy",
    }


def test_a_dentist_appointment_takes_no_job_on():
    b = brief_discussion(
        _thread(
            "雅雯: 誰要顧攤？三天都要有人耶",
            "志偉: 我 5/15 下午要看牙醫 🦷 其他時間 ok",
            "雅雯: 保重 😂",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(1, None)]


def test_complaints_a_takeaway_order_and_what_cannot_be_done_take_no_work_on():
    b = brief_discussion(
        _thread(
            "Tina: 我这周画图画不完了",
            "豆豆爸: 对，自驾停车也麻烦",
            "Hock Seng: tapau one mala for me pls 🌶️",
            "小马: 这个月的 846 我刚先交给管理处了，一家 169.2 转我就行",
            "Marco: I'll believe it when I see it lol",
            "Kelly: 那段山路很弯，我会晕车 🤢",
            "小马: 收据我明天发群里",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(7, "小马")]


def test_a_wh_question_without_a_mark_asks_and_decides_nothing():
    assert cues.is_question("also who approved that p4d instance running in us-west-2 lol")
    assert cues.is_question("@Dana how was the offsite btw, heard the boat thing got cancelled lol")
    assert not cues.is_question("who knew. anyway the plan stands.")
    decided = _decided(
        "Marcus: also who decided cron jobs were a good idea for billing in 2019 lol",
        "Priya: lol",
    )
    assert decided == []


def test_a_date_for_a_delivery_without_a_subject_is_the_speakers_work():
    got = _tasks(
        "Yuki: 主視覺下週一交，角色立繪還在修手",
        "小芳: 剛剛問的預購截止？",
        "王老师: 园服下周一统一发链接，别急哈",
        "刘婷: 大概一半是上周四发版之后进来的",
        "IT-老孙: 我打算把证书换成托管的自动续期",
        "周敏: 可以，就这么弄",
        "IT-老孙: 这周内弄完",
    )
    assert got.get(1) == ("Yuki", "下週一")
    assert got.get(3) == ("王老师", "下周一")
    assert 4 not in got
    assert got.get(5) == ("IT-老孙", "这周内") and 7 not in got  # the work as first said, due as said after


def test_relief_at_an_answer_decides_nothing():
    decided = _decided(
        "赵磊: 导出的 bug 修了吗？",
        "Leo: 已经修了，在4.12版本里",
        "赵磊: 好，那就没事了 👍",
        "陳主任: 校車改咗站，家長知唔知？",
        "黃sir: 通告上星期已經派咗",
        "陳主任: 咁就好",
    )
    assert decided == []


def test_an_answer_that_goes_by_what_was_done_before_decides():
    b = brief_discussion(
        _thread(
            "Mandy: stamp duty 點分？",
            "Jason: 照舊一人一半啦，上次都係咁",
            "Jason Tan: the stake this time still RM2 per game or up?",
            "Auntie Lily: same as last year lah, RM2",
            "Ken: 上次那批貨照舊放倉庫",
        ),
        vetted=False,
    )
    # The last message answers no question: it reports where the goods are, it settles nothing.
    assert [d.index for d in b.decisions] == [2, 4]


def test_work_reported_done_in_a_word_right_after_is_no_action_item():
    b = brief_discussion(
        _thread(
            "院長: 先隔離，貼「禁用」，不要跟其他疫苗放一起",
            "哲宇: 我現在去貼",
            "哲宇: 貼好了，放冰箱最下層左邊那盒",
            "Jen: filed. 26 inches, couldn't get it to 24",
            "Priya: I'll trim it, there's a graf we can lose",
            "Priya: trimmed to 24, it's in the queue",
            "Ting: 那 #471 那个用户要回复吗？",
            "shenlei: 我来回，道个歉",
            "shenlei: 对了，CI 也要看一下",
            "小蔡: 16條以後我來，附件的價格表也我順便對",
            "小蔡: 對了 中文版要不要一起出？",
        ),
        vetted=False,
    )
    # "對了" is "by the way", not "done": 小蔡's and shenlei's work still stands.
    assert [(a.who, a.what.index) for a in b.action_items if a.who in {"哲宇", "Priya", "shenlei", "小蔡"}] == [
        ("shenlei", 8),
        ("小蔡", 10),
    ]


def test_work_told_in_cantonese_or_after_a_name_and_you_is_theirs():
    got = _tasks(
        "Vivian: 明白. Kitty 你 check 下嗰晚 CCTV 同埋 log book, 之後同我講",
        "Kitty: ok",
        "Joey: 我使唔使整幾張 poster 貼喺 lift 口？",
        "Ivan: 要，Joey 你整埋佢，禮拜六前貼好",
        "Aina: 11pm I need 2 more clerks per shift",
        "Rajesh: Aina you do up the roster and see how many extra, send me by Friday",
        "芳姐: 用咩消毒？你問下承辦商啦",
        "Kelvin: 得 我問咗再話你知",
    )
    assert got[1] == ("Kitty", None)
    assert got[4] == ("Joey", "禮拜六前")
    assert got[6] == ("Aina", "by Friday")
    # 咗再 is "after": Kelvin will ask, then tell; nothing is done yet.
    assert any(who == "Kelvin" for who, _ in got.values())


def test_more_ways_to_say_work_is_done_or_dated():
    b = brief_discussion(
        _thread(
            "院長: 小雯可以先從系統撈一下最近兩個月打過這批號的狗嗎",
            "小雯: 好 我查一下",
            "哲宇: 我印象中上上週打了好幾隻",
            "小雯: 撈出來了 一共14隻，清單放在共用資料夾",
            "李小姐: 水務署啲指引我貼喺度 https://www.wsd.gov.hk/tc/index.html",
            "李婷: 那就 auto-size 最小20",
            "吴昊: 收到，周三前合到 `dev` 分支",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [(7, "吴昊", "周三前")]


def test_what_the_speaker_will_struggle_to_do_takes_nothing_on():
    b = brief_discussion(
        _thread(
            "Priya: everyone on the early needs to be in for 0500 tomorrow",
            "Dave: I'm going to struggle from Wigan if the M6 is as bad as last time",
            "Kerry: I won't make it before 6 either",
            "Tomasz: I'll swap with Dave, I live 10 min away",
        ),
        vetted=False,
    )
    assert [a.who for a in b.action_items] == ["Tomasz"]


def test_looking_first_at_a_matter_put_off_or_a_joke_is_no_task():
    b = brief_discussion(
        _thread(
            "林佩君: 專車要不要包？",
            "陳志明: 專車這個下週一主管會議再談，我要先看預算",
            "Priya: Rajesh, hypercare rota for week 2, who is covering?",
            "Rajesh: Let's discuss that in Monday's call, I need to check leaves first",
            "Jessica: 我先跟 finance 確認預算能不能多撥，下次 sync 再決定要不要請",
            "阿哲: 要！我們可以 dev 一起玩 demo",
            "小魚: 我可以畫畫直播 XD",
            "Kelly: mahjong set who bring? homestay sure don't have",
            "Ah Keong: I bring my 3 set, the automatic table cannot carry lah 😂",
        ),
        vetted=False,
    )
    # Asking finance first is work; deciding at the meeting, looking first and a joke are not.
    assert [(a.what.index, a.who) for a in b.action_items] == [(5, "Jessica"), (9, "Ah Keong")]


def test_more_ways_to_take_work_on_with_a_date():
    got = _tasks(
        "杨帆: 深圳和成都的我明早 9 点再抢一次，几个手机一起上",
        "Kiki: 佈景我諗住整個天台欄杆同水缸，我聽晚畫好草圖 send 上嚟",
        "老黄: 模具厂那边我盯着，下周三前拿到 T2 修模后的样品",
        "林佳蓉: 我把 10 分鐘的版本班表改好，週三中午前寄給主任",
        "佳慧: ECO 完我 DRC/LVS 全部重跑，3/25 前給結果",
        "阿宏: 但 ECO 完要跑 gate-level sim，我週末來跑",
        "阿宏: 習慣了 😂 竹科人的命",
        "Jess: 簡中我自己轉，字串表給我就好",
        "Kuan: 字串表在 repo 的 Localization/strings_demo.csv",
        "Jess: 拿到了",
    )
    assert got == {
        1: ("杨帆", "明早 9 点"),  # the hour said with the day is part of it
        2: ("Kiki", "聽晚"),
        3: ("老黄", "下周三前"),
        4: ("林佳蓉", "週三中午前"),
        5: ("佳慧", "3/25 前"),
        6: ("阿宏", "週末"),
        8: ("Jess", None),
    }


def test_a_yes_with_when_the_speaker_wants_it_back_dates_the_job_just_taken_on():
    # The 我 of "給我報價" is the one the work is handed to: the yes is no job of the speaker's, nor a
    # second one for the one who just took it on; it says when that job is due.
    got = _tasks(
        "志明: 洛神我來問富里那個小農 上次市集有加line 看量夠不夠",
        "阿凱: 好 週五前給我報價",
        "陳俊宏: 那我先把採收排好，B棚另外做一次病蟲害檢查",
        "林志鴻: 好，下禮拜一前排好給我看",
        "小雨: 海报我看一下，明天给意见",
        "王磊: 摘要週三晚上以前先傳我看",
    )
    # (message 6 has no yes and is another matter: the summary 王磊 asks for is a job of its own)
    assert 6 in got
    del got[6]
    assert got == {1: ("志明", "週五前"), 3: ("陳俊宏", "下禮拜一前"), 5: ("小雨", "明天")}


def test_work_said_to_be_needed_then_taken_on_by_the_same_speaker_is_one_job():
    got = _tasks(
        "阿芳: 店門口的營業時間貼紙也要換，不然客人還是照舊時間來",
        "阿芳: 這個我處理，週五前換好",
        "Ken: 收到",
    )
    assert got == {1: ("阿芳", "週五前")}


def test_a_request_that_calls_someone_with_you_is_theirs_and_their_yes_adds_no_second_job():
    # "Mia you've got the keys, can you…" asks Mia, not the previous speaker; her yes takes it on.
    b = brief_discussion(
        _thread(
            "Rich: coach leaves at 7, hall opens at 6",
            "Bob: I'll bring the urn",
            "Rich: Mia you've got the keys, can you open the hall?",
            "Mia: yeah I'll do it",
        ),
        vetted=False,
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(2, "Bob"), (3, "Mia")]


def test_a_bare_go_ahead_to_work_just_offered_is_no_second_job():
    got = _tasks(
        "Otieno: I can pass by the embassy tomorrow morning and ask them directly",
        "Wanjiru: Sawa, please do",
        "Achieng: thanks",
    )
    assert got == {1: ("Otieno", "tomorrow morning")}


def test_a_done_word_that_answers_a_quoted_message_does_not_finish_another_job():
    # "> 押运员哪天到？ 刚回了…" answers the quoted question; the job of asking about the list's
    # format is still to do, though "回了" shares a verb with its "回头跟大家说".
    got = _owners(
        "李悦: 押运员哪天到？",
        "吴敏: 还不知道",
        "吴敏: 对了，点交清单要用他们的格式，我再跟他们确认一下，回头跟大家说",
        "李悦: 好",
        "吴敏: > 押运员哪天到？ 刚回了，周三上午到，两个人",
    )
    assert got == {3: "吴敏"}


def test_a_mention_with_a_deadline_in_words_hands_over_a_job_and_a_plain_day_does_not():
    got = _tasks(
        "小瑜: 伺服器那邊要不要加機器？",
        "小瑜: @阿哲 那先照平常的 2 倍開，活動上線前弄好",
        "阿哲: 收到",
        "Ken: @小瑜 today is fine",
    )
    assert got == {2: ("阿哲", "上線前")}


def test_short_needed_work_said_twice_is_one_item_and_a_shared_time_is_no_owner():
    b = brief_discussion(
        _thread(
            "李思琪: 那个 304 通风橱的标线也得重新贴，贴纸实验室好像没有了",
            "赵敏: 对，得有人弄一下",
            "林秀琴: 那要有人去搬出來送到活動中心，最晚明天中午前要到位",
            "張主秘: 志明你明天中午前跟全聯確認數量跟送貨時間",
            "志明: 好",
            "陈晨: 好多 dev 环境的 notebook 实例挂着不用",
            "Linda: 得有人把这些清掉",
        ),
        vetted=False,
    )
    got = [(a.what.index, a.who) for a in b.action_items]
    # The same job said twice is one item; sharing "明天中午" does not make 志明 the one who moves the beds.
    assert got == [(1, None), (3, None), (4, "志明"), (7, None)]


def test_a_cantonese_either_or_question_is_a_choice():
    assert cues.CHOICE.search("報名表組別要揀中文定英文？")
    assert cues.CHOICE.search("email 定 WhatsApp broadcast？")
    assert not cues.CHOICE.search("字体的事情还没定，日文用 Noto Sans")
    assert not cues.CHOICE.search("國定假日怎麼算？")
    decided = _decided(
        "Cherry: 報名表組別要揀中文定英文？",
        "Miss Chan: 中文組，去年都係",
        "Cherry: 好",
    )
    assert decided == [2]


def test_an_answer_the_asker_acknowledges_is_a_signal_to_the_second_look():
    from bot.text.discussion.brief import find_items, read_turns
    from bot.text.discussion.vet import FEATURES, features

    turns, _, _ = read_turns(
        _thread(
            "Vivian: 退款的问题怎么回？有几个人私信要退款",
            "Leo: 想退的全部退，全额，不要跟人家扯 KS 的政策",
            "Vivian: 收到",
            "Dev: what are we doing with electricals?",
            "Ann: no idea, ask Margaret",
            "Sue: ok",
        )
    )
    rows = features(turns, find_items(turns))
    acked = FEATURES.index("asker_acks")
    # Only Leo's answer is taken by the one who asked; Ann's is acknowledged by someone else.
    assert [row[acked] for row in rows] == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "said, decides",
    [
        # Keeping something as it was.
        ("週日不變", True),
        ("那改成周二晚上上线，顺序不变", True),
        ("日期不變嗎？", False),
        # Giving in to an option.
        ("好啦輪流就輪流", True),
        ("ok ok 80 就 80，我改 config", True),
        ("ok 黃色就黃色", True),
        ("他說的就是這樣", False),
        # A rule from now on or for all, and a call made plainly.
        ("Anything electrical goes straight to the tip from now on.", True),
        ("还有，从下周开始每周五下午四点全组大扫除加自查", True),
        ("OK 低优先级 job 一律走 spot", True),
        ("Oh god you're right, she did. Ok scrap the pause", True),
        ("I'll make the call now: flats are optional for everyone from day one", True),
        ("And to be clear: Summit Express does NOT open until the oil results come back", True),
        ("有樣嘢我要講清楚：11 月 1 號之後綵排一律唔准拎劇本上台", True),
        ("ok Tuesday's off. Moving the Eagle load test to Wednesday", True),
        ("从8:27开始全部请求失败", False),
        ("是不是一律要报？", False),
        ("I'll make the call to the vendor tomorrow", False),
        # Then, for this matter, so it goes (not the speaker's own work, a meeting closed, a question).
        ("那臨時工就全部走優派，白班18晚班14", True),
        ("那期間就 3/1–5/31", True),
        ("那调一下，小鹿晚场，阿May 下午场，周末两个人轮换", True),
        # the speaker's own work, a meeting closed, a question: no decision
        ("那记工表我周三就得弄出来了", False),
        ("那遊覽車報價我就問台中的", False),
        ("那今天就到这，纪要我来发", False),
        ("那報名表就是這個嗎？", False),
        # More plain calls.
        ("可以，就这么弄", True),
        ("8 万太贵了，今年不请达人，自播就行", True),
        ("ugh, you're right. OK, back-translation stays.", True),
        ("Good. Ground rule: we don't call any race ourselves.", True),
        ("好，咁 honeymoon 兩間 upgrade 去 Harbour Suite，其餘四間 walk 去北角", True),
        ("The side door stays open until 5", False),
        ("好，咁多人？", False),
        ("OK 咁我整 index 初稿，禮拜三俾大家睇", False),
        ("ok 咁算", False),
        ("我同意 Karen。Drop second dataset，放落 limitations 講。", True),
        ("听曾医生的，小黑这回不去，其他没打完针的也都不去", True),
        ("聽我的", False),
        ("另外以后所有负八十都装那种短信报警", True),
        ("We're going to be dealing with this the whole year honestly", False),
        ("Thanks all. Let's go 💪", False),
        ("Fair enough. Let's get away kits too", True),
        ("Let's get this done eh 🏔️", False),
        ("我們規定是三天前取消全退，現在只剩兩天", False),
        ("Agoda那邊的取消設定我今天晚上弄", False),
        ("取消，不辦了", True),
        # agreeing to settle it elsewhere
        ("Let's agree go/no-go criteria at Thursday's CAB, not here", False),
        ("Let's get the logistics nailed down today", False),
    ],
)
def test_more_ways_to_decide_in_one_message(said, decides):
    assert cues.is_decision(said) is decides


def test_the_original_one_is_no_thanks():
    # 原來 is "I see" only when it opens the reply: "用原來那家" names the original supplier.
    assert _decided("Ann: 要不要換供應商？", "Ben: 照舊，用原來那家") == [2]
    assert _decided("Ann: 要不要換供應商？", "Ben: 原來如此，照舊") == []


def test_a_later_word_that_takes_work_on_again_or_leaves_some_does_not_finish_it():
    got = _owners(
        "Aisha: @Ben can you check how long the NParks permit takes? in case we need the beach",
        "Ben: ok will check and update you",
        "Cara: 好啦 permit 呢個我跟",
        "Dev: Steven how long to fix the camera",
        "Steven: Need to replace the unit. Vendor got stock, I can get it installed by tomorrow noon",
        "Dev: ok tomorrow noon. Please",
        "Steven: Update: I restarted the service and it's reading again. But the lens cracked, still need to replace",
        "Priya: OK scratch the Friday pickup, I'll cancel Coastline.",
        "Priya: @Dave can you hold a dock slot for next Wednesday, just in case it releases early",
    )
    # "will … update you" takes the check on; "just in case" and "still need to replace" report nothing done.
    assert "Ben" in got.values()
    assert "Steven" in got.values()
    assert got.get(8) == "Priya"


def test_let_us_get_it_done_is_work_to_do_not_done():
    assert cues.DONE.search("Let's get this done eh") is None
    assert cues.DONE.search("we need to get it done by Friday") is None
    assert cues.DONE.search("done, pushed to main") is not None


@pytest.mark.parametrize(
    "said",
    [
        # me and someone else
        "我同意",
        "我同Ben睇咗兩款",
        "我同Ben媽媽傾好咗，就 9月14號",
        # what one can do or uses
        "I can only get 1 extra clerk per shift",
        "I can see it tomorrow",
        "我用手機看",
        # going home, taking leave and having found something are no work
        "可以但不要排週末 我要回台中",
        "對欸 我請假 😅",
        "我找到國際通附近的Airbnb 六人一晚12000",
        # being free to come, and 整個 (whole), are no work either
        "周日晚上我可以来",
        "我整個人都不好了",
        "我接到電話了",
        "you'll have fun",
        # a name, thinking, being there for no work
        "我叫 Ben，新來的",
        "我想先說一下背景",
        "I'll be there to see the show",
        "周五我回来了，我也一起去",
    ],
)
def test_what_takes_nothing_on(said):
    assert cues.SELF_ACTION.search(said) is None


def test_two_dates_are_two_jobs_of_one_owner():
    got = _tasks(
        "Sam: @Tyler can you print the flyers by Friday?",
        "Tyler: sure",
        "Sam: and @Tyler hand the flyers out at the fair on Saturday",
    )
    assert [index for index, (who, _) in got.items() if who == "Tyler"] == [1, 3]


def test_a_job_handed_over_as_already_theirs_is_theirs():
    got = _owners(
        "Kate: evac drills are required on every chair, Ptarmigan included",
        "Tanner: ok",
        "Dave: Tanner you're running the Ptarmigan drill then. Get it done before the 22nd",
        "Tanner: 🫡",
        "Kate: Tanner you're kidding, the rope kit is in Whistler",
    )
    assert got == {3: "Tanner"}


def test_work_left_undone_for_a_while_or_needing_someone_in_cantonese_is_still_to_do():
    got = _owners(
        "Vivian: KS 评论区已经 200 多条没回了，得有人去一条条回一下",
        "老黄: 唉",
        "阿芬: 另外 雪櫃又響 溫度去到9度",
        "Winnie: 又係？上個月先整完",
        "阿芬: 要搵人嚟整 唔係啲花會死",
    )
    assert got == {1: None, 5: None}


def test_sharing_what_the_message_itself_carries_is_done_not_to_do():
    got = _owners(
        "周立新: 各位，秋季菜单调整今天定一下",
        "王海燕: 我发一下我们店上个月的数据 [图片] 红豆酥月销 1,860 个，排第 7",
        "徐婷婷: 配方和操作标准我先发群里：https://pan.example.com/s/1Gx7 提取码 k8m2",
        "Vivian: timeline 我先 share 一下：self-review 11/22 截止，manager rating 11/29",
        "徐婷婷: 试吃装我明天发群里",
    )
    assert got == {5: "徐婷婷"}


def test_an_offer_then_its_date_in_a_second_message_is_one_item_and_no_crash():
    # The date message is both "the offer's due date, said after" and "the same work, said again":
    # it used to be removed twice, and the briefing failed with a KeyError.
    assert _tasks("Bob: 海報誰做？", "Ann: 我可以做海報", "Ann: 週五前給") == {2: ("Ann", "週五前")}


def test_a_state_after_already_is_not_work_done_and_a_date_then_booking_or_driving_over_is_work():
    got = _owners(
        "Mei: who's doing the donation tracker?",
        "Mei Xin: ok I set up the donation tracker + Tiltify page, by Thursday",
        "Ann: Mei Xin can you also do the schedule",
        "Mei Xin: not me, 我 donation tracker 已经忙死",
        "赵建国: 油漆明天就得订了，颜色今天要定",
        "周蕾: 浅青灰",
        "赵建国: 收到，明天订",
        "老周: 我那辆金杯可以拉，一次能装两百箱水左右，周六我开过去",
    )
    assert got.get(2) == "Mei Xin"
    assert got.get(7) == "赵建国"
    assert got.get(8) == "老周"


def test_an_answer_that_picks_one_of_the_options_put_to_the_group_decides():
    # The options may follow the question that puts them to the group; a bare verb may open them.
    assert _decided(
        "Farah: For the FX reval, which rate we using this time? MAS closing or DBS rate?",
        "Mei Ling: MAS closing rate on 30 Sep. Same as year-end, must be consistent",
        "Farah: Ok noted",
    ) == [2]
    assert _decided(
        "Wei Jie: 3 supplier invoices still haven't come in. Wait for them or file first?",
        "Mei Ling: File with what we have. Claim the input tax next quarter",
        "Wei Jie: Can",
    ) == [2]
    # Cantonese yes-or-no: 要唔要 / 使唔使.
    assert _decided(
        "阿詩: Janet，C 冊啲截圖要唔要逐張加頁碼？", "Janet: 要，全部 continuous pagination，由 A1 開始"
    ) == [2]


def test_an_answer_that_leans_without_settling_picks_nothing():
    assert (
        _decided(
            "Margaret: And the three docs we produced last month? Claw back or leave it?",
            "Daniel: I'd claw back but it flags them for the other side",
        )
        == []
    )


def test_the_le_of_what_is_looked_up_is_not_work_done():
    got = _owners(
        "Ann: fetch 跟 request 的 kwargs 不一样",
        "老猫: 我查一下下游几个大项目到底用了哪些，回头说",
        "Bob: 我查了，都用 follow",
    )
    assert got.get(2) == "老猫"
    assert _owners("老猫: 我查一下他们用了什么参数，回头说") == {1: "老猫"}


def test_booking_a_meal_for_the_team_is_work_but_lunch_talk_is_not():
    got = _owners(
        "林佩君: 今晚加班的便當誰訂？",
        "小蔡: 便當我來訂，池上那家我有電話",
        "阿哲: 中午有人要去吃拉麵嗎",
        "Ben: 我！",
    )
    assert got == {2: "小蔡"}


@pytest.mark.parametrize(
    ("said", "needed"),
    [
        ("we'll need t-shirt quotes too, last year's supplier closed down", True),
        ("we also need posters for it. like actual physical posters around school", True),
        ("the sheet -> gusto step really needs a checklist or something", True),
        ("Also the paper reading logs need to go to the print shop, they want 2 weeks lead time", True),
        ("还有化学品仓，要贴中英文MSDS，现在只有中文的", True),
        ("Understood. Then we need more bodies", False),
        ("we need a name for it too, Read Together West is what we've been calling it", False),
        ("we need more time to decide this", False),
    ],
)
def test_a_thing_the_team_needs_made_is_work_to_do(said, needed):
    assert _needed(said) is needed


@pytest.mark.parametrize(
    ("said", "needed"),
    [
        ("柴油要先補吧 上次烘到一半沒油 整批差點壞掉", True),
        ("好。消防开业前得再查一遍，灭火器数量也要对一下", True),
        ("大家護照效期也幫忙看一下，要到明年九月之後，不夠的要先換", True),
        ("那你要先換護照才能申請 ESTA，ESTA 是綁護照號碼的", False),  # the one spoken to's
        ("老板记得买多几个新的床垫套，旧的那些破了", False),  # 記得, "remember": asked of 老板
        ("我得先查一下明天的班表才知道能不能來", False),  # 我得: the speaker's own
        ("今年申請取得補助的店家一共有十二家，比去年多", False),  # 取得, "obtain"
        ("那台舊冷氣他一直捨不得換，每年夏天都在修", False),  # 捨不得, "cannot bear to"
    ],
)
def test_work_that_must_be_done_first_or_again_is_needed(said, needed):
    assert _needed(said) is needed


def test_a_message_that_only_takes_work_on_is_an_action_not_a_decision():
    lines = (
        "Lindqvist: hard to say without reading it. let's go through it at the pre-defence meeting",
        "Maya: ok sure",
        "Okafor: also who's chairing? it has to be someone outside the committee",
        "Sarah: not sure yet, I'll check with the head of department and let you know",
        "Chen: how's the job hunt going Maya? 😄",
        "Maya: haha don't ask",
        "Maya: I'll circulate the final draft to everyone by 5 June",
        "Okafor: perfect, thanks",
    )
    # "perfect" answers a promise of work; it agrees to no decision.
    assert 7 not in _decided(*lines)
    assert _owners(*lines).get(7) == "Maya"


def test_taking_the_matter_to_a_later_meeting_decides_nothing_and_leaves_it_open():
    lines = (
        "Priya: should we add a third patroller on weekends?",
        "Dave Kowalski: let's take that to Monday's ops meeting, need to see staffing first",
        "Priya: ok",
    )
    assert _decided(*lines) == []
    assert [q.index for q in brief_discussion(_thread(*lines), vetted=False).open_questions] == [2]
    # A call made for now, with a later look, still decides.
    assert _decided(
        "Priya: do we pin the SDK version or roll forward to the fixed release?",
        "Marcus: Vendor says 4.2.1 fixes the leak but it came out yesterday.",
        "Priya: Agreed. Let's pin the SDK to 4.1.8 for now and revisit next sprint.",
    ) == [3]


def test_ok_noted_after_the_answer_takes_no_side_of_its_own():
    assert _decided(
        "Jerry: landing page 要做中文還是雙語？很多日本客也會來",
        "阿德: 雙語，中英都要，日文這次先不用",
        "Sandy: OK noted",
    ) == [2]


def test_news_of_what_someone_else_said_or_moved_is_no_decision_of_the_team():
    assert _decided("陳志明: 業務今天早上打來說原廠那邊卡料，延到下個月") == []
    assert _decided("蔡淑芬: 市場說要等下個月的理監事會才會定案") == []
    # 说明会 is a briefing, not someone saying something: the change is the team's.
    assert _decided("周队长: 对，改一下：说明会改到周六下午2点，体育中心B馆二楼会议室") == [1]


def test_a_ruling_on_how_to_do_the_work_that_the_asker_takes_as_said_decides():
    assert _decided("Vivian: update 里新的 ETA 写几月？", "Leo 刘: 写 late August，不要写具体日期", "Vivian: ok") == [2]
    assert _decided("Vivian: 退款的问题怎么回？", "Leo 刘: 想退的全部退，全额，不要扯 KS 的政策", "Vivian: 收到") == [2]
    # A fact asked for, or a ruling nobody takes up, is not enough.
    assert _decided("Lin: 測試機放在哪？", "Wu: 三樓機房第二排，鑰匙先放櫃台", "Lin: ok") == []
    assert _decided("Vivian: update 里新的 ETA 写几月？", "Leo 刘: 写 late August，不要写具体日期") == []


def test_yes_with_an_instruction_to_do_you_want_decides():
    assert _decided(
        "Sophie: Dana do you want a comms for Sunday morning too? like a systems are back message",
        "Dana: yes, draft it with the main comms",
    ) == [2]


def test_a_statement_two_others_back_is_agreed():
    assert _decided("Siew Mei: Ipoh lah，food 好吃，又近", "Ah Keong: 同意", "Jason: +1") == [1]
    assert _decided("陳經理: 我哋訂啲樽裝水放大堂先，行動唔方便嘅長者由保安送上去", "何生: 好 同意", "Ricky: 👍") == [1]
    # One voice, an objection, or a report of work done is not the group agreeing.
    assert _decided("Siew Mei: Ipoh lah，food 好吃，又近", "Ah Keong: 同意") == []
    assert _decided("Siew Mei: Ipoh lah，food 好吃，又近", "Kelly: Ipoh 太遠了不行", "Jason: +1") == []
    assert _decided("Amy: 我已經把報價單寄出去了", "Ben: 👍", "Cara: 好") == []


def test_a_time_in_words_is_a_value_and_a_later_one_replaces_a_bare_time():
    # 八點 and 七點半 are times: "那就八點", nothing but a time, gives way to the later 七點半.
    got = _decided(
        "阿凱: 禮拜天的友誼賽可以提早嗎？九點開打太熱了",
        "美玲: 八點？",
        "阿凱: 八點可以啊，那就八點",
        "老周: 八點也很曬了，要就七點",
        "阿凱: 那折衷七點半？",
        "小蔡: 對方隊長說 ok",
        "阿凱: 好，那其他人沒意見就七點半開打喔",
    )
    assert 3 not in got and 7 in got


def test_no_one_objecting_is_no_news_from_outside():
    got = _decided(
        "Thabo: If we start 05:30 Friday we're well into it before 08:00",
        "Pieter: Readymix won't love that",
        "Thabo: Anyone else?",
        "Sipho: taxis only start 5ish",
        "Thabo: Right. Nobody's said no to 05:30, so 05:30 start Friday it is. Pieter please confirm with Readymix",
    )
    assert got == [5]


def test_the_first_ruling_on_what_to_do_that_the_asker_takes_is_decided():
    # The answer may come a few messages after the question, in English too; the asker's "Ok noted" takes it.
    assert _decided(
        "Farah: For the FX reval, which rate we using this time? MAS closing or DBS rate?",
        "Raj: Wasn't me hor",
        "Wei Jie: 🤭",
        "Mei Ling: MAS closing rate on 30 Sep. Same as year-end, must be consistent",
        "Farah: Ok noted",
    ) == [4]
    assert _decided(
        "方婷: 两家供应商发票没到，要不要按合同价先暂估？",
        "周敏: 按合同价暂估，下月票到了再红冲，老规矩",
        "方婷: 嗯呐 好的",
    ) == [2]
    # Only the first ruling answers; the next one backs it and takes the speaker's own step on.
    assert _decided(
        "黃怡君: 課長，預防性撤離要幾點開始？山邊那幾戶要先通知",
        "林秀琴: 明天下午兩點開始撤，先撤土石流潛勢區的",
        "吳建宏: 兩點OK，我明天早上廣播會先講",
        "黃怡君: 好",
    ) == [2]
    # Taking the matter to a meeting rules nothing, whatever the asker says.
    assert (
        _decided(
            "老徐: 审核那边要不要顺便加个消防演练？",
            "周敏: 这个审核完再开会讨论，现在别加事情",
            "老徐: 好",
        )
        == []
    )
    # An answer questioned next is no ruling.
    assert (
        _decided(
            "Farah: what do we do with the closed Citi account, still need a rec?",
            "Mei Ling: just one final rec for July, must archive after",
            "Raj: but don't the auditors want all twelve?",
        )
        == []
    )
    assert _decided(
        "Farah: what do we do with the closed Citi account, still need a rec?",
        "Mei Ling: just one final rec for July, must archive after",
        "Farah: ok",
    ) == [2]


def test_an_agreed_what_if_is_decided_and_ok_to_a_new_matter_takes_no_side():
    got = _decided(
        "Bex: Welcome! Sione do you want calf shed shifts too or just milking?",
        "Sione: milking mainly but can help in the shed no worries",
        "Jaz: ok separate thing - night checks. last year it was whoever was awake which was chaos",
        "Jaz: what if whoever's on afternoon milking does the 10pm check, and the 2am check rotates weekly",
        "Liam: works for me",
        "Aroha: yep happy with that",
    )
    assert got == [4]


def _open(*lines: str) -> list[int]:
    return [q.index for q in brief_discussion(_thread(*lines), vetted=False).open_questions]


def test_a_question_met_with_no_one_knowing_or_put_off_stays_open():
    assert _open("Ada: 陳sir，勞工局星期五嗰個巡查仲有冇？", "陳sir: 冇人通知過我喎") == [1]
    assert _open("Lerato: Has anyone heard from DoL about the inspection date btw?", "Thabo: Not a word") == [1]
    assert _open(
        "Riaan: What if they bump it to stage 6 on the weekend, are we working Saturday?",
        "Thabo: Let's see what Eskom does, we'll talk Thursday",
    ) == [1]
    assert _open("李博: 坏掉那台修还是换？", "王老师: 修还是换，我再琢磨琢磨，周一组会上说") == [1]
    # an answer is an answer
    assert _open("Lerato: Has anyone heard from DoL about the inspection date btw?", "Thabo: yes, the 14th") == []


def test_an_option_named_by_letters_and_digits_is_picked():
    # A3, A4 and a lone "B" name options though they are no words.
    assert _decided("肥仔強: 用A4定A3？A4貼車廂細咗啲", "阿May: A3啦 大隻啲老人家睇得清") == [2]
    assert _decided("Kim: should we go with plan A or plan B?", "Lee: B, less risk") == [2]
    assert _decided("肥仔強: 用A4定A3？", "阿May: A4 A3 都得") == []
    # "A3 👍" backs the pick: one decision
    assert _decided("肥仔強: 用A4定A3？A4貼車廂細咗啲", "阿May: A3啦 大隻啲老人家睇得清", "Ken哥: A3 👍") == [2]


def test_an_option_backed_with_a_bare_yes_and_ok_for_me_agree():
    got = _decided(
        "Ah Keat: 我 suggest 6:30am，早上的光比较 soft，八点后太阳很猛",
        "Wei Ling: 6:30 ok",
        "Melvin: ok for me",
    )
    assert got == [1]
    assert _decided("林志明: 就照王師傅講的，申請增容加換總盤，大家有沒有意見", "阿芬: 沒意見 趕快弄") == [1]
    # taking an answer in ("哦ok", "hmm ok", "睇到 ok") backs nothing
    for ack in ("哦ok", "hmm ok", "睇到 ok"):
        assert _decided("Ivy: 海報幾時有？", "Lam: 唔知呀，設計嗰邊仲未交稿", f"Ling: {ack}") == []


def test_one_more_point_or_a_matter_taken_to_a_meeting_is_no_ruling():
    lines = [
        "王老师: 那已经发出去的报告要不要发更正报告？",
        "小陈: 发更正的话临床会不会很乱",
        "赵姐: 而且有的病人早就出院了",
        "刘主任: 这个我拿不准，得跟医务处商量，明天周会上再定",
        "王老师: 好",
    ]
    assert _decided(*lines) == []
    assert _decided(lines[0], "赵姐: 不用发更正，打电话通知临床就行", "王老师: 好") == [2]


def test_a_ruling_that_says_the_question_again_and_is_not_questioned_is_decided():
    asked = "Kelvin: 塔吊聽日幾點停？"
    ruled = "陳sir: 塔吊聽日中午十二點停，吊完手頭嗰車鐵就收"
    assert _decided(asked, ruled, "阿明: 我去同吊機佬講") == [2]
    assert _decided(asked, ruled, "Kelvin: 十二點會唔會太遲？") == []
    # an answer on another matter rules nothing
    assert _decided(asked, "陳sir: 先收好啲散料", "阿明: 我去同吊機佬講") == []


def test_a_bare_value_gives_way_only_to_a_value_said_soon_after_and_an_if_rules_nothing():
    filler = [f"路人{n}: 好多單 😂" for n in range(14)]
    got = _decided(
        "Mina: 那截單訂 9/5 如何？",
        "小蔡: 9/5 會不會太早",
        "Mina: 那就 9/6？折衷一下",
        "阿芳: 好 截單就 9/6（五）晚上 12 點，不再改了 🙏",
        *filler,
        "阿芳: 我問了我表妹，她 9 月可以來幫忙包裝，就先請她來",
    )
    assert 3 in got or 4 in got
    assert _decided("Leo: 机票订经济舱还是商务舱？", "Ann: business 的话就不止三万了哦", "Leo: 好") == []


def test_yes_said_with_the_verb_takes_a_side():
    assert _decided("Daniel: nasi lemak 的 sambal 要不要分辣和不辣？", "Ah Seng: 要分啦，不然小孩子吃不了") == [2]
    assert _decided("Mei: should we do paper tickets too?", "Fiona: Yep, online only") == [2]


def test_what_do_we_do_asked_in_chinese_is_answered_by_a_ruling():
    assert _decided(
        "张婷: 志愿者的T恤怎么弄？去年是外包，被吐槽了", "刘主任: 还是外包吧，换一家就行", "张婷: 好的"
    ) == [2]
    assert _decided(
        "Joyce: 咁夜晚冇藥劑師 on site 點算？", "Winnie: 夜更就由 on-call 藥劑師電話 approve", "Joyce: OK"
    ) == [2]


def test_no_objection_sounds_right_and_going_by_what_someone_said_agree():
    assert _decided(
        "Miss Chan: Room B 我諗住淨係留俾 1-on-1，小組課全部喺 Room A 同 C，大家有冇意見？", "Mr Wong: 冇意見"
    ) == [1]
    assert _decided(
        "Kayla: how many cups do we order?", "Dave: 9 stations x 3,140 x ~1.5... call it 45k", "Marie: 45k sounds right"
    ) == [2]
    assert _decided("孙工: 另外建议3号口换完皮带先空跑半小时再上货", "刘站长: 可以，按孙工说的，换完先空跑半小时") == [
        2
    ]


@pytest.mark.parametrize(
    "reply",
    [
        "Let's cross that bridge when we get to it",
        "星期一嘅嘢星期日先再傾，睇下零件到唔到先",
        "这个我说了不算，周一例会我跟区域经理提一下",
        "let's leave the raffle for the committee meeting on the 12th, too much to sort tonight",
        "that's a conversation for the 15th when we meet them. parking it for now",
        "呢個我答唔到，要睇 biz 點諗",
    ],
)
def test_a_question_left_for_later_or_unanswerable_here_stays_open(reply):
    assert _open("Alan: 星期一朝早使唔使加船？ / should we add a raffle?", f"Ken: {reply}") == [1]


def test_a_one_line_quote_and_its_reply_are_cut_where_the_quoted_words_end():
    earlier = ["Now the pour itself. If we start 05:30 Friday we're well into it", "請問春節加班費今年怎麼算？"]
    # the longest start an earlier message says is the quote, the rest is the reply
    got = prepare("> If we start 05:30 Friday — Readymix won't love that", earlier=earlier)
    assert (got.quoted, got.text) == ("If we start 05:30 Friday", "Readymix won't love that")
    got = prepare("> 請問春節加班費今年怎麼算？ 護理長這個有答案嗎", earlier=earlier)
    assert (got.quoted, got.text) == ("請問春節加班費今年怎麼算？", "護理長這個有答案嗎")
    # all quote: nothing of its own
    assert prepare("> 請問春節加班費今年怎麼算？", earlier=earlier).text == ""
    # not found earlier: cut after the quote's question
    got = prepare("> what's the ABV landing at? 5.2 on the last test", earlier=earlier)
    assert (got.quoted, got.text) == ("what's the ABV landing at?", "5.2 on the last test")
    # a quote on lines of its own is as before
    got = prepare("> what's the ABV landing at?\n5.2 on the last test", earlier=earlier)
    assert (got.quoted, got.text) == ("what's the ABV landing at?", "5.2 on the last test")
    # and the reply is read: the ruling answers the quoted question
    assert _decided(
        "Mandy: 網上買嘅呢？咁我 post 入面點寫？",
        "Ken: > 咁我 post 入面點寫？  寫住「網上購票退款安排稍後公布」先",
        "Mandy: ok",
    ) == [2]


def test_a_name_is_called_without_the_role_in_brackets():
    got = _owners(
        "Daniel Goh: 我去问问 purchasing 看",
        "Vivian Tan: Ah Seng 你礼拜四可以先试做一轮给我们试吃吗",
        "Ah Seng (Kitchen): 可以，礼拜四 10 点后厨房见",
    )
    assert got == {1: "Daniel Goh", 2: "Ah Seng (Kitchen)"}


def test_a_short_call_that_names_the_pick_just_made_is_the_same_decision():
    got = _decided("黄总: 留样送第三方检测吧，SGS 还是谱尼？", "刘建国: 谱尼快，上次3天就出报告", "黄总: 那就谱尼")
    assert len(got) == 1 and got[0] in (2, 3)


def test_a_message_that_hands_jobs_to_several_people_gives_each_their_own_item():
    messages = _thread(
        "Ann: ok team, plan for the launch",
        "Bob: sounds good",
        "Ann: @Bob please book the room by Friday, and @Cat can you send the invites by Monday?",
        "Cat: sure",
        "Ann: 我來寫新聞稿，@小王 負責拍照，週三前",
        "小王: 好",
        "Ann: @Bob 辛苦了，@Cat 你負責訂場地",
        "Ann: @Bob 你看一下 log，我先去開會了",
        "Ann: @Bob thanks for the check, @Cat can you send the deck?",
    )
    b = brief_discussion(messages, vetted=False)
    got = [(a.what.index, a.who, a.due) for a in b.action_items]
    assert got == [
        (3, "Bob", "by Friday"),
        (3, "Cat", "by Monday"),
        # a date said alone at the end is everyone's
        (5, "Ann", "週三前"),
        (5, "小王", "週三前"),
        # thanks to Bob hands him no job, and leave taken is none
        (7, "Cat", None),
        (8, "Bob", None),
        (9, "Cat", None),
    ]
    texts = [a.what.text.en or a.what.text.zh for a in b.action_items]
    assert texts[:2] == ["@Bob please book the room by Friday", "@Cat can you send the invites by Monday?"]
    for action in b.action_items:  # each job is a clause of its message, in its own words
        assert (action.what.text.en or action.what.text.zh or "") in messages[action.what.index - 1].text
    # The JSON has one entry per job, each citing the message.
    assert [(a["what"]["index"], a["who"]) for a in b.to_dict()["action_items"]][:2] == [(3, "Bob"), (3, "Cat")]


def test_one_owner_or_a_name_in_passing_keeps_one_item():
    got = [
        (a.what.index, a.who)
        for a in brief_discussion(
            _thread(
                "Ann: the vendor still has not replied",
                "Bob: I'll chase them today and cc @Cat on it",
                "Ann: 我明天跟 @Cat 一起去看場地",
            ),
            vetted=False,
        ).action_items
    ]
    assert got == [(2, "Bob"), (3, "Ann")]


def test_work_handed_back_to_the_speaker_is_the_one_mentioned_and_a_given_name_calls_its_owner():
    got = _tasks(
        "陳志明: 全聯那邊我有窗口",
        "陳怡安: 我 15 號有空",
        "Kevin: 存證信函我來準備",
        "林秀琴: @Kevin 存證信函 明天中午前給我 draft",
        # colleagues call 陳志明 "志明" and 陳怡安 "怡安": the given name, without the surname
        "林秀琴: 志明你明天中午前跟全聯確認數量",
        "林秀琴: 怡安麻煩 15 號前在 portal 送出",
        "陳怡安: 好",
    )
    assert got[4][0] == "Kevin"  # not 林秀琴, who only gets the draft
    assert got[5][0] == "陳志明"
    assert got[6][0] == "陳怡安"
    # "麻煩了" thanks; it hands nothing over
    assert 8 not in _tasks("陳怡安: 我寄出了", "林秀琴: 怡安麻煩了")


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("Ann: @Bob 明天中午前把報價單寄給客戶", "明天中午前"),
        ("Ann: @Bob 明早九点前发我看", "明早九点前"),
        ("Ann: @Bob 週五下午5點前交", "週五下午5點前"),
        ("Ann: @Bob 明天寫好", "明天"),  # no hour said: the day alone
        ("Ann: @Bob 下週三之前交", "下週三之前"),
        ("Ann: @Bob 明天下午把報價單寄給客戶", "明天下午"),  # the part of the day, with no 前
        ("Ann: @Bob 周六早上8点到仓库", "周六早上8点"),
        ("Ann: @Bob 聽日朝早交報價單", "聽日朝早"),
        ("Ann: @Bob 明天 把報價單寄給客戶", "明天"),  # what follows is the work, not the hour
        ("Ann: @Bob 下週一 10 點 Teams 發 invite", "下週一 10 點"),  # no space kept after the hour
    ],
)
def test_the_hour_said_with_the_day_is_part_of_the_due_date(said, due):
    assert _tasks("Bob: 在", said)[2] == ("Bob", due)


def test_a_promise_to_come_back_with_an_answer_is_the_speakers_job_and_a_quoted_one_is_nobodys():
    owners = _owners(
        "Ann: 外箱數量點完了嗎？",
        "Bob: Counting a bit slow, some cartons shrink-wrapped together. I revert later",
        "Cara: 新竹物流還沒回我",
        "Ann: @Cara 新竹那邊有回覆再po上來",
        'Dan: 我刚刚 WhatsApp 问了他们 coordinator，她说 "will check and revert"，到现在还没回',
    )
    assert owners.get(2) == "Bob"
    assert owners.get(4) == "Cara"
    assert 5 not in owners


def test_a_later_question_that_mentions_something_already_done_does_not_finish_the_job():
    # "已经" in her question is about the customers, not a report that the script is done.
    lines = (
        "Ann: @客服-丁丁 你们先出一版话术，明早九点前发我看",
        "客服-丁丁: 好",
        "客服-丁丁: 还有那些已经来投诉话术的用户，要不要补偿点啥",
    )
    assert _owners(*lines).get(1) == "客服-丁丁"
    done = (*lines[:2], "客服-丁丁: 话术已经发你了")
    assert 1 not in _owners(*done)


def test_an_order_right_after_an_at_mention_is_that_persons_job_but_a_pleasantry_is_not():
    owners = _owners(
        "Wanjiru: @Otieno arrange the inspection and handover of 412X before the 30th. I don't want deduction",
        "Otieno: sawa",
        "Ann: @Dave get well soon!",
        "Ann: @Otieno take care 🙏",
        "Ann: @Dave go for it",
        "Ann: @Bob call me lol",
    )
    assert owners == {1: "Otieno"}


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("Ann: @Bob can you send the invoices before the 30th", "before the 30th"),
        ("Ann: Bob, please book the hall by the 15th", "by the 15th"),
        ("Ann: @Bob can you update the roster by 25th", "by 25th"),
        ("Ann: @Bob can you send it by Friday, before the 30th anyway", "by Friday"),  # the first date said
        ("Ann: @Bob 麻烦你17号前把报价单寄给客户", "17号前"),
        ("Ann: @Bob 麻煩你下午三點前把報價單寄給客戶", "下午三點前"),
    ],
)
def test_a_day_of_the_month_is_a_due_date(said, due):
    assert _tasks("Bob: hi", said)[2] == ("Bob", due)


def test_a_day_of_the_month_is_read_as_the_date_only_not_as_a_cue_for_the_second_look():
    # The second look was fitted on dates the cues read; "before the 30th" alone must not move it.
    from bot.text.discussion.brief import find_items, read_turns
    from bot.text.discussion.vet import FEATURES, features

    turns, _, _ = read_turns(_thread("Bob: hi", "Ann: @Bob can you send the invoices before the 30th"))
    row = features(turns, find_items(turns))[1]
    assert find_items(turns).actions[0].due == "before the 30th"
    assert row[FEATURES.index("due")] == 0.0 and row[FEATURES.index("rule_action_due")] == 0.0


def test_an_offer_then_a_yes_to_it_from_someone_else_is_one_job():
    # The lead's "yes please" (or "好，麻煩妳了") right after an offer is the same job, not a second one;
    # a yes with a dated request of its own that says more keeps the request's words.
    b = brief_discussion(
        _thread(
            "Tara: the loading bay lights are out again",
            "Omar: I can call the electrician this afternoon",
            "Tara: yes please, by 5pm",
            "Lucy: 海報我來做，先出兩個版本",
            "阿德: 好，Lucy 麻煩妳了",
            "阿德: 攤位費誰收？",
            "Mia: 我可以收",
            "阿德: 好，@Mia 你整理一份各攤位費用和收款明細表，週五前發到群組",
        )
    )
    jobs = [(a.what.index, a.who, a.due) for a in b.action_items]
    assert jobs == [(2, "Omar", "by 5pm"), (4, "Lucy", None), (8, "Mia", "週五前")]
    # A yes that goes on to give someone else a job leaves both jobs standing.
    other = brief_discussion(
        _thread(
            "Omar: I can call the electrician this afternoon",
            "Tara: ok, and @Ben please order new tubes by Friday",
        )
    )
    assert [(a.what.index, a.who) for a in other.action_items] == [(1, "Omar"), (2, "Ben")]


def test_a_dated_ask_of_one_person_they_say_yes_to_is_their_job():
    # No cue marks "…能弄完吗" as a request; the date and the named person's yes right after do.
    b = brief_discussion(
        _thread(
            "張姐: 封面的錯字改了嗎",
            "張姐: @小林 第二版的修正週四之前能弄完嗎",
            "小林: 沒問題",
            "張姐: @阿德 那個檔案很大嗎",
            "阿德: 好像蠻大的",
            "Ruth: Ken, the site photos by Friday?",
            "Ken: ok",
            "Ruth: @Ken were the photos any good",
            "Ken: yes",
        )
    )
    jobs = [(a.what.index, a.who, a.due) for a in b.action_items]
    # Only the asks with a date become jobs: a plain question answered "yes" gives no one work.
    assert jobs == [(2, "小林", "週四之前"), (6, "Ken", "by Friday")]


def test_a_job_takes_the_date_of_its_owners_reply_right_after():
    b = brief_discussion(
        _thread(
            "老周: 樣品 9 台，王工你那邊安排組裝",
            "王工: 好，下周三前組裝好",
            "Priya: @Kofi can you copy-edit the notes?",
            "Mei: and Kofi, are you in on Friday?",
            "Kofi: only Friday morning",
        )
    )
    dates = {(a.what.index, a.who): a.due for a in b.action_items}
    assert dates[(1, "王工")] == "下周三前"
    # Kofi's answer to Mei's question in between is about another matter: it does not date the copy-edit.
    assert dates[(3, "Kofi")] is None


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("@Ann can you send the deck to the client today?", "today"),
        ("Ann, could you ring the bus company this arvo", "this arvo"),
        ("@小林 麻煩報價單這禮拜內給我", "這禮拜內"),
        ("@小林 麻煩系統上線前把說明頁改好", "上線前"),
        ("@小林 你負責花車，下個月尾之前 book 好", "下個月尾之前"),
        ("@小林 这个星期五之前把记录整理出来", "星期五之前"),  # the weekday, not the week
    ],
)
def test_a_day_said_in_words_dates_an_item_and_finds_no_work(text: str, due: str):
    b = brief_discussion(_thread(f"Dana: {text}", "Ann: I'm out today, back Monday", "小林: 這禮拜好忙"))
    assert [(a.what.index, a.due) for a in b.action_items] == [(1, due)]
    assert cues.day_in("I'm out today") == "today" and cues.due_in("I'm out today") is None


def test_a_members_group_or_a_rising_price_is_no_work_taken_on():
    # 會 of 會員 (member) is no "will", and a price that "will go up" is no one's promise.
    assert not cues.SELF_ACTION.search("公告我剛剛已經發在會員 LINE 群了")
    assert not cues.SELF_ACTION.search("Flight is 3.2k per head right now, will go up for sure")
    assert cues.SELF_ACTION.search("ok, will go through the list tonight")
    b = brief_discussion(
        _thread(
            "Ann: 公告我剛剛已經發在會員群了",
            "Bob: Flights are 3.2k per head now, will go up for sure",
            "Cara: 我明天更新會員卡的資料",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(3, "Cara")]


def test_a_request_may_say_when_between_you_and_the_work():
    # "你这周内再买", "你今天先把…": the date sits between 你 and the verb, and it still asks.
    for text in ("赵老师你这周内再买5袋吧", "Tony 你今天先把 CSR 生成", "阿明你明天訂位"):
        assert cues.REQUEST.search(text), text
    assert not cues.REQUEST.search("你今天很忙吧")


def test_an_english_full_stop_ends_the_clause_a_due_date_is_read_from():
    text = "Lexstaff confirmed, 3 reviewers at 8:30am tomorrow. I'll send them the review protocol tonight"
    assert cues.due_in(text, text.index("I'll")) == "tonight"
    # So the second job, due tonight, is not taken for the first one, due tomorrow, said again.
    tasks = _tasks(
        "Ann: @Hannah can you get three contract reviewers from Lexstaff starting tomorrow morning?",
        "Hannah: on it",
        "Bob: thanks",
        f"Hannah: {text}",
    )
    assert tasks[4] == ("Hannah", "tonight")


def test_claims_offers_and_who_will_take_work_on():
    # "我包了" claims the job; "我可以陪妳對詞", "我可以帮思远哥记数字", "我可以先起个草" offer to do it;
    # "我同步做", "我在现场盯着", "我過嚟睇", "我明天一早再数一遍", "我用 Intune 推" say who will.
    for text in (
        "公告和客服 FAQ 我包了，周六给老王过一遍",
        "我可以陪妳對詞 今晚跟明晚都可以",
        "我可以帮思远哥记数字",
        "面试打分表我可以先起个草",
        "iOS那边我同步做",
        "后天我在现场盯着",
        "星期日晚我過嚟睇 final",
        "徽墨那排我明天一早再数一遍吧",
        "extension 我用 Intune 推給 pilot 的人",
    ):
        assert cues.SELF_ACTION.search(text), text
    # Seeing, company kept and a red envelope are no work taken on.
    for text in ("哦我睇到，冇人", "我今晚要陪女朋友", "我包了一個紅包給他"):
        assert not cues.SELF_ACTION.search(text), text


def test_work_said_again_in_the_future_is_not_reported_done():
    # "it'll go out with the price list update on Thursday" says when, not that it is done.
    b = brief_discussion(
        _thread(
            "Sophie: the new account form still has the old prices",
            "Priya: I'll update the new account form and the price list by end of Thursday",
            "Sophie: thanks! and the Harbour Inn kegs?",
            "Tom: collected this morning",
            "Sophie: great, can the price list go to the pubs too?",
            "Priya: Yep, it'll go out with the price list update on Thursday",
        )
    )
    assert (2, "Priya") in [(a.what.index, a.who) for a in b.action_items]
    # Said as done, it is finished.
    b = brief_discussion(
        _thread(
            "Sophie: the new account form still has the old prices",
            "Priya: I'll update the new account form and the price list by end of Thursday",
            "Sophie: thanks! and the Harbour Inn kegs?",
            "Tom: collected this morning",
            "Priya: just sent the price list update to the pubs, form is done too",
        )
    )
    assert 2 not in [a.what.index for a in b.action_items]


def test_a_surname_with_a_title_names_the_participant():
    # 张工 is 张伟 (the only 张 there), 陳姐 is 陳美玲: colleagues call them by surname and title.
    b = brief_discussion(
        _thread(
            "王静: 密码有效期定多少？",
            "张伟: 很多公司都是180",
            "刘洋: 180可以，前提是长度提到12位",
            "王静: 那就180天+12位起，张工改一下策略",
            "陳美玲: 好",
            "林志明: 陳姐幫忙算每攤要出多少",
        )
    )
    assert [(a.what.index, a.who) for a in b.action_items] == [(4, "张伟"), (6, "陳美玲")]
    # Two people of one surname: 老張 names neither.
    b = brief_discussion(_thread("張偉: 好", "張明: 好", "Bob: 報價呢", "Ann: 老張明天把報價發給客戶"))
    assert not {a.who for a in b.action_items} & {"張偉", "張明"}
    b = brief_discussion(_thread("張偉: 好", "林明: 好", "Bob: 報價呢", "Ann: 老張明天把報價發給客戶"))
    assert [a.who for a in b.action_items] == ["張偉"]


def test_work_said_to_be_needed_with_should_or_a_capital_we():
    # "應該加個…" (should add) and "We'll also need a parent FAQ" say work is needed, as "應該要加" did.
    for text in (
        "我哋 website 個 booking page 應該加個 noise notice, 咁就冇得話我哋冇講",
        '还有 CHANGELOG，应该加个固定的 "Deprecated" section',
        "We'll also need a parent FAQ, in both languages",
    ):
        assert _needed(text), text
    for text in ("應該是他們那邊的問題吧，我們這邊都正常", "We'll need more time to think about it, honestly"):
        assert not _needed(text), text


def test_an_offer_asked_and_said_yes_to_is_the_speakers_job():
    owners = _owners(
        "Aroha: the council never answered about the field lights",
        "Mere: Want me to ring them? My cousin works on the council front desk",
        "Aroha: Go for it, honestly anything helps",
        "志豪: V6那兩條 其中一條讓我定好不好",
        "阿凱: 可以啊 給你",
        "Tom: Should I flip the breaker off and on again?",
        "Ann: no, leave it for the electrician",
    )
    assert owners == {2: "Mere", 4: "志豪"}


def test_work_taken_on_in_mixed_words_or_with_a_change_of_parts():
    # "check埋" (Cantonese: check as well) is the English verb with a Chinese ending; 換 and 載過來 are work.
    for text in (
        "趁等件，我顺手check埋个thermostat同啲水喉",
        "load test要用的配重塊，我禮拜四換鋼索的時候一起載過來",
        "Kitty 你 check下嗰晚 CCTV",
    ):
        assert cues.SELF_ACTION.search(text) or cues.REQUEST.search(text), text
    # "谁帮我换一下" asks for a helper: the speaker takes nothing on; "我換嘅" says who did it.
    for text in ("对了滚子到了谁帮我换一下", "我換嘅 😤", "禮拜五我要載我媽去回診"):
        assert not cues.SELF_ACTION.search(text), text


def test_work_the_group_has_to_do_is_needed_work():
    assert _needed("Lead time is 4 weeks. If we want them for the first league game we have to order by the 15th")
    assert _needed("we must book the hall this week or it's gone")
    assert not _needed("we have to admit the first game was rough, honestly")


def test_a_chinese_order_after_a_name_and_a_comma_is_that_persons_job():
    owners = _owners(
        "刘洋: 查验科那边还没消息",
        "王总: 刘洋，跟查验科沟通完不管结果如何，给我回个话",
        "刘洋: 好的",
        "王总: 小孙，谢谢你今天跑一趟",
    )
    assert owners == {2: "刘洋"}


def test_going_off_to_a_meeting_or_an_errand_is_no_work_taken_on():
    for text in ("我要去開產銷會了，這個晚點在說", "我先去銀行一趟 晚點回來看", "我先去倉庫了，其他捆拆完再回報"):
        assert cues.LEAVING.search(text), text
    for text in ("我先去改公告囉", "我先去倉庫拿兩箱過來"):
        assert not cues.LEAVING.search(text), text


def test_english_work_verbs_after_wo_in_mixed_chat():
    # "我 take 晒" (I'll take all of it), "我 cover 埋", "我 whatsapp 佢": the English verb is the work.
    for text in ("ablation 我 take 晒，今晚開始 run", "星期六嗰場我 cover 埋", "我 whatsapp 佢問下"):
        assert cues.SELF_ACTION.search(text), text
    # "我 cover 的 BU" and "我 design 很烂" use the word as a noun or a skill, not as work taken on.
    for text in ("下周开始我 cover 的 BU 也很忙", "我 design 很烂 haha"):
        assert not cues.SELF_ACTION.search(text), text


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("ya ya will do, send to you by Friday 5pm", "by Friday 5pm"),
        ("I'll get the supplier to reissue it, should have it to you by EOD tomorrow", "by EOD tomorrow"),
        ("I'll call her myself tomorrow morning", "tomorrow morning"),
        ("I'll email both sponsors to get the signed agreement by this Friday", "by this Friday"),
        ("I'll draft the indemnity application, end of next week", "end of next week"),
        ("I'll raise it with the director on Thursday", "Thursday"),
        # A weekday cut short, after "by" only: "Sat 10am 我 OK" is when to meet, "sat" a verb.
        ("DE draft Tom by Thu 12:00, Lena reviews by Thu 18:00", "by Thu 12:00"),
        ("I'll have the carousel drafted by Wed noon", "by Wed noon"),
        ("Sat 10am 我 OK", None),
        ("we sat down with the vendor yesterday", None),
        ("New roster 我 Friday 前 send out", "Friday 前"),
        ("收到，我明天早会上讲", "明天早会"),
        ("麗姐你今日收工前打電話通知嗰 5 個客", "今日收工前"),
        ("@小谢 下个月的夜班表你来排 礼拜五下班之前发群里", "礼拜五下班之前"),
        ("王浩你跟一下气瓶架采购，这周内下单", "这周内"),
        ("我今個禮拜五之前搞掂兩部 dispenser", "今個禮拜五之前"),
        ("👍 星期日晚我過嚟睇 final", "星期日晚"),
        ("最后 itinerary @Jason Lim 你 update 一下, 今天 6pm 前 send 给陈先生", "今天 6pm 前"),
        ("yeah I'll clean them up. by Friday the 11th, at least the top 10 alerts", "by Friday the 11th"),
        # a shift is when, not by when; "晚點" is "later"
        ("禮拜四值班的人記得帶鑰匙", "禮拜四"),
        ("明天晚點再說", "明天"),
    ],
)
def test_a_due_date_keeps_the_hour_the_moment_and_the_by_said_with_it(text: str, due: str):
    assert cues.due_in(text) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("you'll have them wed 10am", "wed 10am"),
        ("好，我下午发，有回复了在群里说", "下午"),
        ("好，收到我马上看，有问题当晚就说", "当晚"),
        ("sponsor的部分我去跑，先列一個list，十號以前給Vivian姐", "十號以前"),
        ("昨天晚上的事我來處理", None),  # last night is no due date
        ("晚上要不要一起聚餐？我來訂位", None),  # when the dinner is, not the booking
    ],
)
def test_later_today_and_a_day_in_chinese_numerals_date_an_item(text: str, due: str | None):
    assert cues.day_in(text) == due


def test_the_owners_reply_right_after_narrows_the_date():
    b = brief_discussion(
        _thread(
            "Ann: Faizal can you get the production records for lots 2403-2407 ready by tomorrow",
            "Faizal: ok boss, by tomorrow noon",
            "Ann: @Bob 聽日 call 黃生",
            "Bob: 收到，聽日下晝 call 佢",
            "Ann: @Cara 明天把報價寄給客戶",
            "Cara: 好，下週一前寄",  # another day altogether: the ask stands
        )
    )
    assert [(a.what.index, a.who, a.due) for a in b.action_items] == [
        (1, "Faizal", "by tomorrow noon"),
        (3, "Bob", "聽日下晝"),
        (5, "Cara", "明天"),
    ]


def test_the_owners_next_word_that_is_a_decision_does_not_date_their_job():
    lines = (
        "林志豪: B棟那批本來是要給台北花市的 先調過來沒關係 台北那邊我再跟他們講",
        "陳美玲: ok 那黃花我從B棟挑",
        "林志豪: 那出貨日就定3/12禮拜三",  # the shipping date, decided: not when 林志豪 tells Taipei
    )
    b = brief_discussion(_thread(*lines), vetted=False)
    assert [d.index for d in b.decisions] == [3]
    assert _tasks(*lines)[1] == ("林志豪", None)


def test_a_later_ask_of_the_owner_is_not_taken_for_their_own_job_said_again():
    lines = (
        "Bob: 客服话术我来写，前2000单的规则写清楚",
        "Cara: 赠品库存够吗",
        "Dan: 够，三件套还有 3000 套",
        "Cara: 好",
        "Eve: 海报呢",
        "Ann: @Bob 客服话术和自动回复这周五前出一版",
    )
    owners = _owners(*lines)
    assert owners.get(1) == "Bob" and owners.get(6) == "Bob"
    # The owner saying it again, with a date, is still one job, cited where the date is said.
    again = _owners(*lines[:5], "Bob: 客服话术和自动回复我这周五前写好")
    assert again == {6: "Bob"}


def test_done_then_passed_on_is_still_to_come():
    # "弄好丟群組" (once done, post it) and "问好了跟大家说" promise; "改好了发群里了" reports both.
    owners = _owners(
        "Ann: 比賽當天誰拍照？",
        "Bob: 拍照我包了 弄好丟群組",
        "Cara: 复印件呢",
        "Dan: 我去问他们要一份复印件，问好了跟大家说",
    )
    assert owners.get(2) == "Bob" and owners.get(4) == "Dan"
    assert _done("海报改好了发群里了")
    assert not _done("问好了跟大家说")


def test_a_self_commitment_may_say_within_the_week_or_still_before_the_work():
    # "我这周内重新跑一遍", "我週一還是可以把 hold 修完", "周五下午我统一打吧": the speaker's own work.
    for text in ("1-4 我这周内重新跑一遍", "ok 那我週一還是可以把 hold 修完", "周五下午我统一打吧"):
        assert cues.SELF_ACTION.search(text), text
    assert not cues.SELF_ACTION.search("我这周内很忙")


def test_northern_an_for_i_takes_work_on():
    # 俺 is "I" in northern speech: "俺下礼拜去局里办证，顺便问".
    assert cues.SELF_ACTION.search("俺下礼拜去局里办证，顺便问")
    assert not cues.SELF_ACTION.search("俺们那条船去年修了半年")


def test_a_suggestion_a_thought_and_a_thing_needed_take_no_work_on():
    for text in (
        "夜间拉练我提个建议，能不能改成两周一次？",
        "Let me think about that. Maybe we need an outside reviewer.",
        "I'll need a proper cooler box for the bakkie tho",
    ):
        assert not cues.SELF_ACTION.search(text), text
    for text in ("我提一下申请", "Let me check with HR", "I'll need to call the landlord first"):
        assert cues.SELF_ACTION.search(text), text


def test_then_i_with_a_verb_in_the_present_takes_work_on():
    for text in ("You confirm then I tell the contractor", "👍 then I redesign the claw fingers 加长一点"):
        assert cues.SELF_ACTION.search(text), text
    assert not cues.SELF_ACTION.search("and then I think we should stop")


def test_taiwanese_zhua_for_setting_aside_takes_work_on():
    # 抓 "set aside, reckon with": "肉我抓70人份" is the chef's job; catching or getting it wrong is not.
    assert cues.SELF_ACTION.search("60人的話肉我抓70人份 比較保險")
    for text in ("我抓到一個 bug", "我抓錯日期了"):
        assert not cues.SELF_ACTION.search(text), text


def test_away_for_the_days_asked_takes_no_work_on():
    owners = _owners(
        "小谢: 15、16号夜班谁能顶？",
        "刘医生: 我15号要去星沙那边培训 那两天不行",
        "黃志明: 這次我要去日本出差，audit 那週不在",
    )
    assert "刘医生" not in owners.values() and "黃志明" not in owners.values()
    assert cues.LEAVING.search("我15号要去星沙那边培训 那两天不行")
    assert not cues.LEAVING.search("我明天要去倉庫拿貨，下午回來")


def test_leave_it_with_me_takes_work_on():
    for text in ("Leave the warranty claim with me, I have all the paperwork", "Leave it with me. Thursday afternoon"):
        assert cues.SELF_ACTION.search(text), text
    assert not cues.SELF_ACTION.search("Please don't leave the keys with me again")


def test_i_before_is_i_once_did_but_i_before_friday_takes_work_on():
    assert not cues.SELF_ACTION.search("我之前帶團去過一次，那次完全免費演出")
    for text in ("我周三前把三个辣度重新定好", "我今晚之前打给其他的 patient 改期", "我 Friday 前 send out"):
        assert cues.SELF_ACTION.search(text), text


def test_the_dated_word_on_a_job_is_the_one_cited():
    # An undated "I'll look at it" and the same person's dated word on the same work later: one job,
    # cited where the date is said.
    tasks = _tasks(
        "Amber: 我查一下 offer letter",
        "Marco: thanks",
        "Kevin: 學歷要公證嗎",
        "Joanne: 我問律師",
        "Amber: 我明天把英文版在職證明跟 offer letter 寄給你",
    )
    assert tasks.get(5) == ("Amber", "明天") and 1 not in tasks


def test_send_it_to_me_after_a_name_is_that_persons_job():
    # "周工下周一前发我看看", "好 Tony 周四前发我看看": the one named does it and sends it to the speaker.
    owners = _owners(
        "周工: 内部考核的题交给我，理论出 30 道选择题",
        "刘经理: 周工下周一前发我看看",
        "Tony: QA 这边我会出一个 audio checklist",
        "Kelly: 好 Tony 周四前发我看看",
    )
    assert owners.get(2, "周工") == "周工" and owners.get(4, "Tony") == "Tony"
    assert "刘经理" not in owners.values() and "Kelly" not in owners.values()


def test_a_name_then_a_comma_then_can_you_asks_that_person():
    # "Guys focus 😅 Faith, can you send…": Faith is asked, not the one who spoke before; her yes with
    # the same date is the same job.
    owners = _owners(
        "Achieng: ati surprise 😂😂",
        "Wanjiru: Guys focus 😅 Faith, can you send Jambo the logbooks by Wednesday",
        "Faith: Sawa, will do by Wednesday",
    )
    assert owners == {2: "Faith"}


def test_a_bare_sent_after_someone_else_asked_answers_that_ask():
    owners = _owners(
        "Mwangi: I'll do a quick service on both vans before they go back",
        "Kiprop: Can I test drive the Tausi vans before we sign?",
        "Wanjiru: Yes please. Ask Mwangi for their guy's number",
        "Mwangi: Sent you on WhatsApp",
    )
    assert owners.get(1) == "Mwangi"
    # Right after the job, with nothing asked between, "sent" reports it done.
    assert 1 not in _owners("Mwangi: I'll send the logbooks to Jambo", "Mwangi: Sent")


def test_what_the_speaker_waits_for_is_no_report():
    # "等…定了再…": once the picture is settled, then the mix. Still to come.
    assert _owners("阿杰: OK BGM 用老郑原创", "老郑: 👌 那我等大伟画面定了再 final mix").get(2) == "老郑"
    assert 2 not in _owners("阿杰: OK BGM 用老郑原创", "老郑: 那我 final mix 做了")


def test_work_asked_of_everyone_by_a_date_is_an_item_of_no_one_person():
    tasks = _tasks(
        "林主任: 模擬考題目大家都出好了嗎",
        "陳老師: 數學的出好了",
        "林主任: 講義的部分 麻煩大家月底前把PDF交給小芳 統一印",
        "小芳: 好",
        "林主任: 上次的講義麻煩大家看一下",  # no date: a light ask of the room, no item
    )
    assert tasks.get(3) == (None, "月底前") and 5 not in tasks


def test_a_grin_or_a_huff_ends_a_remark_not_a_job():
    # "谁吃了我放 fridge 的 kueh 😤" complains; "我可以去！我住那附近 😆" jokes about the trip.
    owners = _owners(
        "Mei: btw 谁吃了我放 fridge 的 kueh 😤",
        "Darren: not me",
        "Vivian: 日本那邊的律師說下週來台北",
        "小安: 我可以去！我住那附近 😆",
    )
    assert 1 not in owners and 4 not in owners


def test_i_by_a_deadline_then_any_verb_takes_the_work_on():
    # The deadline right after 我 makes it a promise, whatever the verb ("刷", "备" are in no list),
    # also in mixed chat with an English deadline.
    tasks = _tasks(
        "王磊: demo 那兩台機的韌體呢",
        "王工: 两台机我周四前刷好 v2.3.1 每台至少试飞两次",
        "老周: 那原浆至少得40桶，我月底前备好",
        "Amy: 我周四前不行，下周可以",
        "Ben: 我月底前都很忙",
        "強哥: 生日快樂Fai哥🎂 我聽朝八點前打去運輸署報備改路 大家照常開工",  # 聽朝: tomorrow morning
    )
    assert tasks.get(2) == ("王工", "周四前")
    assert tasks.get(6, (None,))[0] == "強哥"
    assert tasks.get(3) == ("老周", "月底前")
    assert 4 not in tasks and 5 not in tasks
    mixed = _tasks(
        "林姐: 週六開兩個窗口",
        "Bob: 我 by Thu 18:00 把排班表發給大家",
        "Cara: 我 by Friday 不行，下週可以",
    )
    assert mixed.get(2) == ("Bob", "by Thu 18:00")
    assert 3 not in mixed


def test_a_threat_in_jest_takes_no_work_on():
    owners = _owners(
        "Ann: 谁再把我的移液枪拿走我就把他埋进干冰里 🙃",
        "Bob: whoever left milk in the tea room fridge over winter, I will find you and I will murder you",
        "Cara: if the porta potty guy no-shows at mile 16 again I'm going to strangle him",
        "Dan: 系統要是今晚再當一次我真的要把伺服器從三樓丟下去",
        "Eve: 如果客户今天回复，我就把合同发过去",  # a plan on an event, not a threat: still work
    )
    assert owners == {5: "Eve"}


def test_work_needed_for_fear_of_what_happens_otherwise_is_an_item():
    owners = _owners(
        "阿杰: 停服公告今晚發",
        "小美: 客服那边要提前通知吧，不然玩家问起来他们一脸懵",
        "阿杰: 好",
        "孙浩: 免箱期最好跟船公司申请延一下，不然后面一天好几百美金",
        "Bob: 要啦，不然下次又停線",  # a bare yes with its reason answers; it names no work
        "Cara: 我覺得要，唔係 ward 會亂開",
    )
    assert 2 in owners and 4 in owners
    assert 5 not in owners and 6 not in owners


def test_a_change_of_time_on_another_matter_leaves_a_decision_standing():
    # "改到凌晨1点" is about the night snack; the lunch rota decided before it still stands. A change
    # with a time on the same matter, or with no matter of its own, still replaces it.
    decided = _decided(
        "老孙: SMT能不能早一点，11点开始？",
        "赵班长: SMT那边11点可以的",
        "刘经理: 行 那就改成SMT 11:00-11:40，组装 11:40-12:20，中间不留空",
        "王强: 那夜班呢？夜宵现在是0点，好多人反映太早了",
        "老孙: 改到凌晨1点可以，再晚我们师傅顶不住",
    )
    assert 3 in decided and 5 in decided
    assert _decided("Ann: 那就 6/18 上線", "Bob: 上線改到 6/19") == [2]
    assert _decided("Ann: 那就 6/18 上線", "Bob: 那就改到 6/19") == [2]


def test_a_display_name_with_a_role_is_called_by_the_name_part():
    # "阿May-魚檔" is called May; "导游-张婷" 张婷. The role part ("魚檔", "导游") names no one.
    owners = _owners(
        "豬肉榮: 聯署信要有人寫",
        "阿May-魚檔: 我字醜😂",
        "豬肉榮: May 你禮拜五之前寫好得唔得？下禮拜一我想收齊名",
        "阿May-魚檔: 好啦",
        "导游-张婷: 讲解器的事呢",
        "老周: 张婷你明天中午前跟留园确认团队租讲解器",
    )
    assert owners.get(3) == "阿May-魚檔"
    assert owners.get(6) == "导游-张婷"
