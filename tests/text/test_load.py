import codecs
import io
import random

import pytest

from bot.errors import InputError
from bot.text.load import decode, load

SAMPLE = "氣象署今天上午發布中度颱風海上警報，東北部及北部山區可能出現豪雨。多個縣市政府表示，將在今晚八點前公布明天是否停班停課。"
SAMPLE_HANS = (
    "今年前十个月，我国新能源汽车出口量同比增长约三成，其中纯电动乘用车占比超过六成。行业协会分析认为需求上升。"
)


@pytest.mark.parametrize(
    "data, expected",
    [
        (SAMPLE.encode("utf-8"), SAMPLE),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), SAMPLE),
        (SAMPLE.encode("utf-16"), SAMPLE),  # BOM included by Python
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), SAMPLE),
        (SAMPLE.encode("big5"), SAMPLE),
        (SAMPLE_HANS.encode("gb18030"), SAMPLE_HANS),
        (SAMPLE.replace("。", "。\r\n").encode("utf-8"), SAMPLE.replace("。", "。\n")),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "big5", "gb18030", "crlf"],
)
def test_decodes_known_encodings(data, expected):
    text, _ = decode(data)
    assert text == expected


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"  \n\t \r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(128, 256)) * 3, "encoding"),
    ],
    ids=["empty", "whitespace", "binary", "undecodable"],
)
def test_refuses_unusable_bytes(data, words):
    with pytest.raises(InputError) as info:
        decode(data)
    assert words in str(info.value)


def test_bytes_after_a_utf16_bom_must_read_as_text():
    # Any even run of bytes decodes as UTF-16, so two BOM-like bytes before junk used to give
    # a "briefing" of four random characters. Junk reads as private-use, unassigned, rare Han and
    # far-off script characters; real writing, rare names and emoji included, does not.
    with pytest.raises(InputError) as info:
        decode(codecs.BOM_UTF16_LE + bytes.fromhex("deadbeef12345678"))
    assert "UTF-16" in str(info.value) and "UTF-8" in str(info.value)
    rng = random.Random(0)
    blobs = [codecs.BOM_UTF16_LE + rng.randbytes(40) for _ in range(200)]
    refused = 0
    for blob in blobs:
        try:
            decode(blob)
        except InputError:
            refused += 1
    assert refused >= 190
    real = SAMPLE + "堃（Kun）說：OK 👍，ありがとう。" + SAMPLE_HANS
    for data in (real.encode("utf-16"), codecs.BOM_UTF16_BE + real.encode("utf-16-be")):
        assert decode(data) == (real, "utf-16")


def test_file_over_the_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.encode("utf-8") * 100)
    with pytest.raises(InputError, match="limit"):
        load(str(big), max_bytes=1000)


def test_stdin_over_the_limit_is_refused():
    stream = io.BytesIO(SAMPLE.encode("utf-8") * 100)
    with pytest.raises(InputError, match="limit"):
        load("-", max_bytes=1000, stdin=stream)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="No such file"):
        load(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="folder"):
        load(str(tmp_path))


def test_other_schemes_are_refused():
    with pytest.raises(InputError, match="http and https"):
        load("ftp://example.com/a.txt")
