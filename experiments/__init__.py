"""Experiments: seeded, device-agnostic PyTorch code that sees only spec.json, never the theory."""
