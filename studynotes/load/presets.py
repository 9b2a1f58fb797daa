"""Layout presets (layouts/*.yaml) → Layout: paper, margins, columns, type sizes, colours, header and footer.

A preset may ``extends:`` another (by name or path); its keys override the
parent's. Presets are checked like notes: every mistake is located.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Loc, NotesError, Problem, UsageError, closest, did_you_mean
from .reader import Reader
from .yamlfile import MappingNode, Node, ScalarNode, compose, read_text

PAPERS = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0), "A5": (419.5276, 595.2756)}
PT_PER_MM = 72 / 25.4
# The least room text set in columns (revision sheets, summaries) can be read in: a column of 35 mm
# holds about 25 characters at the smallest body size, the width of a narrow newspaper column; a
# page of 40 mm holds a heading and a few lines. Every shipped preset, with every --paper and
# --columns, has more (the narrowest: a revision sheet on A5 in 3 columns, 36 mm).
MIN_COLUMN_MM = 35.0
MIN_TEXT_HEIGHT_MM = 40.0
PLACEHOLDERS = ("topic", "subject", "syllabus", "section", "page", "pages", "date", "layout")


def _builtin_dir() -> Path:
    """The shipped presets: studynotes/layouts when installed, ../layouts in the source tree (and editable installs)."""
    here = Path(__file__).resolve().parent.parent  # the package folder
    return next((d for d in (here / "layouts", here.parent / "layouts") if d.is_dir()), here / "layouts")


BUILTIN_DIR = _builtin_dir()

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_PLACE = re.compile(r"\{([^{}]*)\}")

# key: (kind of value, extra) — the whole preset schema in one place.
SCHEMA: dict[str, dict[str, tuple[Any, ...]]] = {
    "": {"extends": ("text",), "kind": ("text",), "description": ("text",), "default": ("bool",),
         "page": ("map",), "columns": ("int", 1, 4), "column-gap": ("num", 2, 30),
         "fonts": ("map",), "colours": ("map",), "header": ("template",), "footer": ("template",),
         "palette": ("colours",), "cards": ("map",), "worksheet": ("map",), "quiz": ("map",)},
    "page": {"paper": ("choice", tuple(PAPERS)), "orientation": ("choice", ("portrait", "landscape")),
             "margins": ("map",)},
    "margins": {k: ("num", 10, 60) for k in ("top", "bottom", "left", "right")},
    "fonts": {"body": ("num", 7, 16), "title": ("num", 10, 40), "heading": ("num", 7, 24),
              "subheading": ("num", 7, 20), "small": ("num", 7, 12)},
    "colours": {k: ("colour",) for k in ("accent", "highlight", "box", "rule", "text", "link", "muted")},
    # Settings of one kind, read only by its engine (Layout.settings, hyphens as underscores).
    # Each engine gives the defaults of the keys a preset leaves out.
    "cards": {"rows": ("int", 1, 8), "cols": ("int", 1, 4), "gutter": ("num", 0, 20),
              "mode": ("choice", ("duplex", "fold", "separate")), "flip": ("choice", ("long", "short")),
              "from": ("choices", ("cards", "terms", "facts", "timeline", "key")),
              "size": ("num", 8, 30), "floor": ("num", 8, 14), "back-offset": ("offset",)},
    "worksheet": {"gap": ("choice", ("same", "fit")), "word-bank": ("bool",), "distractors": ("int", 0, 30),
                  "answers": ("choice", ("end", "separate")), "leaks": ("choice", ("blank", "keep"))},
    "quiz": {"questions": ("int", 1, 200), "seed": ("int", 0, 2**31 - 1), "title": ("text",),
             "minutes": ("int", 1, 600), "marks": ("num", 0, 10000), "series": ("text",),
             "right": ("num", 0, 100), "wrong": ("num", -100, 0), "answers": ("choice", ("end", "separate"))},
}
REQUIRED = {"kind", "page.paper", "page.orientation", "page.margins.top", "page.margins.bottom",
            "page.margins.left", "page.margins.right", "columns", "fonts.body", "fonts.title", "fonts.heading",
            "fonts.subheading", "fonts.small", "header", "footer", "column-gap",
            *(f"colours.{c}" for c in SCHEMA["colours"])}


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    paper: str
    landscape: bool
    margins: tuple[float, float, float, float]  # top, right, bottom, left in mm
    columns: int
    column_gap: float  # mm
    fonts: dict[str, float] = field(hash=False)
    colours: dict[str, str] = field(hash=False)
    header: str
    footer: str
    description: str = ""
    default: bool = False
    grayscale: bool = False
    split: bool = False  # mind maps: always an overview plus a page per section
    max_points: int | None = None  # summaries: at most this many points per section
    page_numbers: bool = True  # "page X of Y" by the engine (a class pack numbers its pages itself)
    shared_fonts: bool = False  # a pack's part: font subsets every part shares (studynotes/subsets.py)
    palette: tuple[str, ...] = ()  # one colour per branch, for kinds that colour branches
    settings: dict[str, Any] = field(default_factory=dict, hash=False)  # the kind's own keys (cards: rows, flip…)
    changes: tuple[str, ...] = ()  # command-line overrides that differ from the preset, for file names
    path: str = ""
    chain: tuple[str, ...] = ()  # every preset file this one was made from, for up-to-date checks
    kind_at: Loc = field(default=Loc(), compare=False, repr=False)  # where the kind is written, for messages
    places: dict[str, Loc] = field(default_factory=dict, compare=False, hash=False, repr=False)  # key → where

    @property
    def pagesize(self) -> tuple[float, float]:
        w, h = PAPERS[self.paper]
        return (h, w) if self.landscape else (w, h)

    def adjusted(self, paper: str | None = None, landscape: bool | None = None,
                 grayscale: bool | None = None, split: bool | None = None, columns: int | None = None,
                 max_points: int | None = None, **settings: Any) -> Layout:
        """The preset with command-line overrides applied; ``changes`` names those that differ from it.
        Other keywords are the kind's own settings (``--seed 7`` → ``settings["seed"]``)."""
        merged = {**self.settings, **{k: v for k, v in settings.items() if v is not None}}
        new = replace(self, paper=paper or self.paper,
                      landscape=self.landscape if landscape is None else landscape,
                      grayscale=self.grayscale if grayscale is None else grayscale,
                      split=self.split if split is None else split,
                      columns=columns or self.columns, max_points=max_points or self.max_points,
                      settings=merged)
        changes = [new.paper.lower() if new.paper != self.paper else "",
                   ("landscape" if new.landscape else "portrait") if new.landscape != self.landscape else "",
                   "gray" if new.grayscale and not self.grayscale else "",
                   "split" if new.split and not self.split else "",
                   f"{new.columns}col" if new.columns != self.columns else "",
                   f"max{new.max_points}" if new.max_points != self.max_points else "",
                   *(_change(k, merged[k]) for k in sorted(merged) if merged[k] != self.settings.get(k))]
        return replace(new, changes=self.changes + tuple(c for c in changes if c))


def _change(key: str, value: Any) -> str:
    """A setting changed on the command line, as a part of file names: ``seed7``, ``word-bank``."""
    name = key.replace("_", "-")
    if value is True:
        return name
    if value is False:
        return f"no-{name}"
    shown = ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value) \
        if isinstance(value, tuple | list) else (f"{value:g}" if isinstance(value, float) else str(value))
    return re.sub(r"[^\w.,-]+", "-", f"{name}{shown}" if shown[:1].isdigit() or shown[:1] == "-" else f"{name}-{shown}")


def _choice(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    value = r.text(vnode, dotted)
    if value is not None and value not in spec[1]:
        near = closest(value, spec[1]) or spec[1]
        r.error(vnode, dotted, f"'{value}' is not one of {', '.join(spec[1])} (did you mean '{near[0]}'?)")
        return None
    return value


def _choices(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    items = r.sequence(vnode, dotted)
    if items is None:
        return None
    found = [v for i, item in enumerate(items) if (v := _choice(r, item, f"{dotted}[{i}]", spec)) is not None]
    if not items:
        r.error(vnode, dotted, f"needs at least one of {', '.join(spec[1])}")
    return tuple(dict.fromkeys(found)) if items and len(found) == len(items) else None


def _offset(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    """Two millimetres, right and up: ``[1.5, -0.5]``."""
    items = r.sequence(vnode, dotted)
    if items is None:
        return None
    if len(items) != 2:
        r.error(vnode, dotted, "needs two numbers in mm, right and up, e.g. [1.5, -0.5]")
        return None
    xy = [r.number(item, f"{dotted}[{i}]", -20, 20) for i, item in enumerate(items)]
    return None if None in xy else (float(xy[0] or 0), float(xy[1] or 0))


def _colour(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    value = r.text(vnode, dotted)
    if value is not None and not _COLOUR.match(value):
        r.error(vnode, dotted, f"'{value}' is not a colour: write it as #RRGGBB")
        return None
    return value


def _colours(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    items = r.sequence(vnode, dotted)
    if items is None:
        return None
    found = [c for i, item in enumerate(items) if (c := _colour(r, item, f"{dotted}[{i}]", spec)) is not None]
    if not items:
        r.error(vnode, dotted, "needs at least one colour")
    return tuple(found) if items and len(found) == len(items) else None


def _template(r: Reader, vnode: Node, dotted: str, spec: tuple[Any, ...]) -> object:
    value = r.text(vnode, dotted, limit=200)
    for m in _PLACE.finditer(value or ""):
        if m.group(1) not in PLACEHOLDERS:
            r.error(vnode, dotted, f"unknown placeholder {{{m.group(1)}}}; use "
                    + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS), offset=m.start())
    return value


# how each kind of value in SCHEMA is read: (reader, node, dotted key, schema entry) -> value or None
_VALUES: dict[str, Callable[[Reader, Node, str, tuple[Any, ...]], object]] = {
    "text": lambda r, n, d, spec: r.text(n, d),
    "bool": lambda r, n, d, spec: r.boolean(n, d),
    "num": lambda r, n, d, spec: r.number(n, d, spec[1], spec[2]),
    "int": lambda r, n, d, spec: r.number(n, d, spec[1], spec[2], integer=True),
    "choice": _choice,
    "choices": _choices,
    "offset": _offset,
    "colour": _colour,
    "colours": _colours,
    "template": _template,
}


def _read(path: Path, shown: str) -> tuple[dict[str, object], dict[str, Loc]]:
    """One preset file as flat dotted keys, with where each value is written."""
    text = read_text(path, shown)
    root = compose(text, shown)
    r = Reader(shown, text)
    flat: dict[str, object] = {}
    places: dict[str, Loc] = {}

    def walk(node: Node, prefix: str, schema_key: str) -> None:
        schema = SCHEMA[schema_key]
        fields = r.mapping(node, prefix, {k: False for k in schema})
        for key, (_, vnode) in (fields or {}).items():
            spec, dotted = schema[key], f"{prefix}.{key}" if prefix else key
            if spec[0] == "map":
                walk(vnode, dotted, key)
                continue
            value = _VALUES[spec[0]](r, vnode, dotted, spec)
            if value is not None:
                flat[dotted] = value
                places[dotted] = Loc(shown, vnode.start_mark.line + 1, vnode.start_mark.column + 1)

    walk(root, "", "")
    if r.problems:
        raise NotesError(r.problems)
    return flat, places


def preset_dirs(extra: Path | None = None) -> list[Path]:
    """Where presets are found by name: ./layouts first, then the ones shipped with the program."""
    dirs = [Path("layouts"), BUILTIN_DIR]
    return ([extra] if extra else []) + [d for d in dirs if d.is_dir()]


def available() -> dict[str, Path]:
    """Preset names and files; a user's ./layouts/NAME.yaml hides the shipped one."""
    found: dict[str, Path] = {}
    for d in reversed(preset_dirs()):
        for p in sorted(d.glob("*.yaml")):
            found[p.stem] = p
    return dict(sorted(found.items()))


def find(name_or_path: str, near: Path | None = None) -> Path:
    """A preset file by name or path; unknown names are errors naming the closest ones."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or "/" in name_or_path or "\\" in name_or_path:
        if near is not None and not p.is_absolute():
            p = near / p
        if p.is_file():
            return p
        raise UsageError(f"no layout file {name_or_path}")
    names = available()
    if near is not None and (near / f"{name_or_path}.yaml").is_file():
        return near / f"{name_or_path}.yaml"
    if name_or_path in names:
        return names[name_or_path]
    raise UsageError(f"unknown layout '{name_or_path}'{did_you_mean(name_or_path, list(names))}"
                     f"; layouts: {', '.join(names)}")


def load(name_or_path: str) -> Layout:
    """A complete Layout from a preset and the chain it extends."""
    path = find(name_or_path)
    chain: list[Path] = []
    merged: dict[str, object] = {}
    places: dict[str, Loc] = {}
    current: Path | None = path
    leaf_default = False
    at = Loc(str(path))  # where the last file read names its parent
    while current is not None:
        if current.resolve() in [c.resolve() for c in chain]:
            raise NotesError(Problem.at(at, "extends", "the presets extend each other in a circle: "
                                        + " → ".join(c.stem for c in chain + [current])))
        chain.append(current)
        flat, where = _read(current, str(current))
        if current is path:
            leaf_default = bool(flat.get("default", False))
        merged = {**flat, **merged}
        places = {**where, **places}
        parent = flat.get("extends")
        if parent is None:
            break
        at = where["extends"]
        current = _parent(str(parent), current, at)
    missing = sorted(REQUIRED - set(merged))
    if missing:
        raise NotesError(Problem(str(path), 1, 1, "", "the preset lacks " + ", ".join(missing)
                                 + " (add them or extend a complete preset, e.g. extends: revision)"))
    m: dict[str, Any] = merged
    return Layout(
        name=path.stem, kind=str(m["kind"]), paper=str(m["page.paper"]),
        landscape=m["page.orientation"] == "landscape",
        margins=(float(m["page.margins.top"]), float(m["page.margins.right"]), float(m["page.margins.bottom"]),
                 float(m["page.margins.left"])),
        columns=int(m["columns"]), column_gap=float(m["column-gap"]),
        fonts={k.split(".", 1)[1]: float(v) for k, v in m.items() if k.startswith("fonts.")},
        colours={k.split(".", 1)[1]: str(v) for k, v in m.items() if k.startswith("colours.")},
        header=str(m["header"]), footer=str(m["footer"]), description=str(m.get("description", "")),
        default=leaf_default, palette=tuple(m.get("palette", ())),
        settings={k.split(".", 1)[1].replace("-", "_"): v for k, v in m.items() if k.startswith(f"{m['kind']}.")},
        path=str(path), chain=tuple(str(c) for c in chain),
        kind_at=places["kind"], places=places,
    )


def _parent(name: str, current: Path, at: Loc) -> Path:
    """The preset a file extends; a file that extends its own name means the shipped preset of that name."""
    try:
        found = find(name, near=current.parent)
    except UsageError as exc:
        raise NotesError(Problem.at(at, "extends", str(exc))) from None
    if found.resolve() == current.resolve() and (BUILTIN_DIR / f"{name}.yaml").is_file():
        return BUILTIN_DIR / f"{name}.yaml"  # ./layouts/revision.yaml extending the shipped one
    return found


def says_default(path: Path) -> bool | None:
    """Whether a preset file marks itself ``default: true``, read even when the preset is broken
    elsewhere; None when its YAML cannot be read at all."""
    try:
        root = compose(read_text(path, str(path)), str(path))
    except NotesError:
        return None
    pairs = root.value if isinstance(root, MappingNode) else []
    return any(isinstance(k, ScalarNode) and k.value == "default" and isinstance(v, ScalarNode)
               and v.value.lower() == "true" for k, v in pairs)


# -- room for text -----------------------------------------------------------------

def _mm(points: float) -> str:
    return f"{round(points / PT_PER_MM, 1):g}"


def _signed(mm: float) -> str:
    return f"{round(mm, 1):g}".replace("-", "−")


def _blame(layout: Layout, weights: dict[str, float], message: str) -> Problem:
    """A problem made of several keys, at one of them: in the file nearest the preset asked for (the
    leaf of its chain), the key that takes the most room; the top of the preset when none is written."""
    written = [(layout.chain.index(at.path) if at.path in layout.chain else len(layout.chain), -weight, at, key)
               for key, weight in weights.items() if (at := layout.places.get(key)) is not None]
    if not written:
        return Problem.at(Loc(layout.path), "", message)
    *_, at, key = min(written)
    return Problem.at(at, key, message)


def _across(layout: Layout) -> Problem | None:
    _, right, _, left = layout.margins
    width = layout.pagesize[0] / PT_PER_MM
    gaps = layout.column_gap * (layout.columns - 1)
    text = width - left - right - gaps
    if text / layout.columns >= MIN_COLUMN_MM:
        return None
    sums = f"{_mm(layout.pagesize[0])} mm paper − {left + right:g} mm margins" \
        + (f" − {gaps:g} mm gap{'s' if layout.columns > 2 else ''}" if gaps else "") + f" = {_signed(text)} mm"
    weights = {"page.margins.left": left, "page.margins.right": right, "column-gap": gaps, "columns": 0.5,
               "page.paper": 0, "page.orientation": 0}
    if text <= 0:
        return _blame(layout, weights, f"margins and column gaps leave no room for text: {sums} across the "
                      f"{layout.paper} page; a column needs at least {MIN_COLUMN_MM:g} mm")
    return _blame(layout, weights, f"columns too narrow to read: {sums} across the {layout.paper} page, "
                  f"{_signed(text / layout.columns)} mm for each of {layout.columns} columns; a column needs at least "
                  f"{MIN_COLUMN_MM:g} mm (use fewer columns, a smaller gap or smaller margins)")


def _down(layout: Layout) -> Problem | None:
    top, _, bottom, _ = layout.margins
    height = layout.pagesize[1] / PT_PER_MM
    if height - top - bottom >= MIN_TEXT_HEIGHT_MM:
        return None
    left = _signed(height - top - bottom)
    return _blame(layout, {"page.margins.top": top, "page.margins.bottom": bottom, "page.paper": 0,
                           "page.orientation": 0},
                  f"margins leave no room for text: {_mm(layout.pagesize[1])} mm paper − {top + bottom:g} mm "
                  f"margins = {left} mm down the {layout.paper} page; a page of text needs at least "
                  f"{MIN_TEXT_HEIGHT_MM:g} mm")


def room_for_columns(layout: Layout) -> list[Problem]:
    """For kinds that set text in columns: whether the paper, less the margins and the gaps between
    columns, leaves each column and the page enough room to read; each problem at the preset's line."""
    return [p for p in (_across(layout), _down(layout)) if p is not None]
