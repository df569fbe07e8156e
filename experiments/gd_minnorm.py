"""Gradient descent on (1/2)||X theta - y||^2 from theta_0 and the ridge path as lam -> 0+, against X^+ y + (I - X^+ X) theta_0 (Scaman 2023, Mathematics of Deep Learning slides; Dobriban 2019, Stat 991 notes)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import Progress, generator
from experiments.lib.linear_solvers import minnorm_solve, ridge_solve


def run(*, seed: int, device: torch.device | str = "cpu", n: int, p: int, theta0_scale: list[float], steps: int,
        lam: list[float], n_seeds: int) -> dict[str, np.ndarray]:
    """Per seed (one design X (n x p), y, and direction of theta_0) and start scale c (theta_0 = c u, ||u|| = ||X^+ y||):
    gd_error = ||theta_GD - theta_pred|| / ||theta_pred|| with theta_pred = X^+ y + (I - X^+ X) theta_0, after `steps`
    steps of GD with eta = 1/lambda_max(X^T X) (float64); minnorm_gap = ||theta_GD - X^+ y|| / ||X^+ y||, what the notes'
    'independently of initial conditions' would make 0.  Per lam: ridge_gap = ||b_ridge(lam) - X^+ y|| / ||X^+ y||."""
    device = torch.device(device)
    dt = torch.float64
    gen = generator(seed, device)
    S, C = n_seeds, len(theta0_scale)
    x = torch.randn(S, n, p, generator=gen, dtype=dt, device=device)
    y = torch.randn(S, n, generator=gen, dtype=dt, device=device)
    pinv_y = minnorm_solve(x, y)
    size = pinv_y.norm(dim=1, keepdim=True)
    u = torch.randn(S, p, generator=gen, dtype=dt, device=device)
    u = u / u.norm(dim=1, keepdim=True) * size
    scales = torch.as_tensor(theta0_scale, dtype=dt, device=device)
    theta0 = scales.view(1, C, 1) * u[:, None, :]  # (S, C, p)
    projector_theta0 = minnorm_solve(x.repeat_interleave(C, 0), torch.einsum("snp,scp->scn", x, theta0).reshape(S * C, n))
    predicted = pinv_y[:, None, :] + theta0 - projector_theta0.view(S, C, p)  # X^+ y + (I - X^+ X) theta_0
    eta = 1 / torch.linalg.matrix_norm(x, ord=2) ** 2  # 1/lambda_max(X^T X), per seed
    theta = theta0.clone()
    progress = Progress(steps, f"gd_minnorm[n={n}, p={p}]")
    for _ in range(steps):  # all seeds and starts in one batched product per step
        residual = torch.einsum("snp,scp->scn", x, theta) - y[:, None, :]
        theta = theta - eta.view(S, 1, 1) * torch.einsum("snp,scn->scp", x, residual)
        progress.update(1)
    progress.close()
    gd_error = (theta - predicted).norm(dim=2) / predicted.norm(dim=2)
    minnorm_gap = (theta - pinv_y[:, None, :]).norm(dim=2) / size
    ridge_gap = torch.stack([(ridge_solve(x, y, torch.full((S,), float(v), dtype=dt, device=device)) - pinv_y).norm(dim=1)
                             / size[:, 0] for v in lam], 1)
    return {"theta0_scale": np.asarray(theta0_scale, dtype=float), "gd_error": gd_error.cpu().numpy(),
            "minnorm_gap": minnorm_gap.cpu().numpy(), "lam": np.asarray(lam, dtype=float), "ridge_gap": ridge_gap.cpu().numpy()}
