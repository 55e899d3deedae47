"""Keep Python's full garbage collections short while the window runs (issue 14 §18: stalls < 50 ms).

A full (generation 2) collection walks every container object the process holds, and nearly all of
them are the import-time objects of PySide6, pyqtgraph, numpy and our modules (about 100k functions,
descriptors, dicts and types once the window is built). Measured on the DEMO window, such a pass took
60-90 ms, on whichever thread happened to allocate, with the GIL held throughout: the longest event-loop
stall of a 2 s-latency session was that pass, not painting.

Those objects live as long as the process, so `freeze_long_lived()` moves them into the collector's
permanent generation when the session starts, and again once its workers, store and simulator are
built: later full passes walk only what was made since (snapshots and caches), a few ms; in a 20 s
DEMO run none happened at all while the window was measured. Nothing is collected at that moment (that would be the very
pass we avoid): garbage cycles alive then simply wait for `thaw()`, which the controller calls when the
session stops, so a test process that starts and stops many sessions frees them as usual.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Move every object the collector tracks now into its permanent generation. Constant time (the
    generations' lists are spliced); `gc.get_freeze_count()` would walk them all (~5 ms), so it is
    not asked here, on the GUI thread."""
    gc.freeze()


def thaw() -> None:
    """Give the frozen objects back to the collector (the session stopped: what it held may be garbage)."""
    gc.unfreeze()
