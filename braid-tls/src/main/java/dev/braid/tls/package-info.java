/**
 * TLS for Braid connections, as a protocol wrapper on the JDK's {@link javax.net.ssl.SSLEngine}
 * (Twisted's {@code twisted.protocols.tls} and {@code twisted.internet.ssl}), so it runs over any
 * transport: TCP, the test kit's in-memory transports on virtual time, even another TLS connection.
 *
 * <ul>
 *   <li>{@link dev.braid.tls.Tls}: wrap a protocol or a factory, as server, client, or plaintext
 *       that can {@linkplain dev.braid.tls.TlsTransport#startTls upgrade} (STARTTLS).
 *   <li>{@link dev.braid.tls.TlsServerOptions} and {@link dev.braid.tls.TlsClientOptions}: built
 *       from PEM files ({@link dev.braid.tls.Pem}), PKCS#12, key stores or an {@code SSLContext}.
 *       Clients verify the chain and the host name by default.
 *   <li>{@link dev.braid.tls.TlsTransport}: what the wrapped protocol writes to, with the
 *       handshake's results (version, ALPN, SNI, the peer's certificates).
 *   <li>{@link dev.braid.tls.TlsEndpoints}: {@code ssl:PORT:privateKey=...:certKey=...} and {@code
 *       tls:HOST:PORT} endpoint strings, beside {@code tcp:} ones.
 *   <li>{@link dev.braid.tls.TlsException}, {@link dev.braid.tls.TlsConnectError}: what failed,
 *       with the peer named: untrusted certificate, host name mismatch, protocol version,
 *       timeout...
 * </ul>
 *
 * <p>TLS 1.3 and 1.2; renegotiation is refused; a connection closed without {@code close_notify}
 * ends with a {@link dev.braid.net.ConnectionLost}, never a clean {@link
 * dev.braid.net.ConnectionDone}. Threading: everything runs on the reactor thread, the engine's
 * delegated tasks included.
 */
package dev.braid.tls;
