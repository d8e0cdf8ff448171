"""Finding speaker turns in captions and text transcripts, as real tools write them."""

from __future__ import annotations

from coeval.ingest.captions import parse_srt, parse_vtt
from coeval.ingest.turns import cues_to_turns, looks_like_name, merge_turns, parse_text_turns
from coeval.privacy.labels import split_label


def test_split_label_handles_nested_parentheses_and_commas():
    assert split_label("Okafor, Sam (Facilitator (Institute))") == ("Okafor, Sam", "Facilitator (Institute)")
    assert split_label("Grace Mensah (NWP)") == ("Grace Mensah", "NWP")
    assert split_label("Carter, Helen") == ("Carter, Helen", None)
    assert split_label("(Host)") == ("(Host)", None)
    assert split_label("Ann (unbalanced") == ("Ann (unbalanced", None)


def test_looks_like_name():
    assert looks_like_name("Amina Yusuf")
    assert looks_like_name("Amina's iPhone")
    assert looks_like_name("Speaker 1")
    assert looks_like_name("Carter, Helen (Dr)")
    assert not looks_like_name("Note")
    assert not looks_like_name("so what I meant was")
    assert not looks_like_name("It was hard. Then")


ZOOM = """WEBVTT

1
00:00:00.000 --> 00:00:04.500
Jane Doe: Welcome, everyone, to the workshop.

2
00:00:04.500 --> 00:00:08.000
Jane Doe: We'll start with what helped.

3
00:00:08.000 --> 00:00:12.250
Ali Khan (PR): The bus passes helped. Honestly
that was everything.

4
00:00:12.250 --> 00:00:15.000
and the interpreter too.

5
00:00:15.000 --> 00:00:18.000
Jane Doe: Thanks, Ali.
"""


def test_zoom_vtt_merges_consecutive_cues_and_continuations():
    turns = merge_turns(cues_to_turns(parse_vtt(ZOOM)))
    assert [t.speaker for t in turns] == ["Jane Doe", "Ali Khan (PR)", "Jane Doe"]
    assert turns[0].text == "Welcome, everyone, to the workshop. We'll start with what helped."
    assert turns[0].time_start == 0.0 and turns[0].time_end == 8.0
    # a cue with no name continues the last speaker; cue lines join with a space
    assert turns[1].text == "The bus passes helped. Honestly that was everything. and the interpreter too."
    assert (turns[1].time_start, turns[1].time_end) == (8.0, 15.0)


TEAMS = ("\ufeffWEBVTT\r\n\r\nNOTE duration:\"00:31:02.1200000\"\r\n\r\nNOTE language:en-gb\r\n\r\n"
         "3f1c2a9e-7d4b-4f0a-9c1e-2b6d8e0f1a23/14-0\r\n00:00:01.000 --> 00:00:03.000\r\n"
         "<v Doe, Jane (Dr)>Good evening &amp; welcome.</v>\r\n\r\n"
         "3f1c2a9e-7d4b-4f0a-9c1e-2b6d8e0f1a23/15-0\r\n00:00:03.000 --> 00:00:05.000\r\n"
         "<v Khan, Ali>Hi.</v>\r\n\r\n"
         "3f1c2a9e-7d4b-4f0a-9c1e-2b6d8e0f1a23/16-0\r\n00:00:05.000 --> 00:00:06.000\r\n"
         "Still me, no voice tag.\r\n\r\n"
         "00:00:06.000 --> 00:00:08.000\r\n<v Doe, Jane (Dr)>Go on.</v>\r\n<v.loud Khan, Ali>Sorry!</v>\r\n")


def test_teams_vtt_voice_tags_notes_bom_crlf_and_two_voices_in_one_cue():
    from coeval.files.textio import decode_bytes, normalise_text

    text = normalise_text(decode_bytes(TEAMS.encode("utf-8-sig")))
    cues = parse_vtt(text)
    assert cues[0].id == "3f1c2a9e-7d4b-4f0a-9c1e-2b6d8e0f1a23/14-0"
    turns = merge_turns(cues_to_turns(cues))
    assert [(t.speaker, t.text) for t in turns] == [
        ("Doe, Jane (Dr)", "Good evening & welcome."),
        ("Khan, Ali", "Hi. Still me, no voice tag."),
        ("Doe, Jane (Dr)", "Go on."),
        ("Khan, Ali", "Sorry!"),
    ]


def test_srt_name_prefix_and_markup():
    srt = ("1\n00:00:01,000 --> 00:00:03,000\n<i>Mary:</i> It wasn't hard.\n\n"
           "2\n00:00:03,000 --> 00:00:05,500\n{\\an8}Mary: Not at all.\n\n"
           "3\n00:00:05,500 --> 00:00:07,000\nTom: Really?\n")
    turns = merge_turns(cues_to_turns(parse_srt(srt)))
    assert [(t.speaker, t.text) for t in turns] == [("Mary", "It wasn't hard. Not at all."), ("Tom", "Really?")]


def test_note_prefix_is_not_a_speaker():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nJane Doe: Hello.\n\n"
           "00:00:02.000 --> 00:00:03.000\nNote: the bus was late.\n")
    turns = cues_to_turns(parse_vtt(vtt))
    assert [(t.speaker, t.text) for t in turns] == [("Jane Doe", "Hello."), ("Jane Doe", "Note: the bus was late.")]


def test_role_labels_are_speakers_when_they_come_back_and_fields_when_once():
    transcript = ["Facilitator: What got in the way?", "Amina Khan: The bus fare.",
                  "Facilitator: And what helped?", "Amina Khan: The coordinator."]
    turns, preamble = parse_text_turns(transcript)
    assert preamble == [] and [t.speaker for t in turns] == ["Facilitator", "Amina Khan"] * 2
    notes = ["Facilitator: Jo", "Jane Doe: The room was cold.", "Jane Doe: We moved upstairs."]
    turns, preamble = parse_text_turns(notes)
    assert preamble == ["Facilitator: Jo"] and [t.speaker for t in turns] == ["Jane Doe", "Jane Doe"]


def test_plain_name_colon_and_bracketed_timestamps():
    lines = ["Workshop 2, 24 March", "",
             "[00:00:05] Jane Doe: Right, shall we start?",
             "[00:00:09] Okafor, Sam (Facilitator (Institute)): Yes. Today we talk about",
             "what got in the way.", "",
             "A second paragraph of the same turn.",
             "[00:01:02] Ali Khan: Transport: the buses.",
             "Time: 10:15 is not a speaker here."]
    turns, preamble = parse_text_turns(lines)
    assert preamble == ["Workshop 2, 24 March"]
    assert [t.speaker for t in turns] == ["Jane Doe", "Okafor, Sam (Facilitator (Institute))", "Ali Khan"]
    assert turns[1].text == "Yes. Today we talk about what got in the way.\nA second paragraph of the same turn."
    assert turns[2].text == "Transport: the buses. Time: 10:15 is not a speaker here."
    assert [t.time_start for t in turns] == [5.0, 9.0, 62.0]


def test_otter_layout():
    lines = ["Jane Doe  0:03", "Welcome back, everyone.", "",
             "Speaker 1  0:41", "Sorry, is this the right room?", "",
             "Ali Khan  1:02:10", "It was, um, fine. We met at", "10:30 on Tuesday.", "",
             "Transcribed by https://otter.ai"]
    turns, preamble = parse_text_turns(lines)
    assert preamble == []
    assert [(t.speaker, t.time_start) for t in turns] == [("Jane Doe", 3.0), ("Speaker 1", 41.0),
                                                          ("Ali Khan", 3730.0)]
    assert turns[2].text == "It was, um, fine. We met at 10:30 on Tuesday."


def test_rev_style_label_with_timestamp_then_text_on_next_line():
    lines = ["Jane Doe (00:00):", "Hello there.", "", "Ali Khan (00:07):", "Hi."]
    turns, _ = parse_text_turns(lines)
    assert [(t.speaker, t.text, t.time_start) for t in turns] == [
        ("Jane Doe", "Hello there.", 0.0), ("Ali Khan", "Hi.", 7.0)]


def test_text_without_speakers_is_not_a_transcript():
    assert parse_text_turns(["We met at the hall.", "", "Note: it was cold.", "Everyone came."]) is None


def test_zoom_saved_captions_and_time_first_headers():
    zoom = ["[Jane Doe] 14:02:11", "Hello all.", "[Ali Khan] 14:02:15", "Hi Jane."]
    turns, _ = parse_text_turns(zoom)
    assert [(t.speaker, t.text, t.time_start) for t in turns] == [
        ("Jane Doe", "Hello all.", 50531.0), ("Ali Khan", "Hi Jane.", 50535.0)]
    happy = ["00:00:03 Jane Doe", "Hello all.", "", "00:00:09 Ali Khan", "Hi."]
    turns, _ = parse_text_turns(happy)
    assert [(t.speaker, t.time_start) for t in turns] == [("Jane Doe", 3.0), ("Ali Khan", 9.0)]


def test_older_teams_docx_cue_blocks():
    lines = ["Transcript", "0:0:0.0 --> 0:0:3.510", "Doe, Jane", "Can you hear me?",
             "0:0:3.510 --> 0:0:5.0", "Khan, Ali", "Yes, loud and clear."]
    turns, preamble = parse_text_turns(lines)
    assert preamble == ["Transcript"]
    assert [(t.speaker, t.text, t.time_start, t.time_end) for t in turns] == [
        ("Doe, Jane", "Can you hear me?", 0.0, 3.51), ("Khan, Ali", "Yes, loud and clear.", 3.51, 5.0)]


def test_notes_with_time_headings_are_not_speakers():
    notes = ["10:15 Arrival and set-up", "The hall was cold.", "", "11:00 Talking about the bus", "Fares."]
    assert parse_text_turns(notes) is None


def _read(tmp_path, text):
    import coeval as ce

    from conftest import write

    return ce.read_document(write(tmp_path / "t.txt", text), kind="transcript")


def test_speaker_in_brackets_with_the_text_on_the_same_line(tmp_path):
    doc = _read(tmp_path, "[id1] Hello and welcome.\n[id2] Thanks for having me.\n[id1] Shall we start?\n")
    assert [s.speaker for s in doc.segments] == ["id1", "id2", "id1"]  # labels that name nobody stay
    assert doc.text.endswith("id1: Shall we start?")


def test_a_time_on_its_own_line_belongs_to_the_turn_that_follows(tmp_path):
    doc = _read(tmp_path, "[00:00:05]\nSpeaker 1: Welcome everyone.\n[00:01:10]\nSpeaker 2: Thank you.\n"
                          "(00:02:00)\nSpeaker 1: Right then.\n")
    assert [(s.speaker, s.time_start) for s in doc.segments] == [
        ("Speaker 1", 5.0), ("Speaker 2", 70.0), ("Speaker 1", 120.0)]
    assert "01:10" not in doc.text and "Welcome everyone." in doc.text


def test_committee_styles_with_honorifics_and_nested_roles(tmp_path):
    doc = _read(tmp_path, "Hon. Bill Blair: The committee will come to order.\n"
                          "The Acting Chair (Mr. Bruce Stanton): Thank you. The Chair agrees, says Mr. Stanton.\n"
                          "Cllr. Khan (Chair): Next item please.\nHon. Bill Blair: Agreed, Chair.\n")
    assert [s.speaker for s in doc.segments] == ["Unlisted 1", "Unlisted 2", "Unlisted 3", "Unlisted 1"]
    assert "The Chair agrees, says Mr. [Unlisted 2]." in doc.text and "Agreed, Chair." in doc.text
    assert "Stanton" not in doc.text and "Blair" not in doc.text


def test_a_header_block_is_metadata_not_turns(tmp_path):
    doc = _read(tmp_path, "Project: Peer research pilot\nDate: 12 March 2026\nDuration: 38 minutes\n"
                          "Interviewer: Sam Okafor\n\nSam Okafor: So tell me about the bus.\n"
                          "Amina Yusuf: It was late every week.\nSam Okafor: And the fares?\n")
    assert len(doc.segments) == 3 and {s.speaker for s in doc.segments} == {"Unlisted 1", "Unlisted 2"}
    assert doc.metadata["project"] == "Peer research pilot" and doc.metadata["duration"] == "38 minutes"
    assert doc.metadata["interviewer"] == "[Unlisted 1]" and doc.date == "12 March 2026"
    assert "Project" not in doc.text and "Sam" not in doc.text
