"""Class packs read back from the PDFs: contents, links, bookmarks, page labels, footers, duplex blanks,
watermark, per-student copies, rosters, pack files, imposition, pictures, bytes. Which page goes where
is the plan's, tested as numbers in test_pack_plan.py; here what only a PDF can show."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import glyphs, page_texts, reader, squash
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from studynotes import build
from studynotes.cli import main
from studynotes.finish import impose
from studynotes.finish.impose import booklet_order
from studynotes.finish.pack import BLANK_TEXT, Group, PackInfo, Part, assemble, lines_per_page, plan_pages
from studynotes.load import packfile, presets
from studynotes.model import Topic
from studynotes.render import Rendered

ROOT = Path(__file__).resolve().parent.parent
WEEK3 = ("pack", "india-japan", "indian-monsoon", "-l", "revision", "-l", "mindmap", "-l", "summary",
         "--title", "GS II — Week 3", "--class", "Batch B", "-o", "output/week3.pdf")
KINDS = ["Revision sheet", "Mind map", "One-page summary"]
FOOTER = re.compile(r"page (\d+) of (\d+)")
A4 = (595.2756, 841.8898)


@pytest.fixture(scope="module", autouse=True)
def project(tmp_path_factory):
    """One copy of the sample notes for the whole module, as a user's checkout would be."""
    root = tmp_path_factory.mktemp("packs")
    shutil.copytree(ROOT / "notes", root / "notes")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        yield root


def run(*args):
    return CliRunner().invoke(main, list(args))


def ok(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    return result


def fails(code, *args):
    result = run(*args)
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


# -- helpers ------------------------------------------------------------------------------------------------

def page_index(r: PdfReader, ref) -> int:
    return [p.indirect_reference.idnum for p in r.pages].index(ref.idnum)


def link_target(r: PdfReader, annot) -> int:
    """The page index a /Link annotation leads to (a /Dest array, a named destination or a /GoTo action)."""
    dest = annot.get("/Dest")
    if dest is None:
        action = annot["/A"].get_object()
        assert action["/S"] == "/GoTo", action
        dest = action["/D"]
    dest = dest.get_object() if hasattr(dest, "get_object") else dest
    if isinstance(dest, str):
        return r.get_destination_page_number(r.named_destinations[str(dest)])
    return page_index(r, dest[0])


def links(r: PdfReader, index: int):
    out = []
    for a in r.pages[index].get("/Annots") or []:
        a = a.get_object()
        if a.get("/Subtype") == "/Link" and ("/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"):
            out.append(([float(x) for x in a["/Rect"]], link_target(r, a)))
    return out


def text_in(chars, index: int, rect) -> str:
    """The characters (from ``glyphs``) of one page whose centres lie inside the rectangle, in drawing order."""
    x0, y0, x1, y1 = rect
    return "".join(ch for i, ch, left, b, r_, t, _ in chars
                   if i == index and x0 <= (left + r_) / 2 <= x1 and y0 <= (b + t) / 2 <= y1)


def contents_lines(text: str) -> list[tuple[str, int]]:
    """(title, number) pairs from a contents page's text: each title is followed by its number."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and lines[0] == "Contents":
        lines = lines[1:]
    assert len(lines) % 2 == 0, lines
    pairs = list(zip(lines[::2], lines[1::2], strict=True))
    assert all(n.isdigit() for _, n in pairs), pairs
    return [(t, int(n)) for t, n in pairs]


def tree(r: PdfReader, items=None) -> list:
    """The outline as [title, page index, children] lists."""
    out: list = []
    for it in r.outline if items is None else items:
        if isinstance(it, list):
            out[-1][2].extend(tree(r, it))
        else:
            out.append([str(it.title), r.get_destination_page_number(it), []])
    return out


def flatten(nodes, level=0):
    for title, page, children in nodes:
        yield title, level, page
        yield from flatten(children, level + 1)


def labelled(labels: list[str], number: int) -> int:
    """The physical index of the one page labelled with this number."""
    assert labels.count(str(number)) == 1, (number, labels)
    return labels.index(str(number))


# -- the sample pack ----------------------------------------------------------------------------------------
# Two topics rendered for real and joined through the command line: what only the real pack shows (its
# contents text, links, bookmarks into the parts' sections, labels, footers). Marked slow: the pack is
# built and its parts rendered again. Where pages go is tested on the plan in test_pack_plan.py, and the
# same PDF features on a pack of made-up parts in "double-sided printing" below.

@pytest.fixture(scope="module")
def week3(project):
    ok(*WEEK3)
    return (project / "output/week3.pdf").read_bytes()


@pytest.fixture(scope="module")
def week3_parts(project):
    """The parts rendered on their own (as the pack renders them): the oracle for page numbers and text."""
    spec = packfile.PackSpec("GS II — Week 3", (packfile.Entry("india-japan"), packfile.Entry("indian-monsoon")),
                             class_="Batch B")
    parts = build.pack_parts(spec, Path("notes"), ("revision", "mindmap", "summary"), {})
    assert [p.layout.kind for p in parts] == ["revision", "mindmap", "summary"] * 2
    out = []
    start = 1
    for p in parts:
        pdf = p.rendered.pdf
        out.append({"topic": p.topic.title, "start": start, "pages": p.rendered.pages, "pdf": pdf,
                    "first_text": page_texts(pdf)[0]})
        start += p.rendered.pages
    return out


@pytest.mark.slow
def test_contents_page_lists_topics_and_kinds_with_the_numbers_of_their_first_pages(week3, week3_parts):
    texts = page_texts(week3)
    assert texts[1].lstrip().startswith("Contents")
    entries = contents_lines(texts[1])
    expected = []
    for k, part in enumerate(week3_parts):
        if k % 3 == 0:
            expected.append((part["topic"], part["start"]))
        expected.append((KINDS[k % 3], part["start"]))
    assert entries == expected
    # concrete: a 10-page body, the first topic from page 1, the second after the first's parts
    assert entries[0] == ("India–Japan Relations", 1)
    assert entries[4] == ("The Indian Monsoon", 1 + sum(p["pages"] for p in week3_parts[:3]))


@pytest.mark.slow
def test_each_contents_number_leads_to_the_labelled_page_that_starts_the_part(week3, week3_parts):
    r = reader(week3)
    labels = list(r.page_labels)
    texts = page_texts(week3)
    total = sum(p["pages"] for p in week3_parts)
    entries = contents_lines(texts[1])
    kind_entries = [e for e in entries if e[0] in KINDS]
    assert len(kind_entries) == len(week3_parts)
    for (kind, number), part in zip(kind_entries, week3_parts, strict=True):
        i = labelled(labels, number)
        text = texts[i]
        first_line = text.strip().splitlines()[0]
        assert first_line == part["topic"], (kind, number, first_line)
        assert f"page {number} of {total}" in text
        # the page is the part's first page: its whole text is there (plus the pack's footer)
        assert squash(part["first_text"]) in squash(text), (kind, number)
        # and the page before it belongs to something else
        if i - 1 >= 2:
            assert squash(part["first_text"]) not in squash(texts[i - 1])


@pytest.mark.slow
def test_contents_links_point_at_the_pages_their_numbers_name(week3):
    r = reader(week3)
    labels = list(r.page_labels)
    entries = contents_lines(page_texts(week3)[1])
    found = links(r, 1)
    assert len(found) == len(entries) == 8
    chars = list(glyphs(week3))
    for (rect, target), (title, number) in zip(found, entries, strict=True):
        inside = text_in(chars, 1, rect)
        assert inside == squash(title) + str(number), (inside, title, number)
        assert labels[target] == str(number), (title, number, target)
    # no links anywhere else lead into the pack (the parts' own links are web links)
    for i in range(len(r.pages)):
        if i != 1:
            assert links(r, i) == []


@pytest.mark.slow
def test_bookmarks_nest_topic_then_kind_then_the_parts_own_sections(week3, week3_parts):
    r = reader(week3)
    labels = list(r.page_labels)
    nodes = tree(r)
    assert [n[0] for n in nodes] == ["India–Japan Relations", "The Indian Monsoon"]
    for t, topic in enumerate(nodes):
        assert [k[0] for k in topic[2]] == KINDS
        assert topic[1] == labels.index(str(week3_parts[3 * t]["start"]))
        for k, kind in enumerate(topic[2]):
            part = week3_parts[3 * t + k]
            assert kind[1] == labels.index(str(part["start"])), (topic[0], kind[0])
            own = PdfReader(io.BytesIO(part["pdf"]))
            assert [(title, level) for title, level, _ in flatten(kind[2])] == \
                [(title, level) for title, level, _ in flatten(tree(own))], (topic[0], kind[0])
            # every section bookmark stays inside its part
            for title, _, page in flatten(kind[2]):
                assert kind[1] <= page < kind[1] + part["pages"], (title, page)
    revision = nodes[0][2][0][2]
    assert [s[0] for s in revision] == ["1 Context — the 2+2 meeting in Tokyo", "2 How the relationship evolved",
                                        "3 Current status of the relationship", "4 Issues limiting the relationship",
                                        "5 Steps to deepen the relationship", "6 Conclusion", "Sources"]
    assert [s[0] for s in revision[2][2]] == ["3.1 Strategic and defence cooperation", "3.2 Economic ties and trade",
                                              "3.3 Investments and development assistance",
                                              "3.4 Digital partnership and start-ups", "3.5 Science and technology",
                                              "3.6 Skill development"]
    assert nodes[0][2][2][2] == []  # a one-page summary has no sections of its own


@pytest.mark.slow
def test_section_bookmarks_lead_to_the_page_with_the_heading(week3):
    """Each revision-sheet section bookmark opens the page where that heading is printed."""
    r = reader(week3)
    texts = page_texts(week3)
    revision = tree(r)[0][2][0]
    wrong = []
    for title, _, page in flatten(revision[2]):
        if title == "Sources":
            continue
        if squash(title) not in squash(texts[page]):
            holder = [i for i, t in enumerate(texts) if squash(title) in squash(t)]
            wrong.append(f"{title!r} → page index {page}, printed on {holder}")
    assert wrong == []


@pytest.mark.slow
def test_page_labels_roman_front_matter_then_arabic_from_one(week3, week3_parts):
    r = reader(week3)
    total = sum(p["pages"] for p in week3_parts)
    assert total == 10
    assert list(r.page_labels) == ["i", "ii"] + [str(n) for n in range(1, total + 1)]
    assert len(r.pages) == total + 2


@pytest.mark.slow
def test_footer_on_every_content_page_and_not_on_the_front_matter(week3):
    texts = page_texts(week3)
    total = len(texts) - 2
    for n, text in enumerate(texts[2:], 1):
        assert "Batch B · GS II — Week 3" in text, n
        assert FOOTER.findall(text) == [(str(n), str(total))], n
    for text in texts[:2]:
        assert FOOTER.search(text) is None
        assert "Batch B · GS II — Week 3" not in text
    cover = texts[0]
    assert cover.lstrip().startswith("GS II — Week 3")
    assert "Batch B" in cover and "India–Japan Relations" in cover and "The Indian Monsoon" in cover


@pytest.mark.slow
def test_pack_reads_back_strictly_with_metadata(week3):
    r = reader(week3)
    for i, page in enumerate(r.pages):
        assert page.extract_text().strip(), i
    meta = r.metadata
    assert meta.title == "GS II — Week 3"
    assert meta.subject == "Batch B"
    assert r.pdf_header.startswith("%PDF-")


@pytest.mark.slow
def test_the_same_command_twice_gives_identical_bytes(week3, project):
    ok(*WEEK3)
    again = (project / "output/week3.pdf").read_bytes()
    assert again == week3


def test_unknown_topic_on_the_command_line_names_the_closest(project):
    r = fails(2, "pack", "india-japn", "-o", "output/missing.pdf")
    assert "unknown topic 'india-japn'" in r.output
    assert "did you mean 'india-japan'" in r.output
    assert not (project / "output/missing.pdf").exists()
    r = fails(2, "pack", "-o", "output/missing.pdf")
    assert "name the topics of the pack" in r.output


# -- double-sided printing ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def duplex(project):
    ok("pack", "india-japan", "indian-monsoon", "-l", "revision", "-l", "mindmap", "--duplex", "--title", "T",
       "--class", "C", "-o", "output/duplex.pdf")
    return (project / "output/duplex.pdf").read_bytes()


def part_pdf(label: str, pages: int) -> bytes:
    """A made-up rendered part: each page says "LABEL pN" and has a bookmark of its own."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    for k in range(1, pages + 1):
        c.setFont("Helvetica", 14)
        c.drawString(72, 700, f"{label} p{k}")
        c.bookmarkPage(f"p{k}")
        c.addOutlineEntry(f"{label} section {k}", f"p{k}", level=0)
        c.showPage()
    c.save()
    return buf.getvalue()


TINY = [Group(f"Tiny topic {i:02d}", ("One-page summary",)) for i in range(1, 21)]


@pytest.fixture(scope="module")
def tiny():
    """20 one-page topics joined straight from made-up parts (nothing rendered): two contents pages
    and a blank after nearly every topic."""
    layout = presets.load("summary")
    parts = [Part(Topic(f"tiny-{i:02d}", f"Tiny topic {i:02d}", ()), layout, Rendered(part_pdf(f"TINY{i:02d}", 1), 1))
             for i in range(1, 21)]
    return assemble(parts, PackInfo("Tiny", class_="K", duplex=True)).pdf


def duplex_checks(pdf: bytes) -> tuple[list[int], list[int]]:
    """Topic starts and blank pages (physical indices), checked: topics on right-hand (odd) pages, and a blank
    only on a left-hand page right before a topic start, never two in a row."""
    r = reader(pdf)
    texts = page_texts(pdf)
    nodes = tree(r)
    starts = [page for _, page, _ in nodes]
    blanks = [i for i, t in enumerate(texts) if BLANK_TEXT in t]
    for (title, s, _) in nodes:
        assert (s + 1) % 2 == 1, f"{title} starts on physical page {s + 1}"
        assert texts[s].strip().splitlines()[0] == title
    front = list(r.page_labels).index("1")
    for b in blanks:
        assert (b + 1) % 2 == 0, f"blank on right-hand page {b + 1}"
        assert b + 1 in starts or b + 1 == front, f"blank page {b + 1} does not precede a topic"
        assert b - 1 not in blanks, "two blank pages in a row"
    return starts, blanks


@pytest.mark.slow
def test_duplex_every_topic_starts_on_a_right_hand_page(duplex):
    r = reader(duplex)
    texts = page_texts(duplex)
    starts, blanks = duplex_checks(duplex)
    assert starts == [2, 8]
    assert blanks == [7]  # India–Japan: 3 revision + 2 mind-map pages end on page 7, so page 8 is left blank
    lines = [ln for ln in texts[7].strip().splitlines() if not FOOTER.search(ln) and " · " not in ln]
    assert lines == [BLANK_TEXT]  # nothing else but the pack's footer
    assert len(r.pages) == 11
    # blank pages count in the numbering: contents numbers still match the labels
    labels = list(r.page_labels)
    for title, number in contents_lines(texts[1]):
        i = labels.index(str(number))
        assert texts[i].strip().splitlines()[0] in ("India–Japan Relations", "The Indian Monsoon"), title
    assert contents_lines(texts[1])[3] == ("The Indian Monsoon", 7)


def test_duplex_with_two_contents_pages_pads_the_front_matter(tiny):
    """Where duplex blanks go is the plan's (test_pack_plan); here what only the PDF shows."""
    r = reader(tiny)
    texts = page_texts(tiny)
    labels = list(r.page_labels)
    # cover, 2 contents pages, a blank: content starts on physical page 5, labelled 1
    assert labels[:5] == ["i", "ii", "iii", "iv", "1"] and labels[-1] == "39"
    assert texts[3].strip() == BLANK_TEXT  # the front blank has no footer
    assert BLANK_TEXT in texts[5] and FOOTER.findall(texts[5]) == [("2", "39")]  # a blank between topics has
    # the links on the second contents page work too
    assert contents_lines(texts[2]) == [("Tiny topic 20", 39), ("One-page summary", 39)]
    second = links(r, 2)
    assert len(second) == 2
    chars = list(glyphs(tiny))
    for rect, target in second:
        inside = text_in(chars, 2, rect)  # e.g. "Tiny topic 20" + "39": the title, then its page
        assert inside.endswith("39") and labels[target] == "39", (inside, labels[target])
        assert "TINY20p1" in squash(texts[target])
    assert "… and 6 more topics" in texts[0]


def test_every_page_of_the_pack_is_the_one_its_plan_names(tiny):
    plan = plan_pages(TINY, [[A4]] * 20, lines_per_page(A4), duplex=True)
    r = reader(tiny)
    texts = page_texts(tiny)
    assert len(texts) == len(plan.slots)
    for i, (slot, text) in enumerate(zip(plan.slots, texts, strict=True)):
        if slot.kind == "cover":
            assert text.lstrip().startswith("Tiny") and "In this pack" in text
        elif slot.kind == "contents":
            assert text.lstrip().startswith("Contents") == (slot.page == 0), i
        elif slot.kind == "blank":
            assert BLANK_TEXT in text, i
        else:
            assert f"TINY{slot.part + 1:02d}p{slot.page + 1}" in squash(text), i
        assert FOOTER.findall(text) == ([(str(slot.number), str(plan.total))] if slot.number else []), i
    assert plan.front == 4
    assert list(r.page_labels) == ["i", "ii", "iii", "iv"] + [str(s.number) for s in plan.slots[4:]]
    # bookmarks: topic → kind → the part's own, each on the part's first page
    assert tree(r) == [[f"Tiny topic {k:02d}", s, [["One-page summary", s, [[f"TINY{k:02d} section 1", s, []]]]]]
                       for k, s in enumerate(plan.first_page, 1)]


# -- watermark ----------------------------------------------------------------------------------------------

def test_watermark_on_every_page_behind_the_content(project):
    ok("pack", "india-japan", "-s", "conclusion", "-l", "revision", "-l", "mindmap", "--watermark", "DRAFT COPY",
       "--title", "W", "-o", "output/watermark.pdf")
    pdf = (project / "output/watermark.pdf").read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == 4
    for i, text in enumerate(texts):
        assert "DRAFT COPY" in text, i
        assert text.count("DRAFT COPY") == 1, i
    # drawn first, i.e. under everything else
    first = {}
    for i, ch, *_ in glyphs(pdf):
        first.setdefault(i, "")
        if len(first[i]) < 9:
            first[i] += ch
    assert len(first) == 4 and all(v == "DRAFTCOPY" for v in first.values()), first



def test_a_watermark_no_font_prints_is_warned_about_once_per_script(project):
    r = ok("pack", "india-japan", "-s", "conclusion", "-l", "summary", "--watermark", "བཀྲ་ཤིས DRAFT",
           "--title", "W", "-o", "output/tibetan-watermark.pdf")
    assert "warning: the cover, contents or watermark of 'W' print blanks: 7 Tibetan characters (first U+0F56 " \
           "TIBETAN LETTER BA ('བ')) have no font" in r.output, r.output
    assert r.output.count("Tibetan") == 1

# -- per-student copies -------------------------------------------------------------------------------------

HINDI = "अनन्या शर्मा"
ROSTER = [("Asha Rao", "12", "B"), (HINDI, "7", "B"), ("A/B Kumar", "3/4", "B")]


def write_roster(path: Path, rows, header="name,roll,batch") -> Path:
    path.write_bytes(("\ufeff" + header + "\n" + "".join(",".join(r) + "\n" for r in rows)).encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def copies(project):
    roster = write_roster(project / "students.csv", ROSTER)
    result = ok("pack", "india-japan", "-s", "conclusion", "-l", "revision", "-l", "mindmap", "--title", "Week 3",
                "--class", "Batch B", "--roster", str(roster), "--collate", "--nup", "2", "--booklet",
                "-o", "output/wk.pdf")
    return project / "output", result


def test_one_copy_per_student_in_a_folder_named_after_the_pack(copies):
    out, _ = copies
    folder = out / "wk"
    names = sorted(p.name for p in folder.iterdir())
    assert "12-Asha-Rao.pdf" in names and "3-4-A-B-Kumar.pdf" in names
    hindi = [n for n in names if n.startswith("7-")]
    assert len(hindi) == 1 and hindi[0].endswith(".pdf")
    assert len([n for n in names if not n.startswith("all-copies")]) == 3
    for p in folder.rglob("*"):
        assert p.parent == folder, p  # "A/B Kumar" and "3/4" made no sub-folders
        assert "/" not in p.name and "\\" not in p.name


def copy_texts(pdf: bytes) -> list[str]:
    """Page texts as pdfium reads them: it takes a shaped word's /ActualText, so a Hindi name comes out as
    typed (pypdf reads the glyphs, in the order they are drawn: a reph after its syllable)."""
    import pypdfium2 as pdfium

    return [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf)]


def test_every_page_of_every_copy_says_who_it_is_for(copies):
    out, _ = copies
    pack = (out / "wk.pdf").read_bytes()
    pack_texts = copy_texts(pack)
    assert len(pack_texts) == 4
    assert "Prepared for" not in "".join(pack_texts)
    files = {"Asha Rao": "12-Asha-Rao.pdf", "A/B Kumar": "3-4-A-B-Kumar.pdf"}
    files[HINDI] = next(p.name for p in (out / "wk").iterdir() if p.name.startswith("7-"))
    for name, roll, batch in ROSTER:
        pdf = (out / "wk" / files[name]).read_bytes()
        r = reader(pdf)
        assert list(r.page_labels) == ["i", "ii", "1", "2"]
        texts = copy_texts(pdf)
        assert len(texts) == len(pack_texts)
        label = f"Prepared for {name} · Roll {roll} · {batch}"
        for i, text in enumerate(texts):
            assert "Prepared for" in text, (name, i)
            assert f"Roll {roll} · {batch}" in text, (name, i)
            if name != HINDI:
                assert label in text, (name, i)
            # the copy is the pack plus the stamp, drawn last, and nothing else
            assert squash(text) == squash(pack_texts[i]) + squash(label), (name, i)


def test_collated_copies_in_roster_order(copies):
    out, result = copies
    pdf = (out / "wk" / "all-copies.pdf").read_bytes()
    r = reader(pdf)
    texts = copy_texts(pdf)
    assert len(r.pages) == 4 * len(ROSTER)
    for k, (name, roll, batch) in enumerate(ROSTER):
        label = squash(f"Prepared for {name} · Roll {roll} · {batch}")
        for i in range(4 * k, 4 * k + 4):
            assert f"Roll {roll} · {batch}" in texts[i], (k, i)
            assert squash(texts[i]).endswith(label), (k, i)
        assert texts[4 * k].lstrip().startswith("Week 3")  # each copy starts with its cover
    assert [(t, p) for t, _, p in flatten(tree(r))] == [
        ("Asha Rao · Roll 12 · B", 0), (f"{HINDI} · Roll 7 · B", 4), ("A/B Kumar · Roll 3/4 · B", 8)]
    assert "3 student copies" in result.output


def test_hindi_file_name_keeps_the_name_readable(copies):
    """The file of a Devanagari name should still carry the name (vowel signs and virama are part of it)."""
    out, _ = copies
    names = [p.name for p in (out / "wk").iterdir() if p.name.startswith("7-")]
    assert names == ["7-अनन्या-शर्मा.pdf"]


def test_collated_booklet_keeps_each_student_on_their_own_sheets(copies):
    """A booklet of the collated file must not print one student's pages on another student's sheet."""
    out, _ = copies
    pdf = (out / "wk" / "all-copies-booklet.pdf").read_bytes()
    mixed = []
    for i, text in enumerate(page_texts(pdf)):
        rolls = set(re.findall(r"Roll (\S+) ·", text))
        if len(rolls) > 1:
            mixed.append((i, sorted(rolls)))
    assert mixed == []


def test_reported_page_counts_match_the_files_written(copies):
    out, result = copies
    for line in result.output.splitlines():
        m = re.match(r"\s+(\S+\.pdf)\s+(\d+) pages?\s", line)
        if m:
            path = out.parent / m.group(1)
            assert len(reader(path.read_bytes()).pages) == int(m.group(2)), line


def test_stamp_does_not_overprint_the_footer(project):
    """The student's line stands on its own line above the footer (class · title and "page X of Y"):
    no glyph box of one may touch a glyph box of the other, even with a long name and batch."""
    roster = write_roster(project / "one.csv", [("Venkata Lakshmi Narasimha Subramaniam", "112", "Batch B (Evening)")])
    ok("pack", "india-japan", "-s", "conclusion", "-l", "summary", "--roster", str(roster),
       "--title", "GS II — Week 3", "--class", "Batch B (Evening)", "-o", "output/long.pdf")
    pdf = (project / "output/long/112-Venkata-Lakshmi-Narasimha-Subramaniam.pdf").read_bytes()
    bottom = [(left, b, r_, t, ch) for i, ch, left, b, r_, t, _ in glyphs(pdf) if i == 2 and t < 60]
    lines: dict[int, list] = {}
    for g in bottom:  # group glyphs into lines by their vertical centre
        lines.setdefault(round((g[1] + g[3]) / 2 / 6), []).append(g)
    text = " | ".join("".join(ch for *_, ch in sorted(gs)) for _, gs in sorted(lines.items(), reverse=True))
    assert len(lines) == 2, text
    assert "Subramaniam" in text and "page1of1" in text and "Evening" in text
    clashes = [(a[4], c[4]) for k, a in enumerate(bottom) for c in bottom[k + 1:]
               if a[0] < c[2] - 0.3 and c[0] < a[2] - 0.3 and a[1] < c[3] - 0.3 and c[1] < a[3] - 0.3]
    assert clashes == [], text


def test_duplex_collated_copies_each_start_on_a_front_side(project):
    """With --duplex, the collated print file is printed double-sided: each copy must start on a
    right-hand (odd) page, or a student's cover lands on the back of the previous student's last page."""
    roster = write_roster(project / "two.csv", [("Asha Rao", "12", "B"), ("Ravi Kumar", "13", "B")])
    ok("pack", "india-japan", "-s", "conclusion", "-l", "summary", "--duplex", "--roster", str(roster),
       "--collate", "--title", "D", "-o", "output/dc.pdf")
    texts = page_texts((project / "output/dc/all-copies.pdf").read_bytes())
    covers = [i for i, t in enumerate(texts) if t.lstrip().startswith("D\n") and "In this pack" in t]
    assert len(covers) == 2
    assert [(i + 1) % 2 for i in covers] == [1, 1], f"copies start on physical pages {[i + 1 for i in covers]}"


def test_students_whose_names_differ_only_in_punctuation_get_separate_files(project):
    roster = write_roster(project / "clash.csv", [("A B", "3/4", ""), ("A/B", "3-4", "")])
    r = ok("pack", "india-japan", "-s", "conclusion", "-l", "summary", "--roster", str(roster), "-o",
           "output/clash.pdf")
    files = sorted(p.name for p in (project / "output/clash").iterdir())
    assert len(files) == 2, (files, r.output)


# -- bad rosters --------------------------------------------------------------------------------------------

BAD_ROSTERS = {
    "no-name-column": ("student,roll\nAsha,1\n", ["{csv}:1:1: the header row needs a 'name' column",
                                                    "1 problem found; nothing was written"]),
    "empty-name": ("name,roll\nAsha,1\n,2\nRavi,3\n", ["{csv}:3:1: row 3: the name is empty"]),
    "too-many-cells": ("name,roll\nAsha,1\nRavi,2,extra,more\n",
                       ["{csv}:3:1: row 3 has 4 cells but the header has 2"]),
    "duplicate-roll": ("name,roll\nAsha,1\nRavi,1\n", ["{csv}:3:1: row 3 repeats row 2 (roll 1)"]),
    "two-problems": ("name,roll\nAsha,1\n,2\nRavi,1\n", ["{csv}:3:1: row 3: the name is empty",
                                                         "{csv}:4:1: row 4 repeats row 2 (roll 1)",
                                                         "2 problems found; nothing was written"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ROSTERS))
def test_bad_roster_rows_are_located_errors_and_nothing_is_written(project, case):
    text, messages = BAD_ROSTERS[case]
    csv = project / f"bad-{case}.csv"
    csv.write_bytes(("\ufeff" + text).encode("utf-8"))
    r = fails(1, "pack", "india-japan", "-s", "conclusion", "-l", "summary", "--roster", str(csv),
              "-o", f"output/bad-{case}.pdf")
    for m in messages:
        assert m.format(csv=csv) in r.output, (m, r.output)
    if case == "empty-name":
        assert "row 3" in r.output and ":3:" in r.output
    assert not (project / f"output/bad-{case}.pdf").exists()
    assert not (project / f"output/bad-{case}").exists()


def test_collate_without_roster_is_a_usage_error(project):
    r = fails(2, "pack", "india-japan", "-s", "conclusion", "-l", "summary", "--collate", "-o", "output/nc.pdf")
    assert "--collate goes with --roster" in r.output
    assert not (project / "output/nc.pdf").exists()


# -- pack files ---------------------------------------------------------------------------------------------

PACK_FILE = """\
title: GS II — Week 3
class: Batch B
teacher: Ms Rao
date: 2026-11-25
topics:
  - topic: india-japan
    kinds: [revision, mindmap]
    sections: [conclusion]
  - topic: indian-monsoon
    kinds: summary
    sections: [meaning]
"""


def test_pack_file_gives_title_class_teacher_date_topics_kinds_and_picks(project):
    (project / "week3.yaml").write_text(PACK_FILE, encoding="utf-8")
    ok("pack", "-f", "week3.yaml")
    pdf = (project / "output/gs-ii-week-3.pdf").read_bytes()  # named after the title
    r = reader(pdf)
    texts = page_texts(pdf)
    cover = texts[0]
    for label, value in (("Class", "Batch B"), ("Teacher", "Ms Rao"), ("Date", "2026-11-25")):
        assert f"{label}\n{value}" in cover
    nodes = tree(r)
    assert [(n[0], [k[0] for k in n[2]]) for n in nodes] == [
        ("India–Japan Relations", ["Revision sheet", "Mind map"]), ("The Indian Monsoon", ["One-page summary"])]
    assert [s[0] for s in nodes[0][2][0][2]] == ["6 Conclusion", "Sources"]
    assert contents_lines(texts[1]) == [("India–Japan Relations", 1), ("Revision sheet", 1), ("Mind map", 2),
                                        ("The Indian Monsoon", 3), ("One-page summary", 3)]
    body = squash("".join(texts[2:]))
    assert squash("What the monsoon is") in body and squash("Onset and advance") not in body
    assert squash("How the relationship evolved") not in body
    assert "Batch B · GS II — Week 3" in texts[2]
    assert r.metadata.author == "Ms Rao"
    # the command line overrides the file
    ok("pack", "-f", "week3.yaml", "--title", "Other", "-o", "output/other.pdf")
    assert "Batch B · Other" in page_texts((project / "output/other.pdf").read_bytes())[2]
    r2 = fails(2, "pack", "india-japan", "-f", "week3.yaml", "-o", "output/both.pdf")
    assert "name topics and their -s/-x/-t picks in the file" in r2.output
    r3 = fails(2, "pack", "-f", "week3.yaml", "-s", "defence", "-o", "output/both.pdf")
    assert "not on the command line" in r3.output


def test_pack_file_with_an_unknown_topic_is_a_located_error(project):
    (project / "unknown").mkdir()
    (project / "unknown/pack.yaml").write_text(
        "title: X\ntopics:\n  - topic: india-japan\n    kinds: [summary]\n  - topic: india-japn\n", encoding="utf-8")
    r = fails(1, "pack", "-f", "unknown/pack.yaml", "-o", "output/unknown.pdf")
    assert "unknown/pack.yaml:5:12: topics: unknown topic 'india-japn'" in r.output
    assert "did you mean 'india-japan'" in r.output
    assert not (project / "output/unknown.pdf").exists()


def test_pack_file_with_unknown_keys_suggests_the_right_ones(project):
    (project / "keys").mkdir()
    (project / "keys/pack.yaml").write_text(
        "title: X\nteachr: Y\ntopics:\n  - topic: india-japan\n    kinds: [summary]\n    sectons: [conclusion]\n",
        encoding="utf-8")
    r = fails(1, "pack", "-f", "keys/pack.yaml", "-o", "output/keys.pdf")
    assert "keys/pack.yaml:2:1: unknown key 'teachr' (did you mean 'teacher'?)" in r.output
    assert "keys/pack.yaml:6:5: topics[0]: unknown key 'sectons' (did you mean 'sections'?)" in r.output
    assert "2 problems found" in r.output
    assert not (project / "output/keys.pdf").exists()


def test_pack_file_missing_title_and_topics(project):
    (project / "empty").mkdir()
    (project / "empty/pack.yaml").write_text("class: B\n", encoding="utf-8")
    r = fails(1, "pack", "-f", "empty/pack.yaml", "-o", "output/empty.pdf")
    assert "empty/pack.yaml:1:1: missing required key 'title'" in r.output
    assert "empty/pack.yaml:1:1: missing required key 'topics'" in r.output
    (project / "empty/none.yaml").write_text("title: X\ntopics: []\n", encoding="utf-8")
    r = fails(1, "pack", "-f", "empty/none.yaml", "-o", "output/empty.pdf")
    assert "empty/none.yaml:2:9: topics: a pack needs at least one topic" in r.output
    assert not (project / "output/empty.pdf").exists()


# -- imposition ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pages, expected", [
    (1, [(None, 0), (None, None)]),
    (4, [(3, 0), (1, 2)]),
    (7, [(None, 0), (1, 6), (5, 2), (3, 4)]),
    (8, [(7, 0), (1, 6), (5, 2), (3, 4)]),
    (13, [(None, 0), (1, None), (None, 2), (3, 12), (11, 4), (5, 10), (9, 6), (7, 8)]),
])
def test_booklet_order(pages, expected):
    assert booklet_order(pages) == expected
    real = [p for side in expected for p in side if p is not None]
    assert sorted(real) == list(range(pages))  # every page once


@pytest.mark.parametrize("pages, n, group, expected", [
    (5, 2, None, [[0, 1], [2, 3], [4]]),
    (9, 4, None, [[0, 1, 2, 3], [4, 5, 6, 7], [8]]),
    (6, 2, 3, [[0, 1], [2], [3, 4], [5]]),  # a copy of 3 pages never shares a sheet with the next
])
def test_nup_order(pages, n, group, expected):
    assert impose.nup_order(pages, n, group) == expected


def test_booklet_sheets_make_one_booklet_per_group():
    assert impose.booklet_sheets(5) == [[None, 0], [1, None], [None, 2], [3, 4]]
    assert impose.booklet_sheets(6, 3) == [[None, 0], [1, 2], [None, 3], [4, 5]]


def numbered_pdf(path: Path, n: int, size=A4) -> Path:
    c = Canvas(str(path), pagesize=size, invariant=1)
    for k in range(1, n + 1):
        c.setFont("Helvetica-Bold", 60)
        c.drawCentredString(size[0] / 2, size[1] / 2, f"PAGE {k}")
        c.showPage()
    c.save()
    return path


def placed(pdf: bytes) -> dict[int, dict[int, tuple[float, float]]]:
    """For each sheet, where each 'PAGE k' stands: k → (x, y) of its first letter's centre."""
    chars: dict[int, list] = {}
    for i, ch, left, b, r_, t, _ in glyphs(pdf):
        chars.setdefault(i, []).append((ch, (left + r_) / 2, (b + t) / 2))
    out: dict[int, dict[int, tuple[float, float]]] = {}
    for i, cs in chars.items():
        s = "".join(c for c, _, _ in cs)
        out[i] = {int(m.group(1)): cs[m.start()][1:] for m in re.finditer(r"PAGE(\d+)", s)}
    return out


def sheet_size(pdf: bytes, i: int) -> tuple[float, float]:
    box = reader(pdf).pages[i].mediabox
    return float(box.width), float(box.height)


@pytest.fixture(scope="module")
def five(project):
    return numbered_pdf(project / "five.pdf", 5)


def test_impose_2up_keeps_reading_order_left_then_right(project, five):
    ok("impose", str(five), "--nup", "2", "-o", "five-2up.pdf")
    pdf = (project / "five-2up.pdf").read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == 3
    assert [re.findall(r"PAGE \d", t) for t in texts] == [["PAGE 1", "PAGE 2"], ["PAGE 3", "PAGE 4"], ["PAGE 5"]]
    where = placed(pdf)
    for i in range(3):
        w, h = sheet_size(pdf, i)
        assert w > h  # landscape sheets
        assert round(w) == 842 and round(h) == 595
    for i, (left, right) in enumerate([(1, 2), (3, 4)]):
        w, _ = sheet_size(pdf, i)
        assert where[i][left][0] < w / 2 < where[i][right][0]
    assert list(where[2]) == [5] and where[2][5][0] < sheet_size(pdf, 2)[0] / 2


def test_impose_4up_reading_order_top_left_top_right_bottom_left_bottom_right(project):
    src = numbered_pdf(project / "nine.pdf", 9)
    ok("impose", str(src), "--nup", "4", "-o", "nine-4up.pdf")
    pdf = (project / "nine-4up.pdf").read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == 3
    assert [re.findall(r"PAGE \d", t) for t in texts] == [
        ["PAGE 1", "PAGE 2", "PAGE 3", "PAGE 4"], ["PAGE 5", "PAGE 6", "PAGE 7", "PAGE 8"], ["PAGE 9"]]
    where = placed(pdf)
    for i in range(2):
        w, h = sheet_size(pdf, i)
        assert h > w
        tl, tr, bl, br = (where[i][4 * i + k] for k in range(1, 5))
        assert tl[0] < w / 2 < tr[0] and bl[0] < w / 2 < br[0]
        assert tl[1] > h / 2 and tr[1] > h / 2 and bl[1] < h / 2 and br[1] < h / 2
    w, h = sheet_size(pdf, 2)
    assert where[2][9][0] < w / 2 and where[2][9][1] > h / 2


def test_impose_booklet_of_five_pages_is_two_sheets_printed_both_sides(project, five):
    ok("impose", str(five), "--booklet", "-o", "five-booklet.pdf")
    pdf = (project / "five-booklet.pdf").read_bytes()
    assert len(reader(pdf).pages) == 4  # 2 sheets × 2 sides (padded to 8 pages)
    where = placed(pdf)
    sides = []
    for i in range(4):
        w, h = sheet_size(pdf, i)
        assert w > h
        left = [k for k, (x, _) in where.get(i, {}).items() if x < w / 2]
        right = [k for k, (x, _) in where.get(i, {}).items() if x > w / 2]
        sides.append((left[0] if left else None, right[0] if right else None))
    # 1-based page numbers of booklet_order(5) = [(None, 0), (1, None), (None, 2), (3, 4)]
    assert sides == [(None, 1), (2, None), (None, 3), (4, 5)]


def test_impose_needs_exactly_one_of_nup_and_booklet(project, five):
    r = fails(2, "impose", str(five), "-o", "neither.pdf")
    assert "give one of --nup 2|4 or --booklet" in r.output
    r = fails(2, "impose", str(five), "--nup", "2", "--booklet", "-o", "both.pdf")
    assert "give one of --nup 2|4 or --booklet" in r.output
    r = fails(2, "impose", str(five), "--nup", "3", "-o", "three.pdf")
    assert "Invalid value for '--nup'" in r.output
    assert not any((project / n).exists() for n in ("neither.pdf", "both.pdf", "three.pdf"))


@pytest.mark.parametrize("content", [b"hello, not a pdf\n", b"", b"%PDF-1.4\ngarbage\n"])
def test_impose_of_something_that_is_not_a_pdf_is_a_usage_error(project, content):
    bad = project / "notapdf.pdf"
    bad.write_bytes(content)
    out = project / "notapdf-2up.pdf"
    r = fails(2, "impose", str(bad), "--nup", "2", "-o", str(out))
    assert "not a PDF that can be read" in r.output
    assert not out.exists()


def test_pack_with_nup_and_booklet_writes_sheets_beside_the_pack(copies):
    out, _ = copies
    two = page_texts((out / "wk-2up.pdf").read_bytes())
    book = page_texts((out / "wk-booklet.pdf").read_bytes())
    assert len(two) == 2 and len(book) == 2
    # 2-up: cover and contents, then pack pages 1 and 2
    assert "In this pack" in two[0] and "Contents" in two[0] and FOOTER.search(two[0]) is None
    assert FOOTER.findall(two[1]) == [("1", "2"), ("2", "2")]
    # booklet of 4 pages: (page 4 | cover), (contents | page 3)
    assert FOOTER.findall(book[0]) == [("2", "2")] and "In this pack" in book[0]
    assert FOOTER.findall(book[1]) == [("1", "2")] and "Contents" in book[1]


# -- pictures -----------------------------------------------------------------------------------------------

def test_png_writes_one_150_dpi_picture_per_page(project):
    from PIL import Image

    ok("pack", "india-japan", "-s", "conclusion", "-l", "summary", "--png", "-o", "output/pics/pk.pdf")
    folder = project / "output/pics"
    pdf = (folder / "pk.pdf").read_bytes()
    r = reader(pdf)
    n = len(r.pages)
    assert n == 3
    assert sorted(p.name for p in folder.glob("*.png")) == [f"pk-{i}.png" for i in range(1, n + 1)]
    for i in range(n):
        data = (folder / f"pk-{i + 1}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(data)) as im:
            w_pt, h_pt = sheet_size(pdf, i)
            assert abs(im.width - w_pt * 150 / 72) <= 2, (i, im.width)
            assert abs(im.height - h_pt * 150 / 72) <= 2, (i, im.height)


# -- packaging ----------------------------------------------------------------------------------------------

def test_the_finish_package_is_installed_with_the_rest():
    """`pip install .` must ship studynotes.finish, or `make-notes pack` fails outside the checkout."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(config["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "studynotes").rglob("__init__.py")}
    assert on_disk - packages == set()


def test_a_turned_page_is_imposed_as_it_is_shown(tmp_path):
    """A page with /Rotate 90 (as phone scans have) is placed turned, as a viewer shows it."""
    buf = io.BytesIO()
    c = Canvas(buf)
    for i in range(2):
        c.drawString(100, 700, f"PAGE {i + 1}")
        c.showPage()
    c.save()
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    w.pages[1].rotate(90)
    src = io.BytesIO()
    w.write(src)
    sheet = impose.nup(src.getvalue(), 2)
    width = float(PdfReader(io.BytesIO(sheet)).pages[0].mediabox.width)
    right = [(left, b) for _, _, left, b, *_ in glyphs(sheet) if left > width / 2]
    assert len(right) == 5  # "PAGE2", in the right-hand cell
    xs, ys = [p[0] for p in right], [p[1] for p in right]
    assert max(ys) - min(ys) > 3 * (max(xs) - min(xs))  # the line runs down the sheet: turned


def test_pack_file_errors_point_at_the_value_that_is_wrong(project):
    (project / "bad.yaml").write_text("title: X\ntopics:\n  - topic: india-japn\n  - topic: india-japan\n"
                                      "    kinds: [revison]\n  - topic: indian-monsoon\n    sections: [defense]\n",
                                      encoding="utf-8")
    r = fails(1, "pack", "-f", "bad.yaml", "-o", "output/bad.pdf")
    assert "bad.yaml:3:12: topics: unknown topic 'india-japn'" in r.output
    assert "bad.yaml:5:12: topics: unknown layout 'revison'" in r.output
    assert "bad.yaml:7:15: topics: no section 'defense'" in r.output
