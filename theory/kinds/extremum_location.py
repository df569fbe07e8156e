"""Kind extremum_location: the grid point where the seed-reduced curve peaks (or dips) against a predicted location, a sympy expression in the run parameters; symbolic half."""

from theory.kinds import Option, scalar_prediction

OPTIONS = {"extremum": Option("max", ("max", "min"))}  # a peak or a trough
PREDICTS = "number"  # one number per check: it locates a feature of a curve whose closed form may be infinite there (a pole)


def derive(check, grid) -> dict:
    return scalar_prediction("location", check, grid)
