"""Unit 08 learner corpus: right and wrong answers coded the way learners code them (numpy only).

Wrong answers are written independently of the checker's mutants; each names its mistakes.
"""

import math

import numpy as np

from corpus import Corpus

CORPUS = Corpus()
correct, wrong = CORPUS.correct, CORPUS.wrong


# --- jacobian_norms --------------------------------------------------------------------------

@correct("jacobian_norms")
def jn_loop(jacobians):
    P = np.eye(jacobians[0].shape[0])
    out = []
    for J in jacobians:
        P = J @ P
        out.append(np.linalg.norm(P, ord=2))
    return np.array(out)


@correct("jacobian_norms")
def jn_svd(jacobians):
    norms, prod = [], None
    for J in jacobians:
        prod = J.copy() if prod is None else np.dot(J, prod)
        norms.append(np.linalg.svd(prod, compute_uv=False).max())
    return np.asarray(norms)


@wrong("jacobian_norms", "wrong_order")
def jn_right_multiply(jacobians):
    P = np.eye(len(jacobians[0]))
    res = []
    for J in jacobians:
        P = P @ J
        res.append(np.linalg.norm(P, 2))
    return np.array(res)


@wrong("jacobian_norms", "frobenius")
def jn_default_norm(jacobians):
    P = np.eye(jacobians[0].shape[0])
    res = []
    for J in jacobians:
        P = J @ P
        res.append(np.linalg.norm(P))
    return np.array(res)


@wrong("jacobian_norms", "each_layer")
def jn_no_product(jacobians):
    return np.array([np.linalg.norm(J, 2) for J in jacobians])


@wrong("jacobian_norms", "product_of_norms")
def jn_multiply_norms(jacobians):
    total, out = 1.0, []
    for J in jacobians:
        total *= np.linalg.norm(J, 2)
        out.append(total)
    return np.array(out)


@wrong("jacobian_norms", "radius_for_norm")
def jn_eigen(jacobians):
    P = np.eye(jacobians[0].shape[0])
    res = []
    for J in jacobians:
        P = J @ P
        res.append(max(abs(np.linalg.eigvals(P))))
    return np.array(res)


# --- spectral_radius --------------------------------------------------------------------------

@correct("spectral_radius")
def sr_abs_eig(A):
    return float(np.max(np.abs(np.linalg.eigvals(A))))


@correct("spectral_radius")
def sr_hypot(A):
    ev = np.linalg.eig(A)[0]
    return float(max(math.hypot(e.real, e.imag) for e in ev))


@wrong("spectral_radius", "largest_singular")
def sr_norm2(A):
    return float(np.linalg.norm(A, 2))


@wrong("spectral_radius", "largest_singular")
def sr_svd(A):
    return float(np.linalg.svd(A)[1][0])


@wrong("spectral_radius", "largest_real_part")
def sr_max_eig(A):
    return float(np.max(np.linalg.eigvals(A)).real)


@wrong("spectral_radius", "abs_of_real_part")
def sr_real_abs(A):
    return float(np.abs(np.linalg.eigvals(A).real).max())


@wrong("spectral_radius", "largest_entry")
def sr_max_entry(A):
    return float(np.abs(A).max())


# --- clip_by_global_norm ----------------------------------------------------------------------

@correct("clip_by_global_norm")
def clip_loop(grads, max_norm):
    total = 0.0
    for g in grads:
        total += np.sum(g ** 2)
    norm = np.sqrt(total)
    if norm > max_norm:
        return [g * (max_norm / norm) for g in grads], norm
    return [g.copy() for g in grads], norm


@correct("clip_by_global_norm")
def clip_concat(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    scale = min(1.0, max_norm / (norm + 1e-300))
    return [scale * g for g in grads], float(norm)


@wrong("clip_by_global_norm", "each_separately")
def clip_each(grads, max_norm):
    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * max_norm / n if n > max_norm else g)
    norm = np.sqrt(sum(np.sum(g * g) for g in grads))
    return out, norm


@wrong("clip_by_global_norm", "always_scale")
def clip_always(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [g * max_norm / norm for g in grads], norm


@wrong("clip_by_global_norm", "no_sqrt")
def clip_squared(grads, max_norm):
    norm = sum(np.sum(g ** 2) for g in grads)
    if norm > max_norm:
        grads = [g * max_norm / norm for g in grads]
    return grads, norm


@wrong("clip_by_global_norm", "by_value")
def clip_values(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    return [np.clip(g, -max_norm, max_norm) for g in grads], norm


@wrong("clip_by_global_norm", "sum_of_norms")
def clip_sum_norms(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads)
    factor = min(1, max_norm / norm)
    return [g * factor for g in grads], norm


@wrong("clip_by_global_norm", "norm_after")
def clip_report_new_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if norm > max_norm:
        grads = [g * max_norm / norm for g in grads]
        norm = max_norm
    return grads, norm


# --- residual_forward -------------------------------------------------------------------------

@correct("residual_forward")
def res_fwd(X, W, b):
    return X + np.maximum(0, X @ W + b)


@correct("residual_forward")
def res_fwd_where(X, W, b):
    Z = np.dot(X, W) + b
    return np.where(Z > 0, Z, 0.0) + X


@wrong("residual_forward", "no_skip")
def res_fwd_plain(X, W, b):
    return np.maximum(0, X @ W + b)


@wrong("residual_forward", "relu_after_sum")
def res_fwd_post_act(X, W, b):
    return np.maximum(0, X + X @ W + b)


@wrong("residual_forward", "no_relu")
def res_fwd_linear(X, W, b):
    return X + (X @ W + b)


@wrong("residual_forward", "skip_from_z")
def res_fwd_z_skip(X, W, b):
    Z = X @ W + b
    return Z + np.maximum(Z, 0)


@wrong("residual_forward", "no_bias")
def res_fwd_nobias(X, W, b):
    return X + np.maximum(X @ W, 0)


# --- residual_backward ------------------------------------------------------------------------

@correct("residual_backward")
def res_bwd(dY, X, W, b):
    Z = X @ W + b
    dZ = dY * (Z > 0)
    return dY + dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


@correct("residual_backward")
def res_bwd_einsum(dY, X, W, b):
    mask = (X @ W + b > 0).astype(float)
    dZ = dY * mask
    dX = dY.copy()
    dX += np.einsum("bj,ij->bi", dZ, W)
    return dX, np.einsum("bi,bj->ij", X, dZ), np.sum(dZ, 0)


@wrong("residual_backward", "no_identity")
def res_bwd_branch_only(dY, X, W, b):
    dZ = dY * (X @ W + b > 0)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


@wrong("residual_backward", "mask_from_output")
def res_bwd_mask_y(dY, X, W, b):
    Y = X + np.maximum(0, X @ W + b)
    dZ = dY * (Y > 0)
    return dY + dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


@wrong("residual_backward", "no_mask")
def res_bwd_no_relu(dY, X, W, b):
    return dY + dY @ W.T, X.T @ dY, dY.sum(axis=0)


@wrong("residual_backward", "no_transpose")
def res_bwd_no_t(dY, X, W, b):
    dZ = dY * (X @ W + b > 0)
    return dY + dZ @ W, X.T @ dZ, dZ.sum(axis=0)


@wrong("residual_backward", "db_mean", "factor:1/batch")
def res_bwd_db_mean(dY, X, W, b):
    dZ = dY * (X @ W + b > 0)
    return dY + dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)


@wrong("residual_backward", "no_identity", "db_mean", "factor:1/batch")
def res_bwd_two_slips(dY, X, W, b):
    dZ = dY * (X @ W + b > 0)
    return dZ @ W.T, X.T @ dZ, np.mean(dZ, axis=0)


# --- checkpoint_memory ------------------------------------------------------------------------

@correct("checkpoint_memory")
def mem_loop(depth, every, batch, width, itemsize=8):
    n_seg = math.ceil(depth / every)
    peak = 0
    for j in range(n_seg):
        length = min(every, depth - j * every)
        peak = max(peak, j + length)
    return peak * batch * width * itemsize, depth - n_seg


@correct("checkpoint_memory")
def mem_closed_form(depth, every, batch, width, itemsize=8):
    n_seg = -(-depth // every)
    last = depth - (n_seg - 1) * every
    held = max(n_seg - 2 + every, n_seg - 1 + last) if n_seg > 1 else depth
    return held * batch * width * itemsize, depth - n_seg


@wrong("checkpoint_memory", "elements")
def mem_elements(depth, every, batch, width, itemsize=8):
    n_seg = math.ceil(depth / every)
    peak = max(j + min(every, depth - j * every) for j in range(n_seg))
    return peak * batch * width, depth - n_seg


@wrong("checkpoint_memory", "upper_bound")
def mem_bound(depth, every, batch, width, itemsize=8):
    n_seg = math.ceil(depth / every)
    return (n_seg + min(every, depth) - 1) * batch * width * itemsize, depth - n_seg


@wrong("checkpoint_memory", "floor_segments", "off_by_one")
def mem_floor(depth, every, batch, width, itemsize=8):
    n_seg = max(1, depth // every)
    peak = max(j + min(every, depth - j * every) for j in range(n_seg))
    return peak * batch * width * itemsize, depth - n_seg


@wrong("checkpoint_memory", "no_recompute_buffer")
def mem_only_checkpoints(depth, every, batch, width, itemsize=8):
    n_seg = math.ceil(depth / every)
    return n_seg * batch * width * itemsize, depth - n_seg


@wrong("checkpoint_memory", "recompute_all")
def mem_redo_everything(depth, every, batch, width, itemsize=8):
    n_seg = math.ceil(depth / every)
    peak = max(j + min(every, depth - j * every) for j in range(n_seg))
    return peak * batch * width * itemsize, depth
