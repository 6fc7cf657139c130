#!/usr/bin/python3
"""The tutorial's poetry client 6.0 (twisted-client-6/get-poetry.py) in Python 3 Twisted.

Downloads every PORT's poem; with --xform-port, cummingsifies each through that transform server
(falling back to the original poem when that fails). Writes the poems' bytes to standard output in
the order they arrive, each followed by a newline, as the original prints them.

Like the original, it takes any end of the connection for the end of the poem: Twisted passes
connectionLost a reason (ConnectionDone for a clean close, ConnectionLost for a reset), which the
tutorial's client ignores. With --strict (not in the original), a connection that ends in any other
way than a clean close fails the download instead, as Braid's client does.

With --tls-ca CA (not in the original), it connects with TLS (Twisted's connectSSL with
optionsForClientTLS), verifying each server's certificate for its host name against CA's roots.

    /usr/bin/python3 get_poetry.py [--strict] [--tls-ca CA] [--xform-port P] [--xform NAME]
                                   [HOST:]PORT ...
"""
import argparse
import sys

from twisted.internet import defer, reactor
from twisted.internet.error import ConnectionDone
from twisted.internet.protocol import ClientFactory, Protocol
from twisted.protocols.basic import NetstringReceiver


class PoetryProtocol(Protocol):
    poem = b''

    def dataReceived(self, data):
        self.poem += data

    def connectionLost(self, reason):
        if self.factory.strict and not reason.check(ConnectionDone):
            self.factory.poem_failed(reason)
        else:
            self.poemReceived(self.poem)

    def poemReceived(self, poem):
        self.factory.poem_finished(poem)


class PoetryClientFactory(ClientFactory):
    protocol = PoetryProtocol

    def __init__(self, deferred, strict=False):
        self.deferred = deferred
        self.strict = strict

    def poem_finished(self, poem):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.callback(poem)

    def poem_failed(self, reason):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.errback(reason)

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


def get_poetry(host, port, strict=False, tls_ca=None):
    d = defer.Deferred()
    factory = PoetryClientFactory(d, strict)
    if tls_ca:
        from twisted.internet import ssl
        with open(tls_ca) as f:
            trust = ssl.Certificate.loadPEM(f.read())
        options = ssl.optionsForClientTLS(host, trustRoot=trust)
        reactor.connectSSL(host, port, factory, options)
    else:
        reactor.connectTCP(host, port, factory)
    return d


def address(text):
    host, _, port = text.rpartition(':')
    return (host or '127.0.0.1', int(port))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--strict', action='store_true',
                   help='fail a download whose connection does not end with a clean close')
    p.add_argument('--tls-ca', help='connect with TLS, trusting the CA certificate of this PEM file')
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
        d = get_poetry(host, port, a.strict, a.tls_ca)
        if proxy is not None:
            d.addCallback(try_to_transform)
        d.addCallbacks(got_poem, poem_failed)
        d.addBoth(one_done)
    reactor.run()
    sys.exit(1 if False in results else 0)


if __name__ == '__main__':
    main()
