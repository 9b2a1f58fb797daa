"""The floor a revision sheet is measured against: the same text laid out with nothing of studynotes.

    python bench/bench_floor.py NOTES_DIR OUT_DIR [-j N] [--typst]

Reads every notes file with plain ``yaml.safe_load``, takes its texts in the order a revision
sheet prints them (title, gist, section titles, points, facts, timelines, terms, tables), drops
the inline markers, and lays each topic out as one PDF on the revision preset's page: A4,
14 mm margins, two columns 6 mm apart, every text one paragraph in one font (Lato 8.8 pt,
embedded, as the sheets embed it). No markup, no fallback fonts, no tables or bands. ``--typst``
sets the same text with Typst (the ``typst`` package from pip, only for this benchmark) instead
of plain ReportLab Platypus.

Prints one line: ``floor: N topics, P pages``. ``bench_build.py`` runs it as a whole process in
the same sitting as the builds, so the ratio of pages per second is taken on one machine load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
from pathlib import Path
from typing import Any

import yaml

PAGE_MM = (210.0, 297.0)
MARGIN_MM, GAP_MM, COLUMNS = 14.0, 6.0, 2
BODY_PT, LEADING_PT = 8.8, 10.9


def _plain(text: Any) -> str:
    return str(text).replace("**", "").replace("==", "").replace("*", "")


def _points(points: list, out: list[str]) -> None:
    for p in points or []:
        if isinstance(p, dict):
            out.append(_plain(p.get("text", "")))
            _points(p.get("points", []), out)
        else:
            out.append(_plain(p))


def _section(sec: dict, out: list[str]) -> None:
    out.append(_plain(sec.get("title", "")))
    _points(sec.get("points", []), out)
    out += [f"{_plain(f.get('label', ''))} {_plain(f.get('value', ''))}" for f in sec.get("facts", []) or []]
    out += [f"{_plain(e.get('when', ''))} {_plain(e.get('what', ''))}" for e in sec.get("timeline", []) or []]
    out += [f"{_plain(t.get('term', ''))} {_plain(t.get('meaning', ''))}" for t in sec.get("terms", []) or []]
    table = sec.get("table") or {}
    out += [" ".join(_plain(c) for c in row) for row in [table.get("columns", []), *table.get("rows", [])] if row]
    for sub in sec.get("sections", []) or []:
        _section(sub, out)


def texts(path: Path) -> list[str]:
    """The texts of one notes file, in the order a revision sheet prints them, without markers."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = [_plain(data.get("topic", "")), _plain(data.get("summary", ""))]
    for sec in data.get("sections", []) or []:
        _section(sec, out)
    return [t for t in out if t]


# -- plain ReportLab ------------------------------------------------------------------------------

_FLOOR: dict[str, Any] = {}


def _reportlab_setup() -> None:
    import fontpkg
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Lato", str(fontpkg.path("Lato", 400, "normal"))))
    _FLOOR["style"] = ParagraphStyle("body", fontName="Lato", fontSize=BODY_PT, leading=LEADING_PT,
                                     spaceAfter=1.5)


def reportlab_pdf(path: Path, out: Path) -> int:
    """One topic laid out by Platypus; returns its pages."""
    from xml.sax.saxutils import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    w, h = PAGE_MM[0] * mm, PAGE_MM[1] * mm
    m, gap = MARGIN_MM * mm, GAP_MM * mm
    col = (w - 2 * m - gap * (COLUMNS - 1)) / COLUMNS
    frames = [Frame(m + i * (col + gap), m, col, h - 2 * m, id=str(i)) for i in range(COLUMNS)]
    doc = BaseDocTemplate(str(out), pagesize=(w, h), invariant=1)
    doc.addPageTemplates([PageTemplate("page", frames)])
    doc.build([Paragraph(escape(t), _FLOOR["style"]) for t in texts(path)])
    return int(doc.page)


# -- Typst ----------------------------------------------------------------------------------------

TYPST_SOURCE = f"""
#set page(paper: "a4", margin: {MARGIN_MM}mm, columns: {COLUMNS})
#set columns(gutter: {GAP_MM}mm)
#set text(font: "Lato", size: {BODY_PT}pt)
#set par(leading: {LEADING_PT - BODY_PT}pt, spacing: 4pt)
#for t in json(bytes(sys.inputs.texts)) {{ par(t) }}
"""


def _typst_setup() -> None:
    import fontpkg
    import typst

    folder = str(Path(fontpkg.path("Lato", 400, "normal")).parent)
    _FLOOR["typst"] = typst.Compiler(font_paths=[folder], ignore_system_fonts=True)


def typst_pdf(path: Path, out: Path) -> int:
    pdf = _FLOOR["typst"].compile(TYPST_SOURCE.encode(), format="pdf", sys_inputs={"texts": json.dumps(texts(path))})
    assert isinstance(pdf, bytes)
    out.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _one(job: tuple[str, Path, Path]) -> int:
    engine, path, out = job
    return (typst_pdf if engine == "typst" else reportlab_pdf)(path, out)


def run(notes: Path, out: Path, jobs: int, engine: str) -> tuple[int, int]:
    """(topics, pages) of every notes file laid out by ``engine`` in ``jobs`` processes."""
    # ReportLab's font is loaded before the fork, so the workers inherit it; Typst's compiler runs
    # threads of its own, which a fork does not carry over: each worker makes its own
    setup = _typst_setup if engine == "typst" else _reportlab_setup
    out.mkdir(parents=True, exist_ok=True)
    work = [(engine, p, out / f"{p.stem}.pdf") for p in sorted(notes.glob("*.yaml"))]
    if jobs <= 1:
        setup()
        pages = [_one(w) for w in work]
    else:
        if engine != "typst":
            setup()
        with multiprocessing.get_context("fork").Pool(jobs, initializer=setup if engine == "typst" else None) as pool:
            pages = pool.map(_one, work, chunksize=1)
    return len(work), sum(pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notes", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--typst", action="store_true")
    a = ap.parse_args()
    topics, pages = run(a.notes, a.out, a.jobs, "typst" if a.typst else "reportlab")
    print(f"floor: {topics} topics, {pages} pages")


if __name__ == "__main__":
    sys.exit(main())
