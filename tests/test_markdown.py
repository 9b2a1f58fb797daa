"""Markdown notes (docs/notes-format.md, "Markdown notes"): one test per mapping rule, located errors,
and the round trip YAML → Markdown (export) → topic, which must give back the same topic.

Problems are pinned to their exact line and column of the .md file; the round trip is checked on
every sample topic and on generated ones (hypothesis).
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import _safe_markup, valid_topics

from studynotes import markup
from studynotes.cli import main
from studynotes.errors import NotesError, Problem, UsageError
from studynotes.importers.markdown_out import inline, to_markdown
from studynotes.load import discover, markdown, notes, presets
from studynotes.model import Card, Event, Fact, Point, Section, Source, Table, Term, Topic, iter_points
from studynotes.render import engine

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "notes").glob("*.yaml"))
SHOWN = "n.md"


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def parse(text: str) -> markdown.Parsed:
    return markdown.parse(md(text), SHOWN, "n")


def load(text: str) -> Topic:
    return parse(text).topic


def problems(text: str) -> list[Problem]:
    with pytest.raises(NotesError) as info:
        markdown.parse(md(text), SHOWN, "n")
    return info.value.problems


def only(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def texts(points: tuple[Point, ...]) -> list[str]:
    return [p.text for p, _ in iter_points(points)]


def same(a: Topic, b: Topic) -> bool:
    """Model equality (locations are not part of it); the file a topic came from is not either."""
    return dataclasses.replace(a, path="") == dataclasses.replace(b, path="")


# ---------------------------------------------------------------- the mapping, rule by rule

def test_front_matter_holds_the_topic_level_keys_and_markmap_options_are_ignored():
    t = load("""
        ---
        id: ij
        subject: International Relations
        syllabus: GS II — bilateral relations
        tags: [IR, Quad]
        updated: 2022-09-10
        summary: A ==gist== in one sentence.
        sources:
          - Indian Express
          - {title: MEA, url: "https://www.mea.gov.in"}
        markmap:
          colorFreezeLevel: 2
        ---

        # India–Japan

        ## Context

        - A point
        """)
    assert (t.id, t.title, t.subject, t.syllabus, t.tags, t.updated, t.summary) == (
        "ij", "India–Japan", "International Relations", ("GS II — bilateral relations",), ("IR", "Quad"),
        "2022-09-10", "A ==gist== in one sentence.")
    assert t.sources == (Source("Indian Express"), Source("MEA", "https://www.mea.gov.in"))
    assert t.id_at.line == 2


def test_an_unknown_front_matter_key_is_a_located_warning_with_the_closest_key():
    parsed = parse("""
        ---
        sumary: typo
        ---
        # T

        ## S

        - p
        """)
    (w,) = parsed.warnings
    assert (w.line, w.col, w.severity) == (2, 1, "warning")
    assert "unknown key 'sumary'" in w.message and "'summary'" in w.message


def test_front_matter_errors_point_at_lines_of_the_markdown_file():
    p = only("""
        ---
        title: T
        updated: 2022-13-40
        ---

        ## S

        - p
        """)
    assert (p.line, p.col, p.where) == (3, 10, "updated")


def test_the_single_h1_is_the_title_h2_are_sections_and_h3_sub_sections():
    t = load("""
        # The ==topic==

        ## First part

        - one

        ## Second part

        ### Inner

        - two
        """)
    assert t.title == "The ==topic=="
    assert [(s.id, s.title, s.number, d) for s, d in t.walk()] == [
        ("first-part", "First part", "1", 0), ("second-part", "Second part", "2", 0), ("inner", "Inner", "2.1", 1)]
    assert t.sections[0].loc.line == 3


def test_several_h1_are_sections_and_the_title_comes_from_the_front_matter():
    t = load("""
        ---
        title: Notes
        ---
        # A

        - a

        # B

        ## B1

        - b
        """)
    assert t.title == "Notes"
    assert [(s.title, d) for s, d in t.walk()] == [("A", 0), ("B", 0), ("B1", 1)]


def test_deeper_headings_are_points_and_what_follows_them_their_sub_points():
    t = load("""
        # T

        ## S

        #### Heading point

        - under it

        ##### Deeper

        Text under deeper.

        #### Next
        """)
    (s,) = t.sections
    assert [(p.text, [q.text for q in p.points]) for p in s.points] == [
        ("Heading point", ["under it", "Deeper"]), ("Next", [])]
    assert texts(s.points[0].points[1].points) == ["Text under deeper."]


def test_lists_nest_as_points_and_ordered_items_keep_their_numbers():
    t = load("""
        # T

        ## S

        - a
          - a1
            - a11
        3. third
        4) fourth
        """)
    (s,) = t.sections
    assert texts(s.points) == ["a", "a1", "a11", "3. third", "4) fourth"]
    assert [(p.loc.line, p.loc.col) for p, _ in iter_points(s.points)] == [(5, 3), (6, 5), (7, 7), (8, 4), (9, 4)]


def test_paragraphs_and_lists_before_sub_headings_are_kept_unlike_markmap():
    t = load("""
        # T

        ## Features

        A paragraph before the sub-headings.

        - and a list

        ### Lists

        - x
        """)
    (s,) = t.sections
    assert texts(s.points) == ["A paragraph before the sub-headings.", "and a list"]
    assert texts(s.sections[0].points) == ["x"]


@pytest.mark.parametrize("source, expected", [
    ("**bold** and __bold__", "**bold** and **bold**"),
    ("*it* and _it_", "*it* and *it*"),
    ("==key== stays", "==key== stays"),
    ("`code *x* = \\y`", "code \\*x\\* \\= \\\\y"),
    ("~~struck~~ text", "struck text"),
    ("a \\* b \\_c\\_ \\# d", "a \\* b _c_ # d"),
    ("&amp; &lt;b&gt; &#42;", "& <b> *"),
    ("x <b>y</b> <!-- note --> z", "x y  z"),
    ("line one\nline two", "line one line two"),
    ("C:\\Users and 5 * 3", "C:\\Users and 5 * 3"),
])
def test_inline_markdown_becomes_notes_markup_and_no_syntax_is_left(source, expected):
    t = load(f"# T\n\n## S\n\n{source}\n")
    assert t.sections[0].points[0].text == expected


def test_asterisks_markdown_prints_literally_are_escaped_when_the_notes_markup_would_refuse_them():
    t = load("# T\n\n## S\n\n- a *b and **c\n")
    text = t.sections[0].points[0].text
    assert text == "a \\*b and \\*\\*c"
    assert markup.plain(text) == "a *b and **c"


def test_web_links_print_their_text_and_their_targets_become_sources():
    parsed = parse("""
        ---
        sources:
          - {title: MEA, url: "https://www.mea.gov.in"}
        ---
        # T

        ## S

        - See [the **MEA**](https://www.mea.gov.in) and [Japan](https://www.mofa.go.jp)
        - Back to [top](#t), or [a file](other.md)
        """)
    t = parsed.topic
    assert texts(t.sections[0].points) == ["See the **MEA** and Japan", "Back to top, or a file"]
    assert t.sources == (Source("MEA", "https://www.mea.gov.in"), Source("Japan", "https://www.mofa.go.jp"))
    (w,) = parsed.warnings
    assert (w.line, "other.md" in w.message) == (10, True)


def test_task_items_print_a_box_and_images_their_description_with_a_warning():
    parsed = parse("""
        # T

        ## S

        - [ ] to do
        - [x] done
        - ![a map of India](map.png)
        """)
    assert texts(parsed.topic.sections[0].points) == ["□ to do", "√ done", "a map of India"]
    assert [(w.line, "map.png" in w.message) for w in parsed.warnings] == [(7, True)]


def test_a_blockquote_is_a_point_and_its_further_paragraphs_its_sub_points():
    t = load("""
        # T

        ## S

        > Quoted words.
        >
        > More of them.
        """)
    (p,) = t.sections[0].points
    assert (p.text, texts(p.points)) == ("Quoted words.", ["More of them."])


def test_code_blocks_are_points_printed_literally_one_a_line():
    t = load("""
        # T

        ## S

        ```python
        x = a * b

        print(x)
        ```
        """)
    pts = t.sections[0].points
    assert texts(pts) == ["x \\= a \\* b", "print(x)"]
    assert [p.loc.line for p in pts] == [6, 8]


def test_a_gfm_table_is_the_sections_table_with_its_caption():
    t = load("""
        # T

        ## S

        Table: Joint *exercises*
        | Exercise | Service |
        |---|---|
        | JIMEX | Navy |
        | Malabar |  |
        """)
    (s,) = t.sections
    assert s.table == Table(("Exercise", "Service"), (("JIMEX", "Navy"), ("Malabar", "–")), "Joint *exercises*")
    assert (s.points, s.table.loc.line) == ((), 6)


def test_tables_headed_with_the_keys_of_facts_timeline_terms_and_cards_fill_them():
    t = load("""
        # T

        ## S

        | Label | Value | Note |
        |---|---|---|
        | Trade (2020) | US$ 13.7 bn | |
        | FDI | ~US$ 32 bn | 3rd largest |

        | When | What |
        |---|---|
        | 1952 | Peace treaty |

        | term | meaning |
        |---|---|
        | ACSA | Acquisition and Cross-Servicing Agreement |

        | Q | A |
        |---|---|
        | Which year? | 1952 |
        """)
    (s,) = t.sections
    assert s.facts == (Fact("Trade (2020)", "US$ 13.7 bn"), Fact("FDI", "~US$ 32 bn", "3rd largest"))
    assert s.timeline == (Event("1952", "Peace treaty"),)
    assert s.terms == (Term("ACSA", "Acquisition and Cross-Servicing Agreement"),)
    assert s.cards == (Card("Which year?", "1952"),)
    assert [f.loc.line for f in s.facts] == [7, 8]


def test_a_caption_keeps_a_table_headed_like_a_timeline_a_table():
    t = load("# T\n\n## S\n\nTable:\n\n| When | What |\n|---|---|\n| 1952 | Treaty |\n")
    (s,) = t.sections
    assert (s.timeline, s.table) == ((), Table(("When", "What"), (("1952", "Treaty"),)))


def test_a_second_table_in_a_section_is_kept_as_points_with_a_warning():
    parsed = parse("""
        # T

        ## S

        | A | B |
        |---|---|
        | 1 | 2 |

        | C | D |
        |---|---|
        | 3 | 4 |
        """)
    (s,) = parsed.topic.sections
    assert s.table is not None and texts(s.points) == ["C · D", "3 · 4"]
    assert [w.line for w in parsed.warnings] == [9]


def test_attributes_give_ids_tags_short_labels_and_key_points():
    t = load("""
        # T

        ## Strategic and defence cooperation {#defence .security tag="bilateral ties" short="Defence"}

        - ==ACSA== signed in 2020 {.key short="ACSA (2020)"}
        - A set {1, 2} stays text
        """)
    (s,) = t.sections
    assert (s.id, s.tags, s.short) == ("defence", ("security", "bilateral ties"), "Defence")
    assert s.points[0] == Point("==ACSA== signed in 2020", "ACSA (2020)", True)
    assert s.points[1].text == "A set {1, 2} stays text"


@pytest.mark.parametrize("line, fragment", [
    ("- p {.nope}", "a point has no tags"),
    ("- p {#id}", "a point has no id"),
    ("- p {colour=red}", "unknown attribute 'colour'"),
])
def test_a_wrong_attribute_is_a_located_error(line, fragment):
    p = only(f"# T\n\n## S\n\n{line}\n")
    assert (p.line, p.col, p.where) == (5, 5, "point") and fragment in p.message, str(p)


def test_a_bad_section_id_points_at_the_attribute_block():
    p = only("# T\n\n## S {#Not_an_id}\n\n- p\n")
    assert (p.line, p.col, p.where) == (3, 6, "section.id") and "not a valid id" in p.message


def test_unbalanced_markup_points_at_the_marker():
    p = only("# T\n\n## S\n\n- fine\n- a ==key term\n")
    assert (p.line, p.col, p.where) == (6, 5, "point") and "never closes" in p.message


def test_a_heading_without_anything_under_it_is_a_point_of_its_section():
    t = load("""
        # T

        ## Branch

        ### Leaf one

        ### Leaf two

        - with a point
        """)
    (s,) = t.sections
    assert texts(s.points) == ["Leaf one"] and [x.title for x in s.sections] == ["Leaf two"]


def test_a_section_with_nothing_under_it_is_a_located_error():
    p = only("# T\n\n## Empty\n\n## Full\n\n- p\n")
    assert (p.line, p.where) == (3, "section") and "has no content" in p.message


def test_points_nested_deeper_than_three_levels_are_folded_into_their_parent_with_a_warning():
    parsed = parse("""
        # T

        ## S

        - 1
          - 2
            - 3
              - 4
                - 5
              - 4b
        """)
    (p,) = parsed.topic.sections[0].points
    assert texts((p,)) == ["1", "2", "3 › 4 › 5; 4b"]
    (w,) = parsed.warnings
    assert (w.line, w.col, w.severity) == (7, 7, "warning") and "3 points nested deeper" in w.message


def test_an_introduction_is_the_summary_and_anything_else_there_an_overview_section():
    t = load("# T\n\nThe gist.\n\nMore of it.\n\n## S\n\n- p\n")
    assert (t.summary, [s.id for s in t.sections]) == ("The gist. More of it.", ["s"])
    t = load("# T\n\n- a list first\n\n## S\n\n- p\n")
    assert (t.summary, [(s.id, s.title) for s in t.sections]) == (None, [("overview", "Overview"), ("s", "S")])
    assert texts(t.sections[0].points) == ["a list first"]


def test_repeated_headings_get_unique_ids_but_repeated_given_ids_are_an_error():
    t = load("# T\n\n## A\n\n### Examples\n\n- x\n\n## B\n\n### Examples\n\n- y\n")
    assert [s.id for s, _ in t.walk()] == ["a", "examples", "b", "examples-2"]
    p = only("# T\n\n## A {#x}\n\n- p\n\n## B {#x}\n\n- q\n")
    assert (p.line, p.where) == (7, "section.id") and "two sections have the id 'x'" in p.message


def test_the_markmap_demo_builds_and_every_word_of_it_is_kept():
    source = (ROOT / "tests" / "data" / "markmap-demo.md").read_text(encoding="utf-8")
    parsed = markdown.parse(source, "demo.md", "demo")
    t = parsed.topic
    printed = " ".join([t.title, *(markup.plain(s.title) for s, _ in t.walk())]
                       + [markup.plain(p.text) for s, _ in t.walk() for p, _ in iter_points(s.points)]
                       + [c for s, _ in t.walk() if s.table for c in s.table.columns + sum(s.table.rows, ())])
    for word in ["Website", "GitHub", "Neovim", "strong", "del", "italic", "highlight", "inline", "checkbox",
                 "Katex", "maxWidth", "item", "console.log('hello,", "Apple", "Banana", "Price"]:
        assert word in printed, word
    for leak in ("](", "~~", "`", "[x]", "<!--", "**"):
        assert leak not in printed, leak
    assert [s.url for s in t.sources][:2] == ["https://markmap.js.org/", "https://github.com/gera2ld/markmap"]


def test_the_documented_example_is_the_yaml_example_point_for_point():
    doc = (ROOT / "docs" / "notes-format.md").read_text(encoding="utf-8")
    (yaml_example,) = re.findall(r"```yaml\n(.*?)```", doc, re.S)[:1]
    (md_example,) = re.findall(r"```markdown\n(.*?)```", doc, re.S)
    parsed = markdown.parse(md_example, "example.md", "example")
    assert same(parsed.topic, notes.load_text(yaml_example, "example.yaml", "example")) and parsed.warnings == ()


def test_a_problem_found_while_rendering_points_at_the_markdown_line():
    topic = load("# T\n\n## One\n\n- plain\n\n## Two\n\n- a \u0f40 here\n")  # Tibetan: no font ships for it
    (w,) = engine("revision")(topic, presets.load("revision")).warnings
    assert (w.path, w.line, "U+0F40" in w.message) == (SHOWN, 7, True)


# ---------------------------------------------------------------- files, the folder and the command line

def test_load_dispatches_md_files_and_reports_their_warnings(tmp_path):
    f = tmp_path / "x.md"
    f.write_text("# T\n\n## S\n\n- ![](a.png) p\n", encoding="utf-8")
    topic, warnings = notes.read(f)
    assert (topic.title, topic.path, [w.line for w in warnings]) == ("T", str(f), [5])
    assert notes.load(f) == topic


def test_a_notes_folder_holds_markdown_too_but_not_its_readme(tmp_path):
    (tmp_path / "a.yaml").write_text("topic: A\nsections:\n  - title: S\n    points: [p]\n")
    (tmp_path / "b.md").write_text("# B\n\n## S\n\n- p ![](x.png)\n")
    (tmp_path / "README.md").write_text("This folder holds notes.\n")
    (tmp_path / "readme.yaml").write_text("topic: R\nsections:\n  - title: S\n    points: [p]\n")
    assert [p.name for p in discover.notes_files(tmp_path)] == ["a.yaml", "b.md", "readme.yaml"]
    assert discover.topic_files(("b",), tmp_path) == [tmp_path / "b.md"]
    found: list[Problem] = []
    assert [t.id for t in discover.load_files(discover.notes_files(tmp_path), warnings=found)] == ["a", "b", "readme"]
    assert [(w.path, w.line) for w in found] == [(str(tmp_path / "b.md"), 5)]


def test_one_name_for_two_files_is_a_usage_error_naming_both(tmp_path):
    (tmp_path / "a.yaml").write_text("topic: A\nsections:\n  - title: S\n    points: [p]\n")
    (tmp_path / "a.md").write_text("# A\n\n## S\n\n- p\n")
    with pytest.raises(UsageError, match="a.md and .*a.yaml"):
        discover.topic_files(("a",), tmp_path)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ij.md").write_text(
        to_markdown(notes.load(ROOT / "notes" / "india-japan.yaml")), encoding="utf-8")
    return tmp_path


def test_list_and_check_take_markdown_topics_by_id_and_path(project):
    r = CliRunner().invoke(main, ["list", "india-japan"])
    assert r.exit_code == 0 and "defence" in r.output and "notes/ij.md" in r.output, r.output
    r = CliRunner().invoke(main, ["check", "notes/ij.md"])
    assert (r.exit_code, r.output.strip()) == (0, "1 file(s) OK")


def test_check_locates_a_mistake_in_a_markdown_file_and_exits_1(project):
    (project / "notes" / "bad.md").write_text("# T\n\n## S\n\n- a ==b\n")
    r = CliRunner().invoke(main, ["check"])
    assert r.exit_code == 1 and "notes/bad.md:5:5: point:" in r.output and "Traceback" not in r.output


def test_export_prints_the_topic_as_markdown_or_writes_it_once(project):
    r = CliRunner().invoke(main, ["export", "india-japan", "--md"])
    assert r.exit_code == 0 and r.output == (project / "notes" / "ij.md").read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["export", "india-japan", "--md", "-o", "out/ij.md"])
    assert (r.exit_code, r.output) == (0, "wrote out/ij.md\n")
    again = CliRunner().invoke(main, ["export", "india-japan", "--md", "-o", "out/ij.md"])
    assert again.exit_code == 2 and "--force" in again.output
    assert CliRunner().invoke(main, ["export", "india-japan", "--md", "-o", "out/ij.md", "--force"]).exit_code == 0


@pytest.mark.parametrize("args, fragment", [(["india-japan"], "--md"), (["india-japan", "--md", "-o", "x.yaml"], ".md"),
                                            (["nowhere", "--md"], "unknown topic")])
def test_export_refuses_what_it_cannot_do(project, args, fragment):
    r = CliRunner().invoke(main, ["export", *args])
    assert r.exit_code == 2 and fragment in r.output and not (project / "x.yaml").exists()


# ---------------------------------------------------------------- the round trip

@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_topic_comes_back_equal_from_its_markdown(path):
    topic = notes.load(path)
    parsed = markdown.parse(to_markdown(topic), "x.md", "x")
    assert same(parsed.topic, topic) and parsed.warnings == ()


def test_the_export_reads_naturally(path=ROOT / "notes" / "india-japan.yaml"):
    text = to_markdown(notes.load(path))
    assert "\n# India–Japan Relations\n" in text
    assert "\n### Strategic and defence cooperation {#defence .defence .security short=\"Defence\"}\n" in text
    assert "\n| When | What |\n" in text and "\nTable: Joint exercises\n" in text
    assert "\nsummary: >\n  A friendship rooted in the spread of ==Buddhism==" in text
    assert "&#" not in text and "\\" not in text


@pytest.mark.parametrize("text", [
    " lead", "trail ", "two\nlines", "tab\there", "# hash", "> quote", "- dash", "+ plus", "* star", "***",
    "1952. Year", "3) three", "a_b _c_", "[x] box", "[link](http://x.y)", "`tick`", "<b>", "a < b", "&amp;", "&#10;",
    "~~x~~", "~US$",
    "C:\\", "\\_", "\\\\_", "\\*lit\\*", "**b** *i* ==k==", "set {a}", "x {.key}", "end #", "a | b", "Table: no",
    "\\&", "日本の**首都**は", "5 * 3", "a == b", "\u00a0nbsp\u3000", "\\", "x\\ ", "x\\\n", "a\n---\nb", "x\n...",
])
def test_awkward_texts_survive_the_round_trip_in_every_place(text):
    topic = Topic("t", text, (_section_with(text),), summary=text, subject=text, syllabus=(text,), tags=(text,),
                  sources=(Source(text, "https://e.org/a"),))
    back = markdown.parse(to_markdown(topic), "x.md", "x").topic
    assert same(back, topic), to_markdown(topic)


def _section_with(text: str) -> Section:
    """A section with the text in every place a section has text."""
    return Section("s", text, text, (text,), (Point(text, text, True, (Point(text),)),), (Fact(text, text, text),),
                   (Event(text, text),), (Term(text, text),), Table((text, text), ((text, text),), text),
                   (Card(text, text),), number="1")


def test_inline_escapes_only_what_markdown_would_misread():
    assert inline("India–Japan (2020): ==ACSA==, **key**, *it*") == "India–Japan (2020): ==ACSA==, **key**, *it*"
    assert inline("a_b and _c_") == "a_b and \\_c\\_"
    assert inline(" x\n") == "&#32;x&#10;"


MD_HOSTILE = st.sampled_from(["**", "*", "==", "\\*", "\\", "&amp;", "&#10;", "<b>", "[x](http://a.b)", "`c`", "~~s~~",
                              "1. ", "# ", "- ", "> ", "* ", "***", "---", "___", "{.key}", "{#id}", " {x}", "\\_",
                              "_a_", "| ", "\\|", "[ ] ", "<!-- c -->", "&", "#", "  ", "\n", "Table: x", "]: /u"])
md_text = st.lists(st.one_of(st.text(alphabet="*_=\\`[]<>&#!|{}~-+. \t\n09ab\u00a0日", min_size=1, max_size=3),
                             MD_HOSTILE), min_size=1, max_size=8).map("".join).map(
    lambda s: _safe_markup(s if s.strip() else s + "x"))


def _round_trip(doc: dict) -> None:
    try:
        topic = notes.load_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "g.yaml", "g")
    except NotesError:
        return  # texts the YAML contract refuses (a lone surrogate, say) are not notes
    text = to_markdown(topic)
    back = markdown.parse(text, "g.md", "g")
    assert same(back.topic, topic), text
    assert back.warnings == (), text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=valid_topics(md_text, md_text))
def test_generated_topics_come_back_equal_from_their_markdown(doc):
    _round_trip(doc)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=valid_topics(md_text, md_text))
def test_many_generated_topics_come_back_equal_from_their_markdown(doc):
    _round_trip(doc)


@pytest.mark.slow
def test_yaml_and_its_markdown_build_the_same_pdfs_and_a_second_build_is_up_to_date(project):
    (project / "yaml").mkdir()
    (project / "yaml" / "india-japan.yaml").write_bytes((ROOT / "notes" / "india-japan.yaml").read_bytes())
    kinds = ["-l", "revision", "-l", "mindmap", "-l", "summary", "-j", "1"]
    from_md = CliRunner().invoke(main, ["build", "india-japan", *kinds, "-o", "md"])
    from_yaml = CliRunner().invoke(main, ["build", "india-japan", "--notes", "yaml", *kinds, "-o", "y"])
    assert from_md.exit_code == 0 and from_yaml.exit_code == 0, from_md.output + from_yaml.output
    for kind in ("revision", "mindmap", "summary"):
        assert (project / "md" / "india-japan" / f"{kind}.pdf").read_bytes() == \
            (project / "y" / "india-japan" / f"{kind}.pdf").read_bytes(), kind
    again = CliRunner().invoke(main, ["build", "notes/ij.md", *kinds, "-o", "md"])
    assert again.exit_code == 0 and "3 up to date" in again.output and "written" not in again.output, again.output


@pytest.mark.slow
def test_a_pack_takes_a_markdown_topic_by_id_and_by_path(project):
    r = CliRunner().invoke(main, ["pack", "india-japan", "notes/ij.md", "-l", "summary", "-j", "1", "-o", "p.pdf"])
    assert r.exit_code == 0 and "2 parts" in r.output, r.output


def test_check_and_build_print_what_the_reader_folded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "deep.md").write_text("# Deep\n\n## Part\n\n- a\n  - b\n    - c\n      - d\n        - e\n",
                                                encoding="utf-8")
    said = "notes/deep.md:7:7: warning: point: 2 points nested deeper than 3 levels folded into this point's text"
    r = CliRunner().invoke(main, ["check"])
    assert r.exit_code == 0 and said in r.output
    r = CliRunner().invoke(main, ["build", "deep", "-l", "revision", "-j", "1"])
    assert r.exit_code == 0 and said in r.output


def test_a_markdown_file_in_a_pack_file_is_a_path_beside_it(tmp_path):
    from studynotes.load.packfile import is_path

    assert is_path("ij.md") and is_path("sub/ij.yaml") and not is_path("india-japan")
