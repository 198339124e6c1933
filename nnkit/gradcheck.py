"""Gradient checking: central differences, relative error, and a report over named parameters.

A kink (a point where the function is not differentiable, such as a ReLU pre-activation at 0)
inside ``[x - h, x + h]`` makes the central difference meaningless there. We detect it without
knowing the model: for a smooth function the forward slope ``(f(x+h) - f(x)) / h`` and the backward
slope ``(f(x) - f(x-h)) / h`` differ by about ``h |f''|``, which is small next to the gradient and
halves when ``h`` halves; across a kink they differ by the jump in slope, which does neither.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from nnkit import _validate as v


#: Rounding noise allowance for one-sided slopes, in units of machine epsilon * |f| / h.
ROUNDOFF = 1e4 * np.finfo(np.float64).eps


class KinkWarning(UserWarning):
    """A finite-difference probe crossed a point where the function has a kink."""


def _probe(f, x: np.ndarray, steps) -> np.ndarray:
    """Evaluate ``f(x)`` with each entry of ``x`` moved by each of ``steps``, in place, restored after.

    Returns an array of shape (len(steps), *x.shape).
    """
    out = np.empty((len(steps),) + x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        for k, step in enumerate(steps):
            x[idx] = old + step
            out[(k,) + idx] = f(x)
        x[idx] = old
    return out


def _check_float_array(x, name: str) -> np.ndarray:
    """Refuse anything but a float64 ndarray: the probe must perturb the caller's own array."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{name} must be a float64 numpy array (it is perturbed in place); got {got}")
    return x


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar ``f(x)`` w.r.t. ``x`` (any shape, float64).

    ``x`` is perturbed in place one entry at a time and restored, so ``f`` may also read it
    through a closure. Returns an array shaped like ``x``: (f(x+h e_i) - f(x-h e_i)) / 2h.
    """
    v.check_positive(h, "h")
    f_plus, f_minus = _probe(f, _check_float_array(x, "x"), (h, -h))
    return (f_plus - f_minus) / (2.0 * h)


def relative_error(a, b) -> float:
    """||a - b|| / (||a|| + ||b||), 0.0 when both are zero. Scale-free; below ~1e-7 is a pass."""
    a = v.as_float_array(a, "a")
    b = v.as_float_array(b, "b")
    v.check_same_shape(a, "a", b, "b")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0.0 else float(np.linalg.norm(a - b) / denom)


@dataclass
class ParamCheck:
    """The comparison for one named parameter. Indices are tuples into the parameter's shape."""

    name: str
    rel_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    kinks: list = field(default_factory=list)

    def __str__(self) -> str:
        kink = f", {len(self.kinks)} kink(s) crossed, first at {self.kinks[0]}" if self.kinks else ""
        return (f"{self.name}: relative error {self.rel_error:.2e}, worst at {self.worst_index} "
                f"(analytic {self.analytic:.6g}, numeric {self.numeric:.6g}){kink}")


@dataclass
class GradcheckReport:
    """All parameter checks, the tolerance, and which parameter is worst."""

    checks: list
    tol: float

    @property
    def worst(self) -> ParamCheck:
        """The parameter with the largest relative error."""
        return max(self.checks, key=lambda c: c.rel_error)

    @property
    def ok(self) -> bool:
        """True when every parameter's relative error is within ``tol``."""
        return all(c.rel_error <= self.tol for c in self.checks)

    @property
    def kinks(self) -> list:
        """(name, index) of every entry whose +-h probe crossed a kink."""
        return [(c.name, i) for c in self.checks for i in c.kinks]

    def __str__(self) -> str:
        head = "gradient check passed" if self.ok else f"gradient check FAILED at {self.worst.name}"
        lines = [f"{head} (tol {self.tol:.0e})"] + [f"  {c}" for c in self.checks]
        if self.kinks:
            lines.append("  warning: +-h crossed a kink at the entries listed; the numerical "
                         "gradient is unreliable there (move the point or shrink h)")
        return "\n".join(lines)


def _central_and_kinks(f, x: np.ndarray, h: float, kink_tol: float):
    """Central differences of ``f()`` w.r.t. ``x`` and a boolean mask of entries near a kink.

    ``gap`` = forward slope - backward slope. An entry is a kink when the gap stands out from
    the gradient scale (``kink_tol``) and from rounding noise, and reacts to halving h unlike a
    smooth function, whose gap halves while its central difference stays put. (Each of these
    two halving tests has a blind spot for some kink positions inside [-h, h]; together they
    have none. A smooth minimum with zero gradient passes both.)
    """
    f0 = float(f())
    f_plus, f_minus, f_half_plus, f_half_minus = _probe(lambda _: f(), x, (h, -h, h / 2, -h / 2))
    numeric = (f_plus - f_minus) / (2.0 * h)
    numeric_half = (f_half_plus - f_half_minus) / h
    fwd, bwd = (f_plus - f0) / h, (f0 - f_minus) / h
    gap = fwd - bwd
    gap_half = (f_half_plus - 2.0 * f0 + f_half_minus) / (h / 2)
    scale = np.abs(numeric).max(initial=0.0)
    roundoff = ROUNDOFF * np.maximum(abs(f0), np.maximum(np.abs(f_plus), np.abs(f_minus))) / h
    sharp = np.abs(gap) > kink_tol * (np.abs(fwd) + np.abs(bwd) + scale) + roundoff
    not_smooth = (np.abs(gap - 2.0 * gap_half) > 0.25 * np.abs(gap)) | (
        2.0 * np.abs(numeric - numeric_half) > 0.25 * np.abs(gap))
    return numeric, sharp & not_smooth


def check_gradients(f, params: dict, grads: dict, h: float = 1e-5, tol: float = 1e-7,
                    kink_tol: float = 1e-6) -> GradcheckReport:
    """Compare analytic gradients with central differences for every named parameter.

    f: callable with no arguments returning the scalar loss; it must read the arrays in
    ``params`` (name -> float64 array), which are perturbed in place and restored.
    grads: name -> analytic gradient, same shape as the parameter.
    An entry counts as a kink when its one-sided slopes differ by more than
    ``kink_tol * (|forward| + |backward| + s)``, s the largest central difference of that
    parameter, in a way that does not shrink with h (see the module docstring); kinks are
    listed in the report and raise a :class:`KinkWarning`.
    """
    v.check_positive(h, "h")
    v.check_positive(tol, "tol")
    v.check_positive(kink_tol, "kink_tol")
    if not params:
        raise ValueError("params must name at least one parameter; got an empty mapping")
    missing = sorted(set(params) - set(grads))
    if missing:
        raise ValueError(f"grads must have an entry for every parameter; missing {missing}")
    checks = []
    for name, x in params.items():
        x = _check_float_array(x, f"params[{name!r}]")
        g = v.as_float_array(grads[name], f"grads[{name!r}]")
        v.check_same_shape(x, f"params[{name!r}]", g, f"grads[{name!r}]")
        numeric, kink = _central_and_kinks(f, x, h, kink_tol)
        worst = np.unravel_index(np.argmax(np.abs(numeric - g)), x.shape) if x.size else ()
        checks.append(ParamCheck(
            name=name, rel_error=relative_error(g, numeric),
            worst_index=tuple(int(i) for i in worst),
            analytic=float(g[worst]) if x.size else 0.0,
            numeric=float(numeric[worst]) if x.size else 0.0,
            kinks=[tuple(int(i) for i in idx) for idx in zip(*np.nonzero(kink))],
        ))
    report = GradcheckReport(checks=checks, tol=tol)
    if report.kinks:
        warnings.warn(f"+-h crossed a kink at {report.kinks[:5]}; numerical gradient unreliable there",
                      KinkWarning, stacklevel=2)
    return report
