package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.ReactorTcp;
import dev.braid.net.ServerEndpoint;
import dev.braid.reactor.EndpointDescription;
import dev.braid.reactor.Endpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * TLS endpoints, in code and as strings in Twisted's syntax, beside the {@code tcp:} ones of {@link
 * Endpoints}: a parser that knows the TLS types and hands everything else, and the TCP part of a
 * TLS string, to {@code Endpoints}.
 *
 * <h2>String forms</h2>
 *
 * <ul>
 *   <li>Server: {@code ssl:PORT:privateKey=KEY.pem[:certKey=CHAIN.pem][:extraCertChain=MORE.pem]},
 *       plus the {@code tcp:} server's {@code interface=} and {@code backlog=}, e.g. {@code
 *       ssl:4433:privateKey=privkey.pem:certKey=fullchain.pem}. As in Twisted, {@code certKey}
 *       defaults to the {@code privateKey} file (one PEM holding both) and {@code extraCertChain}
 *       adds intermediates.
 *   <li>Client: {@code
 *       tls:HOST:PORT[:trustRoots=CA.pem][:certificate=CERT.pem:privateKey=KEY.pem]}, plus the
 *       {@code tcp:} client's {@code timeout=} and {@code bindAddress=}, e.g. {@code
 *       tls:poetry.example.org:4433}. The server is verified against the JDK's roots, or exactly
 *       the certificates of {@code trustRoots} (a PEM file, or a directory of them); {@code
 *       certificate} and {@code privateKey} present a client certificate. {@code ssl:} works as
 *       {@code tls:} for clients.
 *   <li>Anything else ({@code tcp:...}) is parsed by {@link Endpoints}.
 * </ul>
 *
 * Errors are {@link IllegalArgumentException}s that quote the string; unreadable files are {@link
 * UncheckedIOException}s naming them. Files are read when the string is parsed.
 *
 * <p>The string forms need {@code braid-reactor} (its {@code Endpoints} parses the TCP part), an
 * optional dependency of {@code braid-tls}: a program that runs a reactor has it. {@link
 * #tlsServer} and {@link #tlsClient} need only the contracts.
 */
public final class TlsEndpoints {
  private static final Set<String> TCP_SERVER_KEYS = Set.of("port", "interface", "backlog");
  private static final Set<String> TLS_SERVER_KEYS =
      Set.of("privateKey", "certKey", "extraCertChain");
  private static final Set<String> TCP_CLIENT_KEYS =
      Set.of("host", "port", "timeout", "bindAddress");
  private static final Set<String> TLS_CLIENT_KEYS =
      Set.of("trustRoots", "certificate", "privateKey");

  private TlsEndpoints() {}

  /**
   * Wraps a server endpoint so that its connections speak TLS.
   *
   * @param inner where to listen, e.g. a TCP endpoint
   * @param clock times the handshake deadlines
   * @param options the server's certificate and settings
   * @return the endpoint
   */
  public static ServerEndpoint tlsServer(
      ServerEndpoint inner, Clock clock, TlsServerOptions options) {
    return new TlsServerEndpoint(
        Objects.requireNonNull(inner, "inner"),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * Wraps a client endpoint so that its connections speak TLS (Twisted's {@code wrapClientTLS}).
   * The Deferred of {@link ClientEndpoint#connect} fires once the handshake has finished and the
   * protocol is connected; a failed handshake fails it with a {@link TlsConnectError}, and
   * cancelling it during the handshake resets the connection.
   *
   * @param inner where to connect, e.g. a TCP endpoint
   * @param clock times the handshake deadline
   * @param options the server's host name, trust and settings
   * @return the endpoint
   * @throws IllegalArgumentException if the options have no host name
   */
  public static ClientEndpoint tlsClient(
      ClientEndpoint inner, Clock clock, TlsClientOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.host() == null) {
      throw new IllegalArgumentException(
          "a TLS client needs the server's host name to check its certificate:"
              + " use TlsClientOptions.forHost(host) or withHost(host)");
    }
    return new TlsClientEndpoint(
        Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(clock, "clock"), options);
  }

  /**
   * Parses a server endpoint string: {@code ssl:...} or anything {@link Endpoints#serverFromString}
   * takes.
   *
   * @param reactor listens, and times the handshake deadlines
   * @param description the string
   * @param <R> a reactor with TCP and time
   * @return the endpoint
   * @throws IllegalArgumentException if the string is not a valid server endpoint or a file holds
   *     no usable certificate or key
   * @throws UncheckedIOException if a file cannot be read
   */
  public static <R extends ReactorTcp & Clock> ServerEndpoint serverFromString(
      R reactor, String description) {
    Objects.requireNonNull(description, "description");
    EndpointDescription d = EndpointDescription.parse(description);
    if (!d.type().equals("ssl")) {
      return Endpoints.serverFromDescription(reactor, d);
    }
    checkKeys(d, TCP_SERVER_KEYS, TLS_SERVER_KEYS, "an ssl server");
    String key = d.kwargs().get("privateKey");
    if (key == null || key.isEmpty()) {
      throw bad(d, "an ssl server endpoint needs privateKey=FILE (and certKey=FILE if apart)");
    }
    ServerEndpoint tcp =
        Endpoints.serverFromDescription(reactor, d.narrowed("tcp", TCP_SERVER_KEYS));
    Path keyFile = Path.of(key);
    Path chainFile = Path.of(d.kwargs().getOrDefault("certKey", key));
    List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(chainFile));
    String extra = d.kwargs().get("extraCertChain");
    if (extra != null) {
      chain.addAll(Pem.readCertificates(Path.of(extra)));
    }
    Identity identity =
        Identity.checked(chain, Pem.readPrivateKey(keyFile), chainFile + " and " + keyFile);
    return tlsServer(tcp, reactor, TlsServerOptions.of(identity));
  }

  /**
   * Parses a client endpoint string: {@code tls:...} (or {@code ssl:...}) or anything {@link
   * Endpoints#clientFromString} takes, trusting the JDK's default roots unless the string says.
   *
   * @param reactor connects, and times the handshake deadline
   * @param description the string
   * @param <R> a reactor with TCP and time
   * @return the endpoint
   * @throws IllegalArgumentException if the string is not a valid client endpoint
   * @throws UncheckedIOException if a file cannot be read
   */
  public static <R extends ReactorTcp & Clock> ClientEndpoint clientFromString(
      R reactor, String description) {
    return clientFromString(reactor, description, TlsClientOptions.defaults());
  }

  /**
   * Parses a client endpoint string, with {@code defaults} for what a {@code tls:} string does not
   * say: its trust, client certificate, versions, ALPN and deadline (e.g. a private CA given on a
   * command line). The host name always comes from the string.
   *
   * @param reactor connects, and times the handshake deadline
   * @param description the string
   * @param defaults options to start from
   * @param <R> a reactor with TCP and time
   * @return the endpoint
   * @throws IllegalArgumentException if the string is not a valid client endpoint
   * @throws UncheckedIOException if a file cannot be read
   */
  public static <R extends ReactorTcp & Clock> ClientEndpoint clientFromString(
      R reactor, String description, TlsClientOptions defaults) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaults, "defaults");
    EndpointDescription d = EndpointDescription.parse(description);
    if (!d.type().equals("tls") && !d.type().equals("ssl")) {
      return Endpoints.clientFromDescription(reactor, d);
    }
    checkKeys(d, TCP_CLIENT_KEYS, TLS_CLIENT_KEYS, "a " + d.type() + " client");
    ClientEndpoint tcp =
        Endpoints.clientFromDescription(reactor, d.narrowed("tcp", TCP_CLIENT_KEYS));
    String host = d.kwargs().containsKey("host") ? d.kwargs().get("host") : d.args().get(0);
    TlsClientOptions options = defaults.withHost(host);
    String roots = d.kwargs().get("trustRoots");
    if (roots != null) {
      options = options.trusting(trustRoots(d, Path.of(roots)));
    }
    String certificate = d.kwargs().get("certificate");
    String key = d.kwargs().get("privateKey");
    if ((certificate == null) != (key == null)) {
      throw bad(d, "a client certificate needs both certificate=FILE and privateKey=FILE");
    }
    if (certificate != null) {
      options = options.withClientCertificatePem(Path.of(certificate), Path.of(key));
    }
    return tlsClient(tcp, reactor, options);
  }

  private static List<X509Certificate> trustRoots(EndpointDescription d, Path roots) {
    if (!Files.isDirectory(roots)) {
      return Pem.readCertificates(roots);
    }
    List<X509Certificate> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(roots)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".pem") || name.endsWith(".crt")) {
          all.addAll(Pem.readCertificates(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(roots + ": cannot list the directory", e);
    }
    if (all.isEmpty()) {
      throw bad(d, "no .pem or .crt file in trustRoots directory " + roots);
    }
    return all;
  }

  private static void checkKeys(
      EndpointDescription d, Set<String> tcpKeys, Set<String> tlsKeys, String what) {
    Set<String> known = new LinkedHashSet<>(tcpKeys);
    known.addAll(tlsKeys);
    for (String key : d.kwargs().keySet()) {
      if (!known.contains(key)) {
        throw bad(d, "unknown parameter '" + key + "' for " + what + " (known: " + known + ")");
      }
    }
  }

  private static IllegalArgumentException bad(EndpointDescription d, String why) {
    return new IllegalArgumentException("bad endpoint '" + d.text() + "': " + why);
  }
}
