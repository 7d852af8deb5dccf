"""Benchmarks (not tests): speed shown as medians and ratios. `python -m workshop bench`."""
