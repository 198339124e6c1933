"""The call encoding (``nnkit.checks.wire``): values round-trip with their types; data that is not
an encoding, or is past a bound, is refused with WireError and never builds anything else."""

import json

import numpy as np
import pytest

from nnkit.checks import wire


def roundtrip(value):
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 10**40, 0.1, -0.0, float("inf"), "x'\"\n", (), [1, [2, (3,)]], {"a": 1, 2: (None,)},
    np.arange(6, dtype=np.int32).reshape(2, 3), np.eye(3)[:, ::-1], np.array([], dtype=np.float32),
    np.float64(2.5), np.int8(-4), np.bool_(True), np.array(3.0), np.array([1 + 2j]),
])
def test_values_come_back_equal_with_their_types(value):
    back = roundtrip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    else:
        assert back == value or (back != back and value != value)


def test_nan_and_signed_zero_keep_their_bits():
    back = roundtrip([float("nan"), -0.0, np.array([np.nan, -0.0])])
    assert back[0] != back[0] and str(back[1]) == "-0.0" and np.signbit(back[2][1]) and np.isnan(back[2][0])


def test_other_objects_arrive_as_opaque_stand_ins():
    back = roundtrip([iter([]), np.array([object()]), lambda: 1])
    assert all(isinstance(v, wire.Opaque) for v in back)
    assert back[0].type_name == "list_iterator"


@pytest.mark.parametrize("data", [
    {"t": "pickle", "v": "gASV"}, {"t": "array", "dtype": "|O", "shape": [1], "data": "AAAAAAAAAAA="},
    {"t": "array", "dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="}, {"t": "plain", "v": 3},
    {"t": "int", "v": "9" * 5000}, {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "plain", "v": None}]]},
    {"t": "scalar", "dtype": "<f8", "shape": [1], "data": "AAAAAAAAAAA="}, {"v": 1}, [], "text",
    {"t": "array", "dtype": "<f8", "shape": [-1], "data": ""}, {"t": "float", "v": "1" * 100},
], ids=["pickle", "object-dtype", "short-data", "plain-int", "huge-int", "unhashable-key", "shaped-scalar",
        "no-kind", "list", "str", "negative-shape", "long-float"])
def test_data_that_is_not_an_encoding_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_nesting_and_size_are_bounded():
    deep = []
    for _ in range(wire.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(wire.WireError, match="deeper"):
        wire.encode(deep)
    with pytest.raises(wire.WireError, match="items"):
        wire.encode(list(range(wire.MAX_ITEMS + 1)))
    nested = {"t": "list", "v": [{"t": "plain", "v": None}] * (wire.MAX_ITEMS + 1)}
    with pytest.raises(wire.WireError, match="items"):
        wire.decode(nested)


def test_nnkit_functions_travel_by_name_and_others_do_not():
    from nnkit import layers
    from nnkit.checks._guard import private_copy

    private = private_copy("nnkit.layers").dense_backward
    assert roundtrip(layers.dense_backward) is layers.dense_backward
    assert roundtrip(private) is private
    assert isinstance(roundtrip(lambda z: z), wire.Opaque)
    with pytest.raises(wire.WireError, match="cannot travel"):
        wire.encode((lambda z: z,), strict=True)


@pytest.mark.parametrize("module, name", [("os", "system"), ("nnkit.layers", "np"), ("nnkit.layers", "__class__"),
                                          ("nnkit..x", "f"), ("nnkit.nothing_here", "f")])
def test_a_function_reference_names_only_an_nnkit_function(module, name):
    with pytest.raises(wire.WireError):
        wire.decode({"t": "function", "module": module, "name": name})


def test_nnkit_named_tuples_travel_with_their_class():
    from nnkit import activations

    record = activations.ACTIVATIONS["relu"]
    back = roundtrip(record)
    assert type(back) is type(record) and back == record and back.fn is record.fn
    with pytest.raises(wire.WireError, match="fields"):
        wire.decode({**wire.encode(record), "v": []})


def test_a_random_generator_travels_with_its_state():
    rng = np.random.default_rng(7)
    rng.normal(size=3)
    back = roundtrip(rng)
    assert isinstance(back, np.random.Generator) and back is not rng
    assert np.array_equal(back.normal(size=5), rng.normal(size=5))
    with pytest.raises(wire.WireError):
        wire.decode({"t": "generator", "bits": "os.system", "state": {"t": "dict", "v": []}})
