"""Symbolic side of the suite: claim declarations and their sympy predictions (DESIGN.md); never imports torch."""
