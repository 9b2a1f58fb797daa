"""Student copies: the stamp line planned as numbers (long names shrunk to a floor, then cut, never off
the page), names no font can print refused at their row, the collated class file (each copy's links and
bookmark), and the pack's folder holding one roster's copies only (stale copies removed, never a file
the program did not write as a copy). Through the command line: test_pack.py."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfcheck import glyphs, page_texts
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from studynotes import text
from studynotes.cli import main
from studynotes.errors import Loc, NotesError
from studynotes.finish import impose, stamp
from studynotes.finish.geometry import STAMP_BASELINE
from studynotes.finish.options import PackOptions, unprintable
from studynotes.finish.pack import PackInfo, Part
from studynotes.finish.packs import Progress, finish_pack, work
from studynotes.finish.stamp import STAMP_FLOOR_PT, STAMP_MARGIN, STAMP_PT, plan_stamp
from studynotes.load import presets
from studynotes.load.roster import Student
from studynotes.model import Topic
from studynotes.render import Rendered

A4_W = 595.2756
LIMIT = A4_W - 2 * STAMP_MARGIN
LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ.'-अनन्याशर्मा")


def drawn_width(line) -> float:
    return text.width(line.text, line.size, bold=True)


# -- the stamp line: numbers --------------------------------------------------------------------------------

def test_a_short_name_is_set_at_8_pt_centred():
    line = plan_stamp(Student("Asha Rao", "12", "B"), A4_W)
    assert line.text == "Prepared for Asha Rao · Roll 12 · B"
    assert line.size == STAMP_PT and not line.cut
    assert line.x == pytest.approx((A4_W - drawn_width(line)) / 2)
    assert line.y == STAMP_BASELINE


def test_a_long_name_is_set_smaller_but_not_below_the_floor():
    name = "Venkata Lakshmi Narasimha Subramaniam Chakravarthy Rajagopalachari Iyengar Ramaswamy Krishnamurthy"
    line = plan_stamp(Student(name, "112", "Batch B (Evening)"), A4_W)
    assert STAMP_FLOOR_PT < line.size < STAMP_PT
    assert line.text == f"Prepared for {name} · Roll 112 · Batch B (Evening)"  # all of it, smaller
    assert drawn_width(line) <= LIMIT
    assert line.x >= STAMP_MARGIN - 1e-6


def test_a_name_too_long_even_at_the_floor_is_cut_with_an_ellipsis_keeping_the_roll():
    line = plan_stamp(Student("Ananya " * 700, "7", "B"), A4_W)  # about 5,000 characters
    assert line.size == STAMP_FLOOR_PT and line.cut
    assert line.text.startswith("Prepared for Ananya Ananya") and line.text.endswith("… · Roll 7 · B")
    assert drawn_width(line) <= LIMIT
    assert STAMP_MARGIN - 1e-6 <= line.x and line.x + line.width <= A4_W - STAMP_MARGIN + 1e-6


def test_when_the_roll_and_batch_alone_fill_the_line_the_whole_line_is_cut():
    line = plan_stamp(Student("Asha", "1", "Evening batch " * 60), A4_W)
    assert line.size == STAMP_FLOOR_PT and line.cut
    assert line.text.startswith("Prepared for Asha · Roll 1 · Evening batch")
    assert drawn_width(line) <= LIMIT


@settings(max_examples=40)
@given(name=st.one_of(st.text(LETTERS, min_size=1, max_size=30), st.text(LETTERS, min_size=100, max_size=400))
       .filter(str.strip),
       roll=st.text(st.sampled_from("0123456789/-"), max_size=20),
       page_width=st.sampled_from([A4_W, 419.5, 841.89]))
def test_no_stamp_line_runs_past_the_margins(name, roll, page_width):
    line = plan_stamp(Student(name.strip(), roll), page_width)
    assert STAMP_FLOOR_PT <= line.size <= STAMP_PT
    assert drawn_width(line) <= page_width - 2 * STAMP_MARGIN + 1e-6
    assert line.x >= STAMP_MARGIN - 1e-6


def one_page_pack(pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(A4_W, 841.8898), invariant=1)
    for k in range(pages):
        c.drawString(72, 700, f"PACK PAGE {k + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_the_stamp_drawn_on_a_copy_stays_between_the_margins():
    """What only the PDF shows: the glyphs of a 5,000-character name's stamp, as drawn."""
    student = Student("Subramaniam " * 420, "112", "B")
    ((_, copy),) = stamp.copies(one_page_pack(), [student])
    line = [g for g in glyphs(copy) if abs(g[3] - STAMP_BASELINE) < 3]
    assert len(line) > 20
    assert min(g[2] for g in line) >= STAMP_MARGIN - 0.5
    assert max(g[4] for g in line) <= A4_W - STAMP_MARGIN + 0.5
    assert "".join(g[1] for g in line).endswith("…·Roll112·B")


# -- names no font can print --------------------------------------------------------------------------------

def test_a_name_no_font_can_print_is_refused_at_its_row():
    students = [Student("Asha Rao", "1", loc=Loc("roster.csv", 2, 1)),
                Student("བཀྲ་ཤིས", "2", loc=Loc("roster.csv", 3, 1)),  # Tibetan: no font ships for it
                Student("محمد علي", "3", loc=Loc("roster.csv", 5, 1)),  # every other script prints
                Student("😀 Emoji Kid", "4", loc=Loc("roster.csv", 6, 1)),
                Student("அனன்யா", "5", loc=Loc("roster.csv", 7, 1))]
    problems = [str(p) for p in unprintable(students)]
    assert len(problems) == 1
    assert problems[0] == ("roster.csv:3:1: row 3: the name cannot be printed, so the copy could not say who it is "
                           "for: 7 Tibetan characters (first U+0F56 TIBETAN LETTER BA ('བ')) have no font; no font "
                           "installed with studynotes has them (see 'Scripts and fonts' in the README)")
    with pytest.raises(NotesError):
        PackOptions(Path("p.pdf")).check(students)


def test_a_roster_with_a_name_no_font_prints_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/india-japan.yaml").write_bytes((Path(__file__).parent.parent / "notes/india-japan.yaml")
                                                      .read_bytes())
    roster = tmp_path / "roster.csv"
    roster.write_text("name,roll\nAsha Rao,1\nབཀྲ་ཤིས,2\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["pack", "india-japan", "-l", "summary", "--roster", str(roster), "--collate",
                                  "-o", "out/pack.pdf"])
    assert r.exit_code == 1, r.output
    assert f"{roster}:3:1: row 3: the name cannot be printed" in r.output
    assert r.output.count("Tibetan") == 1, r.output  # once per script, not once per character
    assert "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


# -- the collated class file --------------------------------------------------------------------------------

def linked_pack() -> bytes:
    """Two pages: the first links to the second, as a pack's contents page does."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(A4_W, 841.8898), invariant=1)
    c.drawString(72, 700, "CONTENTS")
    c.linkAbsolute("", "p2", (72, 690, 300, 720))
    c.showPage()
    c.bookmarkPage("p2")
    c.drawString(72, 700, "CHAPTER")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_each_collated_copy_links_to_its_own_pages_and_is_stamped_for_its_student():
    students = [Student(f"Student {k}", str(k)) for k in range(1, 4)]
    pdf = stamp.collate(linked_pack(), students, duplex=True)
    r = PdfReader(io.BytesIO(pdf))
    assert len(r.pages) == 6
    refs = [p.indirect_reference.idnum for p in r.pages]
    texts = page_texts(pdf)
    for k in range(3):
        assert [t.count(f"Prepared for Student {k + 1} · Roll {k + 1}") for t in texts[2 * k:2 * k + 2]] == [1, 1]
        (link,) = [a.get_object() for a in r.pages[2 * k]["/Annots"]]
        assert refs.index(link["/Dest"][0].idnum) == 2 * k + 1  # the copy's own second page
    assert [(str(o.title), r.get_destination_page_number(o)) for o in r.outline] == [
        ("Student 1 · Roll 1", 0), ("Student 2 · Roll 2", 2), ("Student 3 · Roll 3", 4)]


def test_a_collated_file_of_many_copies_costs_little_more_than_the_pack():
    """Each pack page is in the file once, each student's stamp a small form sharing one font subset."""
    pack = one_page_pack(3)
    students = [Student(f"Student number {k}", str(k)) for k in range(200)]
    pdf = stamp.collate(pack, students)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 600
    assert len(pdf) < len(pack) + 200 * 3000, len(pdf)


# -- the pack's folder: one roster at a time ----------------------------------------------------------------

def parts() -> list[Part]:
    layout = presets.load("summary")
    buf = io.BytesIO(one_page_pack(2))
    return [Part(Topic("t", "A topic", ()), layout, Rendered(buf.getvalue(), 2))]


def roster(*names: str) -> list[Student]:
    return [Student(n, str(k)) for k, n in enumerate(names, 1)]


def finish(target: Path, students: list[Student], **opts) -> list[str]:
    result = finish_pack(parts(), PackInfo("Week 3"), students, PackOptions(target, **opts))
    return [n for w in result.written for n in w.notes]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_second_roster_replaces_the_first_rosters_copies(tmp_path):
    target = tmp_path / "out/week3.pdf"
    folder = tmp_path / "out/week3"
    finish(target, roster("Asha", "Ravi", "Meera"), collate=True, nup=2)
    assert listing(folder) == ["1-Asha.pdf", "2-Ravi.pdf", "3-Meera.pdf", "all-copies-2up.pdf", "all-copies.pdf"]
    (folder / "my-notes.pdf").write_bytes(one_page_pack())  # the teacher's own files stay
    (folder / "list.txt").write_text("Asha, Ravi, Meera", encoding="utf-8")
    notes = finish(target, roster("Kavya"))
    assert listing(folder) == ["1-Kavya.pdf", "list.txt", "my-notes.pdf"]
    assert notes == [f"removed 5 copies of an earlier roster from {folder}"]
    finish(target, [])  # no roster: no copies
    assert listing(folder) == ["list.txt", "my-notes.pdf"]
    for p in folder.iterdir():
        p.unlink()
    finish(target, roster("Asha"))
    finish(target, [])
    assert not folder.exists()  # an empty folder the program emptied goes too


def test_only_copies_the_program_wrote_are_ever_removed(tmp_path):
    folder = tmp_path / "week3"
    finish(tmp_path / "week3.pdf", roster("Asha", "Ravi"), collate=True, booklet=True)
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes((folder / "2-Ravi.pdf").read_bytes())  # a copy, but outside the folder
    (folder / "link.pdf").symlink_to(elsewhere)
    (folder / "sub.pdf").mkdir()
    (folder / "sheets.pdf").write_bytes(impose.nup(one_page_pack(2), 2))  # made by `impose`, not a copy
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    finish(tmp_path / "week3.pdf", roster("Kavya"))
    assert elsewhere.exists() and (folder / "link.pdf").is_symlink() and (folder / "sub.pdf").is_dir()
    assert listing(folder) == ["1-Kavya.pdf", "broken.pdf", "link.pdf", "sheets.pdf", "sub.pdf"]


def test_two_packs_finishing_into_one_folder_at_once_never_mix_their_rosters(tmp_path):
    target = tmp_path / "week3.pdf"
    first = roster(*(f"First {k}" for k in range(25)))
    second = [Student(f"Second {k}", f"s{k}") for k in range(25)]
    errors: list[BaseException] = []

    def run(students: list[Student]) -> None:
        try:
            finish(target, students)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = listing(tmp_path / "week3")
    assert len(names) == 25 and len({n.split(" ")[0].split("-")[1] for n in names}) == 1, names


def test_an_upper_case_pdf_suffix_is_a_pdf(tmp_path):
    target = tmp_path / "WEEK3.PDF"
    finish(target, roster("Asha"), nup=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["WEEK3", "WEEK3-2up.pdf", "WEEK3.PDF"]
    assert listing(tmp_path / "WEEK3") == ["1-Asha.pdf"]


# -- progress -----------------------------------------------------------------------------------------------

def test_progress_steps_add_up_to_the_planned_total(tmp_path):
    planned: list[int] = []
    steps: list[int] = []
    students = roster("Asha", "Ravi", "Meera")
    opts = PackOptions(tmp_path / "p.pdf", collate=True, nup=2, booklet=True)
    result = finish_pack(parts(), PackInfo("W", duplex=True), students, opts, Progress(planned.append, steps.append))
    assert result.pages == 4  # cover, contents, two content pages
    assert planned == [work(3, 4, 4, opts)] == [3 * 4 + 3 * 4 + 3 * 2 + 3 * 2]  # copies, collated, 2-up, booklet
    assert sum(steps) == planned[0]


@pytest.mark.slow
def test_the_pack_command_shows_progress_over_the_copies(tmp_path, monkeypatch):
    import studynotes.cli as cli

    bars: list[list[int]] = []
    labels: list[str] = []

    class Recorder:
        def __init__(self, label: str = "rendering") -> None:
            self.seen = [0, 0]
            self.label = label
            bars.append(self.seen)
            labels.append(label)

        def plan(self, n: int) -> None:
            self.seen[0] = n

        def step(self, k: int) -> None:
            self.seen[1] += k

        def close(self) -> None:
            pass

    monkeypatch.setattr(cli, "_Progress", Recorder)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/india-japan.yaml").write_bytes((Path(__file__).parent.parent / "notes/india-japan.yaml")
                                                      .read_bytes())
    (tmp_path / "r.csv").write_text("name,roll\nAsha,1\nRavi,2\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["pack", "india-japan", "-s", "conclusion", "-l", "summary", "--roster", "r.csv",
                                  "--collate", "--booklet", "-o", "out/p.pdf", "-j", "1"])
    assert r.exit_code == 0, r.output
    assert bars and bars[-1][0] > 0 and bars[-1][0] == bars[-1][1]
    assert labels == ["finishing"]
