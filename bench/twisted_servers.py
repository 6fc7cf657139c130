#!/usr/bin/python3
"""The tutorial's poetry server and transform server, ported to Python 3, as benchmark peers.

    twisted_servers.py poetry FILE [--delay SECONDS] [--num-bytes N] [--port P]
    twisted_servers.py transform [--port P]

Listens on 127.0.0.1 (port 0 picks a free one), prints "port N" and runs the reactor (epoll on
Linux) until killed. Same wire behaviour as the Braid and Netty servers of braid-bench: the poetry
server writes the poem (at once, or --num-bytes every --delay seconds) and closes; the transform
server answers one netstring "cummingsify.POEM" with the lower-cased poem, then closes, and closes
without a reply on a bad request. Twisted's own defaults otherwise (TCP_NODELAY off).
"""
import argparse
import sys

from twisted.internet import reactor
from twisted.internet.protocol import Protocol, ServerFactory
from twisted.protocols.basic import NetstringReceiver


class PoetryProtocol(Protocol):
    def connectionMade(self):
        poem, delay, num_bytes = self.factory.poem, self.factory.delay, self.factory.num_bytes
        if delay == 0:
            self.transport.write(poem)
            self.transport.loseConnection()
        else:
            self.sent = 0
            self.call = None
            self.send_next()

    def send_next(self):
        self.call = None
        poem = self.factory.poem
        piece = poem[self.sent:self.sent + self.factory.num_bytes]
        self.sent += len(piece)
        self.transport.write(piece)
        if self.sent >= len(poem):
            self.transport.loseConnection()
        else:
            self.call = reactor.callLater(self.factory.delay, self.send_next)

    def connectionLost(self, reason):
        call = getattr(self, "call", None)
        if call is not None and call.active():
            call.cancel()


class PoetryFactory(ServerFactory):
    protocol = PoetryProtocol

    def __init__(self, poem, delay, num_bytes):
        self.poem, self.delay, self.num_bytes = poem, delay, num_bytes


class TransformProtocol(NetstringReceiver):
    answered = False

    def stringReceived(self, request):
        if self.answered:
            return
        self.answered = True
        if b"." not in request:
            self.transport.loseConnection()
            return
        name, poem = request.split(b".", 1)
        if name != b"cummingsify":
            self.transport.loseConnection()
            return
        self.sendString(poem.decode("utf-8").lower().encode("utf-8"))
        self.transport.loseConnection()


class TransformFactory(ServerFactory):
    protocol = TransformProtocol


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["poetry", "transform"])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--num-bytes", type=int, default=10)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.kind == "poetry":
        with open(args.file, "rb") as f:
            factory = PoetryFactory(f.read(), args.delay, args.num_bytes)
    else:
        factory = TransformFactory()
    port = reactor.listenTCP(args.port, factory, interface="127.0.0.1")
    print("port %d" % port.getHost().port, flush=True)
    reactor.run()


if __name__ == "__main__":
    sys.exit(main())
