"""Importing Word files (.docx): every mapping rule on documents built here with python-docx, and
Word files that are not what they claim to be."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from studynotes import markup
from studynotes.errors import NotesError
from studynotes.importers import run, word
from studynotes.model import Topic, iter_points

DAY = dt.date(2026, 1, 5)


def made(tmp_path: Path, document, name: str = "notes.docx") -> run.Made:
    path = tmp_path / name
    document.save(str(path))
    return run.make(path, tmp_path / "out", on=DAY)  # loads what it writes: every result passes `check`


def topic(tmp_path: Path, document) -> Topic:
    return made(tmp_path, document).imported.topic


def tree(points) -> list:
    """Points as nested lists: text, or [text, [children]]."""
    return [p.text if not p.points else [p.text, tree(p.points)] for p in points]


def numbered(paragraph, ilvl: int | None, num_id: int = 1) -> None:
    """Give a paragraph its own list numbering (what Word's bullet button does)."""
    ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}>{ilvl_xml}'
                                                   f'<w:numId w:val="{num_id}"/></w:numPr>'))


def png() -> bytes:
    """A 1×1 PNG, made here so the test needs no image file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


# ------------------------------------------------------------------ structure

def test_title_headings_sections_sub_sections_and_deeper_headings(tmp_path):
    d = docx.Document()
    d.add_paragraph("India and Japan", style="Title")
    d.add_paragraph("Before any heading.")
    d.add_heading("Evolution of Ties", level=1)
    d.add_paragraph("Ties began early. Buddhism helped.")
    d.add_heading("Defence", level=2)
    d.add_paragraph("Exercises are regular.")
    d.add_heading("Naval Exercises", level=3)
    d.add_paragraph("JIMEX is one. Malabar is another.")
    d.add_heading("Years", level=4)
    d.add_paragraph("Since 2012.")
    d.add_heading("Army", level=3)
    d.add_paragraph("Dharma Guardian.")
    d.add_heading("Economy", level=1)
    d.add_paragraph("Trade is US$ 13.7 billion.")
    t = topic(tmp_path, d)
    assert t.title == "India and Japan" and t.id == "india-and-japan"
    assert [(s.title, [x.title for x in s.sections]) for s in t.sections] == [
        ("Introduction", []), ("Evolution of Ties", ["Defence"]), ("Economy", [])]
    assert tree(t.sections[1].points) == [["Ties began early.", ["Buddhism helped."]]]
    assert tree(t.sections[1].sections[0].points) == [
        "Exercises are regular.",
        ["Naval Exercises", [["JIMEX is one.", ["Malabar is another."]], ["Years", ["Since 2012."]]]],
        ["Army", ["Dharma Guardian."]]]


def test_without_a_title_the_first_heading_is_the_topic_and_levels_shift(tmp_path):
    d = docx.Document()
    d.add_heading("Monsoon", level=1)
    d.add_heading("Onset", level=2)
    d.add_heading("Kerala First", level=3)
    d.add_paragraph("It arrives in June.")
    d.add_heading("Retreat", level=2)
    d.add_paragraph("It leaves in October.")
    t = topic(tmp_path, d)
    assert t.title == "Monsoon"
    assert [(s.title, [x.title for x in s.sections]) for s in t.sections] == [("Onset", ["Kerala First"]),
                                                                                ("Retreat", [])]


def test_custom_heading_styles_based_on_headings_count(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    mine = d.styles.add_style("My Heading", 1)  # a paragraph style based on Heading 1
    mine.base_style = d.styles["Heading 1"]
    d.add_paragraph("Custom Section", style="My Heading")
    d.add_paragraph("Body.")
    assert [s.title for s in topic(tmp_path, d).sections] == ["Custom Section"]


def test_an_empty_heading_is_dropped_with_a_warning_at_its_paragraph(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Empty", level=1)
    d.add_heading("Full", level=1)
    d.add_paragraph("Text.")
    m = made(tmp_path, d)
    assert [s.title for s in m.imported.topic.sections] == ["Full"]
    [w] = m.imported.warnings
    assert (w.line, w.message) == (2, "heading 'Empty' has no text under it: dropped")
    assert "dropped 1 empty heading 'Empty'" in m.line()


# ------------------------------------------------------------------ lists

def test_list_styles_nest_by_their_level(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Lists", level=1)
    d.add_paragraph("Lead paragraph. Its detail.")
    d.add_paragraph("One", style="List Bullet")
    d.add_paragraph("One a", style="List Bullet 2")
    d.add_paragraph("One a i", style="List Number 3")
    d.add_paragraph("Two. Has two sentences.", style="List Bullet")
    t = topic(tmp_path, d)
    assert tree(t.sections[0].points) == [["Lead paragraph.", ["Its detail."]], ["One", [["One a", ["One a i"]]]],
                                          "Two. Has two sentences."]


def test_list_level_from_the_paragraph_numbering_and_the_style_chain(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Lists", level=1)
    for text, ilvl in (("Top", 0), ("Nested", 1), ("Deeper", 2), ("Top again", 0)):
        numbered(d.add_paragraph(text, style="List Paragraph"), ilvl)
    mine = d.styles.add_style("My Bullets", 1)  # numbering only through the style it is based on
    mine.base_style = d.styles["List Bullet"]
    d.add_paragraph("Styled bullet", style="My Bullets")
    p = d.add_paragraph("Numbering switched off. A plain paragraph.", style="List Bullet")
    numbered(p, None, num_id=0)
    d.add_paragraph("A subtitle is no list", style="Subtitle")
    t = topic(tmp_path, d)
    assert tree(t.sections[0].points) == [["Top", [["Nested", ["Deeper"]]]], "Top again", "Styled bullet",
                                          ["Numbering switched off.", ["A plain paragraph."]], "A subtitle is no list"]


def test_lists_deeper_than_notes_allow_are_folded_with_a_warning(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Deep", level=1)
    for i in range(9):
        numbered(d.add_paragraph(f"Level {i}", style="List Paragraph"), i)
    m = made(tmp_path, d)
    points = [(markup.plain(p.text), depth) for p, depth in iter_points(m.imported.topic.sections[0].points)]
    assert points == [(f"Level {i}", min(i, 2)) for i in range(9)]
    assert any("nest deeper than the 3 levels" in w.message for w in m.imported.warnings)


# ------------------------------------------------------------------ inline formatting

def test_bold_italic_and_highlight_become_markup(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Marks", level=1)
    p = d.add_paragraph("Ties began in the ")
    p.add_run("6th century ").bold = True
    p.add_run("with ")
    p.add_run("Buddhism").italic = True
    p.add_run(". A ")
    p.add_run("key date").font.highlight_color = WD_COLOR_INDEX.YELLOW
    p.add_run(" here. Area is 5 * 3 = 15. ")
    r = p.add_run("Bold and italic")
    r.bold, r.italic = True, True
    p.add_run(" and ")
    p.add_run("strong by style", style="Strong")
    p.add_run(".")
    t = topic(tmp_path, d)
    assert tree(t.sections[0].points) == [["Ties began in the **6th century** with *Buddhism*.", [
        "A ==key date== here.", "Area is 5 * 3 = 15.", "***Bold and italic*** and **strong by style**."]]]


def test_formatting_that_markup_cannot_hold_is_dropped_with_a_warning_text_kept(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Marks", level=1)
    p = d.add_paragraph()
    p.add_run("a*").bold = True  # a literal star inside bold text, glued to more bold and italic text
    p.add_run("*b").italic = True
    m = made(tmp_path, d)
    [point] = m.imported.topic.sections[0].points
    assert markup.plain(point.text) == "a**b"


def test_links_insertions_and_deletions(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Links", level=1)
    p = d.add_paragraph("See ")
    p._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")}><w:r><w:t>the ministry site</w:t></w:r></w:hyperlink>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="T"><w:r><w:t xml:space="preserve"> now'
                          f'</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="T"><w:r><w:delText> never</w:delText>'
                          f'</w:r></w:del>'))
    p.add_run(".")
    assert tree(topic(tmp_path, d).sections[0].points) == ["See the ministry site now."]


# ------------------------------------------------------------------ tables and images

def test_a_table_is_its_sections_table_and_a_second_one_points(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Exercises", level=1)
    t1 = d.add_table(rows=3, cols=2)
    for i, row in enumerate([("Exercise", "Service"), ("JIMEX", "Navy"), ("Dharma Guardian", "")]):
        for j, text in enumerate(row):
            t1.cell(i, j).text = text
    t1.cell(1, 0).paragraphs[0].runs[0].bold = True
    t2 = d.add_table(rows=2, cols=2)
    for i, row in enumerate([("Year", "Event"), ("2008", "Declaration")]):
        for j, text in enumerate(row):
            t2.cell(i, j).text = text
    m = made(tmp_path, d)
    sec = m.imported.topic.sections[0]
    assert (sec.table.columns, sec.table.rows) == (("Exercise", "Service"), (("**JIMEX**", "Navy"),
                                                                             ("Dharma Guardian", "—")))
    assert [p.text for p in sec.points] == ["Year · Event", "2008 · Declaration"]
    assert [(w.line, w.message) for w in m.imported.warnings] == [
        (4, "a table is kept as points, one a row: the section already has a table")]


def test_merged_cells_and_a_one_row_table(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Tables", level=1)
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Wide head"
    t.cell(0, 2).text = "C"
    for j, text in enumerate(("a", "b", "c")):
        t.cell(1, j).text = text
    d.add_heading("One Row", level=1)
    one = d.add_table(rows=1, cols=2)
    one.cell(0, 0).text, one.cell(0, 1).text = "x", "y"
    m = made(tmp_path, d)
    first, second = m.imported.topic.sections
    assert first.table.columns == ("Wide head", "—", "C")
    assert [p.text for p in second.points] == ["x · y"]
    assert any("merged table cells" in w.message for w in m.imported.warnings)


def test_images_are_skipped_with_a_warning_at_their_paragraph(tmp_path):
    (tmp_path / "dot.png").write_bytes(png())
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_heading("Pictures", level=1)
    d.add_paragraph("Before the picture.")
    d.add_picture(str(tmp_path / "dot.png"))
    d.add_paragraph("After the picture.")
    m = made(tmp_path, d)
    assert tree(m.imported.topic.sections[0].points) == ["Before the picture.", "After the picture."]
    [w] = m.imported.warnings
    assert (w.path, w.line, w.severity) == (str(tmp_path / "notes.docx"), 4, "warning") and "1 image" in w.message


# ------------------------------------------------------------------ a document without headings

def test_a_document_without_headings_is_read_as_a_pointwise_article(tmp_path):
    d = docx.Document()
    for text in ("Water Crisis – Explained, pointwise", "Print Friendly and PDF", "Wells run dry. Rivers shrink.",
                 "What are the causes?", "First, rain fails. Soil dries.", "Second, use grows.",
                 "What can be done?", "Recharge helps."):
        d.add_paragraph(text)
    d.add_paragraph("Check dams", style="List Bullet")
    d.add_paragraph("Farm ponds", style="List Bullet 2")
    tbl = d.add_table(rows=2, cols=2)
    tbl.cell(0, 0).text, tbl.cell(0, 1).text, tbl.cell(1, 0).text, tbl.cell(1, 1).text = "State", "Wells", "X", "5"
    d.add_paragraph("Water is everyone's business. Act now.")
    d.add_paragraph("Syllabus: GS I, Geography,")
    t = topic(tmp_path, d)
    assert t.title == "Water Crisis" and t.summary == "Wells run dry. Rivers shrink."
    assert [s.title for s in t.sections] == ["What are the causes?", "What can be done?", "Conclusion"]
    assert tree(t.sections[0].points) == [["First, rain fails.", ["Soil dries."]], "Second, use grows."]
    assert tree(t.sections[1].points) == ["Recharge helps.", ["Check dams", ["Farm ponds"]]]
    assert t.sections[1].table.rows == (("X", "5"),)
    assert t.syllabus == ("GS I, Geography",)


# ------------------------------------------------------------------ hostile files

def refused(tmp_path: Path, path: Path) -> str:
    with pytest.raises(NotesError) as exc:
        run.make(path, tmp_path / "out", on=DAY)
    [p] = exc.value.problems
    assert (p.path, p.line, p.col) == (str(path), 1, 1)
    assert not (tmp_path / "out").exists()
    return p.message


def test_a_zip_of_something_else_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office/>")
    assert "no word/document.xml" in refused(tmp_path, path)


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc renamed")
    assert "not a Word file" in refused(tmp_path, path)


def test_a_broken_package_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<not-closed")
    assert "cannot read the Word file" in refused(tmp_path, path)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(word, "MAX_UNPACKED", 1024 * 1024)  # 1 MiB here rather than 200 MiB, to stay fast
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "")
        z.writestr("word/media/big.bin", b"\x00" * (3 * 1024 * 1024))
    assert "unpacks to 3 MiB; the limit is 1 MiB" in refused(tmp_path, path)


def test_an_empty_document_is_refused(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    assert "no text to import" in refused(tmp_path, path)


def test_content_controls_are_read_and_a_table_of_contents_skipped(tmp_path):
    d = docx.Document()
    d.add_paragraph("Topic", style="Title")
    d.add_paragraph("Contents", style="TOC Heading")
    d.styles.add_style("TOC 1", 1)  # Word makes it when it inserts a table of contents
    d.add_paragraph("Section One\t1", style="TOC 1")
    d.add_heading("Section One", level=1)
    wrapped = d.add_paragraph("Inside a content control.")
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    wrapped._p.addprevious(sdt)
    sdt[1].append(wrapped._p)
    d.add_paragraph("After it.")
    m = made(tmp_path, d)
    assert tree(m.imported.topic.sections[0].points) == ["Inside a content control.", "After it."]
    assert any("table of contents (2 lines) is skipped" in w.message for w in m.imported.warnings)


def test_a_title_without_headings_is_the_articles_first_line(tmp_path):
    d = docx.Document()
    d.add_paragraph("Water Crisis", style="Title")
    for text in ("Wells run dry.", "What are the causes?", "Rain fails."):
        d.add_paragraph(text)
    t = topic(tmp_path, d)
    assert (t.title, t.summary, [s.title for s in t.sections]) == ("Water Crisis", "Wells run dry.",
                                                                   ["What are the causes?"])
