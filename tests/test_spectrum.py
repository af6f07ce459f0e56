"""Eigenvalues and singular values of recurrent matrices against closed forms."""

from __future__ import annotations

import numpy as np

from core.analysis.spectrum import (
    recurrent_blocks,
    recurrent_spectra,
    spectra_for_run,
    spectra_over_snapshots,
    spectrum,
)
from core.cells.init import orthogonal
from core.cells.theory import matrix_power_overlay as rnn_overlay
from core.train.results import History, ModelResult, Snapshot
from tests.fake_runs import tiny_run


def test_scaled_orthogonal_matrix_has_all_moduli_and_singular_values_a():
    a = 0.9
    s = spectrum(a * orthogonal(np.random.default_rng(0), 12, dtype="float64"))
    np.testing.assert_allclose(np.abs(s.eigenvalues), a, rtol=1e-12)
    np.testing.assert_allclose(s.singular_values, a, rtol=1e-12)
    assert abs(s.rho - a) < 1e-12 and abs(s.sigma_max - a) < 1e-12


def test_non_normal_matrix_separates_rho_from_sigma_max():
    """Triangular M: eigenvalues are the diagonal; for 2 x 2, s1^2 + s2^2 = ||M||_F^2 and
    s1 s2 = |det M|, so s1 has a closed form."""
    M = np.array([[0.5, 10.0], [0.0, 0.25]])
    s = spectrum(M)
    np.testing.assert_allclose(sorted(s.eigenvalues.real), [0.25, 0.5])
    f2, det = (M**2).sum(), 0.125
    s1 = np.sqrt((f2 + np.sqrt(f2**2 - 4 * det**2)) / 2)
    assert s.rho == 0.5 and abs(s.sigma_max - s1) < 1e-12
    assert abs(s.singular_values[1] - det / s1) < 1e-12
    assert np.all(np.diff(np.abs(s.eigenvalues)) <= 0)


def test_rotation_has_complex_eigenvalues_on_a_circle():
    th, a = 0.3, 1.2
    R = a * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    s = spectrum(R)
    np.testing.assert_allclose(sorted(s.eigenvalues.imag), [-a * np.sin(th), a * np.sin(th)])
    np.testing.assert_allclose(s.eigenvalues.real, a * np.cos(th))


def test_blocks_are_the_documented_slices():
    H = 3
    A, B, C = (np.full((H, H), float(i)) for i in (1, 2, 3))
    gru = recurrent_blocks("gru", {"U_g": np.hstack([A, B]), "U_c": C})
    assert [float(m[0, 0]) for m in gru.values()] == [1.0, 2.0, 3.0]
    assert list(gru) == ["U_u", "U_r", "U_c"]
    ra = recurrent_blocks("gru_reset_after", {"U": np.hstack([A, B, C])})
    assert list(ra) == ["U_u", "U_r", "U_n"] and float(ra["U_n"][0, 0]) == 3.0
    assert list(recurrent_spectra("rnn", {"U": A})) == ["U"]


def test_rnn_overlay_is_k_log10_of_sigma_and_rho():
    M = np.array([[0.5, 10.0], [0.0, 0.25]])
    ov = rnn_overlay(M, 6)
    np.testing.assert_allclose(ov.curves["rho"], np.arange(6) * np.log10(0.5))
    np.testing.assert_allclose(
        ov.curves["sigma_max"], np.arange(6) * np.log10(spectrum(M).sigma_max)
    )


def test_spectra_over_snapshots_follow_the_snapshot_steps():
    hist = History(*(np.zeros(1) for _ in range(7)))
    snaps = [Snapshot(step=s, params={"U": (1 + s) * np.eye(2)}) for s in (0, 5)]
    out = spectra_over_snapshots("rnn", ModelResult("rnn", hist, snaps[-1].params, snaps))
    assert [step for step, _ in out] == [0, 5]
    assert [sp["U"].rho for _, sp in out] == [1.0, 6.0]


def test_spectra_for_run_cover_every_model_and_block():
    run = tiny_run(models=("rnn", "gru_reset_after"))
    out = spectra_for_run(run, checkpoint=0)
    assert list(out["rnn"]) == ["U"] and list(out["gru_reset_after"]) == ["U_u", "U_r", "U_n"]
    U = run.models["rnn"].snapshots[0].params["U"].astype(np.float64)
    np.testing.assert_allclose(
        out["rnn"]["U"].singular_values, np.linalg.svd(U, compute_uv=False), rtol=1e-12
    )
