"""Numerics benchmark: nnkit's numpy code against plain-Python loops and, if installed, PyTorch CPU.

Two workloads, each measured in this one run:
1. one training step (forward, MSE loss, backward, SGD update) of a 2-64-64-1 ReLU MLP on a
   batch of 256;
2. the depth experiment: draw 50 He-normal 256x256 layers, forward 256 samples through ReLU
   with per-layer statistics, backpropagate a standard-normal gradient.
The loop version of (2) runs on a reduced size and is scaled up; the output says by how much.
Every baseline is first checked to compute the same numbers as nnkit.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from operator import mul

import numpy as np

from nnkit.experiments import draw_weights, layer_stats
from nnkit.losses import mse
from nnkit.mlp import init_mlp, mlp_backward, mlp_forward
from nnkit.optim import sgd_step

SIZES, BATCH, LR = [2, 64, 64, 1], 256, 0.01
DEPTH, WIDTH, SAMPLES = 50, 256, 256
LOOP_DEPTH, LOOP_SAMPLES = 2, 32  # reduced size of the plain-Python depth experiment


def _median_time(fn, repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---- plain-Python building blocks (lists of rows) -------------------------------------------

def _mm(A, B):
    cols = list(zip(*B))
    return [[sum(map(mul, row, col)) for col in cols] for row in A]


def _T(A):
    return [list(col) for col in zip(*A)]


def _relu_mask(Z):
    return [[1.0 if z > 0 else 0.0 for z in row] for row in Z]


def _times(A, B):
    return [[a * b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]


def _loop_train_step(params, X, y, lr):
    """Forward, MSE, backward and SGD for lists-of-rows params [[W, b], ...]; returns the loss."""
    acts, masks, A = [X], [], X
    for i, (W, b) in enumerate(params):
        Z = [[z + bj for z, bj in zip(row, b)] for row in _mm(A, W)]
        if i < len(params) - 1:
            masks.append(_relu_mask(Z))
            Z = _times(Z, masks[-1])
            acts.append(Z)
        A = Z
    n = len(X) * len(A[0])
    loss = sum((o - t) ** 2 for ro, rt in zip(A, y) for o, t in zip(ro, rt)) / n
    d = [[2.0 * (o - t) / n for o, t in zip(ro, rt)] for ro, rt in zip(A, y)]
    for i in reversed(range(len(params))):
        W, b = params[i]
        dW, db = _mm(_T(acts[i]), d), [sum(col) for col in zip(*d)]
        if i > 0:
            d = _times(_mm(d, _T(W)), masks[i - 1])
        params[i] = [[[w - lr * g for w, g in zip(rw, rg)] for rw, rg in zip(W, dW)],
                     [bj - lr * g for bj, g in zip(b, db)]]
    return loss


def _loop_draws(depth, width, rnd):
    std = math.sqrt(2.0 / width)
    return [[[rnd.gauss(0.0, std) for _ in range(width)] for _ in range(width)]
            for _ in range(depth)]


def _loop_depth_stats(weights, X, top_grad):
    """Forward statistics and backward gradient norms, as nnkit.experiments computes them."""
    A, masks, stats = X, [], []
    for W in weights:
        Z = _mm(A, W)
        masks.append(_relu_mask(Z))
        A = _times(Z, masks[-1])
        flat = [a for row in A for a in row]
        mean = sum(flat) / len(flat)
        second = sum(a * a for a in flat) / len(flat)
        stats.append((mean, math.sqrt(max(second - mean * mean, 0.0)), second,
                      sum(a == 0.0 for a in flat) / len(flat)))
    d, norms = top_grad, []
    for W, mask in zip(reversed(weights), reversed(masks)):
        norms.append(math.sqrt(sum(g * g for row in d for g in row)))
        d = _mm(_times(d, mask), _T(W))
    return stats, norms[::-1]


# ---- PyTorch (same work, float64, CPU) ------------------------------------------------------

def _torch_train_step(torch, params, X, y, lr):
    A = X
    for i, (W, b) in enumerate(params):
        A = A @ W + b
        if i < len(params) - 1:
            A = torch.relu(A)
    loss = torch.mean((A - y) ** 2)
    loss.backward()
    with torch.no_grad():
        for W, b in params:
            W -= lr * W.grad
            b -= lr * b.grad
            W.grad, b.grad = None, None
    return loss.item()


def _torch_depth(torch, gen):
    std = math.sqrt(2.0 / WIDTH)
    weights = [torch.randn(WIDTH, WIDTH, dtype=torch.float64, generator=gen) * std
               for _ in range(DEPTH)]
    A, masks, stats = torch.randn(SAMPLES, WIDTH, dtype=torch.float64, generator=gen), [], []
    for W in weights:
        Z = A @ W
        masks.append(Z > 0)
        A = torch.relu(Z)
        stats.append((A.mean(), A.std(unbiased=False), (A * A).mean(), (A == 0).double().mean()))
    d, norms = torch.randn(SAMPLES, WIDTH, dtype=torch.float64, generator=gen), []
    for W, mask in zip(reversed(weights), reversed(masks)):
        norms.append(torch.linalg.vector_norm(d))
        d = (d * mask) @ W.T
    return stats, norms


# ---- the two workloads ----------------------------------------------------------------------

def _train_step_problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, SIZES[0]))
    y = np.sin(X[:, :1]) + X[:, 1:] ** 2
    return init_mlp(SIZES, rng, init="he_normal"), X, y


def _numpy_train_step(params, X, y):
    out, caches = mlp_forward(X, params, "relu")
    loss, dout = mse(out, y)
    sgd_step(params, mlp_backward(dout, caches), LR)
    return loss


def numpy_times() -> dict:
    """Seconds for nnkit: one training step, and the depth experiment with and without the draws."""
    params, X, y = _train_step_problem()
    weights = draw_weights("he_normal", DEPTH, WIDTH, 0)
    return {
        "train": _median_time(lambda: _numpy_train_step(params, X, y), 200),
        "depth": _median_time(lambda: layer_stats(
            "relu", draw_weights("he_normal", DEPTH, WIDTH, 0), SAMPLES, rng=1), 9),
        "depth_stats_only": _median_time(lambda: layer_stats("relu", weights, SAMPLES, rng=1), 9),
    }


def _numpy_times_one_blas_thread() -> dict:
    """:func:`numpy_times` in a fresh process whose BLAS runs one thread (set before import)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = "import json, benchmarks.bench_numerics as b; print(json.dumps(b.numpy_times()))"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_train_step(torch=None) -> dict:
    """Seconds per training step for plain Python and (optionally) PyTorch, checked against nnkit."""
    params, X, y = _train_step_problem()
    lists = [[p["W"].tolist(), p["b"].tolist()] for p in params]
    loop_loss = _loop_train_step(lists, X.tolist(), y.tolist(), LR)
    np_loss = _numpy_train_step(params, X, y)
    assert math.isclose(loop_loss, np_loss, rel_tol=1e-9), (loop_loss, np_loss)
    assert all(np.allclose(np.array(lw), p["W"]) for (lw, _), p in zip(lists, params))
    times = {"loop": _median_time(lambda: _loop_train_step(lists, X.tolist(), y.tolist(), LR), 3)}
    if torch is not None:
        tparams = [[torch.tensor(p[k], requires_grad=True) for k in ("W", "b")] for p in params]
        tX, ty = torch.tensor(X), torch.tensor(y)
        torch_loss = _torch_train_step(torch, tparams, tX, ty, LR)
        assert math.isclose(torch_loss, _numpy_train_step(params, X, y), rel_tol=1e-9)
        times["torch"] = _median_time(lambda: _torch_train_step(torch, tparams, tX, ty, LR), 200)
    return times


def _check_loop_depth_matches_nnkit():
    """On a small case, the loop version computes what nnkit.experiments computes."""
    weights = draw_weights("he_normal", 3, 16, 0)
    rng = np.random.default_rng(1)  # layer_stats draws X, then the top gradient, from rng
    X, G = rng.standard_normal((8, 16)), rng.standard_normal((8, 16))
    stats, norms = _loop_depth_stats([W.tolist() for W in weights], X.tolist(), G.tolist())
    ref = layer_stats("relu", weights, 8, rng=1)
    got = np.array(stats).T
    for row, key in zip(got, ("mean", "std", "second_moment", "zero_fraction")):
        np.testing.assert_allclose(row, ref[key], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(norms, ref["grad_norm"], rtol=1e-9)


def bench_depth(torch=None) -> dict:
    """Seconds for the full depth experiment in plain Python (scaled from a reduced run) and
    (optionally) PyTorch; the loop version is first checked against nnkit."""
    _check_loop_depth_matches_nnkit()
    rnd = random.Random(0)
    start = time.perf_counter()
    loop_weights = _loop_draws(LOOP_DEPTH, WIDTH, rnd)
    draw_time = time.perf_counter() - start
    X = [[rnd.gauss(0.0, 1.0) for _ in range(WIDTH)] for _ in range(LOOP_SAMPLES)]
    G = [[rnd.gauss(0.0, 1.0) for _ in range(WIDTH)] for _ in range(LOOP_SAMPLES)]
    start = time.perf_counter()
    _loop_depth_stats(loop_weights, X, G)
    compute_time = time.perf_counter() - start
    times = {"loop": (draw_time * DEPTH / LOOP_DEPTH
                      + compute_time * (DEPTH / LOOP_DEPTH) * (SAMPLES / LOOP_SAMPLES))}
    if torch is not None:
        gen = torch.Generator().manual_seed(0)
        times["torch"] = _median_time(lambda: _torch_depth(torch, gen), 7)
    return times


def _report(title: str, numpy: dict, numpy_1t: dict, key: str, other: dict, loop_note: str):
    rows = [("nnkit (numpy), default BLAS threads", numpy[key]),
            ("nnkit (numpy), 1 BLAS thread", numpy_1t[key]),
            ("plain Python loops" + loop_note, other["loop"])]
    if "torch" in other:
        rows.append(("PyTorch CPU, float64", other["torch"]))
    print(title)
    for label, seconds in rows:
        print(f"  {seconds * 1e3:12.2f} ms  {label}")
    for label, t in (("default threads", numpy[key]), ("1 BLAS thread", numpy_1t[key])):
        ratios = f"loops / numpy = {other['loop'] / t:.0f}x"
        if "torch" in other:
            ratios += f", numpy / PyTorch = {t / other['torch']:.2f}"
        print(f"  ratios with numpy at {label}: {ratios}")


def main() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (busy BLAS threads slow down "
          f"badly when the cores are shared); OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    if torch is None:
        print("PyTorch column skipped: torch is not installed")
    else:
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    numpy, numpy_1t = numpy_times(), _numpy_times_one_blas_thread()
    _report(f"(1) one training step (forward, MSE, backward, SGD), {'-'.join(map(str, SIZES))} "
            f"ReLU MLP, batch {BATCH}, median of runs", numpy, numpy_1t, "train",
            bench_train_step(torch), "")
    _report(f"(2) depth experiment, {DEPTH} layers x {WIDTH} wide x {SAMPLES} samples, He + ReLU: "
            "draw weights, forward stats, backward norms", numpy, numpy_1t, "depth",
            bench_depth(torch),
            f" (scaled: ran {LOOP_DEPTH} layers x {LOOP_SAMPLES} samples; draw time "
            f"x{DEPTH // LOOP_DEPTH}, compute x{DEPTH * SAMPLES // (LOOP_DEPTH * LOOP_SAMPLES)})")
    print(f"  layer_stats alone, weights already drawn (a widget changing only the activation): "
          f"{numpy['depth_stats_only'] * 1e3:.1f} ms (default threads), "
          f"{numpy_1t['depth_stats_only'] * 1e3:.1f} ms (1 BLAS thread)")


if __name__ == "__main__":
    main()
