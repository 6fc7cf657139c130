package dev.braid.tls;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The connecting side's TLS configuration: the server's host name, which roots to trust, an
 * optional client certificate, versions, ALPN and the handshake deadline (Twisted's {@code
 * optionsForClientTLS}).
 *
 * <pre>{@code
 * TlsClientOptions options = TlsClientOptions.forHost("poetry.example.org");   // the JDK's roots
 * TlsClientOptions test = TlsClientOptions.forHost("localhost").trusting(ca.certificate());
 * }</pre>
 *
 * <p>Verification is on by default and cannot be turned off: the server's chain must lead to a
 * trusted root (the JDK's default roots, or exactly those given to {@link #trusting}), and its
 * certificate must be valid for the host name ({@code HTTPS} endpoint identification: a DNS name,
 * or an IP address for an IP literal). The host name is also sent as SNI unless it is an IP
 * literal.
 *
 * <p>Options without a host ({@link #defaults()}) describe trust and identity only; endpoints such
 * as {@code tls:HOST:PORT} fill the host in with {@link #withHost}. Immutable and thread-safe; the
 * {@link SSLContext} is built once, on first use.
 */
public final class TlsClientOptions implements TlsOptions {
  private final String host;
  private final List<X509Certificate> roots;
  private final Identity identity;
  private final SSLContext givenContext;
  private final Settings settings;
  private final ContextCell context;

  private TlsClientOptions(
      String host,
      List<X509Certificate> roots,
      Identity identity,
      SSLContext givenContext,
      Settings settings,
      ContextCell context) {
    this.host = host;
    this.roots = roots == null ? null : List.copyOf(roots);
    this.identity = identity;
    this.givenContext = givenContext;
    this.settings = settings;
    this.context =
        context != null
            ? context
            : givenContext != null
                ? ContextCell.of(givenContext)
                : new ContextCell(
                    () -> Contexts.create(identity == null ? List.of() : List.of(identity), roots));
  }

  /**
   * Options trusting the JDK's default roots, with no host name yet.
   *
   * @return the options
   */
  public static TlsClientOptions defaults() {
    return new TlsClientOptions(null, null, null, null, Settings.DEFAULT, null);
  }

  /**
   * Options for connecting to {@code host}, trusting the JDK's default roots.
   *
   * @param host the server's host name or IP literal, as the certificate names it
   * @return the options
   */
  public static TlsClientOptions forHost(String host) {
    return defaults().withHost(host);
  }

  /**
   * Options that use a ready context for trust and client certificates; host name checking,
   * versions and ALPN still come from these options.
   *
   * @param context an initialised context
   * @return the options, with no host name yet
   */
  public static TlsClientOptions fromSslContext(SSLContext context) {
    Objects.requireNonNull(context, "context");
    return new TlsClientOptions(null, null, null, context, Settings.DEFAULT, null);
  }

  /**
   * Sets the host name to check the server's certificate against and to send as SNI.
   *
   * @param serverHost a host name or IP literal
   * @return new options (sharing these options' context and so its session cache)
   */
  public TlsClientOptions withHost(String serverHost) {
    Objects.requireNonNull(serverHost, "serverHost");
    if (serverHost.isEmpty()) {
      throw new IllegalArgumentException("empty host name");
    }
    return new TlsClientOptions(serverHost, roots, identity, givenContext, settings, context);
  }

  /**
   * Trusts exactly these roots instead of the JDK's default ones: a private CA, or a test CA.
   *
   * @param trustedRoots at least one certificate
   * @return new options
   */
  public TlsClientOptions trusting(List<X509Certificate> trustedRoots) {
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted certificate is needed");
    }
    checkNotFromContext("their trust");
    return new TlsClientOptions(host, trustedRoots, identity, null, settings, null);
  }

  /**
   * Trusts exactly these roots; see {@link #trusting(List)}.
   *
   * @param trustedRoots at least one certificate
   * @return new options
   */
  public TlsClientOptions trusting(X509Certificate... trustedRoots) {
    return trusting(List.of(trustedRoots));
  }

  /**
   * Trusts exactly the certificates of a PEM file (a private CA's {@code ca.pem}).
   *
   * @param file the PEM file
   * @return new options
   * @throws IllegalArgumentException if it holds no certificate
   * @throws UncheckedIOException if it cannot be read
   */
  public TlsClientOptions trustingPem(Path file) {
    return trusting(Pem.readCertificates(file));
  }

  /**
   * Presents this certificate when the server asks for one.
   *
   * @param chain the certificate first, then its intermediates
   * @param key its private key
   * @return new options
   * @throws IllegalArgumentException if the key is not the certificate's
   */
  public TlsClientOptions withClientCertificate(List<X509Certificate> chain, PrivateKey key) {
    checkNotFromContext("their client certificate");
    return new TlsClientOptions(
        host,
        roots,
        Identity.checked(chain, key, "the client certificate and key given"),
        null,
        settings,
        null);
  }

  /**
   * Presents the certificate of PEM files when the server asks for one.
   *
   * @param certificateChain the certificate first, then its intermediates
   * @param privateKey its private key
   * @return new options
   * @throws IllegalArgumentException if a file holds no certificate or key, or they do not match
   * @throws UncheckedIOException if a file cannot be read
   */
  public TlsClientOptions withClientCertificatePem(Path certificateChain, Path privateKey) {
    checkNotFromContext("their client certificate");
    Identity checked =
        Identity.checked(
            Pem.readCertificates(certificateChain),
            Pem.readPrivateKey(privateKey),
            certificateChain + " and " + privateKey);
    return new TlsClientOptions(host, roots, checked, null, settings, null);
  }

  /**
   * Sets the TLS versions offered.
   *
   * @param versions e.g. "TLSv1.3" alone, or "TLSv1.3", "TLSv1.2" (the default)
   * @return new options
   */
  public TlsClientOptions withProtocols(String... versions) {
    return new TlsClientOptions(
        host, roots, identity, givenContext, settings.withProtocols(versions), context);
  }

  /**
   * Offers these application protocols through ALPN, in preference order; {@link
   * TlsTransport#applicationProtocol()} tells which the server chose.
   *
   * @param names e.g. "h2", "http/1.1"
   * @return new options
   */
  public TlsClientOptions withApplicationProtocols(String... names) {
    return new TlsClientOptions(
        host, roots, identity, givenContext, settings.withApplicationProtocols(names), context);
  }

  /**
   * Sets the handshake deadline: a server that has not finished the handshake by then fails the
   * connection with {@link TlsException.Kind#HANDSHAKE_TIMEOUT}.
   *
   * @param timeout a positive duration (default 10 seconds)
   * @return new options
   */
  public TlsClientOptions withHandshakeTimeout(Duration timeout) {
    return new TlsClientOptions(
        host, roots, identity, givenContext, settings.withTimeout(timeout), context);
  }

  /** {@return the host name the server's certificate is checked against, or null if not set yet} */
  public String host() {
    return host;
  }

  @Override
  public Duration handshakeTimeout() {
    return settings.timeout();
  }

  @Override
  public List<String> protocols() {
    return settings.protocols();
  }

  @Override
  public List<String> applicationProtocols() {
    return settings.applicationProtocols();
  }

  @Override
  public SSLContext sslContext() {
    return context.get();
  }

  private void checkNotFromContext(String what) {
    if (givenContext != null) {
      throw new IllegalStateException("options from an SSLContext take " + what + " from it");
    }
  }

  @Override
  public String toString() {
    return "TlsClientOptions{host="
        + host
        + ", trust="
        + (givenContext != null
            ? "an SSLContext"
            : roots == null ? "the JDK's roots" : roots.size() + " given root(s)")
        + (identity != null ? ", with a client certificate" : "")
        + ", "
        + settings.protocols()
        + "}";
  }
}
