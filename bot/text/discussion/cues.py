"""Cues: the words by which people in a thread decide, ask and take on work, in Chinese
(Traditional and Simplified) and English.

Each lexicon is a regular expression a reader can check against the threads of
``bench/discussion_cases``; ``bench.discussion`` measures how well they find what a careful
reader would list. Nothing here looks beyond one message: ``bot.text.discussion.brief``
decides what a later message does to an earlier one (a changed decision, an answer).
"""

from __future__ import annotations

import re
from functools import lru_cache

_I = re.IGNORECASE

DECISION = re.compile(
    r"^(?:我(?:也|都)?)?(?:同意|贊成|赞成)[，,、\s]+\S|決定|决定|定案|拍板|敲定|就這樣|就这样|就這麼辦|就这么办|就這麼定|就这么定|就照|就按|那就|OK\s*就|好就|"
    # "那臨時工就全部走優派", "那调一下，小鹿晚场…": then, for this matter, so it goes (not "那我就先走了").
    r"(?:^|[，,。])\s*那(?![你他她麼么樣样些個个時时])(?:(?!我)[^，,。？?!！\s]){1,8}?就(?!是|算|好了?[？?]|到(?:這|这|此)|[^，,。]*[？?]|[^，,。]*我)|"
    r"(?:^|[，,。])\s*那(?:調|调|改|換|换)一下[，,：:]|"
    r"就用|就改|就先|不再(?:討論|讨论)|結論|结论|共識|共识|確定(?:用|要|是|改)|确定(?:用|要|是|改)|(?<!搞)定了|定在|定為|定为|訂在|订在|說好|说好|改成|改用|改為|改为|"
    # Moved, kept or reverted: 改到 7/27, 延到下週二, 維持原本的, 週日不變, 回到 6/19, 改回.
    # Giving in to an option: "好啦輪流就輪流", "80 就 80", "ok 黃色就黃色".
    r"(?P<conceded>[\u4e00-\u9fff]{2,4})\s*就\s*(?P=conceded)|(?<![\w.])(?P<amount>\d+(?:\.\d+)?%?|[A-Za-z]+)\s*就\s*(?P=amount)(?![\w.])|"
    r"改到|延到|延後到|延后到|順延|顺延|提前到|維持|维持|不[變变](?![了化嗎吗?？])|改回|回到原|照原|(?<!我)還是照|(?<!我)还是照|"
    r"^改\s*(?=\d)|挪到|(?<![遷迁])移到|往後推|往后推|就咁|咁就|^(?:那)?(?:還是|还是)(?:用|照|按|走|維持|维持|原來|原来)|繼續用|继续用|那(?:還是|还是)(?=\S)(?![^，,。]*[?？])|"
    # For now: (那)這版先用靜態卡片 (not 我先用…, the speaker's own step).
    r"(?<![我你他她])先用|(?:按|照)(?:這個|这个|這樣|这样|剛剛|刚刚|剛才|刚才)|"
    # Going by what someone said: "可以，按孙工说的，换完先空跑半小时"
    r"(?:按|照)[^，,。\s]{1,6}(?:說|说|講|讲)的|"
    # Negative decisions: 這次不做, 先不做, 暫緩, 排到下一季, 不開放.
    r"(?:這次|这次|這回|这回|今次|呢次|這版|这版|今年|本季|先|就|暫時|暂时)不(?:做|上|開|开|加|改|搬|用|弄|處理|处理|辦|办|投|買|买|續|续|請|请|找|租|去|帶|带|收)(?![嗎吗?？])|"
    # Going by someone's word: "听曾医生的，小黑这回不去", "聽教練的".
    r"^(?:好|那|ok)?[，,\s]*(?:就)?(?:聽|听)(?!我)[^\s，,。？?]{1,6}的(?:吧|啦)?(?:[，,。!！]|$)|"
    # A rule from now on: "另外以后所有负八十都装那种短信报警", "以後每次出貨都要拍照".
    r"(?:^|[，,。])\s*(?:另外|還有|还有)?[，,\s]*以[後后](?:所有|全部|一律|每[一個个次週周天]?)|"
    # "可以，就这么弄", "OK, back-translation stays", "Ground rule: …", "好，咁 honeymoon 兩間 upgrade 去…".
    r"就(?:這麼|这么|這樣|这样)(?:弄|做|搞|來|来|寫|写|排)|\b(?:it|that|this|[\w-]+) stays\b(?! (?:open|closed) until)|"
    r"\b(?:ground|house) rule\s*[:：]|^(?:好|ok|OK|Ok)[，,\s]+咁\s*(?![多都係系就我算你佢])[^\s，,。]|"
    r"[別别](?:加|做|上|開|开|改|弄|搞|買|买|換|换)了|"
    r"暫緩|暂缓|排到下|延到下|往後排|往后排|"
    # Called off, a compromise, or a change said outright: 取消，不辦了 / 折衷一下，先設 / 那改一下：…
    # (not the noun: 取消設定, 取消政策, "三天前取消全退")
    r"(?<![要得去來来幫帮請请記记前])取消(?!了?[嗎吗?？]|設定|设定|政策|規定|规定|費|费|率|條款|条款|全退|的話|的话)|不(?:辦|办|做|搞|弄)了|折衷|折中|(?:^|那)(?:改一下|更正|修正)[:：]|(?:^|那)算了[，,]\s*\S|就(?:這個|这个|它)了|"
    r"就(?:降|升|換|换|砍|定在|定為|定为)|只好|(?<!那)就好(?=[，,。！!～~\s]|$)|^(?:agree|agreed)\s*[，,:：]\s*\S|"
    # "Priya it is. Reception ends at 9:30", "redacted it is" (not "of course it is")
    r"(?<!course )\bit is(?: then)?(?:[.!]+|\s*$)|"
    # Ruled by who decides: "另外我定一下：…", "这个我批".
    r"我(?:來|来)?定一下\s*[:：]|我定了|(?:這個|这个)我批|"
    # A change said at a clause's start: "改台中好了", "8000 就 8000，改申請有線".
    r"(?<=[，,、那就])改(?![了好完過过掉的一天])(?=\s*[\d\u4e00-\u9fff])|(?:^|(?<=[，,\s]))改[^\s，,。？?]{1,8}好了|"
    r"\bcancel(?:l)?ed\b|\bcalled off\b|\bcompromise\s*[:：]|\bchange of plan\b|\bscratch that\b|"
    # A rule from now on, or for all: "from now on", "从下周开始…", "一律改報 FOB"; a call made plainly: "scrap the
    # email", "I'll make the call now:", "to be clear:", "有樣嘢我要講清楚：", "Moving the load test to Wednesday".
    r"\bfrom now on\b|"
    r"[從从](?:明天|明日|下週|下周|下禮拜|下礼拜|下個月|下个月|今天|今日|聽日|听日|即日)(?:起|開始|开始)|"
    r"即日起|一律(?![^，,。]*[嗎吗?？])|\bscrap (?:the|that|it)\b|\b(?:I'll|let me) make the call\b[^:：]{0,6}[:：]|"
    r"\bto be clear\s*[:：,]|[講讲]清楚\s*[:：]|"
    r"\bmoving (?:the |it )?[\w\s-]{0,30}?\bto (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|next\b|\d)|"
    r"(?:^|[,.;]\s*|\bwe )(?:ok,?\s*)?go with\b|\b(?:we(?:'ve| have)?|let'?s) lock(?:ed)? (?:it |that |this )?in\b|"
    r"\b(?:moves?|moved|moving|push(?:es|ed)?|postponed?|shift(?:s|ed)?)\b[^.?!]{0,10}"
    r"\bto (?:aug|sep|oct|nov|dec|jan|feb|mar|apr|may|jun|jul|next|\d)|"
    r"\bdecided\b|\bdecision\s*(?:[:：]|is\b|was\b)|\bfinal decision\b|"
    r"\bfinal call\b(?: from me)?\s*[:：]|let'?s go with|(?:^|[.!]\s*)(?:ok(?:ay)?,?\s*)?"
    r"then it'?s (?!(?:not|probably|likely|hard|fine|ok|okay|just|a|an|the|about|been|too)\b)|"
    r"\blet'?s make it\b|\bwe(?:'ll| will) make it\b|\b(?:we(?:'ll| will)|let'?s)\b[^.?!]{0,40}\bafter all\b|"
    r"\bwe(?:'re| are) not doing\b|"
    r"\bwon'?t (?:do|ship|include|support) (?:it|that|this)\b|\bpark (?:it|that|this) (?:for|until)\b|"
    r"we'?ll go with|\bgoing with\b|\bagreed\b|\bsettled\b|"
    r"final answer|\bconsensus\b|"
    # (not "Let's go 💪", a cheer; "… Fri 9am CET. Let's go" leans on the plan before it)
    r"let'?s (?:use|do|ship|keep|stick|switch|"
    r"go(?!\s+(?:through|over|around|round)\b)(?!\s*[!！💪🔥🚀🙌][\s!！💪🔥🚀🙌]*$)|move|stay|drop|cut|pick|order|"
    # (not "Let's get this done", "let's get the logistics nailed down": getting on with it)
    r"get(?! (?:this|it|that|things|everything|going|started|moving)\b)"
    r"(?![^.?!]{0,30}\b(?:done|sorted|nailed|going|started)\b)|"
    r"book|hire|add|put|"
    r"target|run)\b|"
    r"we(?:'ll| will) (?:use|ship|keep|stick|switch|go|move|stay|drop|cut|pick|target|run)\b|"
    r"\bship it\b|\bapproved\b|\bwe'?re going\b(?! to be\b)|\bplan is\b|\bwe(?:'re| are) not (?!sure\b)\w+ing\b",
    _I,
)
#: To be talked over or decided later (not "不再討論", which closes the matter): part of ``UNDECIDED``,
#: ``PUT_OFF`` and ``DEFERRED``.
_LATER = r"(?<!不)再討論|(?<!不)再讨论|再決定|再决定"
#: Not (yet) a decision: a decision still to be made, or talk about deciding.
UNDECIDED = re.compile(
    r"還沒|还没|尚未|再說|再说|\bpunt\b|\bnot here\b|\bhold (?:on|off)(?: on)? (?:that|this|it)\b|"
    r"^(?:@\S+\s*)?(?:要不(?!要)|不如|how about|what if|maybe we)|"
    # Closing the meeting, not deciding: "那就這樣，有問題群裡喊", "就这样，大家辛苦".
    r"(?:那)?就(?:先)?(?:這樣|这样|咁)[^？?]*(?:有問題|有问题|辛苦|加油|晚安|拜拜|bye|see you|thanks|謝謝|谢谢)|"
    r"\b(?:agreed?|sure|ok|yes),? but\b|(?:同意|可以|好)(?:是可以)?[，,]?\s*(?:但|不過|不过)|"
    r"(?<!我)(?:定|決定|决定)一下(?!\s*[:：])|(?:要|得|該|该|準備|准备)(?:定|決定|决定|拍板)(?!了?[，,。!！\s]*$)|"
    rf"不確定|不确定|{_LATER}|沒決定|没决定|要不要|是否|待定|"
    r"本來就|本来就|原本就|(?:要有|要給|要给|給個|给个|出個|出个|需要|得出)\s*(?:結論|结论)|"
    r"\b(?:has|have|had)(?:n'?t| not) (?:yet )?decided\b|"
    r"\bnot (?:yet )?decided\b|\bhaven'?t decided\b|\bundecided\b|\bto be decided\b|\bTBD\b|\bneed to decide\b|"
    r"\bbefore we decide\b|\bif we decide\b|"
    # Put off: 不是今天要決定的, retro 再聊, not today.
    r"不是今天|今天不(?:用|必|會|会)決定|今天不(?:用|必|會|会)决定|再聊|下次再|改天再|\bnot (?:for )?today\b|"
    # Said outright: 今晚唔決定, 今天先不决定, "we won't decide that tonight", "not deciding".
    r"(?:唔|不|先不|暫不|暂不)(?:會|会|要|用)?(?:決定|决定)|\b(?:won'?t|will not|not) (?:be )?decid(?:e|ing)\b|"
    r"\bnot (?:our|my) call\b|\bkick(?:ing|ed)? off\b|\bneed to (?:pick|choose)\b|"
    # Put off to later: 下個季度再評估, 先放一放, 8 月再議, let's revisit, decide there.
    # and to a meeting: 审核完再开会讨论, 呢個留返禮拜二同大狀一齊傾.
    r"再開會|再开会|留返[^，,。]{0,12}?(?:傾|倾)|"
    r"再評估|再评估|放一放|再議|再议|再想想|沒辦法決定|没办法决定|\bdecide (?:there|then|later)\b|"
    # Relayed: "HR 回了：…" reports what someone outside said; the team decided nothing.
    r"^\S{1,12}\s*(?:回了|回覆了|回复了|說|说)[:：]|(?:收到|接到)\S{0,6}(?:通知|公告|email|電郵|邮件)|"
    # A reaction, not a decision: 那就合理, 那就好, 那就沒問題.
    r"那就(?:合理|好|沒問題|没问题|放心|好辦|好办)(?:了|啦|吧)?[\s。！!~～]*$|"
    # Closing the meeting: 今天就先到這, that's all for today.
    r"先到這|先到这|(?:今天|今日)(?:就)?先(?:這樣|这样)|(?:大概|差不多)(?:就)?(?:這樣|这样)|"
    # and in Cantonese: 今日傾到呢度, 講到呢度, 今日咁先.
    r"(?:傾|倾|講|讲|聊)到呢度|(?:今日|今晚)(?:就)?咁先|到此為止|到此为止|"
    r"早點休息|早点休息|(?:週一|周一|禮拜一|礼拜一|明天|明日|聽日)見|(?:週一|周一|明天)见|"
    r"\bsee you (?:all|tomorrow|monday)\b|"
    r"\bthat'?s (?:it|all) for today\b|\blet'?s wrap\b",
    _I,
)
#: A short reply that agrees with what was proposed just before: the decision is the proposal.
AGREEMENT = re.compile(
    r"^(?:@\S+\s*)?(?:[^\w\s@]{1,4}\s*)?(?:同意|贊成|赞成|附議|附议|沒問題|没问题|可以|好|好啊|好喔|好的|行|OK|ok|Ok|okay|\+1|agreed|agree|"
    r"sounds good|works for me|(?:ok|okay|fine|good) (?:for|with) (?:me|us)|沒意見|没意见|冇意見|無意見|"
    r"I'?m (?:ok|okay|fine|good) with (?:that|it|this)|lgtm|yes|yep|sure|makes sense|"
    r"fine by me|就這樣|就这样|就這麼辦|就这么办|"
    r"就這麼定了|就这么定了|決定了|决定了|那就這樣|那就这样|ship it|deal|let'?s do (?:it|that)|"
    r"let'?s go with (?:it|that)|go for it|do it|go ahead|fine|can(?: lah)?|ok lah|"
    r"行|得|冇問題|無問題|无问题|沒毛病|没毛病|"
    r"(?:我覺得|我觉得|我看)(?:也)?(?:行|可以|ok|好|不錯|不错|沒問題|没问题|OK啊|ok啊))"
    r"[\s,，!！.。~～👍]*"
    r"(?:(?:就這樣|就这样|就這麼辦|就这么办|決定了|决定了|定案|拍板|let'?s do it|let'?s do that|let'?s go with that)"
    r"[\s,，!！.。~～👍]*)?$",
    _I,
)
#: Agreement that backs what was said, not a mere acknowledgement ("好", "收到"): "贊成", "200 合理",
#: "禮拜天可以", "👍" alone, "works for me".
STRONG_AGREEMENT = re.compile(
    r"^(?:@\S+\s*)?[^\s，,。？?]{0,8}\s*(?:同意|贊成|赞成|附議|附议|合理|可以接受|能接受|可以可以|沒問題|没问题|冇問題|"
    r"沒意見|没意见|冇意見|無意見|"
    r"\+1|agreed?|sounds (?:good|reasonable|right|fair)|works for me|makes sense|fair enough|perfect|works)"
    r"[\s!！.。~～👍👌]*$|"
    r"^\s*[👍👌🙌]+\s*$|"
    # the option backed, then a yes: "6:30 ok", "B 👍", "A3 👍" (not "收到 ok", "哦ok", "hmm ok": taken, not backed)
    r"^(?!收到|好的|了解|明白|知道|睇到|看到|见到|見到)(?:[A-Za-z]*\d[A-Za-z\d:.]*|[A-Z]|[\u4e00-\u9fff]{2,4})\s*"
    r"(?:ok|okay|[👍👌]+)[\s!！.。]*$",
    _I,
)
#: Cantonese "A 定 B" (or): "用A4定A3？", "email 定 WhatsApp broadcast？" (not 決定, 確定, 定了, 國定…).
EITHER_OR = (
    r"(?<![決决確确一約约規规固穩稳預预指認认鎖锁搞敲設设國国沒没未制訂订選选特肯否商])"
    r"定(?:係|系)?(?![了案下好論论價价金位期時时點点做製制])(?=\s*[\w\u4e00-\u9fff])"
)
#: A question that puts a choice to the group ("要不要…？", "should we …?").
CHOICE = re.compile(
    r"要不要|要唔要|使唔使|要.{1,12}[嗎吗]|還是|还是|是否|"
    rf"(?<=[\w\u4e00-\u9fff\s]){EITHER_OR}(?=[^？?]*[？?])|"
    r"\bshould (?:we|the|it|this)\b|\bshall we\b|\bdo (?:we|you) want\b|\bwhich\b|"
    r"\b(?:can|could) we\b|能不能|可不可以|"
    r"\w+,? or (?:a |the |just )?\w+",
    _I,
)
#: An answer to such a question that takes one side: the answer is the decision.
TAKES_SIDE = re.compile(
    r"^(?:@\S+\s*)?(?:(?:ugh|hmm|oh|ah|well|嗯|唉|欸|哦|噢)[,，.\s]+)?(?:要[，,、\s]|好[，,、\s]|好主意|可以[，,、\s]|對[，,]|对[，,]|當然|当然|"
    # "要分啦，不然小孩子吃不了", "批，你自己搵人" (approved)
    r"要[\u4e00-\u9fff]{0,3}(?:啦|吧|喇)(?=[，,。！!\s]|$)|(?:批|准)(?:咗|了)?[，,、\s]|"
    r"(?:先)?不要(?:啦|吧|了)?[，,、\s]|(?:先)?不用(?:啦|吧|了)?[，,、\s]|不做[，,、\s]|(?:一定|當然|当然)要[，,、\s]|"
    # ("ok noted", "ok thanks" acknowledge the answer; they take no side)
    # (nor do "ok separate thing - …", "ok next", "ok btw": a new matter)
    r"(?:ok(?:ay)?|fine)[，,\s]+(?!noted|thanks|thank|got it|cool|收到|明白|了解|好的|谢谢|謝謝|thx|ty\b|"
    r"separate|another|other thing|next\b|btw|moving on|so\b)\S|"
    r"(?:definitely|yes|yeah|yep|yup|sure|absolutely|let'?s|agreed|of course|no(?! (?:worries|problem|prob)\b)|nope|"
    r"definitely not)\b)",
    _I,
)
#: A later decision that says it replaces an earlier one.
CHANGE = re.compile(
    r"改成|改用|改為|改为|改回|改到|改一下|更正|改主意|還是用|还是用|還是改|还是改|不用\S{0,6}了|換成|换成|"
    r"\binstead\b|\bactually\b|change of plan|scratch that|\bswitch(?:ing)? (?:to|back)\b|\brevert\b|"
    r"\bno longer\b|on second thought|\bchanging\b|\bupdate:|\bcorrection\b|\bafter all\b|\bmake it\b|"
    r"還是照|还是照|照原|挪到|移到|又改|回到|維持原|维持原|延到|延後|延后|順延|顺延|提前到|既然這樣|既然这样|原本的|"
    r"\bback to\b|\b(?:move|moving|moved|push|pushed|shift|shifted)\b[^.?!]{0,20}\bto\b|"
    r"(?<=[，,、那就])改(?![了好完過过掉的一天])(?=\s*[\d\u4e00-\u9fff])|(?:^|(?<=[，,\s]))改[^\s，,。？?]{1,8}好了",
    _I,
)
#: Taken to a meeting, in Chinese and Cantonese ("下個禮拜一開會再傾", "留返下次大會先講", "開會才知道")
#: or English ("take that up in Monday's call", "next month meeting then discuss"): part of both
#: ``PUT_OFF`` and ``DEFERRED``.
_TO_A_MEETING = (
    r"(?:會議|会议|大會|大会|開會|开会|會上|会上|團練|团练|\bmeeting|\bcall)[^，,。]{0,4}(?:再|先|才)"
    r"(?:傾|倾|談|谈|講|讲|說|说|定|決定|决定|知道)|"
    r"\btake (?:that |it |this )?up (?:at|in|on)\b[^.?!]{0,30}\b(?:meeting|call|sync|review)\b|"
    r"\b(?:meeting|call|sync) then (?:discuss|decide)\b"
)
#: Put off to a later time or place: the matter stays open ("等 8 月再討論", "decide there").
PUT_OFF = re.compile(
    rf"{_LATER}|再定|再訂|再评估|再評估|放一放|再議|再议|沒辦法決定|没办法决定|"
    r"\bdecide (?:there|then|later|on \w+day|\w+day|tomorrow|next week|when\b|after\b)|\bdeferred? to\b|"
    r"\brevisit\b|\blet'?s discuss\b|\bdiscuss (?:it )?(?:at|in|later)\b|"
    rf"{_TO_A_MEETING}|"
    # Taken to a later meeting: "put it on Monday's call", "bring this to next week's review".
    # Said of the matter (it, this…) or by the group (let's, we), not "I'll bring the laptop to the meeting".
    r"(?:\b(?:put|bring|take|leave|park|save)\s+(?:it|this|that|them)\b|"
    r"\b(?:let'?s|we|we'?ll)\s+(?:\w+\s+)?(?:put|bring|take|leave|park|save)\b)"
    r"[^.?!]{0,30}\b(?:on|to|for|till|until)\b[^.?!]{0,25}"
    r"\b(?:meeting|call|sync|review|standup|huddle|AGM)\b|\b(?:don'?t|do not) want to decide\b|"
    # "let's not open that today", "Aurora question goes to the architecture review next Thursday"
    r"\blet'?s not (?:open|get into|go into|go down|discuss|decide|settle) (?:that|this|it)\b|"
    r"\bgoes to (?:the |next )?(?:[\w-]+ ){0,3}(?:meeting|call|sync|review|standup|huddle)\b|"
    # "let's go through it at the pre-defence meeting"
    r"\blet'?s (?:go through|discuss|talk about|look at|cover) (?:it|this|that|them)\b[^.?!]{0,20}"
    r"\b(?:at|in|during) (?:the |our |next )?(?:[\w-]+ ){0,3}(?:meeting|call|sync|review|standup|huddle)\b|"
    # Left for a meeting or a later say: "呢個留返下個月法團會議討論", "等下個月家長代表大會再一起表決", "再拍板",
    # "今天先不處理", "Let's table that", "I'm not deciding anything till…", "we shouldn't rule on this here".
    r"(?:留返|留到|留待|留給|留给|等)[^，,。]{0,12}(?:會議|会议|大會|大会|例會|例会|review|meeting)|"
    r"(?:再|才)(?:拍板|一起談|一起谈|一齊傾|一齐倾|(?:一起)?表決|(?:一起)?表决)|先不處理|先不处理|"
    r"\btable (?:that|this|it)\b|\bnot deciding\b|\bshouldn'?t (?:rule|decide)\b|\blet'?s not decide\b",
    _I,
)
#: A reply that puts a question off: it stays open.
DEFERRED = re.compile(
    rf"{_LATER}|再說|再说|再看|還沒決定|还没决定|不確定|不确定|不知道|不清楚|待確認|待确认|回頭|回头|"
    # Cantonese and chat for "don't know / can't remember": 唔清楚, 唔知, 唔肯定, 忘了, 我也不記得, 這個我沒問過.
    r"唔清楚|唔知|唔肯定|唔記得|唔记得|不記得|不记得|忘了|沒問過|没问过|不太清楚|"
    r"\bnot sure\b|\bdon'?t know\b|\bno idea\b|\bno clue\b|\bdunno\b|\bidk\b|\bbeats me\b|\b(?:nobody|no one) knows\b|"
    r"\bget back to you\b|\blet'?s discuss\b|"
    rf"{_TO_A_MEETING}|"
    # Still waiting for someone else: 還在等主辦回復, waiting on legal.
    r"還在等|还在等|等\S{0,6}(?:回覆|回复|回信|通知)|\bwaiting (?:on|for)\b|\bhaven'?t heard\b|"
    # Nobody has told us, and not yet thought through: 冇人通知過我喎, 我都未收到信, "Not a word", 我再琢磨琢磨，
    # 周一组会上说, 不急着 decide, "Let's see what Eskom does, we'll talk Thursday".
    r"(?:冇人|沒人|没人|沒有人|没有人)(?:通知|講|讲|說|说|話|话)|未收到|沒收到|没收到|\bnot a word\b|\bno word\b|"
    r"琢磨|[會会]上(?:說|说|講|讲|再)|不急(?:着|著)?\s*(?:decide|決定|决定|定)|"
    r"\blet'?s see (?:what|how|if)\b|\bwe'?ll (?:talk|see)\b|"
    # Not answerable here, or left for later: 呢個我答唔到, 说不准, 我说了不算, 星期日先再傾, "let's cross that
    # bridge when we get to it", "not solving that tonight", "let's leave the raffle for the committee meeting",
    # "parking it for now", "Putting it on next Tuesday's agenda".
    r"答唔到|答不了|答不上|說不準|说不准|講唔準|讲唔准|說了不算|说了不算|再傾|再倾|遲啲傾|迟啲倾|"
    r"\bcross that bridge\b|\bnot here\b|\bnot (?:solving|sorting|fixing|deciding|settling) (?:that|this|it)\b|"
    r"\bleave (?:the [\w-]+|it|that|this) (?:for|till|until)\b|\bparking (?:it|that|this)\b|\bconversation for\b|"
    r"\bon (?:the |next [\w-]+'s |[\w-]+'s )?agenda\b|"
    r"去問|去问|問問|问问|拿不準|拿不准|"
    r"\bdiscuss (?:it )?(?:at|in|later)\b|"
    r"\b(?:has|have|had)(?:n'?t| not) (?:yet )?decided\b|\bTBD\b|\bhold on\b|\bcheck with\b|得問|得问|"
    r"好問題|好问题|要問|要问|再確認|再确认|確認一下|确认一下|之後再|之后再|先記下|先记下|不討論|不讨论|"
    r"\bgood question\b|\bpossibly\b|\bmaybe\b|\b\w+'s call\b|\bnot (?:our|my) call\b|\bnot up to (?:us|me)\b|"
    r"\blet'?s figure\b|\bfigure (?:that|it|this) out\b|\bnot (?:promise|commit to) anything\b|"
    r"\bI'?ll (?:check|find out|ask)\b|再想想|看情況|看情况|\bidk\b|\b(?:it )?depends\b|\brevisit\b|"
    r"再評估|再评估|放一放|再議|再议",
    _I,
)
QUESTION_CUE = re.compile(
    r"有人知道|有沒有人|有没有人|誰知道|谁知道|請問|请问|想問|想问|^(?:@\S+\s*)?(?:問一下|问一下)|"
    r"\banyone know\b|\bdoes anyone\b|\bany idea\b|\bdo we know\b|\bwondering\b",
    _I,
)
#: Not a real question: a reaction or a check that needs no answer.
RHETORICAL = re.compile(
    r"^(?:真的嗎|真的吗|是喔|是哦|對吧|对吧|好嗎|好吗|right|really|huh|ok|okay|yes|no|why not|what|lol|"
    r"是嗎|是吗|嗎|吗|蛤|啊|什麼|什么|不是嗎|不是吗|"
    # Cantonese reactions: 吓？ (huh?), 咩？ (what?), 真係？ (really?), 係咩？
    r"吓|咩|乜嘢|乜|真係|真系|係咩|系咩|係咪|系咪|"
    # Closing the meeting: "那今天就这些？", "anything else?"
    r"(?:那|那麼|那么)?(?:今天|今日)?(?:就|大概就)(?:這些|这些|這樣|这样)(?:了)?(?:嗎|吗|吧)?|anything else)"
    r"[\s?？!！.。~～]*$",
    _I,
)
#: Small talk (lunch, drinks, weekend plans): a question about it is no open question of the work.
SOCIAL = re.compile(
    r"午餐|午飯|午饭|晚餐|晚飯|晚饭|便當|便当|飲料|饮料|奶茶|咖啡|宵夜|訂餐|订餐|外送|外賣|外卖|吃飯|吃饭|"
    r"週末(?:有什麼|有什么|要去|去哪|計畫|计划|打算)|周末(?:有什麼|有什么|要去|去哪|計畫|计划|打算)|"
    r"\blunch\b|\bdinner\b|\bcoffee\b|\bdrinks\b|\bbeers?\b|\bweekend plans\b|\bplans for the weekend\b|"
    r"\banyone (?:else )?(?:hungry|want (?:lunch|coffee|food))\b|"
    # Food named or eating asked about: 中午吃啥, 吃拉麵, ramen, burrito.
    r"中午\S{0,8}吃|吃(?:啥|什麼|什么)|想吃|去吃|拉麵|拉面|牛肉麵|牛肉面|\bramen\b|\bburritos?\b|\bpizza\b|\btakeout\b|"
    # After work and errands: happy hour, 聚餐, a parcel to pick up.
    r"\bhappy hour\b|雞排|鸡排|手搖|手摇|喝酒|請你喝|请你喝|走起|走了走了|走走走|聚餐|喝一杯|唱歌|\bKTV\b|"
    r"🍻|🍺|🍕|🍱|快遞|快递|包裹|取件|"
    # A coffee order: "flat white please 🙏", 拿鐵, kopi.
    r"\banyone want anything\b|\btapau\b|\bflat white\b|\blatte\b|\bcappuccino\b|\bkopi\b|\bbubble tea\b|"
    r"拿鐵|拿铁|珍奶|☕",
    _I,
)
#: Taking leave of the thread or of work: "我要先去開會了 bye", "我先去上课了 🏃", "if not I go makan first",
#: "我 5/15 下午要看牙醫".
#: It takes no work on.
LEAVING = re.compile(
    r"看牙醫|看牙医|看醫生|看医生|\bdentist\b|\bdoctor'?s appointment\b|"
    r"(?:先|要)去[開开][\u4e00-\u9fff]{0,3}[會会]了|先去(?:倉庫|仓库|銀行|银行|公司|學校|学校|醫院|医院|現場|现场)(?:一趟)?了?(?=\W|$|\s)|先去(?:上[課课班]|吃[飯饭]|午休|睡[覺觉]?|忙)了?(?=\W|$)|先走了|先走啦|先閃了|先闪了|先下線|先下线|"
    r"\bbye\b|\bgtg\b|\bbrb\b|\bsigning off\b|\blogging off\b|\bI go makan\b|\bgo(?:ing)? for lunch\b|"
    # "我15号要去星沙那边培训 那两天不行", "我早上要去監理站 可能十點才到": away, so not there for the work
    r"要去[^，,。]{1,12}(?:[，,\s]\s*)[^，,。]{0,8}(?:不行|不在|沒空|没空|才到|晚到|袂使|唔得)",
    _I,
)
#: A threat in jest, on someone else's doing something (again): "whoever left milk in the fridge, I will
#: find you", "if the porta potty guy no-shows again I'm going to strangle him", "谁再把我的移液枪拿走我就…",
#: "要是领导再让我改五版我就去海边卖烤鱿鱼了". What the speaker says they will do then is no work taken on.
THREAT = re.compile(
    r"(?:\bwhoever\b|\bnext (?:person|one|guy|customer) (?:who|that)\b|"
    r"\bif\b[^.?!]{0,60}?\bagain\b|\bif (?:one more|any ?one|any ?body|some ?one|some ?body)\b|"
    r"[谁誰](?:要是|再)|(?:要是|如果|假如)[^，,。？?！!]{0,20}?再|再[這这][樣样])"
    r"[^.?!。？！]{0,60}?(?:\bI'?ll\b|\bI'?m (?:going to|gonna)\b|\bI will\b|我(?:就|真的|直接|一定))",
    _I,
)
#: A yes at the head of a message: "ok", "好的👍", "沒問題，今晚出", "sounds good", "+1".
ACK = re.compile(
    r"^(?:@\S+\s*)?(?:ok(?:ay)?|好(?:的|啊|呀|喔|哦)?|行|可以|收到|了解|noted|sure|yes|yep|yeah|agree[d]?|"
    r"\+1|👍|🙆|👌|沒問題|没问题|冇問題|得|同意|贊成|赞成|sounds good|works for me|fine|perfect|lgtm|"
    r"ok with me|fine by me|me too)(?![A-Za-z])",
    re.IGNORECASE,
)
#: Someone takes work on: the speaker does it.
SELF_ACTION = re.compile(
    r"我來|我来|我嚟|我去|我負責|我负责|交給我|交给我|交俾我|包在我|包喺我|我跟進|我跟进|我認領|我认领|"
    r"我包(?:了|晒|埋)?(?=\s|[，,。!！~～]|$)|"
    # "那鋼筋我們週五上午前全部綁完": we, with a time, commit too (not "我們改成預設 16pt").
    r"我(?:們|们)(?:今天|明天|今晚|下午|上午|晚上|這週|这周|下週|下周|(?:週|周|禮拜|礼拜|星期)[一二三四五六日天])"
    r"(?:上午|下午|晚上)?(?:之?前|以前)?(?:全部|先|就)?[\u4e00-\u9fff]|"
    r"(?<![幫帮])(?:我|俺(?!們|们))(?:今天|明天|明早|明晚|晚點|晚点|下午|上午|中午|早上|晚上|等等|等一下|今晚|之後|之后|先|(?<!我)之?前|下班前|下班|"
    r"順路|顺路|而家|宜家|(?:今個|呢個|这个|這個)(?:禮拜|礼拜|星期)|\s*\d{1,2}\s*月\s*\d{1,2}\s*[日號号]?\s*(?:之?前)?\s*|"
    r"\s*\d{1,2}\s*[點点](?:半|\d{1,2}分?)?\s*(?:之?前|以前)?\s*|"
    r"聽日|听日|今日|聽朝|听朝|\s*(?:mon|tues?|wed|thu|thurs|fri|sat|sun)\w*\s*(?:morning|afternoon|evening|night)?\s*|"
    r"\s*(?:today|tomorrow|tonight|EOD)\s*|\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)\s*(?:之?前|以前)?\s*|"
    r"(?:這|这|下|本)?(?:週|周|禮拜|礼拜|星期)[一二三四五六日天]?(?:之?[內内])?|[一二三四五六日天]|\s*\d{1,2}/\d{1,2}\s*(?:之?前|以前)?\s*|月底|"
    r"\s*\d{1,2}\s*[號号日]\s*(?:之?前|以前)?\s*|全部|幫手|帮手|回去|"
    r"順便|顺便|順手|顺手|現在|现在|馬上|马上|即刻|立刻|立即|明兒|明儿|直接|也|就|待會|待会|等會|等会|這邊|这边|一齊|一起(?!去)|"
    r"這兩天|这两天|這幾天|这几天|明後天|明后天|等下|等陣|等阵|打算|準備|准备|週末|周末|聽晚|听晚|自己|一早|同步|"
    r"在現場|在现场|過嚟|过嚟|過來|过来|還是|还是|返嚟|返來|返来|統一|统一){0,4}"
    r"(?:會|会|可以|能|要|得)?(?:再|先|就)?"
    r"(?:寫|写|做|改|補|补|查|整理|處理|处理|聯絡|联系|發|发|記|记|更新|準備|准备|測|测|修|排|約|约|開|开|看一下|看看|確認|确认|"
    r"問|问|跑|部署|上線|上线|回報|回报|追|提(?!議|议|醒|個想法|个想法|(?:個|个)?建[議议])|建(?!議|议)|畫|画|列|貼|贴|申請|申请|通知|寄|送|安排|跟|估|算|擬|拟|找(?!到)|聯繫|"
    r"聯絡|约|訂|订|買|买|看|review|merge|發 ?PR|去|弄|搞|填|簽|签|繳|缴|報名|报名|"
    r"私訊|私讯|傳|传|打給|打给|打電話|打电话|下單|下单|把|放|上傳|上传|回(?!來|来|去|家|(?![信覆复郵邮訊讯電电])[\u4e00-\u9fff]{2}(?:[了啦喇]|$))|"
    r"出|交|提交|給|给|(?:來|来)(?=\w)|請(?!假)|请(?!假)|按|照|從|从|加|落實|落实|重(?:拍|做|寫|写|畫|画|印|跑)|"
    r"打(?!算|了|過|过|字|工|個比方|个比方)|催|導|导|錄|录|拿(?!到)|帶|带|印(?!象)|覆|搬|裝|装|調|调|"
    # "我叫班工人將散料綁實", "送到我即刻叫人堆喺地庫入口": getting people to do it
    r"叫(?:班|啲|個|个|幾個|几个)?(?:人|工人|師傅|师傅|佢哋|佢|他們|他们|office)|叫[^\s，,。]{1,4}(?:返|去|來|来|做|整|幫|帮|揸)|"
    r"試|试|換(?!嘅|咗|了)|换(?!嘅|咗|了)|[載载](?=過|过|回|去)|翻(?:一下|下|查)|(?<=可以)陪|(?<=能)陪|起(?:個|个)?草|睇(?!到|過|过|咗|完|唔|不)|數|数|幫(?!不|倒)|帮(?!不|倒)|"
    r"抓(?!到|住|狂|包|錯|错)|登入|登錄|登录|對一下|对一下|核對|核对|搶|抢|盯|轉|转|重新|整(?![理個个體体齊齐天晚套])|整(?=[個个]\s*[A-Za-z])|截圖|截图|拎(?!住)|接(?!到|受|收|聽|听|電|电|待|著|着|近|下來|下来)|"
    # "鸟瞰我用Lumion跑": the tool, then the work done with it.
    r"用\s?[^，,。\s]{1,10}?\s?(?:自己)?(?:跑|做|出|畫|画|算|寫|写|剪|修|改|整|弄|推)|"
    # "我今晚同印刷廠講": 同 (Cantonese 跟) someone, to tell or confirm; "我同Ben睇咗" is Ben and I.
    r"同\s?(?:[^，,。\s]{1,6}|[A-Za-z]{1,12})\s?(?:講|讲|傾|倾|說|说|確認|确认|confirm|check|聯絡|联络|溝通|沟通)(?!好?咗)|"
    r"\s*(?:send|check|update|fix|follow up|book|call|email|ping|push|run|draft|write|post|share|test|try|"
    r"upload|print|confirm|set up|prepare|order|buy|compile|collect|summari[sz]e|take|handle|cover|settle|arrange|"
    r"follow|chase|pick up|prep|edit|design|record|install|schedule|submit|apply|renew|register|contact|"
    r"whatsapp|pm|dm|mark|cancel|reply|translate|deliver|host|present|demo|sign|pay|transfer|claim)(?![A-Za-z])"
    r"(?!\s*(?:的|很|太|唔|不|得)))"
    r"(?!了|好了|完了|過(?!去|來)|过(?!去|来)|得|不)|"
    # "我周四前刷好", "我月底前备好", "我們下周三之前提PR": I (or we), by a deadline, then whatever the work
    # is: the deadline makes it a promise, whichever verb follows (not "我周四前不行", "我月底前都很忙").
    r"(?<![幫帮給给讓让叫請请找])我(?:們|们)?\s*"
    r"(?:(?:這|这|下|本|下個|下个)?(?:週|周|禮拜|礼拜|星期)[一二三四五六日天]|明天|後天|后天|今天|今晚|明早|明晚|"
    r"下班|收工|放工|月底|月中|年底|週末|周末|下週|下周|下禮拜|下礼拜|這週|这周|本週|本周|聽日|听日|聽朝|听朝|聽晚|听晚|今日|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日號号]?|\d{1,2}/\d{1,2}|\d{1,2}\s*[號号日]|"
    r"(?:上午|下午|中午|晚上)?\s*(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*[點点]半?|上午|下午|中午|晚上|\s){1,4}"
    r"(?:之前|以前|前)\s*(?:就|先|會|会|可以|能|再|一定)?\s*"
    r"(?!不|沒|没|都|很|有空|在|應該|应该|是|有|要出差|請假|请假|走|忙)(?:[\u4e00-\u9fff]|[A-Za-z])|"
    # ... and in mixed chat, an English deadline: "我 by Thu 18:00 把排班表發給大家", "我 by Friday 交".
    r"(?<![幫帮給给讓让叫請请找])我(?:們|们)?\s*by\s+"
    r"(?:(?:mon|tues?|wed|thu|thurs|fri|sat|sun)\w*|EOD|today|tomorrow|tonight|\d{1,2}(?::\d{2})?\s*(?:am|pm)?)"
    r"(?:\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|EOD|morning|afternoon|evening|night))?\s*"
    r"(?:就|先|會|会|可以|能|再|一定)?\s*(?!不|沒|没|都|很|有空|在|是|有|忙)[\u4e00-\u9fff]|"
    # "I will …" said outright: 我會根據…改一版, 我們會在週五前…
    r"我(?!們|们)(?:(?!覺得|觉得|想|猜|怕|擔心|担心|以為|以为|記得|记得|他|她|你|妳|不)\S){0,6}?(?:會|会)(?!議|议|計|计|員|员|不會|不会|覺得|觉得|是|有|在|暈|晕|累|餓|饿|哭|死|怕|想)(?=\S)|"
    # "Then I'll …": 那我先估一下, 那我按這個標準找供應商, 那我 merge 完跟 Mandy 說.
    r"(?:^|[，,。\s])那我(?!們|们)(?![^，,。]*(?:覺得|觉得|想|不|比較|比较|沒|没|知道|了解|懂|是))|"
    r"\bI'?ll (?!be\b|never\b|probably not\b|admit\b|bet\b|say\b|guess\b|believe\b|pass\b|need (?!to\b))|"
    r"\bI will (?!be\b|never\b)|\bI'm going to\b|"
    # "I'll be on site to receive it": there, for the work
    r"\bI'?ll be (?:on site|there|in|around|at [\w-]+) to (?!see\b|hear\b|say\b)\w|"
    # "这个我想先问下医生的意见": I'd first ask (not 我想 "I think")
    r"我想先(?:問|问|查|確認|确认|跟|同)|"
    r"\bI can (?:take|do|handle|write|draft|own|look|set|send|update|fix|add|check|ping|follow|pick)\b|"
    # "I can get it installed by tomorrow noon", "I can record the English version next week": with a date, a promise.
    r"\bI can (?!not\b|only\b|also\b|see\b|hear\b|tell\b|imagine\b|understand\b|feel\b|live\b|wait\b)\w+\b"
    r"(?=[^.?!]*\b(?:tonight|tomorrow|today|this (?:week|weekend|afternoon|evening)|over the weekend|next week|"
    r"by (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|tonight|today|EOD|next week|noon|\d))\b)|"
    r"\bI need to (?!know\b)|\bI take (?:the|this|that|it|these|those)\b|"
    r"\bI'?m on it\b|^on it\b|\blet me (?!know\b|think\b|see\b|guess\b|be\b)|\bI'll take\b|"
    # Said without "will" (Singlish and chat): "will transfer tonight", "ok I go withdraw", "I book tonight".
    # …also after a clause of its own: "ok I'm heading out, will bring the slips friday".
    r"(?:^|[,;]\s*)(?:[👌👍🙏]+\s*)?(?:ok(?:ay)?|sure|can|yes|ya)?[\s,]*will "
    r"(?!be\b|not\b|never\b|you\b|we\b|they\b|he\b|she\b|it\b|"
    r"this\b|that\b|there\b|i\b|anyone\b|someone\b|everyone\b|the\b|see\b|have\b|need\b|take (?:long|time)\b|"
    # (a price or a plan that moves: "…on Indigo, will go up for sure")
    r"go (?:up|down)\b|rise\b|increase\b|happen\b|cost\b)|"
    r"^(?:ok(?:ay)?|sure|can|yes|ya)?[\s,]*I (?:go|bring|book|call|buy|print|order|settle|arrange|check|collect)\b|"
    # …after a reaction ("cash 😅 ok I go withdraw"), a date ("ok by next Wed I send the quote") or to find out
    # ("I check with Block 71 IT whether…").
    r"(?:^|\s)(?:ok(?:ay)?|sure|yes|ya),?\s+I (?:go|bring|book|call|buy|print|order|settle|arrange|collect)\b|"
    r"\bby (?:next )?(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)\w*,? I (?:send|bring|book|call|buy|"
    r"print|order|settle|arrange|check|update|fix|prepare|email|confirm|draft|post|upload|do|give)\b|"
    r"\bI check with\b|"
    # "You confirm then I tell the contractor": what the speaker does next, said in the present
    r"\bthen I (?:tell|inform|call|ask|update|send|book|order|pay|check|confirm|redesign|redo|print|prepare|fix|"
    r"email|arrange|settle|submit|buy)\b|"
    r"\bI (?:go|bring|book|ask|call|buy|print|order|settle|arrange|check|send|set up|update|fix|prepare|test|start|"
    r"email|confirm|draft|post|upload|do)\b"
    r"(?=[^.?!]*\b(?:tonight|tomorrow|later|first|this (?:week|weekend|afternoon|evening)|today|"
    r"by (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|tonight|today|EOD|next week)|"
    r"before (?:the|our) (?:meeting|call|review|demo|launch|deadline)|"
    r"then (?:tell|update|let) (?:you|u|the group|everyone)|"
    r"tell (?:you|u) (?:guys|all|later|again))\b)|"
    r"\bI'?m (?:checking with|looking into|chasing|following up)\b|"
    # "you'll have them wed 10am": the speaker's promise, put as what the other gets
    r"\byou'?ll have (?:it|them|that|those|the \w+)\b"
    r"(?=[^.?!]*\b(?:by|at|on|tonight|tomorrow|today|mon|tue|wed|thu|fri|sat|sun)\w*)|"
    r"(?<!n't )(?<!not )\bleave (?:it|this|that|them|the [\w-]+(?: [\w-]+){0,2}) (?:with|to) me\b|"
    r"\bassign(?:ed)? (?:it )?to me\b|\btaking this\b|\bI'?ve got (?:it|this)\b|\bI'?ll own\b",
    _I,
)
#: A promise to come back with what was found: "let me check with Sentinel and revert", "I'll take
#: another sample Wed and let you know", "我查一下…回头说", "問到再跟大家說", "有消息再回報". A careful
#: reader lists it as work even when the work itself ("check", "ask") is small.
REPORT_BACK = re.compile(
    r"(?:\b(?:and|then|n)|&)\s+(?:revert|report back|get back to (?:you|u|everyone|everybody|the group|y'?all)|"
    r"let (?:you|u|everyone|everybody|the group|y'?all|you all|you guys|the team) know|circle back|"
    r"come back to (?:you|u|everyone)|update (?:you|u|everyone|everybody|the group|the team))\b|"
    r"\b(?:revert|report back|get back to (?:you|u|everyone)|come back to (?:you|u))\s+(?:later|after|by|once|when|"
    r"tomorrow|tonight|asap|soon)\b|\bI(?:'ll| will)?\s+(?:revert|report back|come back to (?:you|u))\b|"
    r"\b(?:later|then)\s+(?:tell|let)\s+(?:you|u)\b|"
    r"回頭說|回头说|回頭(?:跟|同|和)|回头(?:跟|同|和)|"
    r"(?:再|然後|然后)(?:跟|同|和)(?:大家|你|妳|您|各位|你們|你们|你哋)(?:說|说|講|讲|報告|报告|更新|回報|回报|確認|确认)|"
    r"再(?:告訴|告诉|回報|回报|回覆|回复|回你)|再通知(?:大家|你|妳|您|各位)|回覆大家|回复大家|再(?:po|PO|貼|贴)(?:上來|上来|出來|出来|到群|群)|"
    r"再?(?:話|话)(?:你|大家)知",
    _I,
)
#: Someone is asked to do something (with an @mention or a name, the asked one does it).
REQUEST = re.compile(
    r"\bcan you\b|\bcould you\b|\bwould you\b|\bplease\b|\bpls\b|\bcan (?:someone|somebody|anyone)\b|"
    # 麻煩 asks, but "麻煩了" thanks and "很麻煩" complains.
    r"幫忙|帮忙|(?<![很太好超蠻蛮挺點点較较找也更真多])麻[煩烦](?![了的])|請你|请你|"
    r"(?:你|妳|您)(?:們|们)?(?:這邊|这边|那邊|那边)?(?:今天|明天|今晚|明早|下午|上午|晚上|這週內|这周内|這禮拜內|这礼拜内|這週|这周)?(?:先|再|重新)?(?:來|来|去|負責|负责|幫|帮|擬|拟|寫|写|查|做|整理|準備|准备|處理|处理|同|跟|把|畫|画|安排|整|搞|買|买|訂|订)|能不能|可以幫|可以帮|可不可以|(?:你|妳)(?:哋|地)?可唔可以|唔該你|(?:你|妳)得唔得閒|(?:你|妳|您)\S{0,4}有空|有空(?:的話|的话)|"
    r"交給|交给|負責(?!人)|负责(?!人)|可以[^\s，,。？?！!]{0,16}[嗎吗]|可以 [^，,。？?！!]{1,24}[嗎吗]|"
    r"(?:你|妳|您)[^，,。？?！!]{0,10}(?:能|方便|有辦法|有办法)[^，,。？?！!]{0,20}[嗎吗]|你看一下|你查|你改|你寫|你写|你跟進|你跟进|"
    # "Kitty 你 check 下嗰晚 CCTV": Cantonese and Singapore chat tell the work in English after 你.
    r"(?:你|妳)\s*(?:check|send|update|follow up|book|confirm|call|email|draft|prepare|arrange|fix|set up)(?![A-Za-z])",
    _I,
)
#: A to-do said as such.
TODO = re.compile(
    r"\bTODO\b|待辦|待办|\baction items?\b|^AI:|\bfollow[- ]up\b|跟進|跟进|\bowner:|負責人(?!是誰)|负责人(?!是谁)|"
    r"要記得|要记得|\bdon'?t forget\b|\bremember to\b|"
    r"\b(?:someone|somebody) (?:also )?(?:should|needs? to|has to|must)\b|\b(?:someone|somebody)\s*(?:要|得)|"
    r"要有人|需要有人|得有人|找個人|找个人|要搵(?:個)?人|\bneeds? someone to\b|\bwe need someone\b",
    _I,
)
#: Work reported done is no action item.
DONE = re.compile(
    # (not a state: "已經忙死", "已經爆了", "已经三点了", "已經很晚")
    r"已[經经](?!\s*(?:忙|爆|滿|满|累|夠|够|很|太|不|沒|没|快|[\d一二三四五六七八九十兩两几幾多]))|搞定|好了|完成了|[看查翻試试問问]過了|[看查翻试試问問]过了|[翻找查問问]到了|"
    r"\bchecked\b|\bran (?:it|the)\b|^ran\b|(?:整理|放|貼|贴|附)在(?:這|这)(?:裡|里|邊|边)?(?=[\s，,。!！:：]|$)|"
    r"(?:放|貼|贴|附)喺(?:呢)?度|"
    r"查到了|問到了|问到了|問過了|问过了|改好|寫好|写好|修好|弄好|"
    # (not "let's get this done", "be done": work still to do)
    r"(?<!\bget )(?<!\bget it )(?<!\bget this )(?<!\bget that )(?<!\bget them )(?<!\bbe )\bdone\b|"
    r"\bfinished\b|\bfixed\b|\bmerged\b|\bshipped\b|"
    r"\bdeployed\b|\bI did\b|\bI'?ve (?:done|fixed|merged|pushed|sent|updated)\b",
    _I,
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WEEKDAY_SHORT = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
DUE = re.compile(
    r"(?:這|这|下|本|下個|下个|今個|今个|呢個|呢个)?(?:週|周|禮拜|礼拜|星期)[一二三四五六日天](?:之前|以前|前|下班前)?|"
    # (聽日, 聽朝, 後日, 今日, 呢個禮拜: Cantonese for tomorrow, tomorrow morning, the day after, today, this week)
    r"(?:明天|後天|后天|今天|今晚|明早|明天早上|下班|月底|週末|周末|下週|下周|下禮拜|下礼拜|這週|这周|本週|本周|"
    r"聽日|听日|聽朝|听朝|聽晚|听晚|後日|后日|今日|呢個禮拜|呢个礼拜)"
    r"(?:之內|之内|內|内|之前|以前|前|下班前)?|會後|会后|會議後|会议后|"
    r"(?:這個月|这个月|本月|下個月|下个月|(?:[一兩两三四五六七八九十\d]+\s*(?:天|週|周|個禮拜|个礼拜)))(?:之內|之内|內|内)|"
    r"(?:this|next) (?:week|month)\s*(?:內|内)?|"
    r"\d{1,2}月\d{1,2}[日號号](?:之前|以前|前)?|\d{1,2}/\d{1,2}\s*(?:之前|以前|前)|"
    r"(?:上午|下午|晚上)?\d{1,2}[點点](?:之前|以前|前)|"
    # "by 5 June", "by June 5th"
    r"\bby \d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\bby (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(?:st|nd|rd|th)?\b|"
    # A weekday cut short only after "by" ("by Thu", "by Wed noon"): alone, "sat", "sun" and "wed"
    # are other words, and "Sat 10am" is as often when to meet as a deadline.
    rf"\bby {_WEEKDAY_SHORT}(?![a-z])|"
    rf"\bby (?:end of |the end of )?(?:{_WEEKDAY}|tomorrow|tonight|today|noon|EOD|EOW|next week|"
    r"(?:the )?end of (?:the )?(?:day|week|month|sprint)|\d{1,2}/\d{1,2}|\d{1,2}(?::\d{2})?\s?(?:am|pm)|"
    r"\d{1,2}:\d{2})\b|"
    # "within 72h", "within 2 days", "before 22:00"
    r"\bwithin \d+\s*(?:h|hrs?|hours?|days?|weeks?)\b|\bbefore (?:the )?\d{1,2}:\d{2}\b|"
    r"\b(?:EOD|EOW|tomorrow|tonight|next week|end of (?:the )?(?:day|week|month|sprint)|"
    r"before the (?:release|demo|meeting|standup)|"
    rf"(?:on |this |next )?{_WEEKDAY})\b",
    _I,
)


#: A task handed to "you" with its deadline or as "…一下": "@孙浩 你明天中午之前把…复盘一遍",
#: "盘点表你周日下班前打印出来", "@Jason Lim 你 update 一下". Read as a request only outside a question
#: ("你明天有空嗎？" asks).
DIRECTIVE = re.compile(
    rf"(?:你|妳|您)(?:們|们|哋|地)?\s*(?:先|再)?\s*(?:{DUE.pattern})|(?:你|妳)(?![等想])[^，,。？?！!]{{1,12}}?一下",
    _I,
)

#: A Chinese question without its mark: A-not-A (會不會, 有沒有), V-沒有 (修好沒有), or a question
#: word (哪間, 什麼時候, 幾點, 多少).
_ASKS_ZH = re.compile(
    r"([\u4e00-\u9fff])[不沒没]\1|(?:了|好|完|過|过)(?:沒有|没有|沒|没)$|"
    r"哪(?:間|间|個|个|裡|里|天|些|一)|什麼時候|什么时候|幾點|几点|多少"
)
#: Asked inside a statement: "我去確認有沒有", "大家看一下有沒有問題".
_INDIRECT = r"(?:確認|确认|問|问|看看|看一下|看下|回報|回报|了解|知道|查|想|考慮|考虑)[^，,。]*"


@lru_cache(maxsize=8192)  # the same messages are read many times over
def is_question(text: str) -> bool:
    """A real question: it asks (？/? outside a link, or 有人知道…/anyone know …) and is no mere reaction."""
    body = re.sub(r"https?://\S+", "", text)
    if (
        RHETORICAL.match(body.strip())
        or re.fullmatch(r"\W*\w{1,4}\s*(?:[?？][!！]|[!！][?？])+\W*", body.strip())
        or re.fullmatch(r"[$€£¥]?\d[\d,.]*\s*(?:%|k|萬|万)?\s*[?？]{2,}\W*", body.strip())
        or re.fullmatch(r"(?:蛤|啊|欸|哇|what|huh|wait)\W*\S{1,6}\s*[?？]{2,}\W*", body.strip(), _I)
    ):
        return False  # "真的嗎", "三周？！", "蛤…15%？？", "15%??": a reaction
    if "？" in body or "?" in body or QUESTION_CUE.search(body) is not None:
        return True
    if _ASKS_EN.match(body.strip()) and not re.search(r"[.!]\s*$", body):
        return True  # "Is the clerk doing a press conference this time, or just posting numbers"
    # Chat often drops the question mark: "那外包案還做得下去嗎", "授權可以退嗎", "那教學文章呢",
    # "是除夕前發還是開工發啊 👀".
    bare = re.sub(r"[^\w\s~～.。…]+$", "", body.strip())
    if re.search(r"[嗎吗呢][\s~～.。…]*$", bare) or re.search(r"[\u4e00-\u9fff\w][嗎吗](?:[，,]|\s+\S)", bare):
        return True  # "…能做到 UL94 V-0 嗎，之前好像沒問過" asks in its first clause
    last = [c for c in re.split(r"[，,。；;！!]", bare) if c.strip()]
    if (
        last
        and _ASKS_ZH.search(last[-1])
        and not DEFERRED.search(last[-1])
        and not re.search(f"{_INDIRECT}(?:{_ASKS_ZH.pattern})", last[-1])
        and not re.search(r"[。.!！]\s*$", bare)
    ):
        # 會不會, 有沒有, 修好沒有, 在哪間, 什麼時候: "連續被拒好幾次，會不會影響我們開發者帳號的信譽啊",
        # "特教班的學生在哪間教室考" (but not "我去確認有沒有", "看一下有沒有問題")
        return True
    return re.search(r"(?:還是|还是)[^，,。；;！!]*[啊呀咧][\s~～.。…]*$", bare) is not None


#: An English question without its mark: an auxiliary, then who or what it asks about.
_ASKS_EN = re.compile(
    r"(?:is|are|was|were|do|does|did|can|could|should|will|would|has|have)\s+"
    r"(?:the|a|an|we|you|they|he|she|it|this|that|there|anyone|someone|our|your)\b|"
    # "also who approved that p4d instance lol", "@Dana how was the offsite btw"
    r"(?:@\S+(?:\s+[A-Z]\w+)?\s+)?(?:(?:also|and|but|btw|so),?\s+)?(?:who|how|what|why|where|when|which)\s+"
    r"(?:decided|approved|thought|said|is|are|was|were|do|does|did|can|could|should|will|would|has|have)\b",
    _I,
)
#: A condition: "延到週二的話 release 就是下週五" weighs an option, it decides nothing.
CONDITIONAL = re.compile(r"的話|的话|如果|假如|要是|萬一|万一|只要|\bif\b|\bunless\b|\bwhat if\b", _I)
#: "…, any objections?" after a decision checks for dissent; it does not make the decision a question.
_CONSENT_CHECK = re.compile(
    r"(?:any (?:objections|concerns|thoughts)|objections|ok|okay|right|大家覺得呢|大家觉得呢|有沒有意見|有没有意见|"
    r"有意見嗎|有意见吗|可以嗎|可以吗|好嗎|好吗)[?？]$",
    _I,
)
#: A clause: the text between two marks of punctuation (or line ends).
CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")


@lru_cache(maxsize=8192)  # the same messages are read many times over
def is_decision(text: str) -> bool:
    """A decision cue in a clause that is no condition, in a message that puts nothing off and
    asks nothing, and is no joke ("😂 the Zoom Crucible. We don't speak of it")."""
    if UNDECIDED.search(text) or re.match(r"\W*(?:[😂🤣😅]|哈哈|\blol\b)", text, _I) or RELIEF.match(text):
        return False
    body = _CONSENT_CHECK.sub("", re.sub(r"https?://\S+", "", text).rstrip()).rstrip()
    if body.endswith(("？", "?")) or (is_question(body) and not re.search(r"[?？]", body)):
        # "ok 就遊覽車，Daniel can you 幫忙問三家報價？": decided, then a request for the work
        cut = max(body.rfind(mark) for mark in "，,。；;！!")
        head, ask = body[: max(cut, 0)], body[cut + 1 :]
        if not head or not REQUEST.search(ask):
            return False
        body = head
    return any(_decides(c.group(0)) for c in CLAUSE.finditer(body)) or (
        DECISION.search(body) is not None and not any(DECISION.search(c.group(0)) for c in CLAUSE.finditer(body))
    )


def _decides(clause: str) -> bool:
    """A decision cue in a clause that is no condition and not the speaker's own small step
    ("去年的報名表我改一下就好" takes work on; it decides nothing for the group)."""
    cue = DECISION.search(clause)
    if cue is None or CONDITIONAL.search(clause):
        return False
    return not (cue.group(0).startswith("就好") and SELF_ACTION.search(clause))


#: Relief at an answer ("那就好", "好，那就没事了 👍", "咁就好"): it agrees to nothing and decides nothing.
RELIEF = re.compile(r"\W*(?:好|ok|哦+|喔+)?[，,\s]*(?:那就|咁就)(?:好|放心|没事|沒事|冇事)(?:了|啦|喇)?[\W\s]*$", _I)


@lru_cache(maxsize=8192)  # the same messages are read many times over
def is_agreement(text: str) -> bool:
    return AGREEMENT.match(text.strip()) is not None and not RELIEF.match(text.strip())


def due_in(text: str, at: int = 0) -> str | None:
    """The due date ``text`` states. With ``at`` (where the work is taken on or asked for), the first
    one in that clause or after it: in "展柜周二到货，我周四前全部装完" the work is due 周四前, and
    周二 is when the cases arrive."""
    matches = sorted([*DUE.finditer(text), *_DATE_ALONE.finditer(text)], key=lambda m: m.start())
    if not matches:
        return None
    start = max((m.end() for m in re.finditer(r"[，,。；;！!？?\n]|\.(?=\s)", text[:at])), default=0)
    chosen = next((m for m in matches if m.start() >= start), matches[0])
    said = chosen.group(0).strip()
    # The hour said with the day is part of it: "明天中午前", "明早九点前", "週五下午5點前".
    hour = _HOUR_AFTER_DAY.match(text, chosen.end()) if re.search(r"[\u4e00-\u9fff]$", said) else None
    if hour and not said.endswith(("前", "內", "内")):
        return (said + hour.group(0)).rstrip()
    return _widened(text, chosen, said)


def _widened(text: str, chosen: re.Match[str], said: str) -> str:
    """An English due date with what is said around it: the hour or part of the day after the day
    ("by Friday EOD", "tomorrow morning", "Thursday 2pm"), the day after an end-of-day ("by EOD
    tomorrow"), "by"/"before"/"end of" before it ("by this Friday", "end of next week"), "前" after it
    in mixed chat ("Friday 前"); not the "on" of "on Monday"."""
    if not re.search(r"[A-Za-z]$", said):
        return said
    end = chosen.end()
    if re.search(rf"(?:{_WEEKDAY}|{_WEEKDAY_SHORT}|tomorrow|today|tonight)$", said, re.I):
        if after := _TIME_AFTER_DAY.match(text, end):
            said, end = said + after.group(0), after.end()
    elif re.search(r"\b(?:EOD|COB|end of (?:the )?day|end of play)$", said, re.I):
        if after := _DAY_AFTER_EOD.match(text, end):
            said, end = said + after.group(0), after.end()
    if then := re.match(r"\s*(?:之前|以前|前)", text[end:]):
        said += then.group(0)
    before = text[: chosen.start()]
    if not re.match(r"(?:by|before|within|end)\b", said, re.I):
        if lead := re.search(r"\b(?:by|before|(?:by )?(?:the )?end of)\s+$", before, re.I):
            said = lead.group(0) + said
    return re.sub(r"^on\s+", "", said, flags=re.I).strip()


#: The hour or part of the day said after an English day: "Friday EOD", "tomorrow morning", "Thursday 2pm".
_TIME_AFTER_DAY = re.compile(
    r"\s+(?:EOD|COB|noon|lunchtime|morning|afternoon|evening|night|arvo|"
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2})\b|,?\s+the \d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
#: The day said after an end of day: "by EOD tomorrow", "by end of day Wednesday".
_DAY_AFTER_EOD = re.compile(
    rf"\s+(?:tomorrow|today|{_WEEKDAY}|(?:mon|tues?|wed|thu(?:rs)?|fri|sat|sun)\b)", re.IGNORECASE
)


#: A day of this month or an hour as a due date ("before the 30th", "by 25th", "17号前", "下午三點前"):
#: read for the date of work found by other cues, never as a cue itself (as one, it made more jobs
#: and decisions that no careful reader listed).
_DATE_ALONE = re.compile(
    r"\b(?:by|before) (?:the )?\d{1,2}(?:st|nd|rd|th)\b|"
    # "17号前", "15 號之前", "下午三點前", "八點前"
    r"(?<![\d月/])\d{1,2}\s*[號号]\s*(?:之前|以前|前)|(?:上午|下午|晚上|中午)?[一二三四五六七八九十兩两]{1,3}[點点]半?(?:之前|以前|前)",
    _I,
)
#: A day said in words that are no due-date cue: "today", "this arvo", "by Wed noon", "first thing
#: tomorrow", "這禮拜內", "这两天", "下個月尾之前", "8 月 30 日前", "13 號晚上", "31號收工前", "上線前".
#: Read (``day_in``) only to date an action item no other date is found for: as cues, or in the rules'
#: weighing of one job against another, they would find work in "I'm out today" and "這禮拜好忙". (One
#: exception, ``deadline_at``: a deadline among them, said to someone @mentioned, hands them the job.)
_DAY = re.compile(
    r"\b(?:before \w+ \w+ )?today\b|\bthis (?:morning|afternoon|arvo|evening)\b|\bfirst thing(?: tomorrow)?\b|"
    r"\bby tmr(?: night| morning)?\b|"
    r"\b(?:by|before|on|next) (?:next )?(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b(?: (?:EOD|noon|morning|night))?|"
    r"\b(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun) "
    r"(?:morning|noon|arvo|afternoon|evening|night|\d{1,2}(?::\d{2})?\s?(?:am|pm))\b|"
    # later today, said by the one who does it: "我下午打給總公司", "我晚上出一版", "我晚點回她", "有问题当晚
    # 就说" (not "晚上要不要一起聚餐", when the dinner is)
    r"(?<=我)(?:下午|晚上|中午|晚點|晚点)|當晚|当晚|"
    r"(?<![\d月/])[一二三四五六七八九十]{1,3}\s*[號号]\s*(?:之前|以前|前)|"
    r"\bby (?:the )?end of (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"(?:這|这|呢)(?:個|个)?(?:禮拜|礼拜|星期)(?![一二三四五六日天])(?:之?[內内])?|(?:這|这)兩天|这两天|"
    r"(?:下個|下个|這個|这个)?(?:月尾|月底)(?:之前|以前|前)|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日號号](?:\s*(?:之前|以前|前))?|(?<![\d月/])\d{1,2}\s*[號号]\s*(?:上午|下午|晚上)|"
    r"(?:\d{1,2}\s*[號号])?(?:上線|上线|開學|开学|收工|出發|出发|開幕|开幕|交貨|交货|出貨|出货|開放日|开放日)(?:之前|以前|前)",
    _I,
)


def deadline_at(text: str) -> re.Match[str] | None:
    """A day said as a deadline in words that are no due-date cue ("上線前", "這禮拜內", "by Wed"):
    with an @mention and no other cue, it hands the one mentioned a job ("@阿哲 …上線前弄好"). A
    plain day ("today", "this arvo") is not enough: "@Ann I'm out today" hands over nothing."""
    return next(
        (m for m in _DAY.finditer(text) if re.search(r"[前內内]|\bby\b|\bbefore\b", m.group(0), re.IGNORECASE)),
        None,
    )


def day_in(text: str) -> str | None:
    """The due date ``text`` states, also in words that are no due-date cue (``_DAY``): for an item
    whose message has no other date."""
    return due_in(text) or (m.group(0).strip() if (m := _DAY.search(text)) else None)


#: The time of day, the hour and "before" that may follow a day in Chinese ("中午前", "九点前",
#: "下午 5 點以前", "早上8点", "朝早", "下晝"): the part of the day said with it is part of the date.
_HOUR = r"[\d一二三四五六七八九十兩两]{1,3}\s*[點点](?:半|\d{1,2}分?)?"
_HOUR_AFTER_DAY = re.compile(
    rf"\s*(?:(?:早上|上午|中午|下午|晚上|傍晚|凌晨|朝早|下晝|下昼)\s*(?:{_HOUR})?|{_HOUR}|"
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)(?![A-Za-z]))\s*(?:之前|以前|前)?|"
    # …or the moment of the day's work: "明天早會", "今日收工前", "周五放学前", "明天站会前", "星期日晚"
    r"(?:早會|早会|站會|站会|例會|例会|一早|晚(?![點点上啲些]))\s*(?:之前|以前|前)?|"
    r"(?:早班|下班|收工|開店|开店|上班|放學|放学|值班|夜班|排練|排练)\s*(?:之前|以前|前)|"
    r"\s*(?:之前|以前|前)"
)


__all__ = [
    "ACK",
    "AGREEMENT",
    "CHANGE",
    "CHOICE",
    "CLAUSE",
    "CONDITIONAL",
    "DECISION",
    "DEFERRED",
    "DIRECTIVE",
    "DONE",
    "DUE",
    "EITHER_OR",
    "LEAVING",
    "PUT_OFF",
    "QUESTION_CUE",
    "REPORT_BACK",
    "REQUEST",
    "SELF_ACTION",
    "SOCIAL",
    "STRONG_AGREEMENT",
    "TAKES_SIDE",
    "THREAT",
    "TODO",
    "UNDECIDED",
    "day_in",
    "deadline_at",
    "due_in",
    "is_agreement",
    "is_decision",
    "is_question",
]
