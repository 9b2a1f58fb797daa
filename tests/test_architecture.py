"""The dependency rule of ARCHITECTURE.md, checked by walking every import with ast.

Stages, lowest first; a module may import its own stage and the stages below it, never above.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "studynotes"

STAGES = [  # (stage, module names or package prefixes ending in ".")
    ("base", ("studynotes", "studynotes.errors", "studynotes.names", "studynotes.model", "studynotes.markup",
              "studynotes.files")),
    ("load", ("studynotes.load", "studynotes.load.")),
    ("importers", ("studynotes.importers", "studynotes.importers.")),
    ("select", ("studynotes.select",)),
    ("text", ("studynotes.fonts", "studynotes.text", "studynotes.style", "studynotes.subsets", "studynotes.formula",
              "studynotes.plainpara")),
    ("render", ("studynotes.render", "studynotes.render.")),
    ("finish", ("studynotes.finish", "studynotes.finish.")),
    ("build", ("studynotes.build", "studynotes.cache", "studynotes.workers", "studynotes.watch")),
    ("cli", ("studynotes.cli", "studynotes.__main__")),
]
# slow to import (ReportLab ~150 ms, python-docx ~45 ms, markdown-it ~25 ms): never on a cold start
HEAVY = ("reportlab", "pypdf", "pypdfium2", "uharfbuzz", "fontpkg", "docx", "lxml", "markdown_it", "mdit_py_plugins",
         "watchfiles", "anyio",  # the file watcher (~17 ms): for `watch` only
         "multiprocessing",  # ~7 ms with pickle: only a build of more than one worker starts a pool (not -j 1)
         "fontTools",  # fallback fonts are instanced with it once per machine, then read from the cache
         "ziamath", "ziafont", "latex2mathml")  # formulas (~170 ms): on the first formula a process meets
HEAVY_STAGES = ("text", "importers", "render", "finish")  # the only stages that import them at module level
HEAVY_READERS = ("studynotes.load.markdown",)  # and the one reader that needs a parser, loaded for .md files only


def stage_of(module: str) -> int:
    for rank, (_, names) in enumerate(STAGES):
        if any(module == n or (n.endswith(".") and module.startswith(n)) for n in names):
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES and ARCHITECTURE.md")


@functools.cache
def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


@functools.cache
def imports(name: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    in_function = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for n in ast.walk(f)}
    type_only = {id(n) for stmt in tree.body if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
                 for n in ast.walk(stmt)}
    out = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) not in in_function) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or (node.level and target in modules()):
                # "from . import x" and "from .pkg import x": x may itself be a module
                for a in node.names:
                    full = f"{target}.{a.name}"
                    out.append((full if full in modules() else target, node.lineno, id(node) not in in_function))
            else:
                out.append((target, node.lineno, id(node) not in in_function))
    return out


def own(module: str) -> bool:
    return module == "studynotes" or module.startswith("studynotes.")


def test_every_module_has_a_stage():
    for name in modules():
        stage_of(name)


def test_no_stage_imports_a_higher_one():
    wrong = []
    for name, path in modules().items():
        for target, line, _ in imports(name, path):
            if own(target) and stage_of(target) > stage_of(name):
                wrong.append(f"{path.name}:{line}: {name} ({STAGES[stage_of(name)][0]}) imports {target} "
                             f"({STAGES[stage_of(target)][0]})")
    assert not wrong, "\n".join(wrong)


def test_finish_uses_only_the_render_package_not_engine_internals():
    wrong = [f"{name}:{line} imports {target}" for name, path in modules().items()
             if name.startswith("studynotes.finish")
             for target, line, _ in imports(name, path) if target.startswith("studynotes.render.")]
    assert not wrong, "\n".join(wrong)


def test_private_modules_stay_inside_their_package():
    wrong = []
    for name, path in modules().items():
        for target, line, _ in imports(name, path):
            last = target.rsplit(".", 1)
            if own(target) and len(last) == 2 and last[1].startswith("_") and not last[1].startswith("__") \
                    and not name.startswith(last[0]):
                wrong.append(f"{name}:{line} imports the private {target}")
    assert not wrong, "\n".join(wrong)


def test_heavy_libraries_only_at_the_top_of_text_render_and_finish():
    wrong = []
    for name, path in modules().items():
        for target, line, top in imports(name, path):
            if target.split(".")[0] in HEAVY and top and STAGES[stage_of(name)][0] not in HEAVY_STAGES \
                    and name not in HEAVY_READERS:
                wrong.append(f"{name}:{line} imports {target} at module level")
    assert not wrong, "\n".join(wrong)


def test_function_local_imports_are_only_for_heavy_modules():
    """The one exception to module-level imports: what would load a slow library early, and the importers,
    which only `import` and `export` need."""
    heavy_own = {n for n, p in modules().items()
                 if any(t.split(".")[0] in HEAVY and top for t, _, top in imports(n, p))}
    heavy_own |= {n for n in modules() if STAGES[stage_of(n)][0] == "importers"}
    wrong = []
    for name, path in modules().items():
        for target, line, top in imports(name, path):
            if not top and target.split(".")[0] not in HEAVY and target not in heavy_own:
                wrong.append(f"{name}:{line} imports {target} inside a function")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", ["studynotes.cli", "studynotes.build"])
def test_a_cold_start_loads_no_pdf_library(module):
    code = (f"import sys, {module}; heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}); "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
