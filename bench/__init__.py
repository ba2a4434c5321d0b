"""Benchmark of the helpdesk addons: see run.py."""
