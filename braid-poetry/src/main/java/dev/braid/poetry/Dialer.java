package dev.braid.poetry;

import dev.braid.defer.Clock;
import dev.braid.net.ClientFactory;
import dev.braid.net.ReactorTcp;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsClientOptions;
import java.util.Objects;

/**
 * How the poetry clients reach a server: over plain TCP, or over TLS (Twisted's choice between
 * {@code connectTCP} and {@code connectSSL}). Every client of this package ({@link PoetryClient},
 * {@link TransformProxy}) takes one; the overloads that take a reactor use {@link #tcp}.
 *
 * <p>With TLS, the factory hears of a handshake that fails as of any failed attempt: {@code
 * clientConnectionFailed} with a {@link dev.braid.tls.TlsConnectError} naming the server and the
 * reason (an untrusted certificate, say); a poem cut without TLS's {@code close_notify} is a lost
 * connection, never a whole poem.
 *
 * <p>Threading: reactor thread only.
 */
@FunctionalInterface
public interface Dialer {
  /**
   * Starts one connection attempt to {@code host:port}.
   *
   * @param host the server's host name or address
   * @param port the server's port
   * @param factory told how the attempt went; builds the protocol
   */
  void connect(String host, int port, ClientFactory factory);

  /**
   * Connects over plain TCP.
   *
   * @param reactor connects
   * @return the dialer
   */
  static Dialer tcp(ReactorTcp reactor) {
    Objects.requireNonNull(reactor, "reactor");
    return reactor::connectTCP;
  }

  /**
   * Connects over TLS, verifying each server's certificate for the host name connected to.
   *
   * @param reactor connects, and times the handshake deadline
   * @param options trust, client certificate and settings; the host name is each connection's
   * @param <R> a reactor with TCP and time
   * @return the dialer
   */
  static <R extends ReactorTcp & Clock> Dialer tls(R reactor, TlsClientOptions options) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(options, "options");
    return (host, port, factory) ->
        reactor.connectTCP(host, port, Tls.clientFactory(reactor, options.withHost(host), factory));
  }
}
