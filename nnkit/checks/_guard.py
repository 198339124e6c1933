"""What the checker needs to protect itself from: learner code and reference look-ups.

- ``private_copy``: a fresh, unregistered copy of an nnkit module, so that expected values
  do not change when a learner monkeypatches ``nnkit.perceptron.update`` and the like.
- ``reference_use``: does a learner's function reach an nnkit reference implementation
  (through its globals, closure cells, defaults, helpers or imports)?
- ``learner_line``: the learner's own source line in a traceback.
- ``time_limit``: stop a learner's function that runs too long (a loop that never ends).
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import linecache
import contextlib
import os
import signal
import sys
import sysconfig
import threading
import types

import nnkit

ALLOWED = ("nnkit.checks", "nnkit.viz", "nnkit.data", "nnkit._validate",
           "nnkit._special")  # the erf that unit 05 hands out (numpy has none)
PRIVATE_PREFIX = "nnkit._reference_copy"  # the module name of every private copy starts so
_NNKIT_DIR = os.path.dirname(os.path.abspath(nnkit.__file__))
_LIBRARY_DIRS = tuple(
    {os.path.abspath(sysconfig.get_paths()[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)


@functools.cache
def private_copy(module_name: str) -> types.ModuleType:
    """Execute the source of ``module_name`` again as a private module nobody else can patch."""
    origin = importlib.util.find_spec(module_name).origin
    short = module_name.rpartition(".")[2]
    spec = importlib.util.spec_from_file_location(f"{PRIVATE_PREFIX}.{short}", origin)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "nnkit"
    sys.modules[spec.name] = module  # registered while it runs only (dataclasses look it up)
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def references(module_name: str, attr: str) -> dict:
    """``reference`` (from the private copy) and ``public_reference`` of ``module_name.attr``."""
    public = getattr(importlib.import_module(module_name), attr)
    return {"reference": getattr(private_copy(module_name), attr), "public_reference": public}


def is_learner_file(filename: str) -> bool:
    """True for code outside nnkit, the standard library and installed packages."""
    if not filename or filename.startswith("<frozen"):
        return False
    path = os.path.abspath(filename)
    return not any(path.startswith(d + os.sep) for d in (_NNKIT_DIR, *_LIBRARY_DIRS))


def learner_line(exc: BaseException) -> str:
    """`` (your line N: `code`)`` for the innermost learner frame of ``exc``'s traceback, or ''."""
    found = ""
    for frame, lineno in _walk_tb(exc.__traceback__):
        if is_learner_file(frame.f_code.co_filename):
            code = linecache.getline(frame.f_code.co_filename, lineno).strip()
            found = f" (your line {lineno}: `{code}`)" if code else f" (your line {lineno})"
    return found


def _walk_tb(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def _forbidden_module(name: str) -> bool:
    if not name.startswith("nnkit."):
        return False
    return not any(name == a or name.startswith(a + ".") for a in ALLOWED)


def reference_use(fn, forbidden: tuple = (), allowed: tuple = ()) -> str | None:
    """Name the nnkit reference ``fn`` reaches (e.g. ``nnkit.perceptron.update``), or None.

    Objects in ``forbidden`` count as references even when their module is allowed; objects in
    ``allowed`` (building blocks a notebook hands out, reached by their own name) never do.
    """
    seen: set[int] = {id(a) for a in allowed}
    return _visit(fn, (), forbidden, seen)


def _visit(obj, names: tuple, forbidden: tuple, seen: set) -> str | None:
    key = (id(obj), names) if isinstance(obj, types.ModuleType) else id(obj)  # modules: per name set
    if key in seen:
        return None
    seen.add(key)
    if any(obj is f for f in forbidden):
        return f"{obj.__module__}.{obj.__qualname__}"
    if isinstance(obj, types.ModuleType):
        if _forbidden_module(obj.__name__):
            return obj.__name__
        if obj.__name__ == "nnkit" or obj.__name__.startswith("nnkit."):
            return _first_found(_visit(getattr(obj, n), names, forbidden, seen) for n in names if hasattr(obj, n))
        return None
    if isinstance(obj, functools.partial):
        inside = (obj.func, *obj.args, *obj.keywords.values())
        return _first_found(_visit(v, names, forbidden, seen) for v in inside)
    if inspect.ismethod(obj):
        return _visit(obj.__func__, names, forbidden, seen)
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and _forbidden_module(module):
        return f"{module}.{getattr(obj, '__qualname__', type(obj).__name__)}"
    if _is_learner_function(obj):
        return _visit_function(obj, forbidden, seen)
    return None


def _is_learner_function(obj) -> bool:
    return isinstance(obj, types.FunctionType) and is_learner_file(obj.__code__.co_filename)


def _visit_function(fn: types.FunctionType, forbidden: tuple, seen: set) -> str | None:
    names, strings = _code_names(fn.__code__)
    for text in strings:  # importlib.import_module("nnkit.perceptron") and the like; not prose
        if " " not in text and (_forbidden_module(text) or _forbidden_module(text.rpartition(".")[0])):
            return f"the name {text!r} in `{fn.__name__}`"
    related = [(n, fn.__globals__[n]) for n in names if n in fn.__globals__]
    related += [(n, sys.modules[n]) for n in names if n.partition(".")[0] == "nnkit" and n in sys.modules]
    cells = zip(fn.__code__.co_freevars, fn.__closure__ or ())
    related += [(n, cell.cell_contents) for n, cell in cells if _filled(cell)]
    related = [(f"as `{n}` in", v) for n, v in related]
    defaults = (*(fn.__defaults__ or ()), *(fn.__kwdefaults__ or {}).values())
    related += [("as a default argument of", v) for v in defaults]
    for how, value in related:
        found = _visit(value, names, forbidden, seen)
        if found:  # say where the reference is used, unless a helper of the learner already did
            return found if _is_learner_function(value) else f"{found}, {how} `{fn.__name__}`"
    return None


def _code_names(code: types.CodeType) -> tuple[tuple, list]:
    """Global and attribute names, and string constants, of ``code`` and its nested code."""
    names, strings = set(code.co_names), [c for c in code.co_consts if isinstance(c, str)]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            more_names, more_strings = _code_names(const)
            names.update(more_names)
            strings += more_strings
    return tuple(sorted(names)), strings


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _first_found(results) -> str | None:
    return next((r for r in results if r), None)


class TimeUp(BaseException):
    """Raised inside a learner's function at the time limit (a BaseException, so that the
    learner's own ``except Exception`` cannot swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ``TimeUp`` after ``seconds`` of wall-clock time, where a timer signal is free.

    Only on the main thread of a platform with ``SIGALRM`` and when nobody else handles that
    signal; elsewhere the body simply runs without a limit.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise TimeUp

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
