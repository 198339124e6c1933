"""count_parameters and inference_memory against independent counts: arrays' sizes, and bytes measured by tracemalloc."""

import tracemalloc

import numpy as np
import pytest

from nnkit import memory, mlp


@pytest.mark.parametrize("sizes", [[2, 3, 1], [784, 128, 10], [1, 1], [5, 7, 7, 7, 2]])
def test_count_parameters_is_the_total_size_of_the_arrays(sizes):
    params = mlp.init_mlp(sizes, 0)
    assert mlp.count_parameters(sizes) == sum(layer["W"].size + layer["b"].size for layer in params)


def _streaming_peak(params, make_batch) -> int:
    """Peak bytes that an inference pass keeping one layer's input and output allocates (batch included)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    A = make_batch()
    for i, layer in enumerate(params):
        Z = A @ layer["W"]
        np.add(Z, layer["b"], out=Z)
        if i < len(params) - 1:
            np.maximum(Z, 0.0, out=Z)
        A = Z
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sizes, batch", [([100, 400, 400, 10], 512), ([784, 128, 10], 1024)])
def test_inference_memory_matches_the_measured_peak(sizes, batch, dtype):
    params = [{k: v.astype(dtype) for k, v in layer.items()} for layer in mlp.init_mlp(sizes, 0)]
    rng = np.random.default_rng(0)
    held = _streaming_peak(params, lambda: rng.standard_normal((batch, sizes[0]), dtype=dtype))
    measured = held + sum(layer["W"].nbytes + layer["b"].nbytes for layer in params)
    formula = memory.inference_memory(sizes, batch, np.dtype(dtype).itemsize)
    assert formula <= measured <= 1.02 * formula  # numpy's bias broadcast uses a scratch buffer of <= 64 KiB


def test_memory_grows_with_the_batch_not_with_depth():
    assert memory.inference_memory([10, 10], 1) == 8 * (110 + 20)
    deep = memory.inference_memory([64] * 10, 32) - 8 * mlp.count_parameters([64] * 10)
    shallow = memory.inference_memory([64] * 3, 32) - 8 * mlp.count_parameters([64] * 3)
    assert deep == shallow == 8 * 32 * 128


@pytest.mark.parametrize("batch, itemsize", [(0, 8), (4, 0), (2.5, 8)])
def test_bad_sizes_are_refused(batch, itemsize):
    with pytest.raises(ValueError):
        memory.inference_memory([2, 3], batch, itemsize)


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [2, 1.5], "23"])
def test_count_parameters_refuses_what_is_not_a_list_of_widths(sizes):
    with pytest.raises(ValueError):
        mlp.count_parameters(sizes)
