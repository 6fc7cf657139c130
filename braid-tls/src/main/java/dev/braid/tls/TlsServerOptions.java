package dev.braid.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The accepting side's TLS configuration: its certificate chain and private key (several for SNI),
 * whether clients must present certificates, versions, ALPN and the handshake deadline (Twisted's
 * {@code CertificateOptions}).
 *
 * <pre>{@code
 * TlsServerOptions options = TlsServerOptions.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem"))
 *     .withApplicationProtocols("h2", "http/1.1");
 * }</pre>
 *
 * <p>Built from what a user has: PEM files ({@link #fromPem}, what {@code openssl} and Let's
 * Encrypt write), a PKCS#12 file ({@link #fromPkcs12}), a {@link KeyStore}, objects ({@link #of}),
 * or a ready {@link SSLContext} ({@link #fromSslContext}). Each factory checks that the key belongs
 * to the certificate and fails with an {@link IllegalArgumentException} naming the file otherwise.
 *
 * <p>SNI: with several certificates ({@link #withCertificate}), a client that asks for a host name
 * gets the first certificate whose DNS names cover it (exactly, or by a {@code *.} wildcard), and
 * any other client the first certificate whose key suits the handshake; the name asked for is
 * {@link TlsTransport#requestedServerName()}.
 *
 * <p>Immutable and thread-safe; the {@link SSLContext} is built once, on first use.
 */
public final class TlsServerOptions implements TlsOptions {
  /** Whether the server asks clients for certificates. */
  enum ClientAuth {
    NONE,
    REQUESTED,
    REQUIRED
  }

  private final List<Identity> identities;
  private final SSLContext givenContext;
  private final ClientAuth clientAuth;
  private final List<X509Certificate> clientRoots;
  private final Settings settings;
  private final ContextCell context;

  private TlsServerOptions(
      List<Identity> identities,
      SSLContext givenContext,
      ClientAuth clientAuth,
      List<X509Certificate> clientRoots,
      Settings settings,
      ContextCell context) {
    this.identities = List.copyOf(identities);
    this.givenContext = givenContext;
    this.clientAuth = clientAuth;
    this.clientRoots = clientRoots == null ? null : List.copyOf(clientRoots);
    this.settings = settings;
    this.context =
        context != null
            ? context
            : givenContext != null
                ? ContextCell.of(givenContext)
                : new ContextCell(() -> Contexts.create(this.identities, this.clientRoots));
  }

  /**
   * Options from a PEM certificate chain and a PEM private key (see {@link Pem} for the forms
   * read).
   *
   * @param certificateChain the certificate first, then its intermediates ({@code fullchain.pem})
   * @param privateKey the certificate's private key ({@code privkey.pem})
   * @return the options
   * @throws IllegalArgumentException if a file holds no certificate or key, or they do not match
   * @throws UncheckedIOException if a file cannot be read
   */
  public static TlsServerOptions fromPem(Path certificateChain, Path privateKey) {
    List<X509Certificate> chain = Pem.readCertificates(certificateChain);
    PrivateKey key = Pem.readPrivateKey(privateKey);
    return create(List.of(Identity.checked(chain, key, certificateChain + " and " + privateKey)));
  }

  /**
   * Options from a certificate chain and its private key.
   *
   * @param chain the certificate first, then its intermediates
   * @param key the certificate's private key
   * @return the options
   * @throws IllegalArgumentException if the chain is empty or the key is not the certificate's
   */
  public static TlsServerOptions of(List<X509Certificate> chain, PrivateKey key) {
    return create(List.of(Identity.checked(chain, key, "the certificate and key given")));
  }

  /**
   * Options from a PKCS#12 file ({@code openssl pkcs12 -export}'s output); every key entry is a
   * certificate to present.
   *
   * @param file the file
   * @param password the file's and the keys' password
   * @return the options
   * @throws IllegalArgumentException if it holds no key, or the password is wrong
   * @throws UncheckedIOException if it cannot be read
   */
  public static TlsServerOptions fromPkcs12(Path file, char[] password) {
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(file + ": no such file", e);
    } catch (IOException e) {
      if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
        throw new IllegalArgumentException(file + ": wrong password", e);
      }
      throw new UncheckedIOException(file + ": cannot read a PKCS#12 file: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not a PKCS#12 file: " + e.getMessage(), e);
    }
    return create(Contexts.identities(store, password, file.toString()));
  }

  /**
   * Options from a key store's key entries.
   *
   * @param store a loaded key store
   * @param password the keys' password
   * @return the options
   * @throws IllegalArgumentException if it holds no key, or the password is wrong
   */
  public static TlsServerOptions fromKeyStore(KeyStore store, char[] password) {
    return create(Contexts.identities(store, password, "the key store"));
  }

  /**
   * Options that use a ready context; its key managers choose the certificate and its trust
   * managers check client certificates. Versions, ALPN and client authentication still come from
   * these options.
   *
   * @param context an initialised context
   * @return the options
   */
  public static TlsServerOptions fromSslContext(SSLContext context) {
    Objects.requireNonNull(context, "context");
    return new TlsServerOptions(List.of(), context, ClientAuth.NONE, null, Settings.DEFAULT, null);
  }

  static TlsServerOptions of(Identity identity) {
    return create(List.of(identity));
  }

  private static TlsServerOptions create(List<Identity> identities) {
    return new TlsServerOptions(identities, null, ClientAuth.NONE, null, Settings.DEFAULT, null);
  }

  /**
   * Adds another certificate to present to clients that ask for one of its names (SNI).
   *
   * @param chain the certificate first, then its intermediates
   * @param key its private key
   * @return new options
   * @throws IllegalStateException if these options came from an {@link SSLContext}
   */
  public TlsServerOptions withCertificate(List<X509Certificate> chain, PrivateKey key) {
    if (givenContext != null) {
      throw new IllegalStateException("options from an SSLContext take their certificates from it");
    }
    List<Identity> more = new ArrayList<>(identities);
    more.add(Identity.checked(chain, key, "the certificate and key given"));
    return new TlsServerOptions(more, null, clientAuth, clientRoots, settings, null);
  }

  /**
   * Requires every client to present a certificate issued by one of {@code roots}; a client that
   * presents none or another fails the handshake.
   *
   * @param roots the certificates trusted to issue client certificates; empty to use the trust
   *     managers of the {@link SSLContext} these options came from (or the JDK's default roots)
   * @return new options
   */
  public TlsServerOptions requireClientCertificate(List<X509Certificate> roots) {
    return withClientAuth(ClientAuth.REQUIRED, roots);
  }

  /**
   * Asks clients for a certificate issued by one of {@code roots} but accepts those that present
   * none ({@link TlsTransport#peerCertificates()} is then empty); a certificate that is presented
   * must be valid.
   *
   * @param roots as for {@link #requireClientCertificate}
   * @return new options
   */
  public TlsServerOptions requestClientCertificate(List<X509Certificate> roots) {
    return withClientAuth(ClientAuth.REQUESTED, roots);
  }

  private TlsServerOptions withClientAuth(ClientAuth mode, List<X509Certificate> roots) {
    Objects.requireNonNull(roots, "roots");
    if (givenContext != null && !roots.isEmpty()) {
      throw new IllegalStateException(
          "options from an SSLContext check client certificates with its trust managers: pass no"
              + " roots");
    }
    return new TlsServerOptions(
        identities,
        givenContext,
        mode,
        roots.isEmpty() ? null : roots,
        settings,
        givenContext != null ? context : null);
  }

  /**
   * Sets the TLS versions accepted.
   *
   * @param versions e.g. "TLSv1.3" alone, or "TLSv1.3", "TLSv1.2" (the default)
   * @return new options
   */
  public TlsServerOptions withProtocols(String... versions) {
    return new TlsServerOptions(
        identities,
        givenContext,
        clientAuth,
        clientRoots,
        settings.withProtocols(versions),
        context);
  }

  /**
   * Accepts these application protocols through ALPN, the first the client also offers winning; a
   * client that offers only others fails the handshake. A client that offers none is accepted
   * without one.
   *
   * @param names e.g. "h2", "http/1.1"
   * @return new options
   */
  public TlsServerOptions withApplicationProtocols(String... names) {
    return new TlsServerOptions(
        identities,
        givenContext,
        clientAuth,
        clientRoots,
        settings.withApplicationProtocols(names),
        context);
  }

  /**
   * Sets the handshake deadline: a client that has not finished the handshake by then is cut.
   *
   * @param timeout a positive duration (default 10 seconds)
   * @return new options
   */
  public TlsServerOptions withHandshakeTimeout(Duration timeout) {
    return new TlsServerOptions(
        identities, givenContext, clientAuth, clientRoots, settings.withTimeout(timeout), context);
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

  ClientAuth clientAuth() {
    return clientAuth;
  }

  @Override
  public String toString() {
    String what =
        givenContext != null
            ? "an SSLContext"
            : identities.size()
                + " certificate(s) for "
                + identities.get(0).chain().get(0).getSubjectX500Principal().getName();
    return "TlsServerOptions{"
        + what
        + ", "
        + settings.protocols()
        + ", clientAuth="
        + clientAuth
        + "}";
  }
}
