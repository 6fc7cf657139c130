package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.net.ClientFactory;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.util.Objects;

/**
 * TLS for any connection: wraps a protocol, or every protocol of a factory, so that it speaks TLS
 * over whatever transport it is given (TCP, the test kit's in-memory ones, another TLS connection).
 * Twisted's {@code TLSMemoryBIOFactory} and {@code wrapClientTLS}.
 *
 * <pre>{@code
 * // a server
 * reactor.listenTCP(4433, Tls.serverFactory(reactor, TlsServerOptions.fromPem(cert, key), factory));
 * // a client
 * reactor.connectTCP("example.org", 4433,
 *     Tls.clientFactory(reactor, TlsClientOptions.forHost("example.org"), clientFactory));
 * // in a test, on virtual time
 * ConnectedPair.builder().clock(clock).connect(
 *     Tls.server(clock, serverOptions, new Echo()), Tls.client(clock, clientOptions, new Greeter()));
 * }</pre>
 *
 * <p>The {@link Clock} times the handshake deadline ({@link TlsOptions#handshakeTimeout()}): the
 * reactor, or the test's virtual clock. See {@link TlsTransport} for what the wrapped protocol
 * sees, and {@link TlsEndpoints} for {@code ssl:} and {@code tls:} endpoint strings.
 *
 * <p>Threading: the wrappers are used on the reactor thread; these factory methods may be called
 * anywhere.
 */
public final class Tls {
  private Tls() {}

  /**
   * Wraps {@code protocol} as the server side of a TLS connection: it is connected once a client
   * has finished the handshake.
   *
   * @param clock times the handshake deadline
   * @param options the server's certificate and settings
   * @param protocol the protocol to speak over TLS
   * @return the protocol to give the transport
   */
  public static TlsProtocol server(Clock clock, TlsServerOptions options, Protocol protocol) {
    Objects.requireNonNull(options, "options");
    return new TlsLayer(clock, protocol, options, TlsLayer.Listener.NONE);
  }

  /**
   * Wraps {@code protocol} as the client side of a TLS connection: it starts the handshake when
   * connected, and the protocol is connected once the server is verified and the handshake has
   * finished. If the handshake fails, the protocol never hears of the connection: see {@link
   * TlsProtocol#handshake()}.
   *
   * @param clock times the handshake deadline
   * @param options the server's host name, trust and settings
   * @param protocol the protocol to speak over TLS
   * @return the protocol to give the transport
   * @throws IllegalArgumentException if the options have no host name
   */
  public static TlsProtocol client(Clock clock, TlsClientOptions options, Protocol protocol) {
    checkHost(options);
    return new TlsLayer(clock, protocol, options, TlsLayer.Listener.NONE);
  }

  /**
   * Wraps {@code protocol} so that it starts in plaintext and can switch to TLS on its own
   * connection: its transport is a {@link TlsTransport} whose {@link TlsTransport#startTls} does it
   * (Twisted's {@code ITLSTransport.startTLS}, for SMTP, IMAP, XMPP and the like).
   *
   * @param clock times the handshake deadline once TLS starts
   * @param protocol the protocol
   * @return the protocol to give the transport
   */
  public static TlsProtocol upgradable(Clock clock, Protocol protocol) {
    return new TlsLayer(clock, protocol, null, TlsLayer.Listener.NONE);
  }

  /**
   * Wraps every protocol {@code factory} builds as the server side of TLS; see {@link
   * TlsServerFactory} for how failed handshakes are reported.
   *
   * @param clock times the handshake deadlines
   * @param options the server's certificate and settings
   * @param factory builds the protocol of each connection
   * @return the factory to listen with
   */
  public static TlsServerFactory serverFactory(
      Clock clock, TlsServerOptions options, Factory factory) {
    return new TlsServerFactory(clock, options, factory);
  }

  /**
   * Wraps every protocol {@code factory} builds as the client side of TLS, for {@code connectTCP}:
   * a failed handshake is a failed attempt, reported to {@code clientConnectionFailed} as a {@link
   * TlsConnectError}; the factory hears {@code clientConnectionLost} only for connections whose
   * protocol was connected.
   *
   * @param clock times the handshake deadlines
   * @param options the server's host name, trust and settings
   * @param factory builds the protocol and hears how the attempts went
   * @return the factory to connect with
   * @throws IllegalArgumentException if the options have no host name
   */
  public static ClientFactory clientFactory(
      Clock clock, TlsClientOptions options, ClientFactory factory) {
    checkHost(options);
    return new TlsClientFactory(
        Objects.requireNonNull(clock, "clock"),
        options,
        Objects.requireNonNull(factory, "factory"));
  }

  /**
   * Wraps every protocol {@code factory} builds with {@link #upgradable}, for servers (or clients)
   * whose protocol upgrades to TLS on command.
   *
   * @param clock times the handshake deadlines once TLS starts
   * @param factory builds the protocol of each connection
   * @return the factory to listen (or connect) with
   */
  public static Factory upgradableFactory(Clock clock, Factory factory) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(factory, "factory");
    return new Factory() {
      @Override
      public Protocol buildProtocol(java.net.InetSocketAddress address) {
        Protocol protocol = factory.buildProtocol(address);
        return protocol == null ? null : upgradable(clock, protocol);
      }

      @Override
      public void startFactory() {
        factory.startFactory();
      }

      @Override
      public void stopFactory() {
        factory.stopFactory();
      }

      @Override
      public String toString() {
        return factory + " (STARTTLS)";
      }
    };
  }

  private static void checkHost(TlsClientOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.host() == null) {
      throw new IllegalArgumentException(
          "a TLS client needs the server's host name to check its certificate:"
              + " use TlsClientOptions.forHost(host) or withHost(host)");
    }
  }
}
