"""Benchmarks (not tests): run with `make bench`; figures go to bench/results.json."""
