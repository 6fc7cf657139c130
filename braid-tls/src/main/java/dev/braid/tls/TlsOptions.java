package dev.braid.tls;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * How one side of TLS connections is configured: {@link TlsServerOptions} for the accepting side,
 * {@link TlsClientOptions} for the connecting side (Twisted's {@code CertificateOptions} and {@code
 * optionsForClientTLS}). The type decides the role: {@link TlsTransport#startTls} with server
 * options answers the handshake, with client options starts it.
 *
 * <p>Both are immutable: every {@code with...} method returns a new object, so one set of options
 * can serve every connection of a server and be shared between threads. Both default to TLS 1.3 and
 * 1.2, the JDK's cipher suites, no ALPN and a handshake deadline of {@value
 * #DEFAULT_HANDSHAKE_TIMEOUT_SECONDS} seconds.
 */
public sealed interface TlsOptions permits TlsServerOptions, TlsClientOptions {
  /** The default handshake deadline, in seconds. */
  int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;

  /** The TLS versions used unless {@code withProtocols} says otherwise. */
  List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** {@return how long a handshake may take before the connection is cut} */
  Duration handshakeTimeout();

  /** {@return the TLS versions offered or accepted, e.g. [TLSv1.3, TLSv1.2]} */
  List<String> protocols();

  /**
   * {@return the application protocols offered (a client) or accepted, in preference order (a
   * server) through ALPN; empty for none}
   */
  List<String> applicationProtocols();

  /**
   * Returns the JDK context these options make engines from: the one given, or one built (once)
   * from the certificates and keys given. It can configure other TLS clients, e.g. the JDK's {@code
   * HttpClient}.
   *
   * @return the context
   */
  SSLContext sslContext();
}
