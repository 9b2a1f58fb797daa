"""What the speed work of issue 12 must not change, and the behaviour it relies on (no timing here:
the figures live in bench/).

Memoised text functions give the same answers, and still report missing glyphs on every call; fonts
are found without fontpkg's scan of every installed package; a one-worker build never starts
multiprocessing; a class pack's parts wait on disk and are let go as the merge passes them, with the
pack's bytes the same as from parts held in memory; an output's key is the same however it is asked.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from studynotes import fonts, markup, text
from studynotes.cache import layout_key, output_key
from studynotes.finish import pack as packing
from studynotes.finish.pack import PackInfo, Part, assemble
from studynotes.load import notes, presets
from studynotes.workers import render_many, spooled

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "notes" / "india-japan.yaml"


# ---------------------------------------------------------------- memoised text functions


@given(st.text(alphabet="ab *=\\\n", max_size=14))
def test_parse_is_the_parser_whatever_the_text(t):
    """The fast path (no marker or backslash: one run) and the memo answer as the full parser does."""
    try:
        expected = markup._Parser(t).run()
    except markup.MarkupError as exc:
        with pytest.raises(markup.MarkupError) as again:
            markup.parse(t)
        assert (again.value.offset, again.value.message) == (exc.offset, exc.message)
        return
    assert markup.parse(t) == expected
    assert markup.parse(t) == expected  # asked again: the memo


def test_text_without_markers_is_one_run():
    assert markup.parse("plain words, 3 = three") == (markup.Run("plain words, 3 = three"),)
    assert markup.parse("") == ()


def test_missing_glyphs_are_reported_on_every_call_not_only_the_first():
    for _ in range(2):
        missing: list[str] = []
        assert fonts.assign_fonts("a\u0f40b", missing) == [fonts.BODY] * 3  # Tibetan: no font ships for it
        assert missing == ["\u0f40"]
        lost: list[str] = []
        text.width("x\u0f40", 10, missing=lost)
        assert lost == ["\u0f40"]


def test_fonts_of_mixed_scripts_are_the_same_from_the_memo():
    line = "India–Japan भारत ∈ ✓"
    first, again = fonts.assign_fonts(line, []), fonts.assign_fonts(line, [])
    assert first == again and first is not again  # a list of its own for each caller
    assert first[line.index("भ")] == fonts.DEVANAGARI
    assert first[line.index("✓")] != fonts.BODY  # a symbol fallback
    assert text.width(line, 10) == pytest.approx(sum(text.width(p, 10) for p in ("India–Japan ", "भारत", " ∈ ✓")),
                                                 rel=0.02)


def test_markup_of_plain_and_marked_text():
    plain = fonts.to_markup(markup.parse("a < b & c"), "#FFFF00", [])
    assert (plain.markup, plain.shaping) == ("a &lt; b &amp; c", False)
    key = fonts.to_markup(markup.parse("==key== and *it*"), "#FFFF00", [])
    assert key.markup == '<span backColor="#FFFF00"><b>key</b></span> and <i>it</i>'


def test_escape_is_the_standard_librarys():
    from xml.sax.saxutils import escape

    for t in ('a<b>&"c"', "&amp;", ""):
        assert fonts.escape(t) == escape(t)
        assert fonts.escape(t, quote=True) == escape(t, {'"': "&quot;"})


FACES = [("Lato", 400, "normal"), ("Lato", 700, "normal"), ("Lato", 400, "italic"), ("Lato", 700, "italic"),
         ("Noto Sans", 400, "normal"), ("Noto Sans Devanagari", 400, "normal")]


@pytest.mark.parametrize("family, weight, style", FACES)
def test_font_files_are_the_ones_fontpkg_chooses(family, weight, style):
    import fontpkg

    assert fonts.font_file(family, weight, style) == str(fontpkg.path(family, weight, style))


def test_a_family_without_its_own_package_falls_back_to_fontpkg(monkeypatch):
    import fontpkg

    monkeypatch.setattr(fontpkg, "path", lambda family, weight=400, style="normal": Path(f"/fallback/{family}"))
    assert fonts.font_file("No Such Family") == "/fallback/No Such Family"


def test_registering_the_text_family_does_not_scan_installed_packages():
    code = ("import sys; from studynotes import fonts; fonts.register_body(); "
            "print(sorted(m for m in ('importlib.metadata', 'fontpkg', 'xml.sax.saxutils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- builds and packs


def test_one_worker_never_imports_multiprocessing():
    code = ("import sys; from studynotes.load import notes, presets; from studynotes.workers import render_many; "
            f"t = notes.load(__import__('pathlib').Path({str(SAMPLE)!r})); "
            "r = list(render_many([(t, presets.load('mindmap'))], 1)); "
            "print(r[0].pages > 0, 'multiprocessing' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> tuple[list[Part], list[Part]]:
    """Two parts of the sample topic, held in memory and spooled to files."""
    topic = notes.load(SAMPLE)
    layouts = [packing.pack_layout(presets.load(k)) for k in ("revision", "mindmap")]
    pairs = [(topic, lay) for lay in layouts]
    spool = tmp_path_factory.mktemp("spool")
    held = [Part(t, lay, r) for (t, lay), r in zip(pairs, render_many(pairs, 1), strict=True)]
    waiting = [Part(t, lay, r, spooled(spool, k))
               for k, ((t, lay), r) in enumerate(zip(pairs, render_many(pairs, 1, spool=spool), strict=True))]
    return held, waiting


def test_spooled_parts_come_back_without_bytes_and_wait_in_files(parts):
    held, waiting = parts
    for h, w in zip(held, waiting, strict=True):
        assert w.rendered.pdf == b"" and w.rendered.pages == h.rendered.pages
        assert w.file is not None and w.pdf() == h.rendered.pdf


def test_a_pack_from_spooled_parts_is_the_pack_from_parts_in_memory(parts):
    held, waiting = parts
    info = PackInfo("Speed", "B", duplex=True, watermark="DRAFT")
    assert assemble(waiting, info).pdf == assemble(held, info).pdf


def test_the_merge_lets_go_of_each_part(parts):
    """pypdf keeps a copied page's source alive (to repoint links between merged pages); parts without
    such links are let go as soon as their pages are in, so a big pack never holds every part parsed,
    and each part's fonts are kept as the bytes they are written as."""
    held, _ = parts
    info = PackInfo("Speed")
    shapes = [packing._shape(p) for p in held]
    plan = packing.plan_pages(packing.groups_of(held), [s for s, _, _ in shapes], 30, False)
    writer = PdfWriter()
    packing._add_pages(writer, plan, held, packing.draw_front(plan, info), packing.overlays(plan, info))
    sources = {id(k.pdf) for k in writer._merged_in_pages if k is not None}
    assert len(sources) == 1  # the front matter's reader only: no part is still held
    fonts_held = [o for o in writer._objects if getattr(o, "get", lambda _: None)("/Type") == "/Font"]
    final = [o for o in writer._objects if isinstance(o, packing._Final)]
    # the parts' fonts, in the bytes they are written as; a font program the pack already holds, left as null
    assert final and all(b"/Font" in o.data or o.data == b"null" for o in final)
    assert fonts_held  # the front matter's and the footer's fonts stay objects: later pages still use them


def test_a_pack_without_students_does_not_open_its_pdf_again(monkeypatch, tmp_path, parts):
    from studynotes.finish import packs, stamp
    from studynotes.finish.options import PackOptions

    def copies(*_):
        raise AssertionError("no student: nothing to copy")

    monkeypatch.setattr(stamp, "copies", copies)
    held, _ = parts
    result = packs.finish_pack(held, PackInfo("Speed"), [], PackOptions(tmp_path / "speed.pdf"))
    assert result.pages > 0 and (tmp_path / "speed.pdf").is_file()


def test_an_outputs_key_is_the_same_with_the_layout_part_given():
    for name in ("revision", "summary-landscape"):
        lay = presets.load(name)
        assert output_key("n", lay, ("a",)) == output_key("n", lay, ("a",), layout_key(lay))
    assert output_key("n", presets.load("revision"), ()) != output_key("n", presets.load("mindmap"), ())


def test_the_pack_bytes_never_sit_in_a_growing_buffer(monkeypatch, parts):
    """The pack is written to a temporary file and read once: a BytesIO grows by doubling, and held
    the pack up to twice beside the writer's objects."""
    held, _ = parts
    streams: list[type] = []
    real = packing.PdfWriter.write

    def write(self, stream):
        streams.append(type(stream))
        return real(self, stream)

    monkeypatch.setattr(packing.PdfWriter, "write", write)
    assert assemble(held, PackInfo("Speed")).pdf.startswith(b"%PDF")
    assert len(streams) == 1 and not issubclass(streams[0], io.BytesIO)


def test_each_layout_is_read_and_hashed_once_per_build(monkeypatch, tmp_path):
    from studynotes import build
    from studynotes.cache import BuildCache

    calls: list[str] = []
    monkeypatch.setattr(build, "layout_key", lambda lay: calls.append(lay.name) or lay.name.encode())
    topics = [notes.load(p) for p in sorted((ROOT / "notes").glob("*.yaml"))]
    jobs = build.plan(topics, [presets.load("revision"), presets.load("mindmap")], tmp_path)
    index = build._Index(digests={t.path: t.id for t in topics})
    keys, stale = build._stale_jobs(jobs, index, BuildCache(tmp_path), False)
    assert sorted(calls) == ["mindmap", "revision"]
    assert len(keys) == len(stale) == 2 * len(topics) == len(set(keys.values()))
