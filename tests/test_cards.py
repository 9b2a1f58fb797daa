"""Flashcards: the geometry checked on the plan as numbers (backs behind fronts through the flip,
cut marks off every card, text inside the safe area at or above the floor), the cards counted
from the notes independently, errors located, and the PDF read back once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from pdfcheck import glyphs, page_texts, reader, squash

from studynotes.errors import NotesError
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import calibrate, cards
from studynotes.style import MM

ROOT = Path(__file__).resolve().parent.parent
NOTES = sorted(p.stem for p in (ROOT / "notes").glob("*.yaml"))
EPS = 0.01


@cache
def topic(name: str = "india-japan"):
    return loader.load(ROOT / "notes" / f"{name}.yaml")


def layout(name: str = "cards", **settings):
    return presets.load(name).adjusted(**settings)


@cache
def sample_plan(name: str = "india-japan", flip: str = "long", mode: str = "duplex",
                paper: str | None = None, landscape: bool | None = None) -> cards.CardsPlan:
    return cards.plan(topic(name), layout(flip=flip, mode=mode, paper=paper, landscape=landscape))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return cards.draw(sample_plan()).pdf


def mirrored(r: cards.Rect, pagesize, flip: str) -> cards.Rect:
    """Where a card's back must print, worked out here from the sheet itself: turning a sheet over its
    long edge swaps left and right on portrait paper (top and bottom on landscape); the short edge
    the other way round."""
    w, h = pagesize
    long_is_vertical = h >= w
    if (flip == "long") == long_is_vertical:
        return cards.Rect(w - r.x - r.w, r.y, r.w, r.h)
    return cards.Rect(r.x, h - r.y - r.h, r.w, r.h)


def same(a: cards.Rect, b: cards.Rect) -> bool:
    return all(abs(u - v) < EPS for u, v in ((a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)))


# -- duplex alignment -------------------------------------------------------------------

@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("landscape", [False, True])
def test_every_back_lies_exactly_behind_its_front(flip, landscape):
    p = sample_plan(flip=flip, landscape=landscape)
    assert len(p.cards) % len(p.grid), "the sample must leave its last sheet part-filled"
    fronts = [pg for pg in p.pages if pg.side == "front"]
    backs = [pg for pg in p.pages if pg.side == "back"]
    assert [pg.side for pg in p.pages] == ["front", "back"] * p.sheets
    seen = 0
    for f, b in zip(fronts, backs, strict=True):
        where = {face.card: face.slot for face in b.faces}
        assert sorted(where) == sorted(face.card for face in f.faces)  # the same cards, the part-filled sheet too
        for face in f.faces:
            assert same(where[face.card], mirrored(face.slot, p.pagesize, flip)), (flip, face.card)
            seen += 1
    assert seen == len(p.cards)
    assert p.duplex == {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}[flip]


def test_long_flip_on_portrait_swaps_the_columns():
    """A B / C D on the front is B A / D C on the back (the rows stay)."""
    p = sample_plan()
    front, back = p.pages[0], p.pages[1]
    col = {round(f.slot.x): f.card for f in front.faces if abs(f.slot.y - front.faces[0].slot.y) < EPS}
    bcol = {round(f.slot.x): f.card for f in back.faces if abs(f.slot.y - front.faces[0].slot.y) < EPS}
    assert [col[x] for x in sorted(col)] == [0, 1] and [bcol[x] for x in sorted(bcol)] == [1, 0]


def test_back_offset_moves_the_backs_only():
    plain = sample_plan()
    moved = cards.plan(topic(), layout(back_offset=(1.5, -0.5)))
    dx, dy = 1.5 * MM, -0.5 * MM
    for a, b in zip(plain.pages, moved.pages, strict=True):
        if a.side == "front":
            assert a == b
            continue
        for fa, fb in zip(a.faces, b.faces, strict=True):
            assert same(fb.slot, fa.slot.moved(dx, dy)) and same(fb.text_box, fa.text_box.moved(dx, dy))
            assert all(abs(lb.x - la.x - dx) < EPS and abs(lb.y - la.y - dy) < EPS
                       for la, lb in zip(fa.lines, fb.lines, strict=True))
        for ma, mb in zip(a.marks, b.marks, strict=True):
            assert abs(mb[0] - ma[0] - dx) < EPS and abs(mb[1] - ma[1] - dy) < EPS


def test_fronts_and_backs_have_the_same_extents():
    """A viewer's "fit to page" then scales both sides alike: the marks reach equally far on both."""
    p = sample_plan()

    def extent(page):
        xs = [v for m in page.marks for v in (m[0], m[2])]
        ys = [v for m in page.marks for v in (m[1], m[3])]
        return round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)

    assert extent(p.pages[0]) == extent(p.pages[1])


# -- cutting and text -----------------------------------------------------------------------

def _crosses(mark, r: cards.Rect) -> bool:
    x0, y0, x1, y1 = mark
    lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    return lo_x < r.x1 - EPS and hi_x > r.x + EPS and lo_y < r.y1 - EPS and hi_y > r.y + EPS \
        or (lo_x == hi_x and r.x - EPS <= lo_x <= r.x1 + EPS and lo_y < r.y1 and hi_y > r.y) \
        or (lo_y == hi_y and r.y - EPS <= lo_y <= r.y1 + EPS and lo_x < r.x1 and hi_x > r.x)


@pytest.mark.parametrize("mode", ["duplex", "fold", "separate"])
def test_cut_marks_are_off_every_card_and_short_of_the_paper_edge(mode):
    p = sample_plan(mode=mode)
    w, h = p.pagesize
    for page in p.pages:
        assert page.marks
        slots = [f.slot for f in page.faces]
        if page.side == "back":
            slots = [cards.behind(r, p.pagesize, True) for r in p.grid]  # the whole mirrored grid
        elif page.side == "front":
            slots = list(p.grid)
        for m in page.marks:
            assert not any(_crosses(m, r) for r in slots), (page.side, m)
            assert all(3 * MM - EPS <= v <= w - 3 * MM + EPS for v in (m[0], m[2]))
            assert all(3 * MM - EPS <= v <= h - 3 * MM + EPS for v in (m[1], m[3]))


@pytest.mark.parametrize("name", NOTES)
def test_text_is_inside_the_safe_area_and_never_under_the_floor(name):
    p = sample_plan(name)
    cfg = cards.settings(presets.load("cards"))
    assert cfg["floor"] >= 8
    for page in p.pages:
        for face in page.faces:
            assert cfg["floor"] <= face.size <= cfg["size"]
            assert same(face.safe, face.slot.inset(cards.SAFE))
            assert face.safe.holds(face.room) and face.room.holds(face.text_box)
            for line in face.lines:
                assert face.safe.holds(line.box), line
                assert line.size >= 7
            # nothing overlaps: the text sits between the header and the source mark
            header, _, mark = face.lines
            assert face.room.y1 <= header.box.y + EPS and face.room.y >= mark.box.y1 - EPS


# -- what makes a card ----------------------------------------------------------------------

def _count_independently(path: Path) -> int:
    """Cards the notes hold, read with plain YAML: cards, terms, facts, timeline entries, and key
    points (key: true) that have a ==key== phrase, at any depth."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def points(ps):
        n = 0
        for p in ps or []:
            if isinstance(p, dict):
                n += bool(p.get("key")) and "==" in str(p["text"])
                n += points(p.get("points"))
        return n

    def section(s):
        return (sum(len(s.get(k) or []) for k in ("cards", "terms", "facts", "timeline")) + points(s.get("points"))
                + sum(section(sub) for sub in s.get("sections") or []))

    return sum(section(s) for s in data["sections"])


@pytest.mark.parametrize("name", NOTES)
def test_every_source_item_makes_one_card(name):
    p = sample_plan(name)
    assert len(p.cards) == _count_independently(ROOT / "notes" / f"{name}.yaml")
    assert sum(len(pg.faces) for pg in p.pages) == 2 * len(p.cards)  # a front and a back each
    assert [c.ident for c in p.cards] == [f"{cards.initials(name)}·{i}" for i in range(1, len(p.cards) + 1)]


def test_the_build_note_and_sources_in_notes_order():
    p = sample_plan()
    assert p.notes[0] == f"cards of india-japan: {len(p.cards)} cards on {p.sheets} sheets ({2 * p.sheets} pages)"
    assert p.cards[0].ident == "IJ·1"
    only = cards.plan(topic(), layout(**{"from": ("key", "cards")}))
    assert {c.source for c in only.cards} == {"key", "cards"}
    first = only.cards[0]
    assert first.source == "key" and "==" not in first.plain[0] and cards.BLANK in first.plain[0]
    assert first.plain[1] and first.plain[1] not in first.plain[0]  # the phrase is on the back only


def test_fold_mode_puts_each_back_beside_its_front_mirrored_about_the_fold():
    p = sample_plan(mode="fold")
    w, _ = p.pagesize
    assert all(pg.side == "fold" and pg.fold is not None and abs(pg.fold[0] - w / 2) < EPS for pg in p.pages)
    for page in p.pages:
        fronts = {f.card: f.slot for f in page.faces if f.side == "front"}
        backs = {f.card: f.slot for f in page.faces if f.side == "back"}
        assert fronts.keys() == backs.keys()
        for k, r in fronts.items():
            assert r.x1 <= w / 2 and same(backs[k], cards.Rect(w - r.x1, r.y, r.w, r.h))
    assert p.duplex == "Simplex" and len(p.pages) == -(-len(p.cards) // 4)


def test_separate_mode_puts_the_answers_after_the_questions_in_the_same_places():
    p = sample_plan(mode="separate")
    sides = [pg.side for pg in p.pages]
    assert sides == ["front"] * p.sheets + ["answers"] * p.sheets
    fronts = {f.card: f.slot for pg in p.pages if pg.side == "front" for f in pg.faces}
    backs = {f.card: f.slot for pg in p.pages if pg.side == "answers" for f in pg.faces}
    assert fronts == backs and len(fronts) == len(p.cards)


# -- mistakes -------------------------------------------------------------------------------

def test_a_card_too_long_for_the_floor_is_an_error_naming_file_line_and_item(tmp_path):
    long = " ".join(["word"] * 400)
    f = tmp_path / "t.yaml"
    f.write_text("topic: T\nid: tee\nsections:\n  - title: S\n    cards:\n      - {q: Short?, a: ok}\n"
                 f"      - {{q: Long?, a: {long}}}\n", encoding="utf-8")
    with pytest.raises(NotesError) as e:
        cards.plan(loader.load(f), layout())
    (problem,) = e.value.problems
    assert (problem.path, problem.line) == (str(f), 7)
    assert "card 'Long?'" in problem.message and "TE·2" in problem.message and "9 pt" in problem.message


def test_cards_too_small_are_an_error_at_the_preset(tmp_path):
    f = tmp_path / "tiny.yaml"
    f.write_text("extends: cards\ncards:\n  rows: 8\n  cols: 4\n  gutter: 20\n", encoding="utf-8")
    with pytest.raises(NotesError) as e:
        cards.plan(topic(), presets.load(str(f)))
    assert e.value.problems[0].path == str(f) and "too small" in e.value.problems[0].message


def test_devanagari_cards_are_shaped(tmp_path):
    f = tmp_path / "hi.yaml"
    f.write_text("topic: Monsoon\nsections:\n  - title: Words\n    terms:\n      - {term: मानसून, meaning: monsoon}\n",
                 encoding="utf-8")
    p = cards.plan(loader.load(f), layout())
    assert p.cards[0].front.shaping and not p.warnings
    assert cards.draw(p).pages == 2


# -- the PDF --------------------------------------------------------------------------------

def test_pdf_asks_for_duplex_and_actual_size(pdf):
    prefs = reader(pdf).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge" and prefs["/PrintScaling"] == "/None"


def test_pdf_text_has_every_card_and_instruction(pdf):
    p = sample_plan()
    texts = page_texts(pdf)
    assert len(texts) == len(p.pages)
    assert "Print at actual size · two-sided · flip on long edge" in texts[0]
    for page, t in zip(p.pages, texts, strict=True):
        flat = squash(t)
        for face in page.faces:
            card = p.cards[face.card]
            said = card.plain[0] if face.side == "front" else card.plain[1].split("\n")[0]
            assert squash(said) in flat, said
            assert card.ident in t


def test_pdf_glyphs_on_cards_stay_in_the_safe_area_at_their_planned_size(pdf):
    p = sample_plan()
    bad = []
    for page, ch, x0, y0, x1, y1, size in glyphs(pdf):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for face in p.pages[page].faces:
            s = face.slot
            if s.x <= cx <= s.x1 and s.y <= cy <= s.y1:
                inside = face.safe.x - 0.5 <= x0 and x1 <= face.safe.x1 + 0.5 and face.safe.y - 0.5 <= y0 \
                    and y1 <= face.safe.y1 + 0.5
                in_text = face.text_box.y - 1 <= cy <= face.text_box.y1 + 1
                if not inside or size < 7 - EPS or (in_text and size < face.size - 0.05):
                    bad.append((page, ch, round(size, 1)))
    assert not bad


# -- the calibration sheet --------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["A4", "Letter", "A5"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_calibration_squares_sit_behind_their_crosses_by_their_offset(paper, flip):
    c = calibrate.plan(paper, flip)
    assert len(c.crosses) == len(c.squares) == len(calibrate.STEPS) ** 2
    for (fx, fy), (bx, by, label) in zip(c.crosses, c.squares, strict=True):
        ox, oy = (float(v) for v in label.split(","))
        spot = mirrored(cards.Rect(fx, fy, 0, 0), c.pagesize, flip)
        # the square, moved back by its own offset, is exactly behind its cross
        assert abs(bx - ox * MM - spot.x) < EPS and abs(by - oy * MM - spot.y) < EPS
    w, h = c.pagesize
    assert all(0 < x < w and 0 < y < h for x, y, _ in c.squares)


def test_landscape_long_flip_mirrors_top_and_bottom():
    assert not cards.mirror_x((842, 595), "long") and cards.mirror_x((842, 595), "short")
    assert cards.mirror_x((595, 842), "long") and not cards.mirror_x((595, 842), "short")


def test_initials():
    assert cards.initials("india-japan") == "IJ" and cards.initials("geography") == "GE"
    assert cards.initials("fundamental-rights") == "FR"


def test_cards_calibrate_writes_a_two_sided_sheet(tmp_path):
    from click.testing import CliRunner

    from studynotes.cli import main

    out = tmp_path / "cal.pdf"
    result = CliRunner().invoke(main, ["cards-calibrate", "--paper", "A5", "--flip", "short", "-o", str(out)])
    assert result.exit_code == 0, result.output
    r = reader(out.read_bytes())
    assert len(r.pages) == 2 and r.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert "--back-offset X,Y" in r.pages[1].extract_text()
