#!/usr/bin/python3
"""The tutorial's caching poetry proxy (twisted-server-2/poetry-proxy.py) in Python 3 Twisted.

    /usr/bin/python3 poetry_proxy.py [--port P] [--iface HOST] [HOST:]PORT
"""
import argparse

from twisted.internet import defer, reactor
from twisted.internet.protocol import ClientFactory, Protocol, ServerFactory


class PoetryProxyProtocol(Protocol):
    def connectionMade(self):
        d = defer.maybeDeferred(self.factory.service.get_poem)
        d.addCallback(self.transport.write)
        d.addBoth(lambda r: self.transport.loseConnection())


class PoetryProxyFactory(ServerFactory):
    protocol = PoetryProxyProtocol

    def __init__(self, service):
        self.service = service


class PoetryClientProtocol(Protocol):
    poem = b''

    def dataReceived(self, data):
        self.poem += data

    def connectionLost(self, reason):
        self.factory.poem_finished(self.poem)


class PoetryClientFactory(ClientFactory):
    protocol = PoetryClientProtocol

    def __init__(self):
        self.deferred = defer.Deferred()

    def poem_finished(self, poem):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.callback(poem)

    def clientConnectionFailed(self, connector, reason):
        if self.deferred is not None:
            d, self.deferred = self.deferred, None
            d.errback(reason)


class ProxyService(object):
    poem = None  # the cached poem

    def __init__(self, host, port):
        self.host = host
        self.port = port

    def get_poem(self):
        if self.poem is not None:
            print('Using cached poem.', flush=True)
            return defer.succeed(self.poem)
        print('Fetching poem from server.', flush=True)
        factory = PoetryClientFactory()
        factory.deferred.addCallback(self.set_poem)
        reactor.connectTCP(self.host, self.port, factory)
        return factory.deferred

    def set_poem(self, poem):
        self.poem = poem
        return poem


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--iface', default='127.0.0.1')
    p.add_argument('server')
    a = p.parse_args()
    host, _, port = a.server.rpartition(':')
    service = ProxyService(host or '127.0.0.1', int(port))
    listening = reactor.listenTCP(a.port, PoetryProxyFactory(service), interface=a.iface)
    print('Proxying poetry on %s:%d for %s.' % (listening.getHost().host, listening.getHost().port,
                                                a.server), flush=True)
    reactor.run()


if __name__ == '__main__':
    main()
