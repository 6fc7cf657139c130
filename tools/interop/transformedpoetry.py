#!/usr/bin/python3
"""The tutorial's transform server (twisted-server-1/transformedpoetry.py) in Python 3 Twisted.

Netstrings: a request NAME.POEM, one reply with the transformed poem, then the server closes; an
unknown or failing transform, or a request without '.', closes without a reply. As in the Python 2
original, the poem is bytes and cummingsify is bytes.lower(): only ASCII letters change case.

    /usr/bin/python3 transformedpoetry.py [--port P] [--iface HOST]
"""
import argparse

from twisted.internet import reactor
from twisted.internet.protocol import ServerFactory
from twisted.protocols.basic import NetstringReceiver


class TransformService(object):
    def cummingsify(self, poem):
        return poem.lower()


class TransformProtocol(NetstringReceiver):
    def stringReceived(self, request):
        if b'.' not in request:  # bad request
            self.transport.loseConnection()
            return
        xform_name, poem = request.split(b'.', 1)
        self.xformRequestReceived(xform_name.decode('utf-8', 'replace'), poem)

    def xformRequestReceived(self, xform_name, poem):
        new_poem = self.factory.transform(xform_name, poem)
        if new_poem is not None:
            self.sendString(new_poem)
        self.transport.loseConnection()


class TransformFactory(ServerFactory):
    protocol = TransformProtocol

    def __init__(self, service):
        self.service = service

    def transform(self, xform_name, poem):
        thunk = getattr(self, 'xform_%s' % (xform_name,), None)
        if thunk is None:  # no such transform
            return None
        try:
            return thunk(poem)
        except Exception:
            return None  # transform failed

    def xform_cummingsify(self, poem):
        return self.service.cummingsify(poem)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--iface', default='127.0.0.1')
    a = p.parse_args()
    port = reactor.listenTCP(a.port, TransformFactory(TransformService()), interface=a.iface)
    print('Serving transforms on %s:%d.' % (port.getHost().host, port.getHost().port), flush=True)
    reactor.run()


if __name__ == '__main__':
    main()
