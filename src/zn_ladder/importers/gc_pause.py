"""Pausing Python's cyclic garbage collector while an importer builds many small records.

Reading 200,000 fills allocates millions of strings, tuples and records, none of them in a reference
cycle; every allocation burst makes the cyclic collector scan them again, which more than doubles the
import time. Pausing it for the loop changes nothing about memory (reference counting still frees
everything) and restores the caller's setting afterwards, so it is safe in the long-running window too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
