"""Formulas (`$…$`, `$$…$$`): the syntax, located errors for bad TeX, the outline the engine gives,
and what a PDF shows — boxes inside their column, on the baseline of their line, clear of the lines
around them, and the TeX source as the text a reader extracts."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pdfcheck import page_texts, squash

from studynotes import formula
from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.markup import DISPLAY, INLINE, MarkupError, Run, compact, parse, plain
from studynotes.model import iter_points
from studynotes.render import revision

ROOT = Path(__file__).resolve().parent.parent
SCIENCE = ROOT / "notes" / "kinematics.yaml"


def error_at(text: str) -> tuple[int, str]:
    with pytest.raises(MarkupError) as info:
        parse(text)
    return info.value.offset, info.value.message


# ---------------------------------------------------------------- syntax


@pytest.mark.parametrize("text", [
    "US$ 13.7 bn",                   # a dollar before a space opens nothing
    "$5 and $10",                    # the second dollar follows a space: it closes nothing
    "cost $20,000 and $30,000",
    "$x$5",                          # a closing dollar before a digit is money
    "a $ b $ c",
    "$",
    "$$",
    "trailing $x",
    "price \\$5 and \\$10$",          # escaped dollars are literal; the last one finds no partner
])
def test_dollars_that_are_money_stay_literal(text):
    runs = parse(text)
    assert all(not r.math for r in runs)
    assert plain(text) == text.replace("\\$", "$")


def test_inline_and_display_formulas():
    assert parse("speed $v = u + at$ here") == (Run("speed "), Run("v = u + at", math=INLINE), Run(" here"))
    assert parse("$$\\frac{1}{2}mv^2$$") == (Run("\\frac{1}{2}mv^2", math=DISPLAY),)
    assert parse("so $$E = mc^2$$ holds")[1] == Run("E = mc^2", math=DISPLAY)


def test_a_formula_takes_the_markers_around_it_and_keeps_tex_dollars():
    assert parse("==$v = u + at$==") == (Run("v = u + at", key=True, math=INLINE),)
    assert parse("**$x$** and *$y$*") == (Run("x", bold=True, math=INLINE), Run(" and "),
                                         Run("y", italic=True, math=INLINE))
    assert parse("$a \\$ b$") == (Run("a \\$ b", math=INLINE),)  # TeX's own dollar inside stays TeX
    assert parse("$a*b$ and $x^*$")[0] == Run("a*b", math=INLINE)  # a single * is TeX's


def test_plain_gives_the_tex_source_and_compact_a_line_of_unicode():
    text = "energy $\\frac{1}{2}mv^2$, root $\\sqrt{2gh}$ and $v^2 = u^2 + 2as$"
    assert plain(text) == "energy \\frac{1}{2}mv^2, root \\sqrt{2gh} and v^2 = u^2 + 2as"
    assert compact(text) == "energy ½mv², root √(2gh) and v² = u² + 2as"
    assert compact("$\\mathrm{H_2SO_4} \\rightleftharpoons$") == "H₂SO₄ ⇌"


@pytest.mark.parametrize("text, offset, message", [
    ("a $\\fracc{1}{2}$ b", 3, "formula: unknown command \\fracc"),
    ("$x + \\ce{H2O}$", 5, "formula: unknown command \\ce (mhchem's \\ce{} is not supported"),
    ("$x^$", 1, "formula: '^' or '_' has nothing after it"),
    ("$a {b$", 3, "formula: '{' never closes"),
    ("$a} b$", 2, "formula: '}' closes nothing"),
    ("$\\frac{1}$", 1, "formula: a fraction needs two arguments"),
    ("$\\left( x$", 1, "formula: \\left without its \\right"),
    ("$a ==b== c$", 3, "formula: the marker key '==' may not stand inside a formula"),
    ("$a **b** c$", 3, "formula: the marker bold '**' may not stand inside a formula"),
])
def test_bad_tex_is_an_error_at_its_place(text, offset, message):
    at, said = error_at(text)
    assert (at, said[:len(message)]) == (offset, message)


def test_bad_tex_in_a_file_is_located_at_line_and_column(tmp_path):
    notes = tmp_path / "physics.yaml"
    notes.write_text("topic: Physics\nsections:\n  - title: Motion\n    points:\n"
                     "      - Kinetic energy is $\\fracc{1}{2}mv^2$ for a body\n", encoding="utf-8")
    with pytest.raises(NotesError) as info:
        loader.load(notes)
    (problem,) = info.value.problems
    column = "      - Kinetic energy is $".index("$") + 2  # the backslash, counting from 1
    assert (problem.line, problem.col) == (5, column)
    assert str(problem).endswith("formula: unknown command \\fracc")


# ---------------------------------------------------------------- the outline


def test_an_outline_is_paths_in_points_and_scales_with_the_size():
    small, big = formula.layout("v = u + at", 10), formula.layout("v = u + at", 20)
    assert big.width == pytest.approx(2 * small.width) and big.ascent == pytest.approx(2 * small.ascent)
    assert 0.45 < small.ascent / 10 < 0.8 and small.descent >= 0  # x-height-ish letters, nothing deep
    assert {op[0] for op in small.outline.ops} <= {"M", "L", "C", "Z"}
    frac = formula.layout("\\frac{1}{2}", 10, display=True)
    assert frac.outline.rects and frac.ascent > 10 and frac.descent > 3  # the bar is a rule; two storeys


def test_scripts_keep_half_the_size_at_least():
    """ziamath's floor for scripts is a share of its configured size; outlines are made at REF, so a
    script of a script stays legible when a label is set at 7 pt."""
    base = formula.layout("x", 7)
    nested = formula.layout("x^{y^{z}}", 7)
    assert nested.ascent - base.ascent > 0.5 * 7 * 0.4


# ---------------------------------------------------------------- the science sample, printed


@pytest.fixture(scope="module")
def science():
    topic = loader.load(SCIENCE)
    p = revision.plan(topic, presets.load("revision"))
    drawn: list[tuple[int, float, float, formula.Formula, float]] = []  # (page, x, baseline, formula, scale)
    real, paged, page = formula._paths, revision.paged_canvas, [1]

    def record(canvas, f, x, y, scale):
        a, _, _, d, e, f_ = canvas._currentMatrix  # engines draw flowables in translated coordinates
        drawn.append((page[0], a * x + e, d * y + f_, f, scale * a))
        real(canvas, f, x, y, scale)

    def counted(decorate):
        class Counted(paged(decorate)):
            def showPage(self):  # noqa: N802
                page[0] += 1
                super().showPage()
        return Counted

    formula._paths, revision.paged_canvas = record, counted
    try:
        pdf = revision.draw(p).pdf
    finally:
        formula._paths, revision.paged_canvas = real, paged
    return topic, p, pdf, drawn


def formulas_of(topic) -> list[str]:
    texts = []
    for sec, _ in topic.walk():
        texts += [p.text for p, _ in iter_points(sec.points)]
        texts += [t for f in sec.facts for t in (f.label, f.value)] + [e.what for e in sec.timeline]
        texts += [t for term in sec.terms for t in (term.term, term.meaning)]
        texts += [t for c in sec.cards for t in (c.q, c.a)]
        if sec.table:
            texts += [c for row in sec.table.rows for c in row]
    return [r.text for t in texts for r in parse(t) if r.math]


def char_lines(pdf: bytes) -> dict[int, list[tuple[float, float, float, float, float]]]:
    """Per page, every visible character of the text as (origin y, left, bottom, right, top); the
    invisible copies of formula sources (render mode 3) are not text one sees."""
    out: dict[int, list[tuple[float, float, float, float, float]]] = {}
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        tp = doc[i].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for k in range(tp.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(tp, k))
            if not ch.strip() or not pdfium_c.FPDFText_GetCharOrigin(tp, k, x, y):
                continue
            obj = pdfium_c.FPDFText_GetTextObject(tp, k)
            if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                continue
            left, bottom, right, top = tp.get_charbox(k)
            out.setdefault(i + 1, []).append((y.value, left, bottom, right, top))
    return out


def test_every_formula_is_drawn_inside_a_column_of_its_page(science):
    topic, p, _, drawn = science
    assert len(drawn) >= len(formulas_of(topic)) > 40
    for page, x, base, f, scale in drawn:
        frames = p.pages[page - 1].frames
        box = (x, base - f.descent * scale, x + f.width * scale, base + f.ascent * scale)
        assert any(fr.x - 0.5 <= box[0] and box[2] <= fr.x + fr.width + 0.5
                   and fr.y - 0.5 <= box[1] and box[3] <= fr.y + fr.height + 0.5 for fr in frames), (f.tex, box)


def test_inline_formulas_sit_on_the_baseline_of_their_line(science):
    """The words next to an inline formula (within 8 pt, at its height) stand on its baseline."""
    _, _, pdf, drawn = science
    lines = char_lines(pdf)
    beside, off = 0, []
    for page, x, base, f, scale in drawn:
        if f.display:
            continue
        left, right = x, x + f.width * scale
        for oy, cl, cb, cr, ct in lines[page]:
            near = -8 < cl - right < 8 or -8 < left - cr < 8  # the words next to it, not a cell beside
            if near and cb < base + f.ascent and ct > base - f.descent:
                beside += 1
                if abs(oy - base) > 0.05:
                    off.append((f.tex, oy, base))
    assert beside > 100 and not off


def test_formulas_stay_clear_of_the_lines_above_and_below(science):
    _, _, pdf, drawn = science
    lines = char_lines(pdf)
    for page, x, base, f, scale in drawn:
        left, right = x, x + f.width * scale
        bottom, top = base - f.descent * scale, base + f.ascent * scale
        for oy, cl, cb, cr, ct in lines[page]:
            if abs(oy - base) < 0.05 or cr <= left or cl >= right:
                continue  # the formula's own line, or beside it
            assert ct <= bottom + 0.3 or cb >= top - 0.3, (f.tex, (cl, cb, cr, ct), (left, bottom, right, top))


def test_display_formulas_are_centred_on_their_line(science):
    _, p, _, drawn = science
    for page, x, base, f, scale in drawn:
        if not f.display:
            continue
        frame = next(fr for fr in p.pages[page - 1].frames
                     if fr.x <= x <= fr.x + fr.width and fr.y <= base <= fr.y + fr.height)
        middle = x + f.width * scale / 2
        assert frame.x + 0.3 * frame.width < middle < frame.x + 0.75 * frame.width, f.tex
        assert scale >= formula.MIN_SCALE


def test_the_tex_source_is_the_text_a_reader_extracts(science):
    topic, _, pdf, _ = science
    doc = pdfium.PdfDocument(pdf)
    by_pdfium = squash("".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))
    by_pypdf = squash("".join(page_texts(pdf)))
    missing = [tex for tex in formulas_of(topic) if squash(tex) not in by_pdfium]
    assert not missing
    assert "\\frac{1}{2}at^2" in by_pdfium and squash("s = ut + \\frac{1}{2}at^2") in by_pypdf
    # every text with a formula reads in order, formula in place (the coverage checks count it)
    sec = next(s for s, _ in topic.walk() if s.id == "describing")
    assert squash(plain(sec.points[0].text)) in by_pdfium


def test_a_display_formula_too_wide_even_at_80_percent_is_refused_where_it_stands(tmp_path):
    long = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(40))
    notes = tmp_path / "wide.yaml"
    notes.write_text(f"topic: Wide\nsections:\n  - title: Sums\n    points:\n      - 'A sum:'\n"
                     f"      - '$${long}$$'\n", encoding="utf-8")
    topic = loader.load(notes)
    with pytest.raises(NotesError) as info:
        revision.render(topic, presets.load("revision"))
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == (str(notes), 6)
    assert "mm too wide for its column even at 80 % of the body size" in problem.message


def test_a_display_formula_a_little_too_wide_is_shrunk_to_the_column(tmp_path):
    layout = presets.load("revision")
    column = revision.plan(loader.load(SCIENCE), layout).pages[0].frames[1].width
    size = layout.fonts["body"]
    wide = next(w for n in range(3, 60) if 1.05 * column < formula.layout(
        w := " + ".join(f"a_{i}" for i in range(n)), size, display=True).width < 1.2 * column)
    notes = tmp_path / "wide.yaml"
    notes.write_text(f"topic: Wide\nsections:\n  - title: Sums\n    points:\n      - '$${wide}$$'\n",
                     encoding="utf-8")
    topic = loader.load(notes)
    p = revision.plan(topic, layout)
    drawn = []
    real = formula._paths
    formula._paths = lambda c, f, x, y, s: drawn.append((x + c._currentMatrix[4], f, s)) or real(c, f, x, y, s)
    try:
        revision.draw(p)
    finally:
        formula._paths = real
    ((x, f, scale),) = drawn
    frame = p.pages[0].frames[0]
    assert formula.MIN_SCALE <= scale < 1 and x + f.width * scale <= frame.x + frame.width + 0.5


# ---------------------------------------------------------------- Markdown, and every kind


def test_markdown_passes_formulas_through_as_notes_text(tmp_path):
    md = tmp_path / "motion.md"
    md.write_text("# Motion\n\n## Equations\n\n"
                  "- Velocity $v_1 = u + a_1 t$, costs US$ 5, $5 and $10, a \\$ sign\n"
                  "- A thin space $s = \\frac{u+v}{2}\\,t$ and `code $x$`\n\n"
                  "$$\ns = ut + \\frac{1}{2}at^2\n$$\n\n"
                  "- Bad $\\fracc{1}{2}$\n", encoding="utf-8")
    with pytest.raises(NotesError) as info:
        loader.load(md)
    (problem,) = info.value.problems
    assert (problem.line, problem.col, problem.message) == (12, 8, "formula: unknown command \\fracc")
    md.write_text(md.read_text(encoding="utf-8").replace("\\fracc", "\\frac"), encoding="utf-8")
    points = [p.text for p in loader.load(md).sections[0].points]
    assert points[:3] == ["Velocity $v_1 = u + a_1 t$, costs US$ 5, $5 and $10, a \\$ sign",
                          "A thin space $s = \\frac{u+v}{2}\\,t$ and code \\$x\\$",
                          "$$s = ut + \\frac{1}{2}at^2$$"]
    assert [r.math for r in parse(points[0])] == ["", INLINE, ""]


def test_a_topic_with_formulas_goes_to_markdown_and_back_unchanged(tmp_path):
    from studynotes.importers.markdown_out import to_markdown
    from studynotes.load import markdown

    topic = loader.load(SCIENCE)
    back = markdown.parse(to_markdown(topic), "k.md", "kinematics").topic
    assert formulas_of(back) == formulas_of(topic)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["revision", "summary", "mindmap", "cards", "quiz", "worksheet"])
def test_every_kind_builds_the_science_sample_with_no_warnings(kind):
    from studynotes.render import KINDS, engine

    if kind not in KINDS:
        pytest.skip(f"no {kind} engine yet")
    done = engine(kind)(loader.load(SCIENCE), presets.load(kind))
    assert done.pages >= 1 and done.warnings == ()
    if kind == "revision":  # the kind that prints every text: every formula is there, as TeX
        doc = pdfium.PdfDocument(done.pdf)
        text = squash("".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))
        assert [t for t in formulas_of(loader.load(SCIENCE)) if squash(t) not in text] == []


def test_a_formula_the_engine_cannot_set_is_a_located_error_not_a_traceback(tmp_path, monkeypatch):
    class Broken:
        def Latex(self, *args, **kw):  # noqa: N802 (ziamath's name)
            raise ZeroDivisionError("deep inside the engine")

    notes = tmp_path / "odd.yaml"
    notes.write_text("topic: Odd\nsections:\n  - title: A\n    points:\n      - 'Odd $q_{odd}$ here'\n",
                     encoding="utf-8")
    topic = loader.load(notes)
    monkeypatch.setattr(formula, "_ziamath", lambda: Broken())
    with pytest.raises(NotesError) as info:
        revision.render(topic, presets.load("revision"))
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == (str(notes), 5)
    assert problem.message == "$q_{odd}$ cannot be set (ZeroDivisionError: deep inside the engine)"


def test_inline_formulas_in_a_justified_wrapped_paragraph_keep_clear_of_the_words_beside_them():
    """Justification spreads the words of a line: each formula moves with them (ReportLab draws it after
    justifying), so no formula box covers a word of its own line, and every box is inside the column."""
    import io

    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from studynotes.render.common import Palette, Writer

    topic = loader.load(SCIENCE)
    text = " ".join(["A body thrown at $u$ and $\\theta$ moves across at $u\\cos\\theta$ and falls with $g$,"
                     " so $y = x\\tan\\theta - \\frac{g x^2}{2u^2\\cos^2\\theta}$ traces a parabola and"
                     " $R = \\frac{u^2\\sin 2\\theta}{g}$ is its range;"] * 3)
    style = ParagraphStyle("j", fontName="Lato", fontSize=10, leading=12.5, alignment=TA_JUSTIFY)
    para = Writer(topic, Palette(presets.load("revision"))).para(text, style)
    width = 200.0
    _, height = para.wrap(width, 1000)
    drawn = []
    real = formula._paths
    formula._paths = lambda c, f, x, y, s: drawn.append((x + c._currentMatrix[4], y + c._currentMatrix[5], f)) \
        or real(c, f, x, y, s)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(300, 1100))
    try:
        para.drawOn(canvas, 50, 1050 - height)
        canvas.save()
    finally:
        formula._paths = real
    assert len(drawn) == 18 and len(para.blPara.lines) > 8
    chars = [c for cs in char_lines(buf.getvalue()).values() for c in cs]
    for x, base, f in drawn:
        assert 50 - 0.01 <= x and x + f.width <= 50 + width + 0.01, f.tex
        covered = [c for c in chars if abs(c[0] - base) < 0.05 and c[1] < x + f.width - 0.2 and c[3] > x + 0.2]
        assert not covered, (f.tex, covered)


def test_outlines_kept_on_disk_are_read_back_without_the_engine(tmp_path, monkeypatch):
    cache = tmp_path / "formulas.json"
    formula.outline.cache_clear()
    formula.use_disk(cache)
    try:
        made = formula.outline("E = mc^2", False)
        formula.save_disk()
        assert made.tex == "E = mc^2" and cache.exists()
        formula.outline.cache_clear()
        formula.use_disk(cache)  # as a new process would
        monkeypatch.setattr(formula, "_ziamath", lambda: pytest.fail("the engine was asked again"))
        assert formula.outline("E = mc^2", False) == made
    finally:
        formula.use_disk(None)
        formula.outline.cache_clear()


def test_a_worksheet_blanks_a_whole_formula_and_sets_it_in_the_answers(tmp_path):
    from studynotes.render import worksheet

    notes = tmp_path / "physics.yaml"
    notes.write_text("topic: Physics\nsections:\n  - title: Motion\n    points:\n"
                     "      - text: 'The first equation is ==$v = u + at$== for constant $a$'\n        key: true\n"
                     "      - text: 'Kinetic energy is ==$\\frac{1}{2}mv^2$==, and $a = \\frac{F}{m}$ holds'\n",
                     encoding="utf-8")
    topic = loader.load(notes)
    p = worksheet.plan(topic, presets.load("worksheet"))
    assert [a.text for a in p.answers] == ["$v = u + at$", "$\\frac{1}{2}mv^2$"]
    drawn: list[str] = []
    real = formula._paths
    formula._paths = lambda c, f, x, y, s: drawn.append(f.tex) or real(c, f, x, y, s)
    try:
        pdf = worksheet.draw(p).pdf
    finally:
        formula._paths = real
    assert sorted(drawn) == sorted(["a", "a = \\frac{F}{m}", "v = u + at", "\\frac{1}{2}mv^2"])  # answers set too
    doc = pdfium.PdfDocument(pdf)
    sheet, answers = (squash(doc[i].get_textpage().get_text_range()) for i in (0, len(doc) - 1))
    assert "u+at" not in sheet and "\\frac{1}{2}mv^2" not in sheet and "a=\\frac{F}{m}" in sheet
    assert "(1)v=u+at" in answers and "(2)\\frac{1}{2}mv^2" in answers  # set, reading as their TeX


def test_the_shipped_placeholder_is_the_one_pixel_image():
    assert formula.PLACEHOLDER.read_bytes() == formula._one_pixel_png()


def test_a_build_keeps_its_formulas_beside_the_record_and_the_next_build_sets_none_again(tmp_path, monkeypatch):
    from studynotes import build

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "f.yaml").write_text("topic: F\nsections:\n  - title: Motion\n    points:\n"
                                               "      - Speed is $v = \\frac{s}{t}$ and $a = \\frac{v-u}{t}$\n")
    formula.outline.cache_clear()
    try:
        build.incremental((), Path("notes"), ("revision",), ((), (), ()), {}, Path("out"), 1)
        kept = json.loads((tmp_path / "out" / build.FORMULAS_NAME).read_text(encoding="utf-8"))
        assert len(kept["formulas"]) >= 2
        formula.outline.cache_clear()  # as a new process would start
        monkeypatch.setattr(formula, "_ziamath", lambda: pytest.fail("the engine was asked again"))
        report = build.incremental((), Path("notes"), ("revision",), ((), (), ()), {}, Path("out"), 1, force=True)
        assert len(report.written) == 1
    finally:
        formula.use_disk(None)
        formula.outline.cache_clear()
