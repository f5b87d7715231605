"""CPU priority: the lanes that do not pace the build (outputs.py) yield the cores to the one that does.

On two cores the booklet's passes, the chair sheets' and the door signs' passes, the sheets'
checks and then the booklet's contend for the CPU; the booklet's chain is the one the build waits
for, so the others take what it leaves. Linux keeps a niceness per thread, and a process inherits
the niceness of the thread that starts it, so a lane lowers its own thread. But TeX and the
checker processes start in a session of their own (stopping a lane stops all they started), and
a kernel that groups processes by session (autogroup, on in Debian's kernels) shares the CPU
between groups first: a niceness counts only inside its group. Such a process's group is given its
starter's niceness too (`/proc/PID/autogroup`). Elsewhere than Linux, or when refused: nothing.
"""

from __future__ import annotations

import os
import sys
import threading

YIELDING = 10  # niceness added to a lane that does not pace the build
_LINUX = sys.platform.startswith("linux")


def yield_cpu(pid: int | None = None) -> None:
    """Lower the priority of the calling thread (and so of every process it starts from now on), or
    of process PID, started earlier in a session of its own, and of its session's group."""
    if not _LINUX:
        return
    who = pid if pid is not None else threading.get_native_id()
    try:
        nice = min(19, os.getpriority(os.PRIO_PROCESS, who) + YIELDING)
        os.setpriority(os.PRIO_PROCESS, who, nice)
    except OSError:
        return
    if pid is not None:
        _group_nice(pid, nice)


def share_priority(pid: int) -> None:
    """PID was just started by the calling thread in a session of its own: its group gets the
    thread's niceness, when the thread yields."""
    if not _LINUX:
        return
    try:
        nice = os.getpriority(os.PRIO_PROCESS, 0)  # 0: the calling thread, on Linux
    except OSError:
        return
    if nice > 0:
        _group_nice(pid, nice)


def _group_nice(pid: int, nice: int) -> None:
    try:
        with open(f"/proc/{pid}/autogroup", "w") as group:
            group.write(str(nice))
    except OSError:  # no autogroup in this kernel, the process gone, or not allowed
        pass
