"""bench/fit_discussion.py's solver: the regularised logistic optimum, found without forming the Hessian."""

import numpy as np

from bench.fit_discussion import Design, fit


def _problem(seed: int = 7) -> tuple[Design, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, k, n_words = 400, 5, 60
    signals = rng.random((n, k))
    dense_words = (rng.random((n, n_words)) < 0.08).astype(float)
    rows, cols = np.nonzero(dense_words)
    truth = np.concatenate([rng.normal(size=k), rng.normal(scale=2.0, size=n_words)])
    x = np.hstack([signals, dense_words])
    y = (rng.random(n) < 1 / (1 + np.exp(-(x @ truth - 1.0)))).astype(float)
    return (
        Design(signals, rows.astype(np.intp), cols.astype(np.intp), n_words),
        x,
        y,
        np.array([1.0] * k + [3.0] * n_words),
    )


def test_the_fit_is_the_regularised_optimum():
    design, x, y, reg = _problem()
    w, b = fit(design, y, reg)
    # At the optimum the gradient of the penalised log-loss is zero in every column and the bias.
    p = 1 / (1 + np.exp(-(x @ w + b)))
    assert abs((p - y).sum()) < 1e-6
    assert np.abs(x.T @ (p - y) + reg * w).max() < 1e-6


def test_the_sparse_columns_multiply_as_the_dense_matrix():
    design, x, _, _ = _problem(seed=3)
    v = np.random.default_rng(1).normal(size=design.width)
    u = np.random.default_rng(2).normal(size=len(x))
    s = np.random.default_rng(4).random(len(x))
    ones = np.hstack([np.ones((len(x), 1)), x])
    assert np.allclose(design.times(v), ones @ v)
    assert np.allclose(design.transposed_times(u), ones.T @ u)
    assert np.allclose(design.weighted_squares(s), (ones**2).T @ s)


def test_sparse_entries_with_values_multiply_as_the_dense_matrix():
    # Pairs of signals are sparse columns whose entries are products, not 1s.
    rng = np.random.default_rng(5)
    n, k, n_sparse = 300, 4, 40
    signals = rng.random((n, k))
    dense = np.where(rng.random((n, n_sparse)) < 0.1, rng.random((n, n_sparse)) * 3, 0.0)
    rows, cols = np.nonzero(dense)
    design = Design(signals, rows.astype(np.intp), cols.astype(np.intp), n_sparse, dense[rows, cols])
    ones = np.hstack([np.ones((n, 1)), signals, dense])
    v, u, s = rng.normal(size=design.width), rng.normal(size=n), rng.random(n)
    assert np.allclose(design.times(v), ones @ v)
    assert np.allclose(design.transposed_times(u), ones.T @ u)
    assert np.allclose(design.weighted_squares(s), (ones**2).T @ s)


def test_a_harder_penalty_holds_the_word_weights_down():
    design, _, y, reg = _problem()
    loose, _ = fit(design, y, reg)
    tight, _ = fit(design, y, np.where(reg > 1.0, 30.0, reg))
    assert np.abs(tight[5:]).sum() < 0.5 * np.abs(loose[5:]).sum()


def test_a_fit_that_starts_at_its_optimum_stays_there():
    # Labels of one half with signals that cancel: the gradient at zero is zero already.
    design = Design(np.array([[1.0], [-1.0]]), np.zeros(0, np.intp), np.zeros(0, np.intp), 0)
    w, b = fit(design, np.array([0.5, 0.5]))
    assert w.tolist() == [0.0] and b == 0.0
