"""Synthetic data at any scale, for the benchmark (see BENCHMARKS.md)."""
