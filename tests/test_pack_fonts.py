"""A pack carries each font program about once, not once per part: parts render with shared
first subsets (studynotes/subsets.py) and the merge keeps one copy of each identical program."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from studynotes.finish.pack import PackInfo, Part, assemble, pack_layout
from studynotes.load import notes, presets
from studynotes.render import Rendered
from studynotes.workers import render_many


def programs(pdf: bytes) -> Counter[str]:
    """How many font programs the file embeds, by font name without its subset tag."""
    r = PdfReader(io.BytesIO(pdf), strict=True)
    seen: Counter[str] = Counter()
    for num in range(1, int(r.trailer["/Size"])):
        obj = r.get_object(IndirectObject(num, 0, r))
        if isinstance(obj, dict) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
            ref = obj.raw_get("/FontFile2")
            seen[f"{str(obj['/FontName']).split('+')[-1]}@{ref.idnum}"] += 1
    return Counter(name.split("@")[0] for name in seen)


def parts(shared: bool) -> list[Part]:
    topics = [notes.load(presets.Path("notes") / f"{name}.yaml") for name in ("india-japan", "indian-monsoon")]
    pairs = [(topic, replace(pack_layout(presets.load(kind)), shared_fonts=shared))
             for topic in topics for kind in ("revision", "summary")]
    return [Part(t, lay, r) for (t, lay), r in zip(pairs, render_many(pairs, 1), strict=True)
            if isinstance(r, Rendered)]


@pytest.fixture(scope="module")
def packs() -> tuple[bytes, bytes]:
    return (assemble(parts(True), PackInfo("Week 3")).pdf, assemble(parts(False), PackInfo("Week 3")).pdf)


def test_four_parts_share_one_program_of_each_subset(packs):
    shared, own = packs
    # every part and the cover bring Lato; shared, the pack holds one program of each face
    assert {face: programs(shared)[face] for face in ("Lato-Regular", "Lato-Bold")} == \
        {"Lato-Regular": 1, "Lato-Bold": 1}
    assert programs(own)["Lato-Regular"] >= 3 and programs(own)["Lato-Bold"] >= 4  # their own subsets
    assert len(shared) < len(own)


def test_the_shared_pack_reads_the_same(packs):
    shared, own = packs
    text = [p.extract_text() for p in PdfReader(io.BytesIO(shared)).pages]
    assert text == [p.extract_text() for p in PdfReader(io.BytesIO(own)).pages]
