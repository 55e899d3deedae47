"""zn_ladder: a read-only scenario ladder for Treasury futures traded through TT.

Nothing is imported here on purpose: `zn-ladder --help` must start fast and tests must import cleanly.
"""

__version__ = "0.1.0"
