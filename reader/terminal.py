"""Terminal output for the command line: a progress bar that redraws in place, and emphasis for hit words."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from reader.library.importer import Progress


class ProgressBar:
    """``importing [########------]  1,234/10,000  45.2/s  3:12 left`` on stderr, redrawn at most 10x/s.

    Draws nothing when stderr is not a terminal (a log file does not want a hundred redraws).
    """

    def __init__(self, stream: TextIO | None = None, width: int = 28) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and progress.done < progress.total):
            return
        self._last = now
        self.stream.write("\r" + render(progress, self.width) + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        """Leave the last state on screen and move to a fresh line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def render(progress: Progress, width: int = 28) -> str:
    """One line describing ``progress`` (without the redraw control characters)."""
    total = max(progress.total, 1)
    filled = int(width * min(progress.done, total) / total)
    bar = "#" * filled + "-" * (width - filled)
    line = f"{progress.phase} [{bar}] {progress.done:,}/{progress.total:,}"
    if progress.rate:
        line += f"  {progress.rate:.1f}/s"
    if progress.eta is not None and progress.done < progress.total:
        line += f"  {duration(progress.eta)} left"
    if progress.failed:
        line += f"  {progress.failed:,} failed"
    return line


def duration(seconds: float) -> str:
    """``0:42``, ``3:12``, ``1:05:09``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def emphasise(text: str, marks: list[tuple[int, int]], ansi: bool) -> str:
    """``text`` with the ``marks`` spans in bold (ANSI) for a terminal, or as **word** otherwise."""
    opening, closing = ("\x1b[1m", "\x1b[0m") if ansi else ("**", "**")
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue
        out += [text[at:start], opening, text[start:end], closing]
        at = end
    out.append(text[at:])
    return "".join(out)


# Characters that would split a line or drive the terminal: C0 and C1 controls (ESC starts an escape
# sequence), DEL, Unicode line and paragraph separators, and the bidirectional overrides that reorder text.
_UNSAFE = {*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def shown(text: object) -> str:
    """Text from outside (a file name, a title) safe to print on one line: unsafe characters as escapes
    (``\\n``, ``\\x1b``, ``\\u202e``) and the bytes of a name that is not UTF-8 as ``\\xe9``."""
    text = str(text)
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code in _UNSAFE:
            out.append(ch.encode("unicode_escape").decode("ascii"))
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
