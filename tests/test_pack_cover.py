"""The pack's cover: a title of any length sits inside its band, or is refused before anything is rendered;
characters no font has on the cover are a warning, never a silent blank."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from studynotes import text
from studynotes.cli import main
from studynotes.errors import UsageError
from studynotes.finish.pack import BAND, TITLE_FLOOR_PT, PackInfo, Part, assemble, cover_title
from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import Rendered

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 595.2756 - 2 * 18 * 72 / 25.4 - 40  # A4, the cover's margins and the band's padding


def inside(title) -> bool:
    widths_ok = all(text.width(line, title.size, bold=True) <= WIDTH + 1e-6 for line in title.lines)
    return widths_ok and title.baselines[-1] + title.size * 0.25 <= BAND - 8


def test_a_short_title_keeps_the_full_size_and_its_place():
    title = cover_title("GS II — Week 3", WIDTH)
    assert (title.size, title.lines, title.baselines) == (26, ("GS II — Week 3",), (60,))


def test_the_pack_file_limit_of_200_characters_shrinks_but_fits():
    long = ("Constitutional Law and Governance of India " * 6)[:200].strip()
    title = cover_title(long, WIDTH)
    assert TITLE_FLOOR_PT <= title.size < 26
    assert inside(title)
    assert " ".join(title.lines) == long  # every word is printed


def test_a_word_wider_than_the_band_is_cut_into_lines_that_fit():
    word = "Antidisestablishmentarianism" * 8
    title = cover_title(word, WIDTH)
    assert inside(title) and "".join(title.lines) == word


def test_a_title_no_size_can_hold_is_refused_with_the_limit():
    with pytest.raises(UsageError, match=r"too long for the cover: at 14 pt it needs \d+ lines and the cover holds 6"):
        cover_title("A" * 5000, WIDTH)


@pytest.fixture()
def cwd(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "notes", tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_command_line_refuses_it_before_rendering_and_writes_nothing(cwd, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("rendered before the cover was checked")

    monkeypatch.setattr("studynotes.build.pack_parts", no_render)
    r = CliRunner().invoke(main, ["pack", "indian-monsoon", "-l", "summary", "--title", "W" * 200, "-o", "p.pdf"])
    assert r.exit_code == 2 and "error: the pack title is too long for the cover" in r.output
    assert not (cwd / "p.pdf").exists()


def test_characters_no_font_has_on_the_cover_are_a_warning():
    topic = loader.load(ROOT / "notes" / "indian-monsoon.yaml")
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.showPage()
    c.save()
    part = Part(topic, presets.load("summary"), Rendered(buf.getvalue(), 1))
    pack = assemble([part], PackInfo("Week 3", class_="Batch B", teacher="བཀྲ་ཤིས"))  # Tibetan: no font for it
    (warning,) = pack.warnings
    assert warning.severity == "warning" and "U+0F56 TIBETAN LETTER BA" in warning.message
    assert "cover" in warning.message
    assert len(PdfReader(io.BytesIO(pack.pdf)).pages) == 3
    assert assemble([part], PackInfo("Week 3", teacher="Ms Rao")).warnings == ()


def test_the_pack_command_prints_the_covers_and_the_parts_warnings(cwd):
    (cwd / "notes" / "odd.yaml").write_text("topic: Odd\nsections:\n  - id: marks\n    title: Marks\n"
                                            "    points: ['Tick \u0f40 here']\n", encoding="utf-8")  # Tibetan
    r = CliRunner().invoke(main, ["pack", "odd", "-l", "revision", "--teacher", "བཀྲ", "-j", "1", "-o", "p.pdf"])
    assert r.exit_code == 0, r.output
    cover = "print blanks: 3 Tibetan characters (first U+0F56 TIBETAN LETTER BA ('བ')) have no font"
    assert cover in r.output  # the cover's
    assert "notes/odd.yaml:3:5: warning: section 'marks': 1 Tibetan character has no font" in r.output  # the part's
