#!/usr/bin/python3
"""Accepts one connection, records every byte the client sends until it closes or a netstring
completes, replies REPLY (raw bytes, given in hex) and closes; writes what it received, in hex, to
standard output. For checking the exact bytes a transform client puts on the wire.

    /usr/bin/python3 capture_request.py REPLY_HEX   (prints 'Listening on PORT.' first)
"""
import socket
import sys

reply = bytes.fromhex(sys.argv[1])
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)
print('Listening on %d.' % server.getsockname()[1], flush=True)
conn, _ = server.accept()
data = b''
while True:
    chunk = conn.recv(65536)
    if not chunk:
        break
    data += chunk
    colon = data.find(b':')
    if colon > 0 and data[:colon].isdigit() and len(data) >= colon + 1 + int(data[:colon]) + 1:
        break
conn.sendall(reply)
conn.close()
print(data.hex(), flush=True)
