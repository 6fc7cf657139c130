package dev.braid.tls;

import dev.braid.defer.Deferred;
import dev.braid.net.Transport;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * The transport a protocol gets on a TLS connection: a {@link Transport} whose bytes are encrypted
 * on the way out and decrypted on the way in, plus what the handshake settled (Twisted's {@code
 * ISSLTransport} and {@code ITLSTransport}, Netty's {@code SslHandler} seen from the handler).
 *
 * <h2>When the protocol gets it</h2>
 *
 * On connections wrapped by {@link Tls#server}, {@link Tls#client} and their factories and
 * endpoints, the protocol's {@code makeConnection} is called once the handshake has finished, so
 * {@code connectionMade} can read {@link #peerCertificates()} and {@link #applicationProtocol()}; a
 * handshake that fails never reaches the protocol (a client's attempt fails with a {@link
 * TlsConnectError}; a server logs the reason). On a connection wrapped by {@link Tls#upgradable},
 * the protocol gets the transport at once, in plaintext, and calls {@link #startTls} when its
 * protocol says so (SMTP's {@code STARTTLS}).
 *
 * <h2>Closing</h2>
 *
 * {@link #loseConnection()} sends everything written, then TLS's {@code close_notify}, then closes
 * the connection: the protocol hears {@link dev.braid.net.ConnectionDone}. The peer's {@code
 * close_notify} ends the connection the same way. A connection that ends <em>without</em> the
 * peer's {@code close_notify} is a {@link dev.braid.net.ConnectionLost} whose cause is a {@link
 * TlsException} of kind {@link TlsException.Kind#TRUNCATED}, never a {@code ConnectionDone}: what
 * arrived may be cut short (the truncation attack). A TLS error after the handshake (a forged
 * record, a renegotiation attempt) is also a {@code ConnectionLost} with a {@code TlsException}
 * cause naming the peer and the reason.
 *
 * <h2>Backpressure</h2>
 *
 * Bytes are encrypted when written and go straight to the underlying transport, so a registered
 * producer is paused and resumed by that transport's buffer (64 KiB high-water mark on TCP), and
 * also paused while writes wait for a handshake started by {@link #startTls}. {@link
 * #pauseProducing()} pauses the underlying transport's reads.
 *
 * <p>Threading: reactor thread only, like every transport. The engine's delegated tasks
 * (certificate checks, key exchange) run on the reactor thread too.
 */
public interface TlsTransport extends Transport {
  /**
   * Starts TLS on a connection that so far spoke plaintext: from now on every byte written is
   * encrypted and every byte received is decrypted. Bytes written before this call go out in
   * plaintext, in order, before the handshake; bytes written after it wait for the handshake. A
   * server-side protocol typically answers the upgrade command and then calls this; a client-side
   * protocol calls it once the server has accepted.
   *
   * <p>Security: bytes the protocol has already received and buffered are plaintext that an
   * attacker may have injected with the upgrade command; discard them (the STARTTLS injection
   * attack).
   *
   * @param options {@link TlsServerOptions} to answer the handshake, {@link TlsClientOptions} to
   *     start it
   * @return a Deferred fired with this transport when the handshake has finished, or failed with
   *     the {@link TlsException}; a failure also closes the connection, and the protocol hears
   *     {@code connectionLost} with a {@link dev.braid.net.ConnectionLost} of the same cause
   * @throws IllegalStateException if TLS is already on (or starting) on this connection, or the
   *     connection is closing
   */
  Deferred<TlsTransport> startTls(TlsOptions options);

  /**
   * Tells whether TLS is on: the handshake has finished and bytes are encrypted.
   *
   * @return true once the handshake has finished
   */
  boolean isSecure();

  /** {@return the TLS session, or empty while TLS is not on} */
  Optional<SSLSession> session();

  /** {@return the negotiated TLS version, e.g. "TLSv1.3", or empty while TLS is not on} */
  Optional<String> protocolVersion();

  /**
   * {@return the application protocol agreed through ALPN, or empty if none was (or TLS is not on)}
   */
  Optional<String> applicationProtocol();

  /**
   * {@return the host name the client asked for through SNI, or empty if it sent none (or TLS is
   * not on); on the client side, the name it sent}
   */
  Optional<String> requestedServerName();

  /**
   * {@return the peer's certificate chain, its own certificate first; empty if it presented none (a
   * client not asked for one) or TLS is not on}
   */
  List<X509Certificate> peerCertificates();
}
