"""Benchmarks: the toolkit against hand-written baselines (see bench/README.md)."""
