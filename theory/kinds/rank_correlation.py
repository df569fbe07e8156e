"""Kind rank_correlation: the Spearman rank correlation between the measured curve and the predicted one over the window is at least 1 - tolerance, i.e. the measurement orders the grid points as the theory does, whatever its scale (e.g. a critic's estimate tracking the true distance); symbolic half."""

SERIES = False  # one correlation over the whole window
DENSE = False  # the predicted curve has the theory's scale, not the measurement's: only its order is drawn upon


def validate(check) -> None:
    if check.scale != "relative":
        raise ValueError(f"check {check.name!r}: rank_correlation compares orders, not values: it takes no scale")


def derive(check, grid) -> dict:
    # Perfect agreement of the two orders; the band below it is the tolerance.
    return {"name": "Spearman correlation with the prediction", "value": 1.0, "latex": "1"}
