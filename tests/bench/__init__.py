"""Benchmarks: ``make bench``. Each prints its figures and ratios against a
baseline measured in the same run on the same machine; nothing is asserted."""
