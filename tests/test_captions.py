"""WebVTT and SRT cue parsing, checked against the vtt.js and webvtt-py conformance files."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from coeval.errors import EmptyDocumentError, ParseError
from coeval.files.textio import decode_bytes, normalise_text
from coeval.ingest.captions import parse_srt, parse_timestamp, parse_vtt


def _load(path):
    return normalise_text(decode_bytes(path.read_bytes()))


def nfc(text):
    # coeval stores text NFC-normalised and without C0 control characters (other than tab and line feed)
    return unicodedata.normalize("NFC", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text))


def _vttjs_cases(root):
    for vtt in sorted((root / "webvtt" / "vttjs").rglob("*.vtt")):
        expected = vtt.with_suffix(".json")
        if expected.is_file():
            yield vtt, json.loads(expected.read_text(encoding="utf-8"))


def test_vttjs_conformance_lenient(shared_testdata):
    cases = list(_vttjs_cases(shared_testdata))
    assert len(cases) > 40
    for vtt, expected in cases:
        text = _load(vtt)
        want = [(nfc(c["id"]), round(c["startTime"], 3), round(c["endTime"], 3), nfc(c["text"]))
                for c in expected["cues"]]
        try:
            got = [(c.id, round(c.start, 3), round(c.end, 3), c.text)
                   for c in parse_vtt(text, path=vtt, strict=False)]
        except ParseError:
            got = []  # no signature: browsers show nothing, we refuse the file
        assert got == want, vtt.name


def test_vttjs_files_that_browsers_drop_are_refused_in_strict_mode(shared_testdata):
    refused = 0
    for vtt, expected in _vttjs_cases(shared_testdata):
        if expected["cues"] or not _load(vtt).strip():
            continue
        with pytest.raises(ParseError):
            parse_vtt(_load(vtt), path=vtt)
        refused += 1
    assert refused >= 3


@pytest.mark.parametrize("name, line", [
    ("invalid_timeframe.vtt", 6), ("invalid.vtt", 1), ("missing_timeframe.vtt", 6)])
def test_webvttpy_broken_vtt_names_the_line(shared_testdata, name, line):
    path = shared_testdata / "webvtt" / "webvtt-py-samples" / name
    with pytest.raises(ParseError) as info:
        parse_vtt(_load(path), path=path)
    assert info.value.line == line
    assert name in str(info.value)


@pytest.mark.parametrize("name, line", [
    ("invalid_timeframe.srt", 6), ("missing_timeframe.srt", 5), ("invalid_format2.srt", 1),
    ("invalid_format3.srt", 1), ("invalid_format4.srt", 1)])
def test_webvttpy_broken_srt_names_the_line(shared_testdata, name, line):
    path = shared_testdata / "webvtt" / "webvtt-py-samples" / name
    with pytest.raises(ParseError) as info:
        parse_srt(_load(path), path=path)
    assert info.value.line == line


def test_webvttpy_samples_parse(shared_testdata):
    root = shared_testdata / "webvtt" / "webvtt-py-samples"
    assert len(parse_vtt(_load(root / "sample.vtt"))) == 16
    assert len(parse_vtt(_load(root / "captions_with_bom.vtt"))) > 0
    comments = parse_vtt(_load(root / "comments.vtt"))
    assert [c.id for c in comments] == ["1", "2", "3"]
    assert comments[0].text == "- Ta en kopp varmt te.\n- Det är inte varmt."
    styles = parse_vtt(_load(root / "styles.vtt"))
    assert styles and all("::cue" not in c.text for c in styles)
    assert parse_vtt(_load(root / "metadata_headers.vtt"))[0].start == 0.5
    srt = parse_srt(_load(root / "sample.srt"))
    assert len(srt) == 5 and srt[1].start == 7.0 and srt[1].end == 11.89
    # an empty cue (no text) is kept as an empty cue, not an error
    missing = parse_srt(_load(root / "missing_caption_text.srt"))
    assert [c.text for c in missing][1] == ""


def test_empty_and_cueless_files(shared_testdata):
    root = shared_testdata / "webvtt" / "webvtt-py-samples"
    with pytest.raises(EmptyDocumentError):
        parse_vtt(_load(root / "empty.vtt"))
    assert parse_vtt(_load(root / "no_captions.vtt")) == []


def test_timestamps():
    assert parse_timestamp("00:01:02.345") == pytest.approx(62.345)
    assert parse_timestamp("01:02.345") == pytest.approx(62.345)
    assert parse_timestamp("100:00:00.000") == 360000
    assert parse_timestamp("00:60:00.000") is None
    assert parse_timestamp("0:01:02.345") is None  # hours need two digits in WebVTT


def test_cue_ending_before_start_is_refused():
    with pytest.raises(ParseError, match="ends"):
        parse_vtt("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nHi\n")
