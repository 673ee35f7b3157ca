"""A fake clock for tests: sleeps return at once and are recorded, so waits are asserted without waiting."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class FakeClock:
    """Time that moves only when someone sleeps."""

    def __init__(self, start: datetime = datetime(2024, 11, 8, 3, 0, tzinfo=UTC)):
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        """Return the seconds slept so far."""
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        """Record the wait and move time forward by it."""
        with self._lock:
            self.sleeps.append(seconds)
            self.elapsed += seconds

    def now(self) -> datetime:
        """Return the start time plus the seconds slept."""
        return self.start + timedelta(seconds=self.elapsed)
