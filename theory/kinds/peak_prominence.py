"""Kind peak_prominence: the curve's maximum over max(lowest value left of it, last value), at least the prediction (e.g. 6/5: a peak 20% above both sides); symbolic half."""

from theory.kinds import scalar_prediction

PREDICTS = "number"  # one number in the run parameters, not a curve in x


def derive(check, grid) -> dict:
    return scalar_prediction("prominence", check, grid)
