"""Kind monotone: every ratio y(x_{i+1})/y(x_i) of consecutive window points of the seed-reduced curve is at most the prediction (bound "upper"; 1 means non-increasing) or at least it (bound "lower"); symbolic half."""

from theory.kinds import Option, scalar_prediction

OPTIONS = {"bound": Option("upper", ("upper", "lower"))}
PREDICTS = "number"  # for phenomenological claims with an ordering but no curve


def derive(check, grid) -> dict:
    return scalar_prediction("step ratio", check, grid)
