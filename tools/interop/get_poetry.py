#!/usr/bin/python3
"""The tutorial's poetry client 6.0 (twisted-client-6/get-poetry.py) in Python 3 Twisted.

Downloads every PORT's poem; with --xform-port, cummingsifies each through that transform server
(falling back to the original poem when that fails). Writes the poems' bytes to standard output in
the order they arrive, each followed by a newline, as the original prints them.

    /usr/bin/python3 get_poetry.py [--xform-port P] [--xform NAME] [HOST:]PORT ...
"""
import argparse
import sys

from twisted.internet import defer, reactor
from twisted.internet.protocol import ClientFactory, Protocol
from twisted.protocols.basic import NetstringReceiver


class PoetryProtocol(Protocol):
    poem = b''

    def dataReceived(self, data):
        self.poem += data

    def connectionLost(self, reason):
        self.poemReceived(self.poem)

    def poemReceived(self, poem):
        self.factory.poem_finished(poem)


class PoetryClientFactory(ClientFactory):
    protocol = PoetryProtocol

    def __init__(self, deferred):
        self.deferred = deferred

    def poem_finished(self, poem):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.callback(poem)

    def clientConnectionFailed(self, connector, reason):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.errback(reason)


class TransformClientProtocol(NetstringReceiver):
    def connectionMade(self):
        self.sendRequest(self.factory.xform_name, self.factory.poem)

    def sendRequest(self, xform_name, poem):
        self.sendString(xform_name.encode('utf-8') + b'.' + poem)

    def stringReceived(self, s):
        self.transport.loseConnection()
        self.poemReceived(s)

    def poemReceived(self, poem):
        self.factory.handlePoem(poem)


class TransformClientFactory(ClientFactory):
    protocol = TransformClientProtocol

    def __init__(self, xform_name, poem):
        self.xform_name = xform_name
        self.poem = poem
        self.deferred = defer.Deferred()

    def handlePoem(self, poem):
        d, self.deferred = self.deferred, None
        d.callback(poem)

    def clientConnectionLost(self, _, reason):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.errback(reason)

    clientConnectionFailed = clientConnectionLost


class TransformProxy(object):
    def __init__(self, host, port):
        self.host = host
        self.port = port

    def xform(self, xform_name, poem):
        factory = TransformClientFactory(xform_name, poem)
        reactor.connectTCP(self.host, self.port, factory)
        return factory.deferred


def get_poetry(host, port):
    d = defer.Deferred()
    reactor.connectTCP(host, port, PoetryClientFactory(d))
    return d


def address(text):
    host, _, port = text.rpartition(':')
    return (host or '127.0.0.1', int(port))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--xform-port', type=int)
    p.add_argument('--xform', default='cummingsify')
    p.add_argument('addresses', nargs='+', type=address)
    a = p.parse_args()
    proxy = TransformProxy('127.0.0.1', a.xform_port) if a.xform_port else None
    results = []

    def try_to_transform(poem):
        d = proxy.xform(a.xform, poem)

        def fail(err):
            print('Cummingsify failed!', file=sys.stderr)
            return poem

        return d.addErrback(fail)

    def got_poem(poem):
        sys.stdout.buffer.write(poem + b'\n')
        sys.stdout.flush()

    def poem_failed(err):
        print('The poem download failed: %s' % err.getErrorMessage(), file=sys.stderr)
        results.append(False)

    pending = [len(a.addresses)]

    def one_done(_):
        pending[0] -= 1
        if pending[0] == 0:
            reactor.stop()

    for host, port in a.addresses:
        d = get_poetry(host, port)
        if proxy is not None:
            d.addCallback(try_to_transform)
        d.addCallbacks(got_poem, poem_failed)
        d.addBoth(one_done)
    reactor.run()
    sys.exit(1 if False in results else 0)


if __name__ == '__main__':
    main()
