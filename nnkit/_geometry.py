"""The point of a convex hull nearest the origin: the dual of a max-margin problem."""

from __future__ import annotations

import numpy as np


def _affine_minimizer(Q):
    """Weights ``mu`` (summing to 1) of the point of the affine hull of Q's rows nearest 0."""
    k = Q.shape[0]
    M = np.block([[Q @ Q.T, np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
    rhs = np.zeros(k + 1)
    rhs[-1] = 1.0
    return np.linalg.lstsq(M, rhs, rcond=None)[0][:k]


def min_norm_point(P, max_iter=1_000):
    """The point of the convex hull of P's rows nearest the origin (Wolfe's algorithm, 1976).

    Keeps a few rows ``S`` and convex weights ``lam``; each major step adds the row most
    opposed to the current point, each minor step moves to the nearest point of their affine
    hull, dropping rows whose weight would turn negative. Exact up to rounding.
    """
    sq = np.sum(P * P, axis=1)
    S, lam = [int(np.argmin(sq))], np.ones(1)
    for _ in range(max_iter):
        x = lam @ P[S]
        j = int(np.argmin(P @ x))
        if x @ x - P[j] @ x <= 1e-14 * sq.max() or j in S:
            break
        S, lam = S + [j], np.append(lam, 0.0)
        while True:
            mu = _affine_minimizer(P[S])
            if np.all(mu > 0):
                lam = mu
                break
            neg = np.flatnonzero(mu <= 0)
            ratios = lam[neg] / (lam[neg] - mu[neg])
            lam = (1 - ratios.min()) * lam + ratios.min() * mu
            keep = lam > 0
            keep[neg[np.argmin(ratios)]] = False
            S, lam = [s for s, kept in zip(S, keep) if kept], lam[keep]
    return lam @ P[S]
