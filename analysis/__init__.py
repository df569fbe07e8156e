"""Analysis: seed aggregation, bootstrap CIs, comparators, verdicts and figures, from result files only."""
