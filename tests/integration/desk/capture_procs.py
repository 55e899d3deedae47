"""Desk capture processes for the tests: `python -m zn_ladder monitor --db postgresql://...` with a
reader thread per process, so a test can wait for a line ("took the capture lease", "standing by")
without blocking on a pipe."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time


class Capture:
    """One monitor process; `lines` receives (monotonic time, line) as it prints them."""

    def __init__(self, env: dict[str, str], url: str, sim_url: str, *extra: str, interval: str = "0.05") -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "monitor", "--db", url, "--base-url", sim_url,
                                      "--interval", interval, "--plan", "high", *extra], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))
        self.lines.put((time.monotonic(), ""))  # end of output

    def wait_for(self, *words: str, timeout: float = 60.0) -> tuple[float, str]:
        """The first line (from now on) containing any of `words`; AssertionError naming what it said."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {words} within {timeout} s; it said: {self.seen[-20:]}") from None
            self.seen.append(line)
            if any(w in line for w in words):
                return at, line
            if line == "" and self.proc.poll() is not None:
                raise AssertionError(f"exited {self.proc.returncode} before {words}; it said: {self.seen[-30:]}")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        """SIGTERM, then everything it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=60)
        self._reader.join(10)
        while not self.lines.empty():
            self.seen.append(self.lines.get()[1])
        return "\n".join(self.seen)
