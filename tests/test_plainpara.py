"""Plain paragraphs skip ReportLab's parser (``studynotes.plainpara``): the fragment made without it
is the parser's own, for every text of every kind of the samples and for the edge cases the parser
cleans up (runs of spaces, line breaks, a text transform)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, paragraph
from reportlab.platypus.paraparser import ParaParser

from studynotes import fonts, plainpara
from studynotes.load import notes, presets
from studynotes.render import engine

ROOT = Path(__file__).resolve().parent.parent


def parsed(text: str, style: ParagraphStyle) -> tuple[str, list[dict]]:
    """What ReportLab's own parser makes of the text: the cleaned text and each fragment's attributes."""
    cleaned = paragraph.cleanBlockQuotedText(text)
    parser = ParaParser()
    parser.caseSensitive = 1
    _, frags, _ = parser.parse(cleaned, style)
    paragraph.textTransformFrags(frags, style)
    return cleaned, [dict(f.__dict__) for f in frags]


def made(text: str, style: ParagraphStyle) -> tuple[str, list[dict]] | None:
    plain = plainpara.plain_frags(text, style)
    return None if plain is None else (plain[0], [dict(f.__dict__) for f in plain[1]])


@pytest.fixture(scope="module")
def sample_texts() -> list[tuple[str, ParagraphStyle]]:
    """Every paragraph the six kinds make of the sample notes, with its style."""
    seen: list[tuple[str, ParagraphStyle]] = []
    setup = Paragraph._setup

    def spy(self, text, style, bullet, frags, cleaner):
        if frags is None:
            seen.append((text, style))
        return setup(self, text, style, bullet, frags, cleaner)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Paragraph, "_setup", spy)
        for path in sorted((ROOT / "notes").glob("*.yaml")):
            for kind in ("revision", "summary", "cards", "worksheet", "quiz"):
                engine(kind)(notes.load(path), presets.load(kind))
    return seen


def test_every_plain_sample_text_gets_the_parsers_own_fragment(sample_texts):
    plain = 0
    for text, style in sample_texts:
        got = made(text, style)
        if got is None:
            assert "<" in text or "&" in text or not paragraph.cleanBlockQuotedText(text), text
            continue
        plain += 1
        assert got == parsed(text, style), text
    assert plain > len(sample_texts) / 2  # most texts hold no markup: the parser is skipped for them


def test_the_parser_still_reads_markup_and_entities():
    fonts.register_body()
    style = ParagraphStyle("b", fontName=fonts.BODY, fontSize=9)
    assert made("a <b>bold</b> word", style) is None
    assert made("Tom &amp; Jerry", style) is None
    assert made(" \n ", style) is None  # nothing left once cleaned: the parser says what that is


@pytest.mark.parametrize("text", ["  runs   of spaces  ", "a line\n  and the next\n\n", "one"])
@pytest.mark.parametrize("transform", [None, "uppercase"])
def test_the_text_is_cleaned_and_styled_as_the_parser_does(text, transform):
    fonts.register_body()
    style = ParagraphStyle("c", fontName=f"{fonts.BODY}-Bold", fontSize=7.5, textColor=colors.HexColor("#336699"),
                           textTransform=transform)
    assert made(text, style) == parsed(text, style)
    para = Paragraph(text, style)  # through ReportLab's own constructor, as every engine makes them
    assert para.text == paragraph.cleanBlockQuotedText(text)
    assert [f.text for f in para.frags] == [f["text"] for f in parsed(text, style)[1]]
