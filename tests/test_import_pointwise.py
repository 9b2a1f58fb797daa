"""Importing pointwise articles (.txt): every rule of the format, the sample article kept whole, the
YAML that comes out (loads, reads back equal, byte-identical twice), and hostile files."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from studynotes import markup
from studynotes.errors import NotesError
from studynotes.importers import inline, pointwise, run, suggest, yaml_out
from studynotes.load import notes as loader
from studynotes.model import Fact, Point, Section, Source, Table, Topic, iter_points

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / \
    "india-japan-relationship-explained-pointwise.txt"
DAY = dt.date(2026, 1, 5)
LONG = " It is a long sentence that makes the line a whole paragraph rather than a wrapped line of one."


def make(tmp_path: Path, text: str, name: str = "article.txt") -> run.Made:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return run.make(src, tmp_path / "notes", on=DAY)


def topic_of(tmp_path: Path, text: str) -> Topic:
    return make(tmp_path, text).imported.topic


def texts(points) -> list[str]:
    return [markup.plain(p.text) for p, _ in iter_points(points)]


def stream(topic: Topic) -> str:
    """Summary and every point, in reading order, as plain text."""
    parts = [markup.plain(topic.summary)] if topic.summary else []
    for s, _ in topic.walk():
        parts += texts(s.points)
    return " ".join(parts)


def tree_of(section) -> list:
    def walk(points):
        return [p.text if not p.points else [p.text, walk(p.points)] for p in points]
    return walk(section.points)


def warnings(made: run.Made) -> list[str]:
    return [p.message for p in made.imported.warnings]


# ------------------------------------------------------------------ the sample article

@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> run.Made:
    return run.make(SAMPLE, tmp_path_factory.mktemp("notes"), on=DAY)


def test_sample_keeps_every_sentence_once_in_order(sample):
    lines = [ln.strip() for ln in SAMPLE.read_text(encoding="utf-8").splitlines()]
    prose = [ln for ln in lines[1:] if ln and len(ln.split()) > 12 and not ln.startswith(("Syllabus", "Source"))]
    assert stream(sample.imported.topic) == " ".join(prose)


def test_sample_sections_and_items(sample):
    t = sample.imported.topic
    assert t.title == "India Japan Relationship"
    assert [s.title for s in t.sections] == [
        "Context", "How has the India Japan Relationship evolved?",
        "What is the current status of India Japan Relationship?", "What are the issues limiting India Japan "
        "Relationship?", "What steps can be taken to further deepen India Japan Relationship?", "Conclusion"]
    assert [s.title for s in t.sections[2].sections] == [
        "Strategic and Defence Cooperation", "Investments and Development Assistance",
        "Digital Partnerships and Start-ups", "Science and Technology", "Skill Development"]
    issues, steps = t.sections[3], t.sections[4]
    assert [p.text.split(",")[0] for p in issues.points] == ["First", "Second", "Third", "Fourth"]
    assert [p.text.split(",")[0] for p in steps.points] == ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]
    first = issues.points[0]  # the paragraph between "First" and "Second" continues the first item
    assert first.points[-1].text.startswith("The response of India and Japan to Russia’s invasion")
    assert len(t.sections[-1].points) == 1 and t.sections[-1].points[0].text.startswith("India and Japan are great")
    assert not any("It is time to consolidate" in x for x in texts(steps.points))


def test_sample_summary_syllabus_sources_and_labels(sample):
    t = sample.imported.topic
    assert t.summary == "The 2+2 Ministerial Meeting between Defence and External Affairs Ministers of India and " \
                        "Japan was recently held in Tokyo, Japan."
    assert t.syllabus == ("GS II, India and its neighbourhood relations",)
    assert [s.title for s in t.sources] == ["Indian Express", "Ministry of External Affairs", "ORF",
                                            "Ministry of Foreign Affairs, Japan"]
    assert [s.short for s in t.sections] == [None, "Evolution", "Current status", "Issues", "Way forward", None]
    assert [s.id for s in t.sections] == ["context", "evolution", "current-status", "issues", "way-forward",
                                          "conclusion"]


def test_sample_report_and_dropped_heading(sample):
    assert sample.line().startswith(f"{sample.target}: 6 sections, 92 points, 5 sub-sections; skipped 2 "
                                    "boilerplate lines; dropped 1 empty sub-heading 'Other Areas of Cooperation in "
                                    "India Japan Relationship'")
    [w] = sample.imported.warnings
    assert (w.line, w.col, w.severity) == (53, 1, "warning")
    assert "'Other Areas of Cooperation in India Japan Relationship'" in w.message


def test_sample_numbers_verbatim(sample):
    text = stream(sample.imported.topic)
    for figure in ("US$ 13.7 billion", "~US$ 32 billion", "~5%", "2000-2019", "30,000", "Vostok-2022", "‘2+2’",
                   "April, 1952"):
        assert figure in text


def test_sample_yaml_reads_like_a_person_wrote_it(sample):
    text = sample.text
    assert text.startswith("# Imported from india-japan-relationship-explained-pointwise.txt on 2026-01-05")
    assert "{" not in "".join(ln for ln in text.splitlines() if not re.match(r"\s+- \{", ln))  # block style
    assert "summary: >-\n  The 2+2 Ministerial Meeting" in text
    assert "\n  - id: evolution\n    title: How has the India Japan Relationship evolved?\n    short: Evolution\n" \
        in text
    summary = text.split("summary: >-\n", 1)[1].split("\nsources:")[0].splitlines()
    assert len(summary) == 2 and all(len(ln) <= 100 and ln.startswith("  ") for ln in summary)
    head = [ln for ln in text.split("sections:")[0].splitlines() if not ln.startswith("#")]
    assert "'" not in "".join(head)  # nothing quoted that need not be


def test_sample_suggestions_are_marked_and_extra(sample):
    t = sample.imported.topic
    timeline = {e.when: e.what for s, _ in t.walk() for e in s.timeline}
    assert timeline["October 2008"] == "The Joint Declaration on Security Cooperation between India and Japan was " \
                                       "issued"
    assert "2022" not in timeline  # Vostok-2022 is a name, not a date
    facts = {f.label: f.value for s, _ in t.walk() for f in s.facts}
    assert facts["India Japan bilateral trade (2020)"] == "US$ 13.7 billion"
    lines = [ln for ln in sample.text.splitlines() if ln.lstrip().startswith("- {when:") or "- {label:" in ln]
    assert lines and all("# check: suggested from \"" in ln for ln in lines)


def test_the_sample_without_blank_lines_imports_the_same(tmp_path, sample):
    dense = tmp_path / "dense.txt"  # pasted from a web page: one paragraph a line, no blank lines at all
    dense.write_text("\n".join(ln for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()))
    topic = run.make(dense, tmp_path, on=DAY).imported.topic
    assert (topic.sections, topic.summary) == (sample.imported.topic.sections, sample.imported.topic.summary)


def test_import_is_idempotent_and_the_date_injectable(tmp_path):
    a = run.make(SAMPLE, tmp_path, on=DAY).text
    b = run.make(SAMPLE, tmp_path, on=DAY).text
    c = run.make(SAMPLE, tmp_path, on=dt.date(2027, 2, 3)).text
    assert a == b
    assert a.splitlines()[1:] == c.splitlines()[1:] and a.splitlines()[0] != c.splitlines()[0]


def test_written_yaml_loads_as_the_topic_it_was_made_from(sample):
    loaded = loader.load_text(sample.text, "x.yaml", "x")
    assert loaded.sections == sample.imported.topic.sections
    assert loaded.summary == sample.imported.topic.summary


# ------------------------------------------------------------------ the rules, one by one

def test_title_suffixes_and_boilerplate(tmp_path):
    for title in ("Water Crisis – Explained, pointwise", "Water Crisis - Explained Pointwise", "Water Crisis | UPSC",
                  "Water Crisis"):
        t = topic_of(tmp_path, f"{title}\n\nPrint Friendly and PDF\nFor 7PM Editorial Archives click HERE\n\n"
                               "Water is scarce. Wells run dry.\n")
        assert (t.title, t.id) == ("Water Crisis", "water-crisis")
        assert t.summary == "Water is scarce. Wells run dry."


def test_the_summary_is_the_first_sentence_or_two_and_the_rest_is_context(tmp_path):
    t = topic_of(tmp_path, "Title\n\nWater is short. Wells run dry across the state in every district this summer. "
                           "Rivers shrink. Crops fail.\n\nA second paragraph.\n\nWhat now?\n\nAct.\n")
    assert t.summary == "Water is short. Wells run dry across the state in every district this summer."
    assert tree_of(t.sections[0]) == [["Rivers shrink.", ["Crops fail."]], "A second paragraph."]
    t = topic_of(tmp_path, "Title\n\nWells run dry across the state in every district of it this very long summer. "
                           "Rivers shrink.\n\nWhat now?\n\nAct.\n")
    assert (t.summary, tree_of(t.sections[0])) == ("Wells run dry across the state in every district of it this "
                                                   "very long summer.", ["Rivers shrink."])


def test_a_first_line_that_is_no_title_names_the_topic_after_the_file(tmp_path):
    made = make(tmp_path, "Water is scarce in many districts of the state this year.\n", "water-crisis.txt")
    assert made.imported.topic.title == "water crisis".capitalize()
    assert "named 'Water crisis' after the file" in warnings(made)[0]
    assert made.imported.topic.summary == "Water is scarce in many districts of the state this year."


def test_question_and_sub_headings_with_and_without_blank_lines(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro sentence here for the summary.\n\nWhat is the status?\nDefence Ties\n"
                           "Defence is strong.\nEconomy\n\nTrade grew fast.\n\nWhy does it matter?\n\nIt matters.\n")
    assert [s.title for s in t.sections] == ["What is the status?", "Why does it matter?"]
    assert [(s.title, texts(s.points)) for s in t.sections[0].sections] == [
        ("Defence Ties", ["Defence is strong."]), ("Economy", ["Trade grew fast."])]


def test_an_empty_sub_heading_is_dropped_with_a_warning_and_swallows_nothing(tmp_path):
    made = make(tmp_path, "Title\n\nIntro text.\n\nWhat is new?\n\nEmpty One\n\nReal One\n\nReal text.\n\n"
                          "Empty At End\n\nWhat next?\n\nNext text.\n")
    t = made.imported.topic
    assert [(s.title, [x.title for x in s.sections]) for s in t.sections] == [
        ("What is new?", ["Real One"]), ("What next?", [])]
    assert texts(t.sections[1].points) == ["Next text."]
    assert [(w.line, w.message) for w in made.imported.warnings] == [
        (7, "sub-heading 'Empty One' has no text under it: dropped"),
        (13, "sub-heading 'Empty At End' has no text under it: dropped")]
    assert "dropped 2 empty headings: 'Empty One', 'Empty At End'" in made.line()


def test_ordinal_paragraphs_are_one_point_each_never_more_never_fewer(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat are the issues?\n\n"
                           "First, The trade is low. It fell in 2020. Exports lag.\n\n"
                           "The gap is wide. Imports grow.\n\n"
                           "Second, ties are thin.\n\nThird,the talks stall. Nothing moves.\n\n"
                           "Finally, hope remains.\n\n"
                           "Syllabus: GS II,\n")
    issues = t.sections[0]
    assert [p.text for p in issues.points] == ["First, The trade is low.", "Second, ties are thin.",
                                               "Third,the talks stall.", "Finally, hope remains."]
    first = issues.points[0]
    assert [p.text for p in first.points] == ["It fell in 2020.", "Exports lag.", "The gap is wide."]
    assert [p.text for p in first.points[-1].points] == ["Imports grow."]


def test_numbered_paragraphs_are_items_and_finally_alone_is_not(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat to do?\n\nFinally, a plain opener. More text.\n\n"
                           "1. One thing. Detail.\n\nA continuation.\n\n2. Another thing.\n\nSyllabus: GS III\n")
    assert [p.text for p in t.sections[0].points] == ["Finally, a plain opener.", "1. One thing.",
                                                      "2. Another thing."]
    assert [p.text for p in t.sections[0].points[1].points] == ["Detail.", "A continuation."]


@pytest.mark.parametrize("gap", ["\n", "\n\n", "\n\n\n\n"])
def test_the_closing_paragraph_is_kept_apart_whatever_the_blank_lines(tmp_path, gap):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat next?\n\nFirst, work together." + LONG + "\n\n"
                           "Second, trade more." + LONG + gap + "In the end both gain." + LONG + "\n\n"
                           "Syllabus: GS II\nSource: The Hindu\n")
    assert [s.title for s in t.sections] == ["What next?", "Conclusion"]
    assert [p.text[:7] for p in t.sections[0].points] == ["First, ", "Second,"]
    assert texts(t.sections[1].points)[0] == "In the end both gain."
    assert not any("In the end" in x for x in texts(t.sections[0].points))


def test_a_sections_only_paragraph_stays_in_it(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat next?\n\nOnly this paragraph.\n")
    assert [s.title for s in t.sections] == ["What next?"]


def test_lead_in_lines_are_points_of_their_own(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat are the impacts?\nHealth: Heat kills.\nFarms: Yields fell.\n"
                           "Economy: Hours are lost.\n\nWhat next?\n\nAct.\n")
    assert tree_of(t.sections[0]) == ["Health: Heat kills.", "Farms: Yields fell.", "Economy: Hours are lost."]


def test_hard_wrapped_paragraphs_are_joined(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat is it?\n\nThe monsoon reaches Kerala\nin the first week of "
                           "June. It then\nmoves north.\n")
    assert tree_of(t.sections[0]) == [["The monsoon reaches Kerala in the first week of June.", ["It then moves "
                                                                                                  "north."]]]


def test_syllabus_and_sources(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat?\n\nText.\n\n"
                           "Syllabus: GS II, International Relations; GS III, Economy,\n"
                           "Sources: The Hindu, PIB, Government of India, Delhi,\n")
    assert t.syllabus == ("GS II, International Relations", "GS III, Economy")
    assert [s.title for s in t.sources] == ["The Hindu", "PIB", "Government of India, Delhi"]
    assert "Syllabus" not in stream(t) and all("Syllabus" not in s.title for s, _ in t.walk())
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat?\n\nText.\n\nSyllabus: GS Paper 1 - Geography, GS Paper 3 "
                           "- Disasters\n")
    assert t.syllabus == ("GS Paper 1 - Geography", "GS Paper 3 - Disasters")



def test_no_question_headings_make_a_flat_topic_with_a_warning(tmp_path):
    made = make(tmp_path, "Title\n\nFirst paragraph is the gist. More here.\n\nSecond paragraph. Yes.\n\n"
                          "Closing words. Done.\n")
    t = made.imported.topic
    assert [s.title for s in t.sections] == ["Main points", "Conclusion"]
    assert "no question headings" in warnings(made)[0]
    assert stream(t) == "First paragraph is the gist. More here. Second paragraph. Yes. Closing words. Done."


def test_short_heading_lines_without_questions_are_sections(tmp_path):
    t = topic_of(tmp_path, "Title\n\nThe gist.\n\nBackground\n\nLong ago.\n\nChallenges Ahead\n\nMany.\n")
    assert [s.title for s in t.sections] == ["Background", "Challenges Ahead"]


def test_a_conclusion_heading_under_a_question_is_a_section(tmp_path):
    t = topic_of(tmp_path, "Title\n\nGist.\n\nWhat is it?\nPart One\n\nText one.\n\nWay Forward\n\nText two.\n")
    assert [s.title for s in t.sections] == ["What is it?", "Way Forward"]


def test_markup_characters_in_an_article_print_literally(tmp_path):
    made = make(tmp_path, "Title\n\nIntro.\n\nWhat?\n\nArea is 5 * 3 = 15 and a*b*c or ==x== or \\* stays.\n")
    [p] = made.imported.topic.sections[0].points
    assert markup.plain(p.text) == "Area is 5 * 3 = 15 and a*b*c or ==x== or \\* stays."
    assert all(not r.bold and not r.italic and not r.key for r in markup.parse(p.text))


def test_figures_and_indian_abbreviations_stay_whole(tmp_path):
    t = topic_of(tmp_path, "Title\n\nIntro.\n\nWhat?\n\nThe Govt. of India gave ₹ 5,000 crore (Rs. 5,000 cr.) in "
                           "2022-23 to Dr. A. K. Sen's U.S. project. It grew 13.7%.\n")
    assert texts(t.sections[0].points) == ["The Govt. of India gave ₹ 5,000 crore (Rs. 5,000 cr.) in 2022-23 to "
                                           "Dr. A. K. Sen's U.S. project.", "It grew 13.7%."]


def test_a_sentence_too_long_for_one_point_is_cut_with_a_warning(tmp_path):
    made = make(tmp_path, "Title\n\nIntro.\n\nWhat?\n\n" + "word " * 1200 + "end.\n")
    sec = made.imported.topic.sections[0]
    assert " ".join(texts(sec.points)) == ("word " * 1200 + "end.").strip()
    assert any("cut into" in m for m in warnings(made))


def test_yaml_quoting_survives_awkward_text(tmp_path):
    made = make(tmp_path, "Title: a #1 'pick'\n\nIntro.\n\nWhat is \"it\": yes?\n\n- dash first. null. true. "
                          "1952. key: value. [x] {y} @z. `q` %p. 'quoted' text. #hash.\n")
    loaded = loader.load_text(made.text, "x.yaml", "x")
    assert stream(loaded) == stream(made.imported.topic)
    assert yaml.safe_load(made.text)["topic"] == "Title: a #1 'pick'"


# ------------------------------------------------------------------ hostile files

def refused(tmp_path: Path, data: bytes, name: str = "bad.txt") -> NotesError:
    src = tmp_path / name
    src.write_bytes(data)
    with pytest.raises(NotesError) as exc:
        run.make(src, tmp_path / "notes", on=DAY)
    assert not (tmp_path / "notes").exists()
    return exc.value


def test_binary_file_is_refused_at_its_nul(tmp_path):
    [p] = refused(tmp_path, b"Title\n\nText \x00\x01\x02 more").problems
    assert (p.line, p.col) == (3, 6) and "binary" in p.message


def test_non_utf8_is_refused_where_it_goes_wrong(tmp_path):
    [p] = refused(tmp_path, "Title\n\nCafé x".encode() + b"\xe9 ok\n").problems  # Latin-1 after UTF-8
    assert (p.line, p.col) == (3, 7) and "not valid UTF-8 (byte 0xe9)" in p.message


def test_control_characters_are_located(tmp_path):
    [p] = refused(tmp_path, b"Title\n\nText\x07 here.\n").problems
    assert (p.line, p.col) == (3, 5) and "U+0007" in p.message


@pytest.mark.parametrize("data, message", [(b"", "no text to import"), (b"\n \n\t\n", "no text to import"),
                                           (b"Only A Title\n", "no paragraphs")])
def test_empty_articles_are_refused(tmp_path, data, message):
    [p] = refused(tmp_path, data).problems
    assert message in p.message


def test_a_5_mb_article_is_refused_before_it_is_read(tmp_path):
    [p] = refused(tmp_path, b"Title\n\n" + b"Some text here. " * 330_000).problems
    assert (p.line, p.col) == (1, 1) and "5.0 MiB" in p.message and "split it" in p.message


def test_utf16_and_a_byte_order_mark_are_read(tmp_path):
    for data in (codecs.BOM_UTF8 + "Title\n\nCafé text.\n".encode(), "Title\r\n\r\nCafé text.\r\n".encode("utf-16")):
        src = tmp_path / "a.txt"
        src.write_bytes(data)
        assert run.make(src, tmp_path, on=DAY).imported.topic.summary == "Café text."


def test_too_many_points_are_refused_with_the_input_named(tmp_path):
    text = "Title\n\nIntro.\n\nWhat?\n\n" + "".join(f"Point {i}.\n\n" for i in range(5100))
    src = tmp_path / "many.txt"
    src.write_text(text)
    with pytest.raises(NotesError) as exc:
        run.make(src, tmp_path, on=DAY)
    assert "5,100 points" in exc.value.problems[0].message and exc.value.problems[0].path == str(src)


def test_suggestions_read_one_clear_date_or_amount():
    e = suggest.event("India joined the group in 2016 after the Vostok-2022 drills.")
    assert (e.when, e.what) == ("2016", "India joined the group after the Vostok-2022 drills")
    assert suggest.event("In May 2018, both countries signed the statement.").when == "May 2018"
    assert suggest.event("Trade grew between 2000-2019 and in 2022.") is None  # a range: no single date
    assert suggest.event("Japan invested heavily since 2014.") is None        # 'since' is no date of an event
    f = suggest.fact("Bilateral trade stood at US$ 13.7 billion in 2020, with exports worth US$ 4.3 billion.")
    assert (f.label, f.value) == ("Bilateral trade (2020)", "US$ 13.7 billion")
    assert suggest.fact("It grew.") is None and suggest.fact("It is ~5% of all.") is None  # no label of 2+ words


def test_units_classify_lines():
    assert pointwise.is_question("How has it evolved?") and not pointwise.is_question("First, why?")
    assert pointwise.is_heading("Strategic and Defence Cooperation")
    assert not pointwise.is_heading("India and Japan signed an agreement in the year.")
    assert not pointwise.is_heading("the lower case start")
    assert pointwise.is_ordinal("Sixth, the cooperation") and pointwise.is_ordinal("Third, The")
    assert not pointwise.is_ordinal("Firstborn children")


# ------------------------------------------------------------------ the YAML writer

NOTES = Path(__file__).resolve().parent.parent / "notes"


@pytest.mark.parametrize("name", ["india-japan", "indian-monsoon", "fundamental-rights"])
def test_the_writer_round_trips_every_sample_topic(name):
    topic = loader.load(NOTES / f"{name}.yaml")
    text = yaml_out.dump(topic, ["a header"], {(topic.sections[0].id, "facts", 0): "check: a comment"})
    assert loader.load_text(text, topic.path, name) == topic
    assert text.startswith("# a header\ntopic: ")


printable = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp", "Cn"), include_characters="\n\t"),
                    min_size=1, max_size=30)
marked = printable.filter(lambda s: s.strip()).map(inline.escape)


@given(st.lists(marked, min_size=1, max_size=5), marked, marked, marked)
def test_the_writer_keeps_any_text_exactly(points, title, label, cell):
    section = Section("s", title, points=tuple(Point(p) for p in points), facts=(Fact(label, cell, title),),
                      table=Table((label, cell), ((cell, title),)), number="1")
    topic = Topic("t", title, (section,), summary=label, syllabus=(cell,), sources=(Source(title),), path="t.yaml")
    assert loader.load_text(yaml_out.dump(topic), "t.yaml", "t") == topic
    assert [markup.plain(p) for p in points] == [markup.plain(p.text) for p in section.points]


@given(printable)
def test_escaped_text_prints_as_it_was(text):
    assert markup.plain(inline.escape(text)) == text
    assert all(not (r.bold or r.italic or r.key) for r in markup.parse(inline.escape(text)))
