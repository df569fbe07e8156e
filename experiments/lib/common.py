"""Device choice, seeding and progress reporting shared by every experiment."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager

import torch

log = logging.getLogger("experiments")


def pick_device(request: str = "auto") -> torch.device:
    """'auto' means cuda when one is visible, else cpu; an explicit 'cuda' without one is an error."""
    if request == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if request == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' requested but torch.cuda.is_available() is False; use device=auto or cpu")
    if request not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {request!r}; valid: auto, cpu, cuda")
    return torch.device(request)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    return f"cpu ({model})" if model else "cpu"


def generator(seed: int, device: torch.device) -> torch.Generator:
    """An explicit generator (and the global seed, for module initialisers) from the run seed."""
    torch.manual_seed(seed)
    g = torch.Generator(device=device)
    g.manual_seed(seed)
    return g


def normal(shape, gen: torch.Generator, dtype: torch.dtype, device) -> torch.Tensor:
    """Standard normals of the given dtype, drawn in float32 and widened: torch vectorises its float32 normals only (7
    against 30 ns a draw on one CPU thread).  A normal rounded to 24 bits differs from one of 53 by a relative 6e-8,
    far below any Monte-Carlo error of the suite; what is computed from the draws stays in ``dtype``."""
    return torch.randn(shape, generator=gen, dtype=torch.float32, device=device).to(dtype)


class Progress:
    """tqdm on a terminal; otherwise a log line every tenth of the work (Snakemake logs)."""

    def __init__(self, total: int, desc: str):
        self.total, self.desc, self.done, self.next_mark = max(int(total), 1), desc, 0, 0.1
        self.start = time.perf_counter()
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, desc=desc, leave=False)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.done / self.total >= self.next_mark:
            log.info("%s: %d%% (%.1f s)", self.desc, int(100 * self.done / self.total), time.perf_counter() - self.start)
            self.next_mark += 0.1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def flush_subnormals():
    """Flush subnormal floats to zero inside the block.  A state decaying to 0 crosses the subnormal range, where CPU
    arithmetic is about ten times slower; use only where values that small are 0 for the result."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def ols_slope(x, y: torch.Tensor) -> torch.Tensor:
    """Least-squares slope of y against x along y's last axis (x a 1-d sequence), batched over the leading axes."""
    xc = torch.as_tensor(x, dtype=y.dtype, device=y.device)
    xc = xc - xc.mean()
    return ((y - y.mean(-1, keepdim=True)) * xc).sum(-1) / (xc * xc).sum()
