"""First come, first served turns on one model.

A llama.cpp model answers one question at a time: a second answer in the same context would mix
two students' prompts. The students of one page (one process) therefore take turns in a FIFO
line; a waiting student knows their place in it, and the tutor shows them the course facts while
they wait (see :meth:`tutor.answer.Tutor.stream`).

    ticket = queue.join()
    try:
        while not ticket.wait(0.25):
            show(ticket.ahead)          # students still in front (the one answering counts)
        ...generate...
    finally:
        ticket.leave()
"""

from __future__ import annotations

import threading
import time


class Ticket:
    """One place in a :class:`TurnQueue`."""

    def __init__(self, queue: "TurnQueue") -> None:
        self._queue = queue
        self.joined = time.perf_counter()
        self.started: float | None = None  # when its turn came

    @property
    def ahead(self) -> int:
        """Students in front of this one (0: it is this one's turn)."""
        return self._queue._position(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until it is this ticket's turn (True) or ``timeout`` seconds pass (False)."""
        return self._queue._wait(self, timeout)

    @property
    def waited_s(self) -> float:
        return (self.started or time.perf_counter()) - self.joined

    def leave(self) -> None:
        """Give up the place (or the turn); the next student goes on. Safe to call twice."""
        self._queue._leave(self)

    def __enter__(self) -> "Ticket":
        self.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self.leave()


class TurnQueue:
    """A FIFO line of :class:`Ticket` s; the first one holds the turn."""

    def __init__(self) -> None:
        self._line: list[Ticket] = []
        self._cond = threading.Condition()

    def join(self) -> Ticket:
        t = Ticket(self)
        with self._cond:
            self._line.append(t)
            if self._line[0] is t:
                t.started = time.perf_counter()
        return t

    def __len__(self) -> int:
        with self._cond:
            return len(self._line)

    def _position(self, t: Ticket) -> int:
        with self._cond:
            return self._line.index(t) if t in self._line else 0

    def _wait(self, t: Ticket, timeout: float | None) -> bool:
        with self._cond:
            ok = self._cond.wait_for(lambda: not self._line or self._line[0] is t or t not in self._line, timeout)
            if ok and t.started is None:
                t.started = time.perf_counter()
            return ok

    def _leave(self, t: Ticket) -> None:
        with self._cond:
            if t in self._line:
                self._line.remove(t)
                if self._line and self._line[0].started is None:
                    self._line[0].started = time.perf_counter()
                self._cond.notify_all()
