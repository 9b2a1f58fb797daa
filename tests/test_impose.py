"""Imposition of any PDF: the plan as numbers (crop boxes, turns, cells, cut marks), then what only a PDF
can show (sizes kept by sharing each page once, a crop box filling its cell) and the errors a hostile
file gets (no pages, a turn that is not a right angle, pypdf's own warnings kept from the user).
Reading order, booklets, cut marks and turned pages through the command line are in test_pack.py."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import glyphs, page_texts
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject
from reportlab.pdfgen.canvas import Canvas

from studynotes.cli import main
from studynotes.finish import impose, stamp
from studynotes.finish.impose import GUTTER, PageBox, PageError, page_box, place
from studynotes.load.roster import Student

A4 = (595.2756, 841.8898)
A4_LANDSCAPE = (A4[1], A4[0])


def corners(box: PageBox, matrix) -> list[tuple[float, float]]:
    """Where the corners of the page's crop box land on the sheet."""
    a, b, c, d, e, f = matrix
    xs = (box.left, box.left + box.width)
    ys = (box.bottom, box.bottom + box.height)
    return [(a * x + c * y + e, b * x + d * y + f) for x in xs for y in ys]


def bounds(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# -- the plan: numbers --------------------------------------------------------------------------------------

def test_a_page_is_scaled_by_its_crop_box_and_centred_in_its_cell():
    box = PageBox(100, 200, 200, 300)  # a crop box of 200 × 300 pt, away from the origin
    cell = (0, 0, A4_LANDSCAPE[0] / 2, A4_LANDSCAPE[1])
    matrix, scale = place(box, cell)
    assert scale == pytest.approx(min((cell[2] - 2 * GUTTER) / 200, (cell[3] - 2 * GUTTER) / 300))
    x0, y0, x1, y1 = bounds(corners(box, matrix))
    assert (x1 - x0, y1 - y0) == (pytest.approx(200 * scale), pytest.approx(300 * scale))
    assert (x0 + x1) / 2 == pytest.approx(cell[2] / 2) and (y0 + y1) / 2 == pytest.approx(cell[3] / 2)
    assert y0 == pytest.approx(GUTTER)  # the tall page fills the cell's height inside the gutter


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_turned_page_is_placed_turned_and_never_cut(turn):
    box = PageBox(10, 20, 400, 200, turn)  # wide as drawn
    cell = (421, 0, 421, 595)
    matrix, scale = place(box, cell)
    x0, y0, x1, y1 = bounds(corners(box, matrix))
    wide, tall = (400, 200) if turn in (0, 180) else (200, 400)
    assert (x1 - x0, y1 - y0) == (pytest.approx(wide * scale), pytest.approx(tall * scale))
    assert x0 >= cell[0] + GUTTER - 1e-6 and x1 <= cell[0] + cell[2] - GUTTER + 1e-6
    assert y0 >= GUTTER - 1e-6 and y1 <= cell[3] - GUTTER + 1e-6
    # the bottom-left corner of the drawing goes where a viewer shows it: /Rotate turns clockwise
    a, b, c, d, e, f = matrix
    corner = (a * 10 + c * 20 + e, b * 10 + d * 20 + f)
    expected = {0: (x0, y0), 90: (x0, y1), 180: (x1, y1), 270: (x1, y0)}[turn]
    assert corner == (pytest.approx(expected[0]), pytest.approx(expected[1]))


def test_the_plan_places_each_page_in_its_cell_in_reading_order():
    boxes = [PageBox(0, 0, *A4)] * 5
    p = impose.plan(boxes, 4, "A4", lambda n: impose.nup_order(n, 4))
    assert [[(pl.page, pl.cell) for pl in sheet] for sheet in p.sheets] == [
        [(0, 0), (1, 1), (2, 2), (3, 3)], [(4, 0)]]
    assert p.size == pytest.approx(A4)
    left_top = p.sheets[0][0].matrix
    assert left_top[4] < A4[0] / 2 and left_top[5] > A4[1] / 2


def test_cut_marks_stand_where_cells_meet_at_the_edges():
    size, cells = impose._cells(2, A4)
    mid = A4[1] / 2
    assert impose.marks(size, cells) == [pytest.approx((mid, 0, mid, impose.MARK), abs=0.01),
                                         pytest.approx((mid, A4[0] - impose.MARK, mid, A4[0]), abs=0.01)]


def made_page(media=(0, 0, 612, 792), crop=None, rotate=None):
    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    page[NameObject("/MediaBox")] = RectangleObject(media)
    if crop is not None:
        page[NameObject("/CropBox")] = RectangleObject(crop)
    if rotate is not None:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    return page


def test_page_box_is_the_crop_box_inside_the_media_box():
    assert page_box(made_page(), 1) == PageBox(0, 0, 612, 792, 0)
    assert page_box(made_page(crop=(100, 150, 300, 450)), 1) == PageBox(100, 150, 200, 300, 0)
    assert page_box(made_page(crop=(-50, -50, 300, 2000)), 1) == PageBox(0, 0, 300, 792, 0)  # clipped
    assert page_box(made_page(rotate=-90), 1).rotate == 270


@pytest.mark.parametrize("page, message", [
    (dict(rotate=45), "page 3 has /Rotate 45; a page can only be turned by a multiple of 90°"),
    (dict(crop=(700, 900, 800, 1000)), "page 3 shows nothing"),
    (dict(media=(0, 0, 0, 0)), "page 3 shows nothing"),
])
def test_a_page_no_viewer_can_show_as_it_is_is_a_page_error(page, message):
    with pytest.raises(PageError, match=message):
        page_box(made_page(**page), 3)


# -- PDFs ---------------------------------------------------------------------------------------------------

def pdf_of(pages: int, draw=None, size=A4) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    for k in range(pages):
        (draw or (lambda c, k: c.drawString(72, 700, f"PAGE {k + 1}")))(c, k)
        c.showPage()
    c.save()
    return buf.getvalue()


def heavy_page(c: Canvas, k: int) -> None:
    """A page with a lot of content: 60 lines of text and 300 little boxes."""
    c.setFont("Helvetica", 9)
    for i in range(60):
        c.drawString(40, 800 - 12 * i, f"page {k + 1} line {i} " + "lorem ipsum dolor sit amet " * 3)
    for i in range(300):
        c.rect(40 + (i % 20) * 25, 40 + (i // 20) * 10, 20, 6, fill=i % 2)


@pytest.mark.parametrize("arrange", ["nup2", "nup4", "booklet"])
def test_an_imposed_file_stays_within_1_2_times_its_source(arrange):
    """Each page's content and resources are in the file once, placed on its sheet by reference."""
    src = pdf_of(24, heavy_page)
    out = {"nup2": lambda: impose.nup(src, 2), "nup4": lambda: impose.nup(src, 4),
           "booklet": lambda: impose.booklet(src)}[arrange]()
    assert len(out) <= 1.2 * len(src), (len(out), len(src))
    texts = page_texts(out)
    assert sum(t.count("line 59") for t in texts) == 24  # every page is there, once


def test_a_page_the_source_repeats_is_in_the_imposed_file_once():
    """A source whose 40 pages share one page's content and resources (as pypdf writes a page added 40
    times): 40 one-sheet booklets, and the content once."""
    src = _repeat(pdf_of(1, heavy_page), 40)
    out = impose.booklet(src, group=1)
    r = PdfReader(io.BytesIO(out))
    assert len(r.pages) == 80  # 40 booklets of one sheet, printed both sides
    forms = {x.idnum for page in r.pages for x in page["/Resources"]["/XObject"].values()}
    assert len(forms) == 1


@pytest.mark.parametrize("arrange", ["nup2", "nup4", "booklet"])
def test_a_collated_class_file_imposed_stays_within_1_2_times_its_size(arrange):
    """Its pages do nothing but place two forms (the pack's page and the student's stamp): the sheets place
    those forms themselves, rather than wrapping each page, a few hundred bytes, in a form of its own."""
    pack = pdf_of(10)
    col = stamp.collate(pack, [Student(f"Student {k}", str(k)) for k in range(40)])
    out = {"nup2": lambda: impose.nup(col, 2, "A4", 10), "nup4": lambda: impose.nup(col, 4, "A4", 10),
           "booklet": lambda: impose.booklet(col, "A4", 10)}[arrange]()
    assert len(out) <= 1.2 * len(col), (len(out), len(col))
    sheets = {"nup2": 5, "nup4": 3, "booklet": 6}[arrange]  # per student, who never shares a sheet
    r = PdfReader(io.BytesIO(out))
    assert len(r.pages) == 40 * sheets
    assert "Prepared for Student 7 · Roll 7" in r.pages[7 * sheets].extract_text()


def _repeat(pdf: bytes, n: int) -> bytes:
    """The same page n times, sharing its content stream (as a collated file of copies does)."""
    r = PdfReader(io.BytesIO(pdf))
    w = PdfWriter()
    for _ in range(n):
        w.add_page(r.pages[0])
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_a_small_crop_box_fills_its_cell_as_a_viewer_shows_it(tmp_path):
    """Placed by the media box, the cropped part would be a small picture in the middle of the cell."""
    def draw(c: Canvas, k: int) -> None:
        c.setFont("Helvetica-Bold", 40)
        c.drawString(110, 300, "CROP")
        c.setFont("Helvetica", 12)
        c.drawString(400, 700, "outside the crop box")

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(2, draw))))
    for page in w.pages:
        page.cropbox = RectangleObject((100, 250, 300, 400))  # 200 × 150 pt around the word
    src = io.BytesIO()
    w.write(src)
    sheet = impose.nup(src.getvalue(), 2)
    half = A4_LANDSCAPE[0] / 2
    left = [g for g in glyphs(sheet) if g[0] == 0 and 0 <= (g[2] + g[4]) / 2 <= half and 0 <= g[3] <= A4[0]]
    assert "".join(g[1] for g in left) == "CROP"  # what lies outside the crop box falls outside the cell
    height = max(g[5] for g in left) - min(g[3] for g in left)
    scale = min((A4_LANDSCAPE[0] / 2 - 2 * GUTTER) / 200, (A4_LANDSCAPE[1] - 2 * GUTTER) / 150)
    assert scale > 1.9
    assert height > 25 * scale  # the capitals of 40 pt Helvetica, enlarged as the crop box is


# -- hostile files through the command line -----------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_pdf_with_no_pages_is_an_error_and_nothing_is_written(tmp_path):
    zero = tmp_path / "zero.pdf"
    w = PdfWriter()
    with zero.open("wb") as f:
        w.write(f)
    for arrange in (["--booklet"], ["--nup", "2"]):
        out = tmp_path / "o.pdf"
        r = run("impose", zero, *arrange, "-o", out)
        assert r.exit_code == 2, r.output
        assert f"error: {zero} has no pages" in r.output
        assert not out.exists()


def test_a_page_turned_by_45_degrees_is_an_error(tmp_path):
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(3))))
    w.pages[1][NameObject("/Rotate")] = NumberObject(45)
    src = tmp_path / "tilted.pdf"
    with src.open("wb") as f:
        w.write(f)
    out = tmp_path / "o.pdf"
    r = run("impose", src, "--nup", "2", "-o", out)
    assert r.exit_code == 2, r.output
    assert f"error: {src}: page 2 has /Rotate 45; a page can only be turned by a multiple of 90°" in r.output
    assert not out.exists()


@pytest.mark.parametrize("content, said", [
    (b"hello, not a pdf\n", "it does not start like a PDF"),
    (pdf_of(3)[:1500], "it is cut short (no end-of-file marker)"),
])
def test_pypdf_warnings_become_the_error_and_are_not_printed_raw(tmp_path, caplog, content, said):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        r = run("impose", bad, "--nup", "2", "-o", tmp_path / "o.pdf")
    assert r.exit_code == 2, r.output
    assert f"error: {bad}: not a PDF that can be read ({said})" in r.output
    assert [rec.getMessage() for rec in caplog.records if rec.name.startswith("pypdf")] == []
    assert "EOF marker" not in r.output and "invalid pdf header" not in r.output
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.slow
def test_pypdf_warnings_never_reach_the_terminal(tmp_path):
    """The same, as a user sees it: a separate process, where pypdf's log would go to stderr."""
    import subprocess
    import sys

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf_of(3)[:1500])
    r = subprocess.run([sys.executable, "-m", "studynotes", "impose", str(bad), "--nup", "2", "-o",
                        str(tmp_path / "o.pdf")], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"error: {bad}: not a PDF that can be read (it is cut short (no "
                                             "end-of-file marker))"]


def test_a_pdf_locked_with_a_password_is_a_clear_error(tmp_path):
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(2))))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        w.write(f)
    r = run("impose", locked, "--booklet", "-o", tmp_path / "o.pdf")
    assert r.exit_code == 2, r.output
    assert "it is locked with a password" in r.output
    assert not (tmp_path / "o.pdf").exists()
