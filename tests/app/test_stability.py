"""The window never dies: many find steps and highlight repaints in one process (issue 12, item 1).

PySide6 6.12 on Python 3.11 drops a reference to None on each void Qt call and to a bool on each signal emit
(see reader.app.refcount_guard); a few thousand calls killed the process with "Fatal Python error:
none_dealloc" (or bool_dealloc). The run happens in a child process,
so a crash fails this test instead of killing the test session.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ALAM = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    from reader.app.document_view import DocumentView
    from reader.highlights import Highlight
    from reader.ingest import load_paper

    app = QApplication([])
    view = DocumentView()
    view.resize(900, 700)
    view.show()
    paper = load_paper(sys.argv[1])
    view.show_paper(paper)
    total = view.find("the")
    assert total > 100, total
    for _ in range(200):  # Enter in the find bar, 300 times: each repaints every match
        view.step_found(1)
    for i in range(200):  # highlights repainted, as after each add, edit or undo
        hs = [Highlight.new(paper.id, paper.text, s, s + 20, color="yellow") for s in range(0, 40 * (i % 10), 40)]
        view.set_highlights(hs)
        app.processEvents()
    view.clear_found()
    for i in range(6000):  # signals: each emit returns a bool PySide6 6.12 does not hold a reference to
        view.text_scale_changed.emit(1.0)
    print("alive", total)
""")


def test_many_find_steps_and_repaints_do_not_kill_the_process() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ALAM)], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("alive")


def test_none_and_the_bools_keep_their_references_in_this_process() -> None:
    import reader.app  # noqa: F401 - installs the guard
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        changed = Signal(bool)

    probe = Probe()
    probe.changed.connect(lambda on: None)
    for i in range(20000):  # more calls than None, True and False had references on Python 3.11
        probe.setObjectName("x")
        probe.changed.emit(i % 2 == 0)
    assert min(sys.getrefcount(o) for o in (None, True, False)) > 1000
