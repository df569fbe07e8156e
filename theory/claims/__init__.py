"""One module per checkable claim; the file name is the claim id (see theory/registry.py)."""
