"""Imported only by the forkserver (``sandbox._PRELOAD``): the program's main script, once, so that the parser
workers it forks do not each import it again.

A worker started by multiprocessing imports the parent's main script before it runs anything (objects defined
there could be among its arguments); ours never need it (``run_isolated`` takes importable functions), and the
``litreader`` script imports the whole CLI and library, the benchmark script the parser and the citation
engine: 0.15-0.4 s of CPU on every parse. Python's own remedy, preloading ``"__main__"``, never reaches the
forkserver on Python 3.11 (the script's path is passed under a key the preparation data does not have), so the
parent names itself and the script in ``LITREADER_MAIN_SCRIPT`` and this module imports it, exactly as a worker would
(``multiprocessing.spawn.import_main_path``). A worker then finds it in place and skips it.
"""
from __future__ import annotations

import os
from multiprocessing import spawn

from reader.ingest.sandbox import MAIN_SCRIPT

# "pid path": only the forkserver that process started acts on it (a program it runs inherits the variable)
pid, _, script = os.environ.get(MAIN_SCRIPT, "").partition(" ")
if script and pid == str(os.getppid()):
    try:
        spawn.import_main_path(script)
    except BaseException:  # noqa: BLE001 - a script that fails here: each worker imports it itself, as before
        pass
