#!/usr/bin/python3
"""The Twisted peer of braid-bench's AsyncMemory: N inlineCallbacks coroutines, each suspended on its
own unfired Deferred (yield d), then every Deferred fired one after another (d.callback(i)), each
coroutine resuming, returning v + 1 and firing its own Deferred before callback() returns.

Prints one Markdown row like AsyncMemory's: bytes each (tracemalloc, in a separate pass so that
tracing does not slow the timed ones), start + suspend and resume in ns each (wall clock), and the
process CPU time of each (time.process_time), which is also the one thread's. Medians of ROUNDS rounds after a warm-up of N/10.

    twisted_coroutines.py [N [ROUNDS]]    (default 100000, 5)
"""
import gc
import statistics
import sys
import time
import tracemalloc

import twisted
from twisted.internet.defer import Deferred, inlineCallbacks


@inlineCallbacks
def body(d):
    v = yield d
    return v + 1


def start(n):
    awaited = [Deferred() for _ in range(n)]
    results = [body(d) for d in awaited]
    return awaited, results


def resume(awaited, results):
    for i, d in enumerate(awaited):
        d.callback(i)
    done = []
    for r in results:
        r.addCallback(done.append)
    if len(done) != len(results):
        raise AssertionError("a coroutine did not finish")


def timed_round(n):
    gc.collect()
    c0, t0 = time.process_time_ns(), time.perf_counter_ns()
    awaited = [Deferred() for _ in range(n)]
    results = [body(d) for d in awaited]
    t1, c1 = time.perf_counter_ns(), time.process_time_ns()
    gc.collect()
    c2, t2 = time.process_time_ns(), time.perf_counter_ns()
    resume(awaited, results)
    t3, c3 = time.perf_counter_ns(), time.process_time_ns()
    return (t1 - t0) / n, (c1 - c0) / n, (t3 - t2) / n, (c3 - c2) / n


def bytes_each(n):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    awaited, results = start(n)
    gc.collect()
    during = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    resume(awaited, results)
    return (during - before) / n


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    timed_round(max(1, n // 10))
    measured = [timed_round(n) for _ in range(rounds)]
    size = bytes_each(n)
    med = [statistics.median(m[i] for m in measured) for i in range(4)]
    # One thread does all the work: its CPU time is the process's.
    print(f"| Twisted {twisted.__version__} `inlineCallbacks` on Python {sys.version.split()[0]} (peer) "
          f"| {size:,.0f} | {med[0]:,.0f} | {med[1]:,.0f} | {med[1]:,.0f} | {med[2]:,.0f} | {med[3]:,.0f} | {med[3]:,.0f} |")


if __name__ == "__main__":
    main()
