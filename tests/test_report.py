"""The steering-group report: sections, escaping, the privacy gate, determinism, formats, CLI."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import coeval as ce
from coeval.errors import PrivacyError, PrivacyWarning, ReportError
from coeval.report import SECTIONS, Report, ReportConfig
from coeval.report.config import APPENDIX_SECTIONS, SHORT_SECTIONS

TITLES = {"summary": "In short", "recommendations": "What we recommend", "participants": "Who took part",
          "fai": "Barriers and enablers", "themes": "Themes",
          "differences": "Differences between organisations", "perspectives": "Community and academic views",
          "reliability": "How reliable the coding was", "limitations": "What to keep in mind",
          "methods": "How we did this", "codebook": "Appendix: the codebook"}
FIXED = {"date": "1 May 2026"}


@pytest.fixture(scope="module")
def sample():
    from conftest import SAMPLE

    p = ce.Project()
    p.ingest(SAMPLE, progress=False)
    return p


@pytest.fixture(scope="module")
def html(sample):
    return Report(sample, config={**FIXED, "sections": list(SECTIONS)}).to_html()


def _small_project(tmp_path, text: str, *, roster: bool = False):
    """One transcript, two codes, every turn coded: a report small enough to reason about."""
    from conftest import write

    folder = tmp_path / "in"
    write(folder / "w1.txt", text)
    p = ce.Project()
    kwargs = {}
    if roster:
        kwargs["roster"] = write(folder / "roster.csv", "name,pseudonym,role,site\n"
                                 "Amina Yusuf,PR-1,peer_researcher,North\n"
                                 "Grace Mensah,CC-1,community_coordinator,North\n")
    p.ingest(folder / "w1.txt", kind="transcript", site="North", progress=False, **kwargs)
    cb = ce.Codebook()
    cb.add("Bus fares", polarity="barrier", dimensions=["feasibility"])
    cb.add("Warm welcome", polarity="enabler", dimensions=["acceptability"])
    p.codebook = cb
    p.add_coder("A", role="academic")
    for k, seg in enumerate(p.segments.itertuples()):
        p.code(seg.segment_id, "Bus fares" if k % 2 == 0 else "Warm welcome", coder="A")
    return p


def test_every_section_is_present_in_order(html):
    positions = [html.index(f'<section id="{name}"') for name in SECTIONS]
    assert positions == sorted(positions)
    for name in SECTIONS:
        assert f">{TITLES[name]}</h2>" in html.replace("&#39;", "'")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert '<meta name="viewport"' in html and "@media print" in html


def test_html_is_self_contained_and_accessible(html):
    assert "<script" not in html  # nothing to run, nothing fetched
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    images = re.findall(r"<img [^>]*>", html)
    assert images and all('src="data:image/png;base64,' in i and 'alt="' in i for i in images)
    alt = re.search(r'alt="([^"]+)"', images[0]).group(1)
    assert "Heatmap" in alt and "passages" in alt
    assert html.count("<h1>") == 1 and "<caption>" in html and 'scope="col"' in html


def test_summary_answers_the_questions_in_plain_words(sample):
    c = Report(sample, config=FIXED).content
    s = c["summary"]
    assert [q["dimension"] for q in s["questions"]] == ["feasibility", "acceptability", "impact"]
    assert s["helped"] and s["hindered"]
    pol = {code.name: code.polarity for code in sample.codebook}
    assert all(pol[b["label"]] == "enabler" for b in s["helped"])
    assert all(pol[b["label"]] == "barrier" for b in s["hindered"])
    # the report's own words pass its own checks: no long sentences, no jargon, acronyms spelled out
    checks = Report(sample, config=FIXED).checks()
    own = checks[checks["where"].eq("summary") & checks["check"].isin(["long_sentence", "jargon", "acronym"])]
    assert own.empty, own["message"].tolist()


def test_themes_carry_evidence_and_attributed_quotes(sample):
    c = Report(sample, config=FIXED).content
    assert len(c["themes"]) >= 3
    speakers = set(sample.segments["speaker"].dropna())
    for t in c["themes"]:
        assert t["strength"] in ("strong", "moderate", "limited")
        assert 2 <= len(t["quotes"]) <= 3
        for q in t["quotes"]:
            seg = sample.segments.set_index("segment_id").loc[q["segment_id"]]
            shown = q["text"].rstrip(" …")
            assert shown[:40] in " ".join(seg["text"].split())  # the participant's own words
            if isinstance(seg["speaker"], str):
                assert q["by"].startswith(seg["speaker"]) and seg["speaker"] in speakers
            assert seg["site"] in q["by"]
        people = [q["by"].split(",")[0] for q in t["quotes"]]
        assert len(people) == len(set(people))  # one quote per person


def test_script_in_a_transcript_is_shown_as_text(tmp_path):
    p = _small_project(tmp_path, "PR-1: The bus was late again <script>alert('x')</script> and we waited an hour "
                                 "in the rain.\nPR-2: They made tea for us and said hello, a really warm welcome "
                                 "<b>bold</b> for everyone there.\nPR-3: Two buses each way, the fares add up "
                                 "over a month for a family.\nPR-4: They greeted us by name, a warm welcome every "
                                 "single week.\n")
    html = Report(p, config=FIXED).to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_privacy_gate_refuses_a_name_and_says_where(tmp_path):
    p = _small_project(tmp_path, "PR-1: The bus was late again and we waited an hour in the rain.\n"
                                 "PR-2: They made tea and said hello, a warm welcome for everyone there.\n",
                       roster=True)
    p.themes.add("Amina's transport problems", ["Bus fares"], by="A")
    out = tmp_path / "report.html"
    with pytest.raises(PrivacyError) as err:
        Report(p, config=FIXED).to_html(out)
    assert "Amina" in str(err.value) and "theme" in str(err.value)
    assert not out.exists() and not list(tmp_path.glob(".*.part"))
    # explicitly overridden: written, with a warning
    with pytest.warns(PrivacyWarning):
        Report(p, config={**FIXED, "allow_names": True}).to_html(out)
    assert out.exists()


def test_privacy_gate_checks_quotes_notes_and_contact_details(tmp_path):
    from coeval import read_document

    p = _small_project(tmp_path, "PR-1: The bus was late again and we waited an hour in the rain.\n"
                                 "PR-2: They made tea and said hello, a warm welcome for everyone there.\n",
                       roster=True)
    # a document added without the roster keeps a real name in a quote
    raw = tmp_path / "raw.txt"
    raw.write_text("PR-9: Grace Mensah gave me a lift to the bus station, the fare was too much for me.\n")
    doc_id = p.add_document(read_document(raw, kind="transcript", site="North"))
    segs = p.segments
    seg = segs[segs["document_id"] == doc_id].iloc[0]["segment_id"]
    p.code(seg, "Bus fares", coder="A")
    found = Report(p, config={**FIXED, "quotes_per_theme": 3}).privacy_check()
    assert "Grace Mensah" in set(found["found"]) and found["where"].str.contains(seg).any()
    note = Report(p, config={**FIXED, "quotes_per_theme": 0,
                             "summary": "Call 07700 900123 or write to team@example.org."}).privacy_check()
    assert {"phone", "email"} <= set(note["kind"])
    assert Report(p, config={**FIXED, "quotes_per_theme": 0}).privacy_check().empty


def test_same_inputs_give_the_same_report(sample, html):
    from conftest import SAMPLE

    again = ce.Project()
    again.ingest(SAMPLE, progress=False)
    assert Report(again, config={**FIXED, "sections": list(SECTIONS)}).to_html() == html
    made = Report(sample, config={"sections": list(SECTIONS)}).to_html()  # only the date line differs
    assert re.sub(r"Made on [^<·]*", "", made) == re.sub(r"Made on [^<·]*", "", html)


def test_word_document_has_headings_tables_figure_and_quotes(sample, tmp_path, monkeypatch):
    from docx import Document

    path = Report(sample, config=FIXED).to_docx(tmp_path / "r.docx")
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [TITLES[s] for s in SHORT_SECTIONS]
    assert len(doc.tables) >= 3 and len(doc.inline_shapes) == 2   # figures replace the tables they drew
    assert all(shape._inline.docPr.get("descr") for shape in doc.inline_shapes)
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert len(quotes) >= 6 and all(q.startswith("“") for q in quotes)
    assert doc.core_properties.title == "What helped and what got in the way"
    page = doc.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)  # A4
    # the question figure replaces its table; without the figure, each question heads its two columns
    assert not any(t.cell(0, 1).text == "Feasibility" for t in doc.tables)
    from coeval.report import figures as drawing

    monkeypatch.setattr(drawing, "fai_heatmap_png", lambda rows, narrow=False: None)
    doc = Document(str(Report(sample, config=FIXED).to_docx(tmp_path / "table.docx")))
    fai = next(t for t in doc.tables if t.cell(0, 1).text == "Feasibility")
    assert [c.text for c in fai.rows[0].cells] == ["Theme"] + ["Feasibility"] * 2 + ["Acceptability"] * 2 + [
        "Impact"] * 2
    assert [c.text for c in fai.rows[1].cells][1:] == ["Got in the way", "Helped"] * 3


def test_pdf_or_a_clear_message(sample, tmp_path, monkeypatch):
    report = Report(sample, config={**FIXED, "sections": ["summary", "fai"]})
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        with pytest.raises(ReportError, match="coeval\\[pdf\\]"):
            report.to_pdf(tmp_path / "r.pdf")
        return
    path = report.to_pdf(tmp_path / "r.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("no module named weasyprint")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(ReportError, match="coeval\\[pdf\\]"):
        report.to_pdf(tmp_path / "r2.pdf")
    assert not (tmp_path / "r2.pdf").exists()


def test_checks_flag_the_evaluators_words_without_changing_them(sample):
    words = ("We will leverage the learning and utilise stakeholders' views in the ICB. "
             "It was good.")
    report = Report(sample, config={**FIXED, "summary": words, "sections": ["summary"]})
    checks = report.checks()
    found = set(checks.loc[checks["where"] == "summary", "found"].str.lower())
    assert {"leverage", "utilise", "icb"} <= found
    assert words.replace("'", "&#39;") in report.to_html()  # shown as written


def test_config_from_yaml_and_clear_errors(tmp_path):
    good = tmp_path / "report.yaml"
    good.write_text("title: Pilot findings\nsections: [summary, themes]\nquotes_per_theme: 2\n"
                    "language_notes:\n  ICB: Integrated Care Board, the NHS body that plans local services\n")
    config = ReportConfig.load(good)
    assert config.sections == ["summary", "themes"] and config.quotes_per_theme == 2
    assert "ICB" in config.language_notes and "barrier" in config.language_notes  # added to the defaults
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nquotes: 3\n")
    with pytest.raises(ReportError, match="unknown setting 'quotes'") as err:
        ReportConfig.load(bad)
    assert "bad.yaml" in str(err.value) and "quotes_per_theme" in str(err.value)
    with pytest.raises(ReportError, match="unknown section 'appendix'"):
        ReportConfig.load({"sections": ["summary", "appendix"]})


def test_jupyter_view_is_a_fragment(sample):
    view = Report(sample, config={**FIXED, "sections": ["summary", "methods"]})._repr_html_()
    assert view.startswith('<div class="coeval-report">') and "<html" not in view
    assert "In short" in view and "How we did this" in view


def test_report_of_an_uncoded_project_says_so(tmp_path):
    from conftest import write

    write(tmp_path / "w.txt", "PR-1: hello there, the bus was late.\n")
    p = ce.Project()
    p.ingest(tmp_path / "w.txt", kind="transcript", progress=False)
    html = Report(p, config=FIXED).to_html()
    assert "No passages have been coded yet" in html and '<section id="methods"' in html


def test_cli_report_main_job(tmp_path, capsys):
    from coeval.cli import main

    from conftest import SAMPLE

    out = tmp_path / "report.docx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["report", str(SAMPLE), "--out", str(out), "--appendix", str(tmp_path / "appendix.html"),
                     "--quiet"]) == 0
    assert out.stat().st_size > 50_000
    appendix = (tmp_path / "appendix.html").read_text(encoding="utf-8")
    assert "technical appendix" in appendix and 'id="reliability"' in appendix and 'id="codebook"' in appendix
    assert "its technical appendix to" in capsys.readouterr().out
    assert main(["report", str(SAMPLE), "--out", str(tmp_path / "report.txt")]) == 2
    assert "must end in .html, .pdf or .docx" in capsys.readouterr().err


def test_checks_score_the_codebook_definitions_together(tmp_path):
    p = _small_project(tmp_path, "PR-1: The bus was late again and we waited an hour in the rain.\n"
                                 "PR-2: They made tea and said hello, a warm welcome for everyone there.\n")
    cb = p.codebook
    hard = ("Operationalisation of multidimensional organisational accountability infrastructures "
            "necessitating interdisciplinary institutional collaboration.")
    for name in ("Bus fares", "Warm welcome"):
        cb.edit(name, definition=hard)
    for k in range(3):
        cb.add(f"Extra {k}", definition=hard)
    p.codebook = cb
    checks = Report(p, config={**FIXED, "sections": ["codebook"]}).checks()
    together = checks[checks["where"] == "codebook definitions, together"]
    assert set(together["check"]) == {"reading_ease", "grade"}
    assert (together["severity"] == "warning").all()


def test_privacy_gate_checks_coder_names_in_any_case(tmp_path):
    from conftest import write

    p = _small_project(tmp_path, "PR-1: The bus was late again and we waited an hour in the rain.\n"
                                 "PR-2: They made tea and said hello, a warm welcome for everyone there.\n")
    # a peer researcher registered by first name before the roster came in (registration checks
    # names it knows of; the gate checks again at the end)
    p.add_coder("amina", role="peer_researcher")
    p.code(p.segments["segment_id"].iloc[0], "Warm welcome", coder="amina")
    roster = write(tmp_path / "in" / "roster.csv", "name,pseudonym,role,site\nAmina Yusuf,PR-1,peer_researcher,North\n")
    p.ingest(write(tmp_path / "in" / "w2.txt", "PR-1: The fares were too much.\n"), roster=roster, kind="transcript",
             progress=False)
    found = Report(p, config={**FIXED, "sections": ["methods"]}).privacy_check()
    assert ("name", "amina") in set(zip(found["kind"], found["found"]))
    assert found["where"].str.startswith("methods.coders").any()


def test_report_does_not_change_the_callers_config(sample):
    config = ReportConfig(sections=["summary"])
    Report(sample, title="Another title", config=config)
    assert config.title == "What helped and what got in the way"


def test_report_shows_the_frozen_independent_round_and_counts_the_consensus(sample):
    c = Report(sample, config=FIXED).appendix().content
    frozen = ce.agreement(sample)
    alpha = frozen[frozen["code"] == "(all codes)"]["alpha"].iloc[0]
    text = " ".join(c["reliability"]["text"])
    assert "independent round" in text and "did not change these figures" in text
    assert f"Overall agreement was {alpha:.2f}" in text and c["reliability"]["alpha"] == pytest.approx(alpha)
    assert "consensus" in c["methods"]["basis"] and "reconciliation meeting" in c["methods"]["basis"]
    assert [r["round"] for r in c["methods"]["rounds"]] == ["independent"]
    # counting on every coder's codings instead is possible, and said
    anyone = Report(sample, config={**FIXED, "basis": "any", "sections": ["methods"]}).content
    assert "any coder" in anyone["methods"]["basis"]


def test_privacy_statement_says_only_the_checks_that_ran(sample, tmp_path):
    from conftest import write

    text = Report(sample, config={**FIXED, "sections": ["methods"]}).content["methods"]["privacy"]
    assert "names on the participant roster" in text and "NHS numbers" in text and "may remain" not in text
    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", "Speaker 1: The bus was late.\nSpeaker 2: It cost a lot.\n"),
             kind="transcript", progress=False)
    bare = Report(p, config={**FIXED, "sections": ["methods"]}).content["methods"]["privacy"]
    assert "roster" in bare and "1 record was read without the participant roster" in bare
    assert "names on the participant roster" not in bare


def test_who_took_part_counts_people_by_role_and_site_without_names(sample):
    part = Report(sample, config=FIXED).content["participants"]
    speakers = sample.segments.dropna(subset=["speaker"])
    assert part["text"][0].startswith(f"{speakers['speaker'].nunique()} people spoke")
    assert part["sites"] == sorted(speakers["site"].dropna().unique())
    peer = next(r for r in part["grid"] if r["role"] == "peer researcher")
    north = speakers[(speakers["site"] == "Northside") & (speakers["role"] == "peer_researcher")]
    assert peer["cells"][part["sites"].index("Northside")] == north["speaker"].nunique()
    assert "1 community coordinator and 1 peer researcher" in part["text"][1]
    assert sum(r["records"] for r in part["records"]) == len(sample.documents)
    roster = ce.Roster.from_csv(__import__("conftest").SAMPLE / "roster.csv")
    flat = str(part)
    assert not any(variant in flat for variant in roster.name_variants() if " " in variant)


def test_recommendations_are_the_teams_own_and_name_their_themes(sample):
    empty = Report(sample, config=FIXED).content["recommendations"]
    assert empty["items"] == [] and "never makes them up" in empty["text"]
    config = {**FIXED, "recommendations": [
        {"text": "Pay peer researchers on the day.", "themes": ["T3"], "evidence": "All four sites."},
        "Start ethics approval early."]}
    report = Report(sample, config=config)
    items = report.content["recommendations"]["items"]
    t3 = next(t["title"] for t in report.content["themes"] if t["id"] == "T3")
    assert items[0] == {"text": "Pay peer researchers on the day.", "themes": [t3], "evidence": "All four sites."}
    assert items[1]["themes"] == [] and "<ol class=\"recommendations\">" in report.to_html()
    with pytest.raises(ReportError, match="recommendation 1 rests on theme 'T99'"):
        Report(sample, config={"recommendations": [{"text": "x", "themes": ["T99"]}]}).to_html()
    with pytest.raises(ReportError, match="recommendation 2 has no text"):
        ReportConfig(recommendations=["fine", {"themes": ["T1"]}])
    with pytest.raises(ReportError, match="unknown key 'because'"):
        ReportConfig(recommendations=[{"text": "x", "because": "y"}])


def test_limitations_say_only_what_holds(sample, tmp_path):
    points = Report(sample, config=FIXED).content["limitations"]["points"]
    text = " ".join(points)
    assert "the team reconciled" in text and "suggested by the software" in text
    import re

    counted, agreed, reconciled, other = (int(n.replace(",", "")) for n in re.search(
        r"Of the ([\d,]+) passages the findings count, ([\d,]+) are among the ([\d,]+) that two or more people "
        r"coded and the team reconciled; the other ([\d,]+) rest", text).groups())
    assert agreed + other == counted and agreed <= reconciled and 0 < agreed < counted
    assert "coded by one person only" in text and points[-1].startswith("Counts of passages")
    small = _small_project(tmp_path, "Amina: The bus fare was too much.\nGrace: We felt welcome.\n"
                                     "Amina: The fare again.\nGrace: Welcome again.\n")
    small_points = " ".join(Report(small, config=FIXED).content["limitations"]["points"])
    assert "No round of coding has been reconciled yet" in small_points
    assert "the team reconciled" not in small_points


def test_suggested_themes_are_labelled_or_left_out(sample):
    html = Report(sample, config=FIXED).to_html()
    assert "Themes not yet reviewed" in html and html.count("Suggested by the software, not yet reviewed") >= 3
    omitted = Report(sample, config={**FIXED, "suggested_themes": "omit"})
    assert omitted.content["themes"] == [] and omitted.content["theme_status"] == "omitted"
    assert "left out until the team has reviewed them" in omitted.to_html()
    with pytest.raises(ReportError, match="suggested_themes must be show or omit"):
        ReportConfig(suggested_themes="hide")


def test_the_short_report_leaves_the_appendix_out_and_draws_agreement(sample):
    short = Report(sample, config=FIXED)
    assert short.config.sections == list(SHORT_SECTIONS) and 'id="codebook"' not in short.to_html()
    assert {"fai", "differences"} <= set(short.figures())
    report = short.appendix()
    assert report.config.sections == list(APPENDIX_SECTIONS) and report.config.title.endswith("technical appendix")
    html = report.to_html()
    assert 'id="codebook"' in html and 'id="reliability"' in html and 'id="themes"' not in html
    figures = report.figures()
    assert set(figures) == {"agreement"}
    assert all(f["narrow_b64"] and f["width_in"] <= 6.69 for f in figures.values())
    assert html.count('<source media="(max-width: 600px)"') == len(figures)
    rows = report.content["reliability"]["rows"]
    # alpha is shown to 2 places; its interval is the bootstrap's, unrounded
    assert all(r["low"] - 0.005 <= r["alpha"] <= r["high"] + 0.005 for r in rows if r["low"] == r["low"])
    assert "Krippendorff's alpha per code" not in html          # the figure, not a table repeating it
    table = Report(sample, config={**FIXED, "agreement_table": True}).appendix().to_html()
    assert "Krippendorff's alpha per code" in table


def test_word_report_has_page_numbers_and_the_chosen_paper(sample, tmp_path):
    from docx import Document

    path = Report(sample, config=FIXED).to_docx(tmp_path / "r.docx")
    doc = Document(path)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    letter = Document(Report(sample, config={**FIXED, "paper": "Letter"}).to_docx(tmp_path / "l.docx"))
    assert round(letter.sections[0].page_width.inches, 2) == 8.5
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["In short", "What we recommend", "Who took part"]


def test_every_section_counts_on_the_report_basis(sample):
    """The site differences and the themes' passages follow ``basis`` as the other sections do."""
    from coeval.thematic.in_use import theme_segments

    c = Report(sample, config={**FIXED, "basis": "any", "sections": ["themes", "differences"]}).content
    table = pd.DataFrame({"theme_id": [t["id"] for t in c["themes"]], "label": [t["title"] for t in c["themes"]],
                          "codes": [t["codes"] for t in c["themes"]]})
    assert len(table) >= 3

    def site_counts(basis):
        found = ce.site_differences(sample, table, basis=basis)
        return found.groupby("case")["segments"].sum().to_dict()

    shown: dict = {}
    for row in c["differences"]["rows"]:
        for cell in row["cells"]:
            shown[cell["site"]] = shown.get(cell["site"], 0) + cell["segments"]
    assert shown == site_counts("any") != site_counts("consensus")   # the test tells the two apart

    def split(basis):
        members, _ = theme_segments(sample, table, basis=basis)
        polarity = ce.segment_polarity(sample, basis="any").set_index("segment_id")["polarity"]
        return {theme: [int((polarity.reindex(ids) == kind).sum()) for kind in ("barrier", "enabler", "mixed")]
                for theme, ids in members.items()}

    assert {t["id"]: [t["barriers"], t["enablers"], t["mixed"]] for t in c["themes"]} == split("any") != split(
        "consensus")


def test_every_label_of_every_figure_lies_inside_the_picture(sample, monkeypatch):
    """Nothing crops the figures: each is laid out to its own size, so every text must fit in it,
    at the printed width and on a phone; the agreement axis shows only ticks in its view."""
    from matplotlib.text import Text

    from coeval.report import figures

    drawn = []
    real = figures._png
    monkeypatch.setattr(figures, "_png", lambda fig: drawn.append(fig) or real(fig))
    report = Report(sample, config=FIXED)
    appendix = report.appendix()
    for narrow in (False, True):
        figures.fai_heatmap_png(report.content["fai"]["rows"], narrow=narrow)
        figures.sites_png(report.content["differences"]["rows"], sites=report.content["differences"]["sites"],
                          narrow=narrow)
        figures.agreement_png(appendix.content["reliability"]["rows"], narrow=narrow)
    assert len(drawn) == 6
    for fig in drawn:
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert texts
        for t in texts:
            extent = t.get_window_extent(renderer)
            assert (extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1 and extent.y0 >= box.y0 - 1
                    and extent.y1 <= box.y1 + 1), (t.get_text(), extent, box)
    for fig in drawn[2::3]:   # the agreement figures
        ax = fig.axes[0]
        left, right = ax.get_xlim()
        ticks = ax.get_xticks()
        assert ticks.min() >= left and ticks.max() <= 1.0 and right > 1.0 and len(ticks) <= 8
