"""Helpers shared by the experiments and the runner, never experiments themselves: the runner loads only the modules directly under experiments/."""
