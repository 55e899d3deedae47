"""The Qt binding itself must not corrupt the interpreter: PySide6 6.12.0 dropped a reference to True on
every `Signal.emit()` and the app aborted after a few thousand emits (pyproject excludes that version)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    value = Signal(object)


def test_signal_emit_keeps_reference_counts_of_true_and_false():
    emitter = _Emitter()
    seen = []
    emitter.value.connect(seen.append)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for i in range(500):
        emitter.plain.emit()
        emitter.value.emit(i)
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert len(seen) == 500
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50, (before, after)
