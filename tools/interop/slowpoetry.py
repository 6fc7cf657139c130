#!/usr/bin/python3
"""The tutorial's poetry server (fastpoetry.py / slowpoetry.py) in Python 3 Twisted.

Each client receives FILE's bytes, then the server closes the connection; with --delay, NUM_BYTES
every DELAY seconds. Prints 'Serving FILE on HOST:PORT.' once listening. With --tls-cert and
--tls-key (PEM; not in the original), it listens with TLS only (Twisted's listenSSL).

    /usr/bin/python3 slowpoetry.py [--port P] [--iface HOST] [--delay S] [--num-bytes N]
                                   [--tls-cert CERT --tls-key KEY] FILE
"""
import argparse
import sys

from twisted.internet import reactor
from twisted.internet.protocol import Protocol, ServerFactory


class PoetryProtocol(Protocol):
    def connectionMade(self):
        self.sent = 0
        self.call = None
        if self.factory.delay <= 0:
            self.transport.write(self.factory.poem)
            self.transport.loseConnection()
        else:
            self.send_next()

    def send_next(self):
        self.call = None
        piece = self.factory.poem[self.sent:self.sent + self.factory.num_bytes]
        self.sent += len(piece)
        self.transport.write(piece)
        if self.sent >= len(self.factory.poem):
            self.transport.loseConnection()
        else:
            self.call = reactor.callLater(self.factory.delay, self.send_next)

    def connectionLost(self, reason):
        if self.call is not None and self.call.active():
            self.call.cancel()


class PoetryFactory(ServerFactory):
    protocol = PoetryProtocol

    def __init__(self, poem, delay, num_bytes):
        self.poem, self.delay, self.num_bytes = poem, delay, num_bytes


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--iface', default='127.0.0.1')
    p.add_argument('--delay', type=float, default=0.0)
    p.add_argument('--num-bytes', type=int, default=10)
    p.add_argument('--tls-cert')
    p.add_argument('--tls-key')
    p.add_argument('file')
    a = p.parse_args()
    with open(a.file, 'rb') as f:
        poem = f.read()
    factory = PoetryFactory(poem, a.delay, a.num_bytes)
    if a.tls_cert:
        from twisted.internet import ssl
        with open(a.tls_cert) as c, open(a.tls_key) as k:
            options = ssl.PrivateCertificate.loadPEM(c.read() + k.read()).options()
        port = reactor.listenSSL(a.port, factory, options, interface=a.iface)
    else:
        port = reactor.listenTCP(a.port, factory, interface=a.iface)
    print('Serving %s on %s:%d.' % (a.file, port.getHost().host, port.getHost().port), flush=True)
    reactor.run()


if __name__ == '__main__':
    main()
