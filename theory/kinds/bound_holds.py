"""Kind bound_holds: the measured curve stays on one side of the predicted bound at every point of the window (a one-sided inequality, CI-aware); symbolic half."""

from theory.kinds import Option

OPTIONS = {"bound": Option("upper", ("upper", "lower"))}  # measured <= prediction ("upper") or >= ("lower")


def derive(check, grid) -> dict:
    return {}  # the bound itself, point by point, is the grid's prediction
