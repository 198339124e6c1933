"""nnkit: the numpy reference implementations behind the course's exercises, checks and widgets.

Conventions: batches are rows (``X: (batch, fan_in)``), a dense layer is ``Z = X @ W + b``
with ``W: (fan_in, fan_out)``, arrays are float64, and every random draw comes from a
``numpy.random.Generator`` (or a seed) passed in.
"""

__version__ = "0.1.0"
