"""Render the README's pictures (page 1 of each layout of the sample topic) into docs/.

Run from the repository root after `pip install .`:  python bench/readme_pictures.py
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from studynotes.load import notes as loader
from studynotes.load import presets
from studynotes.render import engine, quiz

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {"revision": 1.1, "revision-landscape": 0.9, "mindmap": 1.0, "summary": 1.1, "cards": 1.1,
            "worksheet": 1.1, "quiz": 1.1}
LATER = {"quiz-sheet": ("quiz", "sheet", 1.1)}  # a later page of a layout's PDF: (preset, page role, scale)
SCIENCE = {"science-revision": ("revision", 1.1), "science-summary": ("summary", 1.1),  # the formulas section
           "science-mindmap": ("mindmap", 1.0)}


def science() -> None:
    """Page 1 of some kinds of the science sample (notes/kinematics.yaml), for the README's formulas."""
    topic = loader.load(ROOT / "notes" / "kinematics.yaml")
    for name, (preset, scale) in SCIENCE.items():
        layout = presets.load(preset)
        image = pdfium.PdfDocument(engine(layout.kind)(topic, layout).pdf)[0].render(scale=scale).to_pil()
        out = ROOT / "docs" / f"{name}.png"
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
        print(f"wrote {out.relative_to(ROOT)}")


def main() -> None:
    topic = loader.load(ROOT / "notes" / "india-japan.yaml")
    for name, scale in PICTURES.items():
        layout = presets.load(name)
        pdf = engine(layout.kind)(topic, layout).pdf
        image = pdfium.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("RGB")
        out = ROOT / "docs" / f"{name}.png"
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
        print(f"wrote {out.relative_to(ROOT)}")
    for name, (preset, role, scale) in LATER.items():  # the quiz's answer sheet follows its paper
        plan = quiz.plan(topic, presets.load(preset))
        page = [p.role for p in plan.main.pages].index(role)
        image = pdfium.PdfDocument(quiz.draw(plan).pdf)[page].render(scale=scale).to_pil().convert("RGB")
        out = ROOT / "docs" / f"{name}.png"
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
        print(f"wrote {out.relative_to(ROOT)}")
    science()


if __name__ == "__main__":
    main()
