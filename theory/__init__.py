"""Symbolic side of the suite: claim declarations and their sympy predictions; never imports torch."""
