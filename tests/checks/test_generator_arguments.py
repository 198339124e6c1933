"""A numpy Generator argument: drawing from it is its job (no "changed in place"), never drawing from it fails.

Also: unit 06's statistical verdicts reject a right answer rarely. The bound of ``_band`` is
checked against many draws of the reference at the smallest size the cases use.
"""

import numpy as np
import pytest

from nnkit.checks import EXERCISES, core
from nnkit.checks.unit06_init import _band


def test_an_initializer_that_draws_from_its_generator_passes():
    core.run(EXERCISES["he_normal"], lambda i, o, rng: rng.normal(0, np.sqrt(2 / i), (i, o)))


def test_one_that_never_draws_from_it_fails_with_the_reason():
    def global_rng(fan_in, fan_out, rng):
        return np.random.default_rng(5).normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))

    with pytest.raises(core.CheckFailed, match="never drew from `rng`.*same seed"):
        core.run(EXERCISES["he_normal"], global_rng)


def test_the_band_holds_the_mean_square_of_normal_and_uniform_draws():
    rng = np.random.default_rng(0)
    n = 2000  # the smallest fan_in * fan_out of the cases
    low, high = _band(n)
    normal = np.mean(rng.standard_normal((2000, n)) ** 2, axis=1)
    uniform = np.mean(rng.uniform(-np.sqrt(3), np.sqrt(3), (2000, n)) ** 2, axis=1)
    for m2 in (normal, uniform):
        assert low < m2.min() and m2.max() < high
        assert high - low < 0.45  # narrow enough to tell a factor 1.5 apart
