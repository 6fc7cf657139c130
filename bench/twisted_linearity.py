#!/usr/bin/python3
"""The peer of braid-bench's FramerLinearity: the same four cases on Twisted's LineReceiver and
NetstringReceiver (Python 3, the installed Twisted), each the best of 5 rounds after a warm-up.

    twisted_linearity.py [N]    (default 32768 bytes; Twisted's quadratic cases make large N slow)
"""
import sys
import time

from twisted.protocols.basic import LineReceiver, NetstringReceiver


class NullTransport:
    disconnecting = False

    def write(self, data):
        pass

    def loseConnection(self):
        raise AssertionError("the receiver rejected the input")


class Lines(LineReceiver):
    def __init__(self, max_length):
        self.MAX_LENGTH = max_length
        self.lines = 0

    def lineReceived(self, line):
        self.lines += 1


class Netstrings(NetstringReceiver):
    def __init__(self, max_length):
        self.MAX_LENGTH = max_length
        self.strings = 0

    def stringReceived(self, string):
        self.strings += 1


def connected(receiver):
    receiver.makeConnection(NullTransport())
    return receiver


def line_one_byte(n):
    r = connected(Lines(n))
    start = time.perf_counter()
    for _ in range(n):
        r.dataReceived(b"a")
    r.dataReceived(b"\r\n")
    elapsed = time.perf_counter() - start
    assert r.lines == 1
    return elapsed


def tiny_lines(n):
    data = b"ab\r\n" * (n // 4)
    r = connected(Lines(16384))
    start = time.perf_counter()
    r.dataReceived(data)
    elapsed = time.perf_counter() - start
    assert r.lines == n // 4
    return elapsed


def netstring_one_byte(n):
    r = connected(Netstrings(n))
    start = time.perf_counter()
    for b in b"%d:" % n:
        r.dataReceived(bytes((b,)))
    for _ in range(n):
        r.dataReceived(b"a")
    r.dataReceived(b",")
    elapsed = time.perf_counter() - start
    assert r.strings == 1
    return elapsed


def tiny_netstrings(n):
    data = b"2:ab," * (n // 5)
    r = connected(Netstrings(99999))
    start = time.perf_counter()
    r.dataReceived(data)
    elapsed = time.perf_counter() - start
    assert r.strings == n // 5
    return elapsed


def report(name, n, run):
    run(n)
    run(2 * n)
    one = min(run(n) for _ in range(5))
    two = min(run(2 * n) for _ in range(5))
    print("%-52s N=%d: %.2f ms   2N: %.2f ms   ratio %.2f" % (name, n, one * 1e3, two * 1e3, two / one))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 32768
    report("LineReceiver, one line, 1 byte per read", n, line_one_byte)
    report("LineReceiver, 4-byte lines, one read", n, tiny_lines)
    report("NetstringReceiver, one netstring, 1 byte per read", n, netstring_one_byte)
    report("NetstringReceiver, 5-byte netstrings, one read", n, tiny_netstrings)


if __name__ == "__main__":
    main()
