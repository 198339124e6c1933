"""A typed, bounded encoding of call arguments and results as JSON data (never pickle).

The batch grader sends a case's arguments into the learner's kernel and reads back what the
learner's function returned; the kernel is untrusted, so decoding a reply can only ever build
plain data: None, bools, numbers, strings, tuples, lists, dicts, numpy arrays and scalars of
numeric dtypes, numpy random Generators (their bit generator's name and state), and nnkit's own
functions and named tuples by name (a layer function a case passes along, the activation record
in a layer's cache).
Anything else the learner returns arrives as an ``Opaque`` stand-in carrying its type name and a
short repr, which no comparison accepts as an answer.

``encode(value, strict) -> data`` and ``decode(data) -> value``; both raise ``WireError`` past a
bound; ``strict`` also refuses what would arrive as ``Opaque`` (a case's own lambda cannot travel).
"""

from __future__ import annotations

import base64
import importlib
import math
import re
import types

import numpy as np

from nnkit.checks._guard import PRIVATE_PREFIX, private_copy

MAX_DEPTH = 16
MAX_ITEMS = 100_000  # elements of lists, tuples and dicts, in total
MAX_BYTES = 64 * 2**20  # array data, in total
MAX_TEXT = 100_000  # characters of one string or repr
_KINDS = "biufc"  # numpy dtype kinds that travel: bool, int, uint, float, complex


class WireError(ValueError):
    """A value outside what the encoding carries, or data that is not a valid encoding."""


class Opaque:
    """A value that could not travel (a generator, a custom object): its type name and repr."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text


class _Budget:
    def __init__(self, strict: bool = False):
        self.items, self.bytes, self.strict = 0, 0, strict

    def take(self, items: int = 0, nbytes: int = 0) -> None:
        self.items += items
        self.bytes += nbytes
        if self.items > MAX_ITEMS or self.bytes > MAX_BYTES:
            raise WireError(f"more than {MAX_ITEMS:,} items or {MAX_BYTES:,} bytes of array data")


def encode(value, strict: bool = False) -> dict:
    """``value`` as JSON-ready data; values of other types become ``opaque`` entries (WireError
    when ``strict``)."""
    return _encode(value, 0, _Budget(strict))


def decode(data) -> object:
    """The value ``data`` encodes; raises WireError on anything that is not a valid encoding."""
    try:
        return _decode(data, 0, _Budget())
    except WireError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WireError(f"not a valid encoding ({type(exc).__name__}: {exc})") from None


def _encode(value, depth: int, budget: _Budget) -> dict:
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, (bool, str)):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise WireError(f"a string longer than {MAX_TEXT} characters")
        return {"t": "plain", "v": value}
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in _KINDS:
        array = np.asarray(value)
        budget.take(nbytes=array.nbytes)
        return {"t": "array" if isinstance(value, np.ndarray) else "scalar", "dtype": array.dtype.str,
                "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}
    if type(value) is int:
        return {"t": "int", "v": str(value)}  # any size, exactly
    if type(value) is float:
        return {"t": "float", "v": repr(value)}  # nan, inf and every bit of the mantissa
    if type(value) in (list, tuple):
        budget.take(items=len(value))
        return {"t": type(value).__name__, "v": [_encode(v, depth + 1, budget) for v in value]}
    if isinstance(value, tuple) and hasattr(value, "_fields") and _nnkit_name(type(value)):
        budget.take(items=len(value))
        module, name = _nnkit_name(type(value))
        return {"t": "namedtuple", "module": module, "name": name, "v": [_encode(v, depth + 1, budget) for v in value]}
    if type(value) is dict:
        budget.take(items=len(value))
        return {"t": "dict", "v": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                                   for k, v in value.items()]}
    if isinstance(value, np.random.Generator):
        bits = value.bit_generator
        return {"t": "generator", "bits": type(bits).__name__, "state": _encode(bits.state, depth + 1, budget)}
    if isinstance(value, types.FunctionType) and _nnkit_name(value):
        module, name = _nnkit_name(value)
        return {"t": "function", "module": module, "name": name}
    if budget.strict:
        raise WireError(f"a {type(value).__qualname__} cannot travel: only data and nnkit's functions do")
    return {"t": "opaque", "type": type(value).__qualname__[:200], "repr": _short_repr(value)}


_NNKIT_MODULE = re.compile(r"nnkit(\.[a-z_][a-z0-9_]*)+")


def _nnkit_name(obj) -> tuple[str, str] | None:
    """``(module, name)`` of a function or class defined in nnkit, or in a private reference copy
    (the module then starts with ``PRIVATE_PREFIX``); None for anything else."""
    module, name = getattr(obj, "__module__", None) or "", getattr(obj, "__qualname__", "")
    try:
        found = _nnkit_object(module, name, type(obj) if isinstance(obj, types.FunctionType) else type)
    except WireError:
        return None
    return (module, name) if found is obj else None


def _nnkit_object(module: str, name: str, kind: type):
    """The function (``kind`` FunctionType) or class (``kind`` type) ``name`` of an nnkit module."""
    private = module.startswith(PRIVATE_PREFIX + ".")
    public = "nnkit." + module[len(PRIVATE_PREFIX) + 1:] if private else module
    if not _NNKIT_MODULE.fullmatch(public) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise WireError(f"{module}.{name} is not defined in nnkit")
    try:
        owner = private_copy(public) if private else importlib.import_module(public)
    except ImportError:
        raise WireError(f"no module {public}") from None
    found = getattr(owner, name, None)
    if not isinstance(found, kind) or kind is type and not (issubclass(found, tuple) and hasattr(found, "_fields")):
        raise WireError(f"{module}.{name} is not an nnkit {'function' if kind is not type else 'named tuple'}")
    return found


_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def _generator(bits: str, state) -> np.random.Generator:
    """A Generator whose bit generator ``bits`` (one of numpy's) is in ``state``."""
    if bits not in _BIT_GENERATORS or not isinstance(state, dict):
        raise WireError(f"not a numpy bit generator: {bits!r}")
    bit_generator = getattr(np.random, bits)()
    bit_generator.state = state
    return np.random.Generator(bit_generator)


def _short_repr(value) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<{type(value).__qualname__} whose repr raised {type(exc).__name__}>"
    return text if len(text) <= 300 else text[:300] + " ..."


def _decode(data: dict, depth: int, budget: _Budget):
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    kind = data["t"]
    if kind == "plain":
        value = data["v"]
        if value is None or isinstance(value, bool):
            return value
        return _text(value, MAX_TEXT)
    if kind == "int":
        return int(_text(data["v"], 4000))
    if kind == "float":
        return float(_text(data["v"], 40))
    if kind in ("array", "scalar"):
        return _array(data, kind, budget)
    if kind in ("list", "tuple"):
        items = _list(data["v"], budget)
        values = [_decode(v, depth + 1, budget) for v in items]
        return values if kind == "list" else tuple(values)
    if kind == "dict":
        pairs = _list(data["v"], budget)
        return {_hashable(_decode(k, depth + 1, budget)): _decode(v, depth + 1, budget) for k, v in pairs}
    if kind == "generator":
        return _generator(_text(data["bits"], 20), _decode(data["state"], depth + 1, budget))
    if kind == "function":
        return _nnkit_object(_text(data["module"], 200), _text(data["name"], 200), types.FunctionType)
    if kind == "namedtuple":
        cls = _nnkit_object(_text(data["module"], 200), _text(data["name"], 200), type)
        values = [_decode(v, depth + 1, budget) for v in _list(data["v"], budget)]
        if len(values) != len(cls._fields):
            raise WireError(f"{cls.__name__} has {len(cls._fields)} fields, not {len(values)}")
        return cls(*values)
    if kind == "opaque":
        name, text = _text(data["type"], 200), _text(data["repr"], 310)
        return Opaque(name, text)
    raise WireError(f"unknown kind {kind!r}")


def _text(value, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise WireError(f"expected a string of at most {limit} characters")
    return value


def _list(value, budget: _Budget) -> list:
    if not isinstance(value, list):
        raise WireError("expected a list")
    budget.take(items=len(value))
    return value


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        raise WireError(f"an unhashable dict key ({type(key).__name__})") from None
    return key


def _array(data: dict, kind: str, budget: _Budget):
    dtype = np.dtype(_text(data["dtype"], 8))
    if dtype.kind not in _KINDS:
        raise WireError(f"dtype {dtype} does not travel")
    shape = tuple(data["shape"])
    if not all(isinstance(n, int) and n >= 0 for n in shape) or len(shape) > 32:
        raise WireError(f"bad array shape {shape!r}")
    raw = base64.b64decode(_text(data["data"], 4 * MAX_BYTES // 3 + 4), validate=True)
    budget.take(nbytes=len(raw))
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError(f"{len(raw)} bytes do not fill an array of shape {shape} and dtype {dtype}")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if kind == "scalar":
        if shape != ():
            raise WireError("a scalar with a shape")
        return array[()]
    return array
