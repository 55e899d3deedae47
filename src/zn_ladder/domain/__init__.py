"""The trading core: pure Python, no Qt, no I/O, deterministic.

Everything a trader reads on screen is computed here, so it can be unit- and property-tested in
microseconds. Nothing in this package imports from any other package of the project (checked by
import-linter in the test command).
"""
