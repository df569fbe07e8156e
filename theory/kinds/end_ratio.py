"""Kind end_ratio: y(first window point)/y(last window point) against the prediction as a bound, e.g. ">= 3" for a time that shrinks at least threefold across the sweep; symbolic half."""

from theory.kinds import Option, scalar_prediction

OPTIONS = {"bound": Option("upper", ("upper", "lower"))}
PREDICTS = "number"  # one number in the run parameters, not a curve in x


def derive(check, grid) -> dict:
    return scalar_prediction("end ratio", check, grid)
