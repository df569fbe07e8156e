"""Growth rate of backpropagated gradients in a linear RNN, (1/l) log ||(W^l)^T u||, against log rho(W) and the top singular value, batched over seeds and gains (Dobriban 2019, Stat 991 notes; Gelfand's formula, Ginibre circular law)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.checkpoint import Checkpoint, Pieces
from experiments.lib.common import Progress, generator, ols_slope

# Matrices per piece of the spectra (eigenvalues and top singular value, most of the run's time): a SIGTERM stops the
# run after the piece in progress, the pieces done kept in the checkpoint.
SPECTRA_PER_PIECE = 16


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    n: int,
    g: list[float],
    fit_from: int,
    fit_to: int,
    n_seeds: int,
    n_spectra: int | None = None,
    dtype: str = "float64",
    checkpoint: str | None = None,
) -> dict[str, np.ndarray]:
    """Per (seed, gain), with an independent W_ij ~ N(0, g^2/n) each: the OLS slope of log ||(W^l)^T u|| on l in [fit_from, fit_to]
    for a random unit u (power iteration through vector-matrix products, renormalised every step), log rho(W) from the
    eigenvalues and the top singular value lambda1(W).  The eigenvalues (about 0.3 s a matrix at n = 512, ten times the
    SVD) are computed for the first ``n_spectra`` seeds only (default all): log_rho and rate_minus_log_rho then have
    n_spectra rows, the other metrics n_seeds.  With ``checkpoint`` the spectra done are kept there, and a rerun
    of the same parameters computes only the rest (the matrices are drawn again from the seed, bit for bit)."""
    device = torch.device(device)
    tdtype = getattr(torch, dtype)
    gains = torch.as_tensor(g, dtype=tdtype, device=device)
    if fit_from < 1 or fit_to <= fit_from:
        raise ValueError(f"need 1 <= fit_from < fit_to, got {fit_from}, {fit_to}")
    S, G = n_seeds, len(g)
    E = S if n_spectra is None else n_spectra
    if not 1 <= E <= S:
        raise ValueError(f"need 1 <= n_spectra <= n_seeds, got n_spectra = {n_spectra}, n_seeds = {n_seeds}")
    gen = generator(seed, device)
    w = torch.randn(S, G, n, n, generator=gen, dtype=tdtype, device=device)
    w.mul_(gains.view(1, G, 1, 1) / math.sqrt(n))  # in place: a second 671 MB tensor at smoke cost 4-5 s to allocate
    u = torch.randn(S, G, n, generator=gen, dtype=tdtype, device=device)
    u = u / u.norm(dim=-1, keepdim=True)
    log_norm = torch.zeros(S, G, dtype=tdtype, device=device)
    ells, logs = [], []
    progress = Progress(fit_to, f"rnn_linear[n={n}]")
    for ell in range(1, fit_to + 1):
        u = torch.einsum("sgi,sgij->sgj", u, w)  # u^T W: the gradient one step further back
        size = u.norm(dim=-1)
        log_norm += size.log()
        u = u / size[..., None]
        if ell >= fit_from:
            ells.append(ell)
            logs.append(log_norm.clone())
        progress.update(1)
    progress.close()
    rate = ols_slope(ells, torch.stack(logs, -1))  # over the window of lags, per (seed, gain)
    flat = w.reshape(S * G, n, n)
    pieces = Pieces(Checkpoint(checkpoint, {"seed": seed, "n": n, "g": list(g), "n_seeds": n_seeds, "n_spectra": E,
                                            "dtype": dtype, "device": str(device)}), device=device)
    starts = range(0, S * G, SPECTRA_PER_PIECE)
    progress = Progress(len(starts), f"rnn_linear spectra[{S * G} matrices]")
    parts = []
    for start in starts:
        block = flat[start:start + SPECTRA_PER_PIECE]
        # LAPACK factors each matrix of a batch on its own: a block gives bit for bit what the whole batch gives.  The
        # matrices are seed-major, so the first E * G are those of the first E seeds.
        eig = block[:max(0, E * G - start)]
        # The top singular value as the root of the top eigenvalue of W^T W: 0.039 s a matrix at n = 512 against
        # 0.055 s for matrix_norm's SVD, equal to 2e-13 (the largest eigenvalue is well separated from 0).
        parts.append(pieces(start, lambda: (torch.linalg.eigvals(eig).abs().max(-1).values.log(),
                                            torch.linalg.eigvalsh(block.mT @ block)[:, -1].sqrt())))
        progress.update(1)
    progress.close()
    pieces.finish()
    log_rho = torch.cat([p[0] for p in parts]).view(E, G)
    top = torch.cat([p[1] for p in parts]).view(S, G)
    return {
        "g": np.asarray(g, dtype=float),
        "rate": rate.cpu().numpy(),
        "log_rho": log_rho.cpu().numpy(),
        "rate_minus_log_rho": (rate[:E] - log_rho).cpu().numpy(),
        "top_singular_value": top.cpu().numpy(),
    }
