#!/usr/bin/python3
"""A poetry client on Python's standard ssl module, no Twisted: connects with TLS to HOST:PORT,
verifies the server's certificate for HOST against CA (a PEM file), reads to the end and writes the
poem's bytes to standard output, unchanged.

A connection that ends without TLS's close_notify is a failure (ssl.SSLEOFError, with
suppress_ragged_eofs=False), not the end of the poem. Exit status: 0, or 1 with the reason on
standard error.

    /usr/bin/python3 ssl_get.py --ca CA HOST:PORT
"""
import argparse
import socket
import ssl
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--ca', required=True)
    p.add_argument('address')
    a = p.parse_args()
    host, _, port = a.address.rpartition(':')
    context = ssl.create_default_context(cafile=a.ca)
    try:
        with socket.create_connection((host, int(port)), timeout=30) as raw:
            with context.wrap_socket(raw, server_hostname=host,
                                     suppress_ragged_eofs=False) as tls:
                chunks = []
                while True:
                    data = tls.recv(65536)
                    if not data:
                        break
                    chunks.append(data)
                version = tls.version()
    except (OSError, ssl.SSLError) as e:
        print('%s: %s' % (a.address, e), file=sys.stderr)
        sys.exit(1)
    sys.stdout.buffer.write(b''.join(chunks))
    print('%s: %s' % (a.address, version), file=sys.stderr)


if __name__ == '__main__':
    main()
