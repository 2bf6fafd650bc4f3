"""The benchmark: run_benchmark.py (see BENCHMARKS.md)."""
