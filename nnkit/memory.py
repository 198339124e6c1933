"""Memory a forward pass needs, as a formula: parameters plus the activations alive at once.

Inference keeps only the layer being computed: its input and its output buffers, so the peak
is ``P + B * max_i (n_i + n_{i+1})`` numbers, ``O(P + B·d)`` (P parameters, batch B, widths n_i).
"""

from __future__ import annotations

from nnkit import mlp
from nnkit._validate import check_positive_int


def inference_memory(sizes, batch: int, itemsize: int = 8) -> int:
    """Peak bytes of an inference pass through an MLP of widths ``sizes = [n_in, ..., n_out]``.

    batch: rows B of the input; itemsize: bytes per number (8 for float64, 4 for float32).
    Returns ``itemsize * (P + B * max_i (sizes[i] + sizes[i+1]))`` with P = ``mlp.count_parameters(sizes)``.
    """
    check_positive_int(batch, "batch")
    check_positive_int(itemsize, "itemsize")
    widest = max(int(a) + int(b) for a, b in zip(sizes[:-1], sizes[1:]))
    return itemsize * (mlp.count_parameters(sizes) + batch * widest)
