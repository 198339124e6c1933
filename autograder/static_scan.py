"""Static scan of the learner's own code for attempts to tamper with grading.

Only cells the learner may write are scanned (answer cells and cells they added); locked cells
come from the source. A finding makes the submission "tampered" (0 points, the message names
the cell and line), because from there on the grader cannot trust what the kernel reports.
What is flagged, and why none of it has a place in an exercise answer:
- modules that reach into the interpreter or the kernel: ctypes, gc, importlib, inspect,
  traceback, threading, signal, builtins, IPython (but IPython.display), ipykernel, zmq ...;
- nnkit modules the source notebook itself does not import (the reference implementations);
- assigning or deleting attributes of numpy, nnkit, builtins, sys, IPython ... (``np.allclose = ...``,
  ``check.x = ...``, ``sys.modules[...] = ...``; not ``plt.rcParams[...]``), ``globals()[...] = ...``,
  ``setattr``/``delattr``;
- interpreter/kernel hooks by attribute name, also as getattr's constant name (showtraceback,
  settrace, _getframe, __code__, input/AST transformers, custom exception handlers, run_cell, the
  kernel and its session) and get_ipython() beyond running a magic;
- the ways to reach those by a computed name: ``globals()``, ``vars()``, ``getattr(x, name)``,
  ``attrgetter``, ``__dict__``, ``__class__``, ``__self__``, ``sys.modules``, ``type(x).attr = ...``,
  pickle-like modules, /proc (also split into constants joined with +), numpy's ctypes bridges;
- defining ``__array_function__`` or ``__array_ufunc__``: an answer object would decide what
  ``np.allclose`` and friends say about it in an instructor's own test cell;
- ``exec``, ``eval``, ``compile``, ``__import__``; magics that load code (%run, %load_ext ...).
Rebinding a name such as ``check`` is not flagged: the runner re-imports the source's aliases
before each test.
This is one layer: the runner also restores originals before each test and requires a nonce.
"""
from __future__ import annotations

import ast
import functools
import importlib.util
import pkgutil
from dataclasses import dataclass

FORBIDDEN_MODULES = {"ctypes", "gc", "importlib", "threading", "_thread", "signal", "builtins",
                     "__builtin__", "ipykernel", "jupyter_client", "zmq", "IPython", "_ctypes", "cffi",
                     "multiprocessing", "faulthandler", "inspect", "traceback", "atexit", "code", "codeop",
                     "pickle", "_pickle", "marshal", "copyreg", "shelve", "dill", "cloudpickle", "mmap"}
ALLOWED_MODULES = {"IPython.display"}
GUARDED_MODULES = {"numpy", "nnkit", "builtins", "sys", "IPython", "ipykernel", "importlib", "inspect",
                   "types", "functools", "unittest", "pytest"}
FORBIDDEN_ATTRS = {"showtraceback", "_showtraceback", "showsyntaxerror", "get_exception_only",
                   "settrace", "setprofile", "_getframe", "f_back", "f_globals", "f_locals",
                   "f_builtins", "tb_frame", "gi_frame", "cr_frame", "__code__", "__globals__",
                   "__builtins__", "__subclasses__", "__closure__", "__kwdefaults__", "__defaults__",
                   "input_transformers_post", "input_transformers_cleanup", "ast_transformers",
                   "set_custom_exc", "custom_exceptions", "CustomTB", "excepthook", "run_cell",
                   "run_cell_async", "run_code", "run_ast_nodes", "get_parent",
                   "parent_header", "iopub_socket", "register", "unregister", "displayhook",
                   "session", "pub_thread", "iopub_thread", "kernel", "get_ipython", "modules",
                   "__dict__", "__class__", "__mro__", "__bases__", "__base__", "__getattribute__",
                   "__setattr__", "__delattr__", "__self__", "__func__", "__wrapped__", "f_code",
                   "__reduce__", "__reduce_ex__", "__init_subclass__", "__set_name__", "attrgetter",
                   "methodcaller", "get_field", "ctypes", "ctypeslib"}
# Methods through which a learner's object decides what numpy's comparisons (np.allclose ...) answer.
FORBIDDEN_METHODS = {"__array_function__", "__array_ufunc__"}
FORBIDDEN_CALLS = {"exec", "eval", "compile", "__import__", "setattr", "delattr", "globals", "vars",
                   "locals", "breakpoint"}
SHELL_CALLS = {"run_line_magic", "run_cell_magic", "system", "getoutput"}
FORBIDDEN_MAGICS = {"run", "load_ext", "reload_ext", "load", "config", "macro", "alias_magic",
                    "autocall", "xmode", "rerun", "recall", "unload_ext", "writefile", "sx", "system"}


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: where it is and what it does."""

    cell: int
    line: int
    reason: str

    def message(self) -> str:
        return f"cell {self.cell + 1}, line {self.line}: {self.reason}"


def _python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _parse(source: str) -> ast.AST | None:
    """The cell's syntax tree, or None when Python cannot parse it (then the kernel cannot run it
    either): syntax errors, NUL bytes, and nesting so deep that the parser gives up.

    IPython's transforms only rewrite what is not Python (magics, ``!cmd``, ``x?``, prompts), so a
    cell that parses as it stands skips them: they cost ~40 ms per thousand lines."""
    for text in (source, None):
        try:
            return ast.parse(source if text is not None else _python(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return None


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _joined_text(node: ast.AST) -> str | None:
    """The text of string constants joined with +, or None."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _joined_text(node.left), _joined_text(node.right)
        return None if left is None or right is None else left + right
    return None


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


class _Visitor(ast.NodeVisitor):
    def __init__(self, cell: int, modules: dict[str, str], allowed_nnkit: set[str]):
        self.cell, self.modules, self.allowed = cell, modules, allowed_nnkit
        self.shell_calls: set[int] = set()  # get_ipython names used only to run a magic
        self.findings: list[Finding] = []

    def flag(self, node: ast.AST, reason: str) -> None:
        self.findings.append(Finding(self.cell, getattr(node, "lineno", 0), reason))

    def check_module(self, node: ast.AST, name: str, nnkit_only: bool = False) -> None:
        parts = name.split(".")
        if not nnkit_only and name not in ALLOWED_MODULES \
                and not any(name.startswith(m + ".") for m in ALLOWED_MODULES) \
                and any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
            self.flag(node, f"imports {name}, which can interfere with grading")
        elif parts[0] == "nnkit" and len(parts) > 1 and parts[1] in nnkit_submodules() \
                and f"nnkit.{parts[1]}" not in self.allowed:
            self.flag(node, f"uses nnkit.{parts[1]}, a reference implementation this notebook does not import")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_module(node, alias.name)
            bound = alias.asname or alias.name.split(".")[0]
            self.modules[bound] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        self.check_module(node, base)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            self.check_module(node, full, nnkit_only=True)
            if alias.name in FORBIDDEN_ATTRS:
                self.flag(node, f"imports {alias.name}, an interpreter hook or computed attribute access")
            self.modules[alias.asname or alias.name] = full

    def check_target(self, node: ast.AST, target: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self.check_target(node, t)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            root = _root(target)
            module = self.modules.get(root, "").split(".")[0]
            if module in GUARDED_MODULES or root in ("globals", "vars", "locals", "__builtins__") \
                    or isinstance(target.value, ast.Call):
                self.flag(node, f"modifies `{_dotted(target.value) or root}`, a module or namespace")
        elif isinstance(target, ast.Starred):
            self.check_target(node, target.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            self.check_target(node, t)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.check_target(node, node.target)
        self.generic_visit(node)

    visit_AnnAssign = visit_AugAssign

    def visit_Delete(self, node: ast.Delete) -> None:
        for t in node.targets:
            self.check_target(node, t)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in FORBIDDEN_ATTRS:
            self.flag(node, f"uses `.{node.attr}`, an interpreter or kernel hook")
        dotted = _dotted(node)
        root = dotted.split(".")[0]
        if root in self.modules and isinstance(node.ctx, ast.Load):
            self.check_module(node, self.modules[root] + dotted[len(root):], nnkit_only=True)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Name) and name in FORBIDDEN_CALLS:
            self.flag(node, f"calls {name}()")
        if name in ("getattr", "hasattr") and len(node.args) > 1 and not isinstance(node.args[1], ast.Constant):
            self.flag(node, f"calls {name}() with a computed attribute name")
        elif name in ("getattr", "hasattr") and len(node.args) > 1 and node.args[1].value in FORBIDDEN_ATTRS:
            self.flag(node, f"uses `.{node.args[1].value}` (through {name}), an interpreter or kernel hook")
        if isinstance(func, ast.Attribute) and func.attr in SHELL_CALLS and isinstance(func.value, ast.Call) \
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython":
            self.shell_calls.add(id(func.value.func))
        if name in ("run_line_magic", "run_cell_magic") and node.args \
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in FORBIDDEN_MAGICS:
            self.flag(node, f"uses the %{node.args[0].value} magic")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "/proc" in node.value:
            self.flag(node, "reads /proc, the kernel's own process state")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        text = _joined_text(node)
        if text is not None and "/proc" in text and not any(
                isinstance(part, ast.Constant) and "/proc" in str(part.value) for part in ast.walk(node)):
            self.flag(node, "reads /proc, the kernel's own process state (a name put together)")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name in FORBIDDEN_METHODS:
            self.flag(node, f"defines {node.name}, so that numpy's comparisons answer what the object says")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in ("attrgetter", "methodcaller"):
            self.flag(node, f"uses {node.id}, attribute access by a computed name")
        if node.id == "__builtins__":
            self.flag(node, "uses __builtins__")
        if node.id == "get_ipython" and id(node) not in self.shell_calls:
            self.flag(node, "uses get_ipython() beyond running a magic")


@functools.lru_cache(maxsize=1)
def nnkit_submodules() -> frozenset[str]:
    """Names of nnkit's submodules, found without importing nnkit."""
    spec = importlib.util.find_spec("nnkit")
    paths = list(spec.submodule_search_locations or []) if spec else []
    return frozenset(m.name for m in pkgutil.iter_modules(paths))


def nnkit_modules(bound: dict[str, str]) -> set[str]:
    """``nnkit.X`` modules reached by the import bindings ``bound`` (see imported_modules)."""
    return {".".join(v.split(".")[:2]) for v in bound.values()
            if v.startswith("nnkit.") and v.split(".")[1] in nnkit_submodules()}


def imported_modules(sources: list[str]) -> dict[str, str]:
    """Names bound by import statements in ``sources`` -> the dotted module (or object) path."""
    bound: dict[str, str] = {}
    for source in sources:
        tree = _parse(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    bound[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    bound[a.asname or a.name] = f"{node.module}.{a.name}"
    return bound


def names_used(sources: list[str]) -> set[str]:
    """Every plain name read in ``sources``."""
    names: set[str] = set()
    for source in sources:
        tree = _parse(source)
        if tree is None:
            continue
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names


def scan(cells: list[tuple[int, str]], bound: dict[str, str], allowed_nnkit: set[str]) -> list[Finding]:
    """Findings in the learner's code cells ``(index, source)``; ``bound``: names the source imports."""
    modules = dict(bound)
    findings: list[Finding] = []
    for index, source in cells:
        tree = _parse(source)
        if tree is None:
            continue
        visitor = _Visitor(index, modules, allowed_nnkit)
        try:
            visitor.visit(tree)
        except RecursionError:  # parsed, but nested too deeply to walk: no honest code looks like this
            findings.append(Finding(index, 1, "code nested too deeply for the grader to check"))
            continue
        findings += visitor.findings
    return findings
