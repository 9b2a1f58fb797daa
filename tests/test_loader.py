"""The notes contract (/work/shared/notes-format.md), one test per rule.

Every error test pins the exact line, column and path (``where``) of the
problem and a distinctive part of its message: a rule that stops being
enforced, or an error that drifts away from the offending value, fails here.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from limits import time_limit

from studynotes.errors import Loc, NotesError, Problem
from studynotes.load import notes as loader
from studynotes.load import yamlfile as yamlsrc
from studynotes.model import Card, Event, Fact, Point, Source, Table, Term

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "example.yaml"
NOTES = sorted((ROOT / "notes").glob("*.y*ml"))

SHOWN = "f.yaml"


def y(text: str) -> str:
    """A YAML document written indented in the test, without the indentation."""
    return textwrap.dedent(text).lstrip("\n")


def load(text: str, stem: str = "t"):
    return loader.load_text(y(text), SHOWN, stem)


def problems(text: str, stem: str = "t") -> list[Problem]:
    with pytest.raises(NotesError) as info:
        loader.load_text(y(text), SHOWN, stem)
    return info.value.problems


def only(text: str, stem: str = "t") -> Problem:
    found = problems(text, stem)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def check(p: Problem, line: int, col: int, where: str, fragment: str, path: str = SHOWN) -> None:
    assert (p.path, p.line, p.col, p.where) == (path, line, col, where), str(p)
    assert fragment in p.message, str(p)


def file_problems(path: Path) -> list[Problem]:
    with pytest.raises(NotesError) as info:
        loader.load(path)
    return info.value.problems


# ---------------------------------------------------------------- files that must load


def test_contract_example_loads_with_every_value():
    t = loader.load(EXAMPLE)
    assert t.id == "india-japan"
    assert t.title == "India–Japan Relations"
    assert t.subject == "International Relations"
    assert t.syllabus == ("GS II — India and its neighbourhood relations",)
    assert t.tags == ("IR", "Indo-Pacific")
    assert t.updated == "2022-09-10"
    assert t.summary == ("Two democracies whose ties grew from Buddhism-era links into a "
                         "==Special Strategic and Global Partnership== (2014).\n")
    assert t.sources == (Source("Ministry of External Affairs"),
                         Source("Ministry of Foreign Affairs of Japan", "https://www.mofa.go.jp"))
    assert [(s.id, d) for s, d in t.walk()] == [
        ("evolution", 0), ("current-status", 0), ("defence", 1), ("economy", 1)]
    evolution, status = t.sections
    assert evolution.short == "Evolution"
    assert evolution.points == (
        Point("Links since the ==6th century==, when Buddhism reached Japan"),
        Point("Peace treaty and diplomatic relations, ==April 1952==", "1952 treaty", True,
              (Point("One of Japan's first peace treaties after World War II"),)),
    )
    assert evolution.timeline == (Event("1952", "Peace treaty; diplomatic ties"),
                                  Event("2014", "Special Strategic and Global Partnership"))
    defence, economy = status.sections
    assert defence.tags == ("defence",)
    assert defence.terms == (Term("ACSA", "Acquisition and Cross-Servicing Agreement"),)
    assert defence.table == Table(("Exercise", "Service"), (("Dharma Guardian", "Army"), ("JIMEX", "Navy")),
                                  "Joint exercises")
    assert economy.facts == (Fact("Bilateral trade (2020)", "US$ 13.7 bn"),
                             Fact("Japanese FDI 2000–2019", "~US$ 32 bn", "3rd largest investor"))
    assert economy.cards == (Card("Which 2011 agreement underpins trade?",
                                  "Comprehensive Economic Partnership Agreement"),)
    assert (evolution.loc.line, evolution.loc.col) == (14, 5)


def test_the_shipped_notes_exist():
    assert len(NOTES) >= 3


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.name)
def test_every_shipped_notes_file_loads(path):
    t = loader.load(path)
    assert t.id == path.stem
    assert t.path == str(path)
    ids = [s.id for s, _ in t.walk()]
    assert ids and len(ids) == len(set(ids))
    assert all(s.points or s.facts or s.timeline or s.terms or s.table or s.cards or s.sections
               for s, _ in t.walk())


# ---------------------------------------------------------------- required keys and types


def test_topic_is_required_error_at_start_of_mapping():
    p = only("""
        # a comment first
        sections:
          - title: A
            points: [x]
        """)
    check(p, 2, 1, "", "missing required key 'topic'")


def test_sections_are_required():
    p = only("topic: T\nsubject: S\n")
    check(p, 1, 1, "", "missing required key 'sections'")


def test_sections_need_at_least_one():
    p = only("topic: T\nsections: []\n")
    check(p, 2, 11, "sections", "at least one section")


def test_unknown_top_level_key_suggests_the_close_one():
    p = only("""
        topic: T
        subjet: Polity
        sections:
          - title: A
            points: [x]
        """)
    check(p, 2, 1, "", "unknown key 'subjet' (did you mean 'subject'?)")


def test_unknown_section_key_suggests_the_close_one():
    p = only("""
        topic: T
        sections:
          - title: A
            points: [x]
            timelin:
              - {when: 1947, what: Independence}
        """)
    check(p, 5, 5, "sections[0]", "unknown key 'timelin' (did you mean 'timeline'")


def test_unknown_key_far_from_any_has_no_suggestion():
    p = only("""
        topic: T
        zzzzzz: 1
        sections:
          - title: A
            points: [x]
        """)
    check(p, 2, 1, "", "unknown key 'zzzzzz'")
    assert "did you mean" not in p.message


@pytest.mark.parametrize("text, line, col, where, fragment", [
    # a list where text is expected
    ("topic: [a, b]\nsections:\n  - title: A\n    points: [x]\n", 1, 8, "topic", "expected text, found a list"),
    # a mapping where a list is expected
    ("topic: T\nsections:\n  title: A\n  points: [x]\n", 3, 3, "sections", "expected a list, found a mapping"),
    # text where a list is expected
    ("topic: T\nsections:\n  - title: A\n    facts: none\n    points: [x]\n", 4, 12, "sections[0].facts",
     "expected a list, found 'none'"),
    # a list where a mapping is expected
    ("topic: T\nsections:\n  - title: A\n    table: [a, b]\n    points: [x]\n", 4, 12, "sections[0].table",
     "expected a mapping of keys (title, columns, rows), found a list"),
    # text where a mapping (a section) is expected
    ("topic: T\nsections:\n  - just a title\n", 3, 5, "sections[0]", "expected a mapping of keys (title, id"),
    # a mapping where text is expected
    ("topic: T\nsections:\n  - title: {a: b}\n    points: [x]\n", 3, 12, "sections[0].title",
     "expected text, found a mapping"),
    # the whole document is a list
    ("- topic: T\n", 1, 1, "", "expected a mapping of keys (topic, id,"),
])
def test_wrong_types_are_located(text, line, col, where, fragment):
    check(only(text), line, col, where, fragment)


def test_empty_text_is_an_error():
    p = only("""
        topic: T
        sections:
          - title: A
            points:
              -
              - x
        """)
    check(p, 5, 8, "sections[0].points[0]", "must not be empty")


# ---------------------------------------------------------------- ids


@pytest.mark.parametrize("value", ["a/b", "..", "India", "my notes", "-x", "a.b", "a\\\\b"])
def test_topic_id_must_match_the_pattern(value):
    p = only(f'topic: T\nid: "{value}"\nsections:\n  - title: A\n    points: [x]\n')
    check(p, 2, 5, "id", "is not a valid id: use lower-case letters a-z, digits and '-'")


def test_section_id_must_match_the_pattern():
    p = only("""
        topic: T
        sections:
          - title: A
            id: ../../etc
            points: [x]
        """)
    check(p, 4, 9, "sections[0].id", "'../../etc' is not a valid id")


def test_valid_ids_are_kept():
    t = load("""
        topic: T
        id: gs2-ir-2024
        sections:
          - {id: 1st, title: A, points: [x]}
        """)
    assert (t.id, t.sections[0].id) == ("gs2-ir-2024", "1st")


def test_default_topic_id_is_the_slugged_file_stem(tmp_path):
    path = tmp_path / "My Notes_2024 (Draft).yaml"
    path.write_text("topic: T\nsections:\n  - title: A\n    points: [x]\n", encoding="utf-8")
    t = loader.load(path)
    assert t.id == "my-notes-2024-draft"
    assert t.path == str(path)


def test_default_section_id_is_the_slug_of_the_title():
    t = load("""
        topic: T
        sections:
          - title: How the relationship evolved
            points: [x]
          - title: "**Café** & Co. — 2024!"
            points: [x]
          - title: Parent
            sections:
              - title: "  Art. 21:  Life -- Liberty  "
                points: [x]
        """)
    assert [s.id for s, _ in t.walk()] == [
        "how-the-relationship-evolved", "cafe-co-2024", "parent", "art-21-life-liberty"]


def test_title_without_ascii_gets_section_number():
    t = load("""
        topic: भारत
        sections:
          - title: मानसून
            points: [x]
          - title: Japan
            sections:
              - title: Links
                points: [x]
              - title: 日本
                points: [y]
          - title: "—"
            points: [z]
        """)
    assert [s.id for s, _ in t.walk()] == ["section-1", "japan", "links", "section-2-2", "section-3"]
    assert t.sections[0].title == "मानसून"


def test_duplicate_derived_ids_ask_for_explicit_ids():
    p = only("""
        topic: T
        sections:
          - title: Trade ties
            points: [x]
          - title: Trade -- Ties
            points: [y]
        """)
    check(p, 5, 5, "sections[1]", "two sections have the id 'trade-ties' (the other at line 3); "
                                  "give them explicit, different ids")


def test_duplicate_given_ids_across_levels_are_an_error():
    p = only("""
        topic: T
        sections:
          - id: economy
            title: A
            points: [x]
          - title: B
            sections:
              - id: economy
                title: C
                points: [y]
        """)
    check(p, 8, 13, "sections[1].sections[0].id", "two sections have the id 'economy' (the other at line 3)")


def test_given_id_clashing_with_a_derived_one():
    p = only("""
        topic: T
        sections:
          - title: Economy
            points: [x]
          - id: economy
            title: Money
            points: [y]
        """)
    check(p, 5, 9, "sections[1].id", "two sections have the id 'economy'")


# ---------------------------------------------------------------- sections and points


def test_section_needs_content_and_empty_lists_do_not_count():
    p = only("""
        topic: T
        sections:
          - title: A
            short: a
            points: []
            facts: []
            sections: []
        """)
    check(p, 3, 5, "sections[0]", "a section needs content: at least one of points, facts, timeline")
    assert "empty lists do not count" in p.message


@pytest.mark.parametrize("content", [
    "points: [x]",
    "facts: [{label: L, value: V}]",
    "timeline: [{when: 1947, what: W}]",
    "terms: [{term: T, meaning: M}]",
    "table: {columns: [a], rows: [[b]]}",
    "cards: [{q: Q, a: A}]",
    "sections: [{title: S, points: [x]}]",
])
def test_each_kind_of_content_is_enough(content):
    t = load(f"topic: T\nsections:\n  - title: A\n    {content}\n")
    assert t.sections[0].id == "a"


def test_sub_sections_nest_one_level_only():
    p = only("""
        topic: T
        sections:
          - title: A
            sections:
              - title: B
                points: [x]
                sections:
                  - title: C
                    points: [y]
        """)
    check(p, 7, 9, "sections[0].sections[0].sections", "sub-sections nest one level only")


def test_points_nest_three_levels():
    t = load("""
        topic: T
        sections:
          - title: A
            points:
              - text: one
                short: "1"
                key: true
                points:
                  - text: two
                    points:
                      - three
        """)
    (one,) = t.sections[0].points
    assert one == Point("one", "1", True, (Point("two", None, False, (Point("three"),)),))


def test_points_nest_at_most_three_levels():
    p = only("""
        topic: T
        sections:
          - title: A
            points:
              - text: one
                points:
                  - text: two
                    points:
                      - text: three
                        points: [four]
        """)
    check(p, 10, 17, "sections[0].points[0].points[0].points[0].points", "points nest at most 3 levels")


def test_point_mapping_needs_text():
    p = only("""
        topic: T
        sections:
          - title: A
            points:
              - {short: s, key: true}
        """)
    check(p, 5, 9, "sections[0].points[0]", "missing required key 'text'")


# ---------------------------------------------------------------- tables, records, sources


def test_table_rows_must_be_as_long_as_columns():
    found = problems("""
        topic: T
        sections:
          - title: A
            table:
              columns: [Exercise, Service]
              rows:
                - [Dharma Guardian, Army]
                - [JIMEX, Navy, extra]
                - [Malabar]
        """)
    assert len(found) == 2
    check(found[0], 8, 11, "sections[0].table.rows[1]", "has 3 cells but the table has 2 columns")
    check(found[1], 9, 11, "sections[0].table.rows[2]", "has 1 cell but the table has 2 columns")


def test_table_needs_columns_and_rows():
    found = problems("""
        topic: T
        sections:
          - title: A
            table:
              title: Nothing
        """)
    assert [(p.line, p.col, p.where, p.message) for p in found] == [
        (5, 7, "sections[0].table", "missing required key 'columns'"),
        (5, 7, "sections[0].table", "missing required key 'rows'"),
    ]


@pytest.mark.parametrize("kind, item, col, missing", [
    ("facts", "{label: Trade}", 9, "value"),
    ("facts", "{value: 13.7, note: n}", 9, "label"),
    ("timeline", "{when: 1952}", 9, "what"),
    ("timeline", "{what: Treaty}", 9, "when"),
    ("terms", "{term: ACSA}", 9, "meaning"),
    ("terms", "{meaning: Agreement}", 9, "term"),
    ("cards", "{q: Why}", 9, "a"),
    ("cards", "{a: Because}", 9, "q"),
])
def test_records_need_their_keys(kind, item, col, missing):
    p = only(f"topic: T\nsections:\n  - title: A\n    points: [x]\n    {kind}:\n      - {item}\n")
    check(p, 6, col, f"sections[0].{kind}[0]", f"missing required key '{missing}'")


def test_records_refuse_unknown_keys():
    p = only("""
        topic: T
        sections:
          - title: A
            facts:
              - {label: L, value: V, source: MEA}
        """)
    check(p, 5, 30, "sections[0].facts[0]", "unknown key 'source'")


def test_sources_are_strings_or_title_url():
    t = load("""
        topic: T
        sources:
          - Ministry of External Affairs
          - {title: MOFA, url: "https://www.mofa.go.jp/a?b=c"}
          - {title: Old, url: "http://example.org"}
          - {title: No link}
        sections:
          - title: A
            points: [x]
        """)
    assert t.sources == (Source("Ministry of External Affairs"), Source("MOFA", "https://www.mofa.go.jp/a?b=c"),
                         Source("Old", "http://example.org"), Source("No link"))


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)", "file:///etc/passwd",
                                 "www.example.org", "http://", "http://exa mple.org"])
def test_source_url_must_be_http(url):
    p = only(f'topic: T\nsources:\n  - {{title: X, url: "{url}"}}\nsections:\n  - title: A\n    points: [x]\n')
    check(p, 3, 21, "sources[0].url", f"'{url}' is not a web address: it must start with http:// or https://")


def test_source_mapping_needs_a_title():
    p = only('topic: T\nsources:\n  - {url: "https://x.org"}\nsections:\n  - title: A\n    points: [x]\n')
    check(p, 3, 5, "sources[0]", "missing required key 'title'")


# ---------------------------------------------------------------- scalars


@pytest.mark.parametrize("value", ["'true'", "1", "maybe", "[true]", "yes", "on"])
def test_key_must_be_a_boolean(value):
    p = only(f"topic: T\nsections:\n  - title: A\n    points:\n      - {{text: x, key: {value}}}\n")
    check(p, 5, 24, "sections[0].points[0].key", "expected true or false")


def test_key_true_and_false():
    t = load("""
        topic: T
        sections:
          - title: A
            points:
              - {text: a, key: true}
              - {text: b, key: false}
              - b
        """)
    assert [p.key for p in t.sections[0].points] == [True, False, False]


@pytest.mark.parametrize("value, shown", [("2022-13-01", "2022-13-01"), ("2022", "2022"),
                                          ("10 Sept 2022", "10 Sept 2022"), ("'2022-9-1'", "2022-9-1")])
def test_updated_must_be_a_date(value, shown):
    p = only(f"topic: T\nupdated: {value}\nsections:\n  - title: A\n    points: [x]\n")
    check(p, 2, 10, "updated", f"expected a date as YYYY-MM-DD, found '{shown}'")


def test_updated_is_kept_as_written():
    t = load("topic: T\nupdated: 2022-09-10\nsections:\n  - title: A\n    points: [x]\n")
    assert t.updated == "2022-09-10"


def test_syllabus_is_a_string_or_a_list():
    one = load("topic: T\nsyllabus: GS II\nsections:\n  - title: A\n    points: [x]\n")
    two = load("topic: T\nsyllabus: [GS II, GS III]\nsections:\n  - title: A\n    points: [x]\n")
    assert (one.syllabus, two.syllabus) == (("GS II",), ("GS II", "GS III"))
    p = only("topic: T\nsyllabus: {paper: GS II}\nsections:\n  - title: A\n    points: [x]\n")
    check(p, 2, 11, "syllabus", "expected a list, found a mapping")
    p = only("topic: T\nsyllabus: [GS II, [a]]\nsections:\n  - title: A\n    points: [x]\n")
    check(p, 2, 19, "syllabus[1]", "expected text, found a list")


def test_tags_are_a_list():
    p = only("topic: T\ntags: IR\nsections:\n  - title: A\n    points: [x]\n")
    check(p, 2, 7, "tags", "expected a list, found 'IR'")


def test_scalars_are_kept_exactly_as_written():
    t = load("""
        topic: 2014
        subject: 3.10
        sections:
          - title: 1947
            points: [1.10, 0x1F, 1_000, .5, +1, 1e3, 2022-09-10, true, no, 007]
            timeline:
              - {when: 1952, what: Treaty}
              - {when: 2022-09-10, what: 10.0}
            facts:
              - {label: Ratio, value: 1.10}
              - {label: Date, value: 2022-09-10, note: 0.50}
            table:
              columns: [Year, Value]
              rows: [[2020, 1.50], [2021, 2.00]]
            cards:
              - {q: 6 x 7, a: 42.0}
        """)
    s = t.sections[0]
    assert (t.title, t.subject, s.title, s.id) == ("2014", "3.10", "1947", "1947")
    assert [p.text for p in s.points] == ["1.10", "0x1F", "1_000", ".5", "+1", "1e3", "2022-09-10", "true",
                                          "no", "007"]
    assert s.timeline == (Event("1952", "Treaty"), Event("2022-09-10", "10.0"))
    assert s.facts == (Fact("Ratio", "1.10"), Fact("Date", "2022-09-10", "0.50"))
    assert s.table.rows == (("2020", "1.50"), ("2021", "2.00"))
    assert s.cards == (Card("6 x 7", "42.0"),)


# ---------------------------------------------------------------- YAML features


def test_yaml_syntax_error_is_located_where_the_parser_found_it():
    p = only("""
        topic: T
        sections:
          - title: A
           points: [x]
        """)
    check(p, 4, 4, "", "YAML syntax: did not find expected '-' indicator")


def test_unclosed_flow_list_is_a_located_syntax_error():
    p = only("topic: T\nsections:\n  - title: A\n    points: [x, y\n")
    assert (p.line, p.where) == (5, "")
    assert p.message.startswith("YAML syntax:")


def test_tabs_for_indentation_are_a_located_error():
    p = only("topic: T\nsections:\n\t- title: A\n\t  points: [x]\n")
    check(p, 3, 1, "", "indent with spaces, not tabs")


def test_duplicate_keys_are_an_error_not_last_wins():
    p = only("""
        topic: T
        sections:
          - title: First
            points: [x]
            title: Second
        """)
    check(p, 5, 5, "sections[0].title", "duplicate key 'title' (first at line 3); only one is allowed")


def test_duplicate_top_level_key():
    found = problems("topic: A\ntopic: B\nsections:\n  - title: A\n    points: [x]\n")
    check(found[0], 2, 1, "topic", "duplicate key 'topic' (first at line 1)")


def test_anchors_and_aliases_are_refused_naming_the_alias():
    found = problems("""
        topic: T
        sections:
          - title: A
            points: &common [x, y]
          - title: B
            points: *common
        """)
    assert len(found) == 2
    check(found[0], 4, 13, "sections[0].points", "YAML anchors are not allowed (&common)")
    check(found[1], 6, 13, "sections[1].points", "YAML aliases are not allowed (*common)")


def test_alias_bomb_is_refused_fast():
    lines = ["topic: T", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("sections: *i")
    with time_limit(10):  # a hang guard: expanding the aliases would take for ever
        found = problems("\n".join(lines) + "\n")
    aliases = [p for p in found if "aliases" in p.message]
    assert len(aliases) == 1
    check(aliases[0], 3, 8, "b[0]", "YAML aliases are not allowed (*a)")


@pytest.mark.parametrize("tagged, shown", [
    ("!!python/object/apply:os.system [echo hi]", "!!python/object/apply:os.system"),
    ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
    ("!!binary aGk=", "!!binary"),
    ("!custom x", "!custom"),
])
def test_tags_are_refused(tagged, shown):
    found = problems(f"topic: T\nsections:\n  - title: A\n    points:\n      - {tagged}\n")
    check(found[0], 5, 9, "sections[0].points[0]", f"YAML tags are not allowed ({shown})")


def test_several_documents_are_refused():
    p = only("topic: T\nsections:\n  - {title: A, points: [x]}\n---\ntopic: U\n")
    check(p, 4, 1, "", "expected a single document in the stream, but found another document")


# ---------------------------------------------------------------- the file itself


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# only a comment\n", b"---\n", b"\xef\xbb\xbf"])
def test_empty_file_is_reported_at_line_1(tmp_path, content):
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    (p,) = file_problems(path)
    check(p, 1, 1, "", "the file is empty", path=str(path))


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("topic: T\nsections:\n  - title: Café\n    points: [x]\n".encode("latin-1"))
    (p,) = file_problems(path)
    check(p, 3, 15, "", "the file is not valid UTF-8 (byte 0xe9)", path=str(path))


def test_utf16_file_is_refused_not_misread(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("topic: T\n".encode("utf-16"))
    (p,) = file_problems(path)
    check(p, 1, 1, "", "not valid UTF-8", path=str(path))


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "topic: Été\nsections:\n  - title: A\n    points: [x]\n".encode())
    t = loader.load(path)
    assert (t.title, t.sections[0].loc.line, t.sections[0].loc.col) == ("Été", 3, 5)


def test_crlf_line_ends_are_accepted_and_positions_stay_right(tmp_path):
    path = tmp_path / "crlf.yaml"
    text = "topic: T\r\nsections:\r\n  - title: A\r\n    points:\r\n      - one\r\n      - two\r\n"
    path.write_bytes(text.encode())
    t = loader.load(path)
    assert [p.text for p in t.sections[0].points] == ["one", "two"]
    path.write_bytes(text.replace("two", "an **open one").encode())
    (p,) = file_problems(path)
    check(p, 6, 12, "sections[0].points[1]", "bold '**' opens here and never closes", path=str(path))


def test_raw_control_characters_are_refused(tmp_path):
    path = tmp_path / "ctrl.yaml"
    path.write_bytes(b"topic: T\x01\nsections:\n  - title: A\n    points: [a\x1bb]\n")
    found = file_problems(path)
    assert [(p.line, p.col, p.message) for p in found] == [
        (1, 9, "control character U+0001 is not allowed"),
        (4, 15, "control character U+001B is not allowed"),
    ]


def test_control_characters_in_text_given_directly_are_refused():
    p = only("topic: T\nsections:\n  - title: A\n    points: [a\x00b]\n")
    check(p, 4, 15, "", "control character U+0000 is not allowed")


@pytest.mark.parametrize("escape, shown", [("\\0", "control character U+0000"),
                                           ("\\a", "control character U+0007")])
def test_control_characters_from_yaml_escapes_are_refused(escape, shown):
    p = only(f'topic: T\nsections:\n  - title: A\n    points: ["a{escape}b"]\n')
    check(p, 4, 14, "sections[0].points[0]", f"{shown} is not allowed")


def test_a_lone_surrogate_escape_is_refused_where_it_stands():
    p = only('topic: T\nsections:\n  - title: A\n    points: ["a\\ud800b"]\n')
    assert (p.line, p.col) in ((4, 14), (4, 18)), str(p)  # the value, or the escape inside it (libyaml)
    assert "U+D800" in p.message or "Unicode" in p.message


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    head = b"topic: T\nsections:\n  - title: A\n    points: [x]\n# "
    path.write_bytes(head + b"x" * (yamlsrc.MAX_FILE_BYTES + 1 - len(head)))
    (p,) = file_problems(path)
    check(p, 1, 1, "", "may be at most 2 MiB", path=str(path))


def test_file_at_the_size_limit_loads(tmp_path):
    path = tmp_path / "big.yaml"
    head = b"topic: T\nsections:\n  - title: A\n    points: [x]\n# "
    path.write_bytes(head + b"x" * (yamlsrc.MAX_FILE_BYTES - 1 - len(head)) + b"\n")
    assert loader.load(path).title == "T"


def test_missing_file_is_a_located_error(tmp_path):
    path = tmp_path / "nope.yaml"
    (p,) = file_problems(path)
    check(p, 1, 1, "", "cannot read the file", path=str(path))


def test_very_deep_flow_nesting_is_refused_at_a_location():
    p = only("topic: " + "[" * 20000 + "]" * 20000 + "\n")
    assert p.line == 1 and p.col in (39, 1007), str(p)  # our limit, or libyaml's own, whichever comes first
    assert "nest" in p.message


@pytest.mark.parametrize("text, line, col, where", [
    ("topic: " + "{a: " * 20000 + "1" + "}" * 20000 + "\n", 1, 129, "topic" + ".a" * 30),
    ("topic: T\nsections:\n" + "".join("  " * i + "-\n" for i in range(1, 400)), 34, 65,
     "sections" + "[0]" * 31),
])
def test_very_deep_nesting_is_refused_without_recursion_error(text, line, col, where):
    p = only(text)
    check(p, line, col, where, f"the file nests deeper than {yamlsrc.MAX_DEPTH} levels")


# ---------------------------------------------------------------- markup in values


@pytest.mark.parametrize("value, col, marker", [
    ("Links since the ==6th century", 25, "key '=='"),           # plain scalar
    ("'It''s **open'", 10, "bold '**'"),                        # not verbatim ('' is one '): the value's start
    ("'single *quoted'", 17, "italic '*'"),                     # single-quoted, verbatim
    ('"double **quoted"', 17, "bold '**'"),                     # double-quoted, verbatim
    ("日本の==首都は", 12, "key '=='"),                           # columns count characters
])
def test_unbalanced_markup_is_located_at_the_marker(value, col, marker):
    p = only(f"topic: T\nsections:\n  - title: A\n    points:\n      - {value}\n")
    check(p, 5, col, "sections[0].points[0]", f"{marker} opens here and never closes")


def test_unbalanced_markup_in_every_kind_of_text():
    found = problems("""
        topic: "**T"
        subject: "*S"
        summary: "==x"
        syllabus: [ok, "GS **II"]
        sources: ["*MEA", {title: "==MOFA"}]
        sections:
          - title: "**A"
            short: "*a"
            points: [x]
            facts: [{label: "==L", value: V, note: "*n"}]
            timeline: [{when: 1952, what: "**W"}]
            terms: [{term: "*t", meaning: M}]
            table: {title: "==T", columns: ["*C"], rows: [["**c"]]}
            cards: [{q: "==Q", a: A}]
        """)
    assert [(p.line, p.col, p.where) for p in found] == [
        (1, 9, "topic"), (2, 11, "subject"), (3, 11, "summary"), (4, 20, "syllabus[1]"),
        (5, 12, "sources[0]"), (5, 28, "sources[1].title"),
        (7, 13, "sections[0].title"), (8, 13, "sections[0].short"),
        (10, 22, "sections[0].facts[0].label"), (10, 45, "sections[0].facts[0].note"),
        (11, 36, "sections[0].timeline[0].what"), (12, 21, "sections[0].terms[0].term"),
        (13, 21, "sections[0].table.title"), (13, 38, "sections[0].table.columns[0]"),
        (13, 53, "sections[0].table.rows[0][0]"), (14, 18, "sections[0].cards[0].q"),
    ]
    assert all("opens here and never closes" in p.message for p in found)


def test_syllabus_string_markup_error_points_at_the_marker():
    p = only("topic: T\nsyllabus: GS **II\nsections:\n  - title: A\n    points: [x]\n")
    check(p, 2, 14, "syllabus", "bold '**' opens here and never closes")


def test_same_marker_nested_is_a_located_error():
    p = only("topic: T\nsections:\n  - title: A\n    points:\n      - '**a **b** c**'\n")
    check(p, 5, 14, "sections[0].points[0]", "the same marker may not nest")


def test_literal_markup_characters_load():
    t = load(r"""
        topic: T
        sections:
          - title: A
            points:
              - 5 * 3 = 15 and a == b
              - 'escaped \*star\* and \=\=eq\=\= and \\'
              - C:\path\to <b>&amp;</b>
        """)
    assert [p.text for p in t.sections[0].points] == [
        "5 * 3 = 15 and a == b", r"escaped \*star\* and \=\=eq\=\= and \\", r"C:\path\to <b>&amp;</b>"]


# ---------------------------------------------------------------- all problems at once


def test_all_problems_of_a_file_are_reported_at_once_sorted_by_position():
    found = problems("""
        topic: T
        id: Bad/Id
        sections:
          - title: A
            pionts: [x]
          - title: B
            points: ["**open"]
            table:
              columns: [a, b]
              rows: [[1]]
          - title: C
            points:
              - {text: c, key: sure}
        updated: yesterday
        """)
    assert [(p.line, p.col, p.where) for p in found] == [
        (2, 5, "id"),
        (4, 5, "sections[0]"),       # no content (the only list is mistyped)
        (5, 5, "sections[0]"),       # unknown key 'pionts'
        (7, 15, "sections[1].points[0]"),
        (10, 14, "sections[1].table.rows[0]"),
        (13, 24, "sections[2].points[0].key"),
        (14, 10, "updated"),
    ]
    assert found == sorted(found)
    assert "did you mean 'points'" in found[2].message
    text = str(NotesError(found)).splitlines()
    assert text[0] == ("f.yaml:2:5: id: 'Bad/Id' is not a valid id: use lower-case letters a-z, digits and '-' "
                       "(no spaces, '/', '\\' or '.'), starting with a letter or digit")
    assert len(text) == 7


def test_problem_prints_as_path_line_col_where_message():
    assert str(Problem("notes/a.yaml", 3, 7, "sections[0].id", "bad")) == "notes/a.yaml:3:7: sections[0].id: bad"
    assert str(Problem("notes/a.yaml", 1, 1, "", "the file is empty")) == "notes/a.yaml:1:1: the file is empty"


# ---------------------------------------------------------------- locations kept to the end

WHERE = """\
    topic: Where things stand
    id: where
    sections:
      - title: First
        points:
          - plain point
          - text: parent point
            points:
              - sub point
        facts:
          - {label: L, value: V}
        timeline:
          - {when: '1952', what: W}
        terms:
          - term: T
            meaning: M
        table:
          columns: [A, B]
          rows: [[1, 2]]
        cards:
          - {q: Q, a: A}
      - title: Second
        sections:
          - title: Sub
            points: [only]
    """


def test_every_model_object_knows_where_it_stands_in_the_file():
    t = load(WHERE)
    first, second = t.sections
    at = {"topic": t.loc, "id": t.id_at, "section": first.loc, "point": first.points[0].loc,
          "point with sub-points": first.points[1].loc, "sub-point": first.points[1].points[0].loc,
          "fact": first.facts[0].loc, "event": first.timeline[0].loc, "term": first.terms[0].loc,
          "table": first.table.loc, "card": first.cards[0].loc, "sub-section": second.sections[0].loc,
          "point in a flow list": second.sections[0].points[0].loc}
    assert {k: (v.path, v.line, v.col) for k, v in at.items()} == {
        "topic": (SHOWN, 1, 1), "id": (SHOWN, 2, 5), "section": (SHOWN, 4, 5), "point": (SHOWN, 6, 9),
        "point with sub-points": (SHOWN, 7, 9), "sub-point": (SHOWN, 9, 13), "fact": (SHOWN, 11, 9),
        "event": (SHOWN, 13, 9), "term": (SHOWN, 15, 9), "table": (SHOWN, 18, 7), "card": (SHOWN, 21, 9),
        "sub-section": (SHOWN, 24, 9), "point in a flow list": (SHOWN, 25, 18)}


def test_a_topic_without_an_id_line_is_located_at_its_top():
    t = load("topic: T\nsections:\n  - title: A\n    points: [one]\n")
    assert t.id_at == t.loc == Loc(SHOWN, 1, 1)


def test_locations_take_no_part_in_equality_or_hashing():
    t = load(WHERE)
    moved = load("# two lines pushed\n# everything down\n" + y(WHERE), stem="t")
    assert moved.sections[0].points[1].points[0].loc.line == 11
    assert moved == t and hash(moved.sections[0].points[0]) == hash(t.sections[0].points[0])
    assert Point("x", loc=Loc("a.yaml", 1, 1)) == Point("x", loc=Loc("b.yaml", 9, 9))
    assert Table(("A",), (("1",),), loc=Loc("a", 1, 1)) == Table(("A",), (("1",),))
    assert "loc" not in repr(t.sections[0].cards[0])
