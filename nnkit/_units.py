"""Find a package's unit modules (``unitNN_topic``) and merge their public names without clashes."""

from __future__ import annotations

import importlib
import pkgutil
import re

UNIT_MODULE = re.compile(r"unit\d\d_[a-z0-9_]+")


def unit_modules(package) -> list:
    """The ``unitNN_topic`` modules of ``package``, imported, in unit order."""
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if UNIT_MODULE.fullmatch(m.name))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def merge_unique(named: list[tuple[object, dict]], what: str) -> dict:
    """Merge each module's ``{name: value}``; a name defined by two modules raises ImportError."""
    merged, owner = {}, {}
    for module, items in named:
        for name, value in items.items():
            if name in merged:
                raise ImportError(
                    f"the {what} {name!r} is defined twice, in {owner[name]} and in {module.__name__}: "
                    "every name must be unique across units, rename one of them"
                )
            merged[name], owner[name] = value, module.__name__
    return merged
