"""Builds the HTML, PDF (Typst) and CSV reports from the result files written by the experiments."""
