"""The report as a Word document (python-docx): real headings, tables, figures and quotes."""

from __future__ import annotations

import io

from .config import SECTION_TITLES
from .wording import plural

__all__ = ["write_docx"]

_NAMES = SECTION_TITLES
_BARRIER, _ENABLER = "B34700", "005A8C"


def _table(doc, header, rows, widths=None, caption=None, groups=None):
    """A table with a header row that repeats on every page.

    ``groups`` is an optional row above the header: ``(label, span)`` pairs for the columns after
    the first (so long words such as "Acceptability" head two narrow columns instead of breaking).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    if caption:
        p = doc.add_paragraph(caption, style="Caption")
        p.paragraph_format.keep_with_next = True
    head_rows = [header]
    if groups:
        above = [header[0]]
        for label, span in groups:
            above += [label] * span
        head_rows.insert(0, above)
    table = doc.add_table(rows=len(head_rows), cols=len(header))
    table.style = "Light Grid Accent 1"
    table.autofit = widths is None
    for head, row in zip(head_rows, table.rows):
        for cell, text in zip(row.cells, head):
            cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
    if widths:
        for k, column in enumerate(table.columns):
            column.width = Inches(widths[k])  # the table grid, which LibreOffice follows
    for row in table.rows:
        for k, cell in enumerate(row.cells):
            if widths:
                cell.width = Inches(widths[k])
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
    if groups:
        first = table.cell(0, 0).merge(table.cell(1, 0))
        first.paragraphs[-1]._p.getparent().remove(first.paragraphs[-1]._p)  # merging keeps both texts
        at = 1
        for _label, span in groups:
            merged = table.cell(0, at).merge(table.cell(0, at + span - 1))
            for extra in merged.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            at += span
    for row in table.rows[:len(head_rows)]:  # the header rows repeat on every page
        header_flag = OxmlElement("w:tblHeader")
        header_flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header_flag)
    return table


def _coloured(paragraph, text, colour, bold=True):
    from docx.shared import RGBColor

    run = paragraph.add_run(text)
    run.bold = bold
    run.font.color.rgb = RGBColor.from_string(colour)
    return run


def write_docx(report, path) -> None:
    """Write ``report`` (a :class:`~coeval.report.Report`) to ``path`` as .docx."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Inches, Mm, Pt

    c = report.content
    doc = Document()
    letter = report.config.paper == "Letter"
    for section in doc.sections:  # A4 with 2 cm margins by default (python-docx's template is US Letter)
        section.page_width, section.page_height = (Inches(8.5), Inches(11)) if letter else (Mm(210), Mm(297))
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
        _page_numbers(section.footer.paragraphs[0])
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    props = doc.core_properties
    props.title, props.subject, props.author = c["title"], c["subtitle"], "coeval"
    props.comments = f"Made on {report.made}"
    doc.add_paragraph("Co-evaluation report", style="Subtitle")
    doc.add_heading(c["title"], level=0)
    if c["subtitle"]:
        doc.add_paragraph(c["subtitle"], style="Subtitle")
    made = f"Made on {report.made}"
    if c["sites"]:
        made += f" · {len(c['sites'])} community organisations: {', '.join(c['sites'])}"
    doc.add_paragraph(made)
    if c.get("unreviewed_names"):
        n = c["unreviewed_names"]
        doc.add_paragraph(f"Before sharing: {n} word{'s' if n != 1 else ''} in the records may be people's names and "
                          f"{'have' if n != 1 else 'has'} not been reviewed yet. Check them (coeval privacy) and make "
                          "the report again.")
    if c.get("theme_status") == "suggested":
        p = doc.add_paragraph()
        p.add_run("Themes not yet reviewed: ").bold = True
        p.add_run("the themes in this report were suggested by the software from the team's codes, and the team "
                  "has not reviewed them yet. Read them as a first sorting, not as findings.")
    if not c["has_codings"]:
        doc.add_paragraph("No passages have been coded yet, so there are no findings to report.")
    figures = report.figures(narrow=False)   # Word prints the A4 drawing only
    for name in c["sections"]:
        if name not in c:
            continue
        doc.add_heading(_NAMES[name], level=1)
        part = c[name]
        if name in ("recommendations", "participants", "limitations"):
            _accountability(doc, name, part)
            continue
        if name == "summary":
            doc.add_paragraph(part["opening"])
            for para in (part["own"] or "").split("\n\n"):
                if para.strip():
                    doc.add_paragraph(para.strip())
            for title, items, colour in (("What helped", part["helped"], _ENABLER),
                                         ("What got in the way", part["hindered"], _BARRIER)):
                h = doc.add_heading(level=2)
                _coloured(h, title, colour)
                for b in items:
                    p = doc.add_paragraph(style="List Bullet")
                    p.add_run(b["label"]).bold = True
                    p.add_run(f": {b['text']}")
            doc.add_heading("Three questions", level=2)
            for q in part["questions"]:
                p = doc.add_paragraph()
                p.add_run(q["question"] + " ").bold = True
                p.add_run(q["answer"])
            doc.add_paragraph(part["caution"]).runs[0].italic = True
            doc.add_heading("Words we use", level=2)
            for term, meaning in c["language_notes"].items():
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(term).bold = True
                p.add_run(f": {meaning}")
        elif name == "fai":
            doc.add_paragraph("For each theme: how many passages were about what got in the way, and how many "
                              "about what helped, split by feasibility, acceptability and impact.")
            if "fai" in figures:
                _figure(doc, figures["fai"], "Passages by theme. Orange: got in the way. Blue: helped. A passage "
                                             "can count under more than one question.")
            if part["rows"] and "fai" not in figures:   # the figure shows the same numbers
                header = ["Theme"] + ["Got in the way", "Helped"] * 3
                rows = [[r["theme"]] + [v or "–" for cell in r["cells"] for v in (cell["barriers"], cell["enablers"])]
                        for r in part["rows"]]
                _table(doc, header, rows, widths=[2.1] + [0.7] * 6, caption="Passages by theme and question",
                       groups=[("Feasibility", 2), ("Acceptability", 2), ("Impact", 2)])
        elif name == "themes":
            doc.add_paragraph("Each theme groups codes that were often used together. Quotes are labelled with "
                              "made-up labels, roles and sites only.")
            if not part and c.get("theme_status") == "omitted":
                doc.add_paragraph(f"The software suggested {plural(c['omitted_themes'], 'theme')} from the codes. "
                                  "They are left out until the team has reviewed them (report.yaml: suggested_themes).")
            for t in part:
                doc.add_heading(t["title"], level=2)
                if t.get("suggested"):
                    _coloured(doc.add_paragraph(), "Suggested by the software, not yet reviewed by the team",
                              _BARRIER)
                p = doc.add_paragraph()
                p.add_run(f"Evidence: {t['strength']}. ").bold = True
                _coloured(p, f"▼ {t['barriers']} got in the way  ", _BARRIER, bold=False)
                _coloured(p, f"▲ {t['enablers']} helped", _ENABLER, bold=False)
                doc.add_paragraph(f"{t['lean']} {t['strength_text']}")
                if t["flags"]:
                    doc.add_paragraph().add_run(f"Take care: {'; '.join(t['flags'])}.").bold = True
                if t["note"]:
                    p = doc.add_paragraph()
                    p.add_run("The team's reading: ").bold = True
                    p.add_run(t["note"])
                for q in t["quotes"]:
                    doc.add_paragraph(f"“{q['text']}”", style="Quote")
                    doc.add_paragraph(f"— {q['by']}").paragraph_format.left_indent = Inches(0.5)
                doc.add_paragraph(f"Codes: {', '.join(t['codes'])}").runs[0].font.size = Pt(9)
        elif name == "differences":
            doc.add_paragraph("How often each theme came up at each community organisation, as a share of that "
                              "organisation's coded passages.")
            for n in part["notes"]:
                doc.add_paragraph(n["text"] + (f" “{n['example']}”" if n["example"] else ""), style="List Bullet")
            if "differences" in figures:
                _figure(doc, figures["differences"], "Each theme at each organisation: passages, and their share of "
                        "the organisation's coded passages (darker is more). Orange frames mark a notable difference.")
            elif part["rows"]:
                rows = [[r["theme"]] + [f"{cell['segments']} ({cell['share']:.0%})"
                                        + (f" {cell['difference']}" if cell["difference"] else "")
                                        for cell in r["cells"]] for r in part["rows"]]
                n = len(part["sites"])
                _table(doc, ["Theme"] + part["sites"], rows, widths=[2.3] + [4.0 / n] * n,
                       caption="Passages per theme and site")
        elif name == "perspectives":
            doc.add_paragraph(part["text"])
            if part["rows"]:
                _table(doc, ["Code", "Used more by", "Academic: uses per 100 passages",
                             "Community: uses per 100 passages"],
                       [[r["code"], r["more_by"], r["academic"], r["community"]] for r in part["rows"]],
                       widths=[2.5, 1.4, 1.2, 1.2], caption="Codes used differently by academic and community coders")
        elif name == "reliability":
            if part["available"]:
                for line in part["text"]:
                    doc.add_paragraph(line)
                if "agreement" in figures:
                    _figure(doc, figures["agreement"], "Agreement per code (codes used 5 times or more), with its "
                            "95% range from 1,000 resamples of the passages. Green circles: 0.80 or more (reliable). "
                            "Amber squares: 0.67 to 0.80 (tentative). Red diamonds: below.")
                if part["rows"] and (part["show_table"] or "agreement" not in figures):
                    _table(doc, ["Code", "Uses", "Alpha", "Reading"],
                           [[r["code"], r["uses"], f"{r['alpha']:.2f}", r["band"]] for r in part["rows"]],
                           widths=[3.2, 0.8, 0.8, 1.2],
                           caption="Krippendorff's alpha per code (codes used 5 times or more)")
            else:
                doc.add_paragraph(part["text"])
        elif name == "methods":
            doc.add_paragraph(f"Records from {part['dates']}. {part['privacy']}")
            _table(doc, ["Source", "Records", "Sites", "Passages", "Words"],
                   [[r["kind"], r["records"], r["sites"], f"{r['passages']:,}", f"{r['words']:,}"]
                    for r in part["sources"]], widths=[1.8, 0.8, 2.1, 0.9, 0.8], caption="What we analysed")
            doc.add_paragraph("Voices: " + ", ".join(f"{v['people']} {v['role']}{'s' if v['people'] != 1 else ''}"
                                                     for v in part["voices"]) + ".")
            doc.add_paragraph("Coders: " + ", ".join(f"{v['coder']} ({v['role']}, {v['codings']} codes applied)"
                                                     for v in part["coders"]) + ".")
            doc.add_paragraph(part["basis"])
            if part["rounds"]:
                doc.add_paragraph("Rounds of coding: " + "; ".join(
                    f"{r['round']} ({r['coders']} coders, {r['documents']} records, {r['double_coded']} coded by two "
                    "or more; " + ("closed" + (f", agreement {r['alpha']:.2f}"
                                                                  if r["alpha"] is not None else "")
                                   if r["status"] == "closed" else "still open") + ")"
                    for r in part["rounds"]) + ".")
            doc.add_paragraph(f"Themes: {part['themes']}. {part['polarity']}")
            cb = part["codebook"]
            doc.add_paragraph(f"Codebook: {cb['name']}, version {cb['version']}, {cb['codes']} codes "
                              f"(fingerprint {cb['hash']}). Data fingerprint: {part['data_hash']}. "
                              f"Made with coeval {part['coeval_version']}.")
        elif name == "codebook":
            kinds = {"barrier": "got in the way", "enabler": "helped", "mixed": "either"}
            _table(doc, ["Code", "Meaning", "Kind", "About"],
                   [["    " * r["depth"] + r["name"], r["definition"], kinds.get(r["polarity"], ""), r["dimensions"]]
                    for r in part], widths=[1.8, 3.1, 0.8, 1.0], caption="Every code, with what it means")
        if name == "summary":
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Made with coeval, open-source software for co-evaluation. Quotes use made-up labels; "
                      "no real names appear in this report.").runs[0].font.size = Pt(8)
    doc.save(str(path))


def _page_numbers(paragraph) -> None:
    """"Page N of M" in a footer, as Word fields (Word fills them in when it lays the pages out)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, (text, field) in enumerate((("Page ", "PAGE"), (" of ", "NUMPAGES"))):
        paragraph.add_run(text)
        run = paragraph.add_run()
        for kind, instruction in (("begin", None), (None, f" {field} "), ("separate", None), (None, None),
                                  ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif instruction:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = instruction
            else:
                element = OxmlElement("w:t")
                element.text = str(i + 1)  # shown until the fields are updated
            run._r.append(element)


def _accountability(doc, name: str, part: dict) -> None:
    """Recommendations, who took part, and what to keep in mind."""
    if name == "recommendations":
        if not part["items"]:
            doc.add_paragraph(part["text"])
        for rec in part["items"]:
            doc.add_paragraph(rec["text"], style="List Number")
            rests = "; ".join(rec["themes"]) + (". " if rec["themes"] and rec["evidence"] else "") + rec["evidence"]
            if rests:
                doc.add_paragraph(f"Rests on: {rests}").runs[0].italic = True
    elif name == "participants":
        for line in part["text"]:
            doc.add_paragraph(line)
        if part["grid"]:
            _table(doc, ["Role", *part["sites"]], [[r["role"], *[str(n or "–") for n in r["cells"]]]
                                                  for r in part["grid"]],
                   caption="People who spoke, by role and community organisation (someone who spoke at two "
                           "organisations counts at both)")
        _table(doc, ["Kind of record", "Records", "Activities"],
               [[r["kind"], str(r["records"]), r["activities"]] for r in part["records"]],
               caption="Records, by kind and activity")
        doc.add_paragraph(part["note"])
    else:
        for point in part["points"]:
            doc.add_paragraph(point, style="List Bullet")


def _figure(doc, figure, caption: str) -> None:
    """A figure at its printed width (``width_in``: its own size at 150 dpi, so 9 pt text prints at
    9 pt, narrower only where the page is), its alt text for screen readers, and its caption."""
    from docx.shared import Inches

    picture = doc.add_picture(io.BytesIO(figure["png"]), width=Inches(figure["width_in"]))
    picture._inline.docPr.set("descr", figure["alt"])
    doc.add_paragraph(caption, style="Caption")
