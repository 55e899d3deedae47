"""Desk capture processes for the tests: `python -m zn_ladder monitor --db postgresql://...` with a
reader thread per process, so a test can wait for a line ("took the capture lease", "standing by")
of one process, or of whichever of several says it first, without blocking on a pipe."""

from __future__ import annotations

import subprocess
import sys
import threading
import time


class Capture:
    """One monitor process; `lines` holds (monotonic time, line) as it prints them."""

    def __init__(self, env: dict[str, str], url: str, sim_url: str, *extra: str, interval: str = "0.05") -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "monitor", "--db", url, "--base-url", sim_url,
                                      "--interval", interval, "--plan", "high", *extra], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[tuple[float, str]] = []
        self._pos = 0  # lines before this were matched already
        self.ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
        self.ended = True

    def find(self, *words: str) -> tuple[float, str] | None:
        """The next unmatched line containing any of `words`, or None (yet)."""
        for i in range(self._pos, len(self.lines)):
            at, line = self.lines[i]
            if any(w in line for w in words):
                self._pos = i + 1
                return at, line
        return None

    def wait_for(self, *words: str, timeout: float = 60.0) -> tuple[float, str]:
        """The next line containing any of `words`; AssertionError naming what it said otherwise."""
        return first_of([self], *words, timeout=timeout)[1]

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        """SIGTERM, then everything it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=60)
        self._reader.join(10)
        return self.text


def first_of(captures: list[Capture], *words: str, timeout: float = 60.0) -> tuple[Capture, tuple[float, str]]:
    """The first of `captures` to print a line with any of `words`, and that line."""
    deadline = time.monotonic() + timeout
    while True:
        for capture in captures:
            found = capture.find(*words)
            if found is not None:
                return capture, found
        if all(c.ended for c in captures) or time.monotonic() > deadline:
            said = "\n---\n".join(c.text[-3000:] for c in captures)
            raise AssertionError(f"none said {words} within {timeout} s; they said:\n{said}")
        time.sleep(0.005)
