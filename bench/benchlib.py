"""Shared helpers of the benchmarks: peak memory of a process tree, timing."""
import os, subprocess, threading, time


def tree_rss(root_pid):
    """Total resident memory (bytes) of root_pid and its descendants."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(d))
        except OSError:
            pass
    total, todo = 0, [root_pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/statm" % p) as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            pass
        todo.extend(kids.get(p, []))
    return total


def run_measured(cmd, **kw):
    """Run cmd; return (exit code, wall seconds, peak resident bytes of its tree)."""
    p = subprocess.Popen(cmd, **kw)
    peak = [0]

    def sample():
        while p.poll() is None:
            peak[0] = max(peak[0], tree_rss(p.pid))
            time.sleep(0.02)

    t = threading.Thread(target=sample)
    t0 = time.time()
    t.start()
    p.wait()
    el = time.time() - t0
    t.join()
    return p.returncode, el, peak[0]


def best_of(n, fn):
    """Smallest wall time of n runs of fn()."""
    best = None
    for _ in range(n):
        t0 = time.time()
        fn()
        el = time.time() - t0
        best = el if best is None else min(best, el)
    return best
