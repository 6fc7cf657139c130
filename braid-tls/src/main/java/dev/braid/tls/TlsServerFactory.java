package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Factory} that wraps every protocol of another factory in TLS, as the server side:
 * Twisted's {@code TLSMemoryBIOFactory(options, isClient=False, factory)}. Give it to {@code
 * listenTCP} or a server endpoint; {@link Tls#serverFactory} makes one.
 *
 * <p>Each accepted connection gets the wrapped factory's protocol, connected once the handshake has
 * finished. A handshake that fails (an untrusted client certificate, no common TLS version, a
 * client that sends garbage or plain HTTP, a deadline missed) closes that connection, never reaches
 * the protocol, and is reported to {@link #onHandshakeFailure}; by default it is logged at INFO,
 * naming the client and the reason (DEBUG for a client that sent nothing at all, as port scanners
 * and health checks do). The server goes on serving.
 *
 * <p>Threading: called on the reactor thread; set the handler before listening.
 */
public final class TlsServerFactory implements Factory {
  private static final Logger LOG = LoggerFactory.getLogger(TlsServerFactory.class);

  private final Clock clock;
  private final TlsServerOptions options;
  private final Factory wrapped;
  private Consumer<TlsException> onHandshakeFailure = TlsServerFactory::log;
  private final TlsLayer.Listener listener =
      new TlsLayer.Listener() {
        @Override
        public void ended(TlsLayer layer, TlsException handshakeFailure, ConnectionEnd reason) {
          if (handshakeFailure != null) {
            onHandshakeFailure.accept(handshakeFailure);
          }
        }
      };

  TlsServerFactory(Clock clock, TlsServerOptions options, Factory wrapped) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.wrapped = Objects.requireNonNull(wrapped, "factory");
  }

  /**
   * Replaces what happens to a failed handshake (by default: logged). The handler runs on the
   * reactor thread once the connection has closed; what it throws is logged by the transport.
   *
   * @param handler given the failure, which names the client and the reason
   * @return this factory
   */
  public TlsServerFactory onHandshakeFailure(Consumer<TlsException> handler) {
    this.onHandshakeFailure = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Builds the wrapped factory's protocol and wraps it in TLS.
   *
   * @param address the client's address
   * @return the TLS protocol, or null if the wrapped factory refused the connection
   */
  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    Protocol protocol = wrapped.buildProtocol(address);
    if (protocol == null) {
      return null;
    }
    return new TlsLayer(clock, protocol, options, listener);
  }

  @Override
  public void startFactory() {
    wrapped.startFactory();
  }

  @Override
  public void stopFactory() {
    wrapped.stopFactory();
  }

  /** {@return the options every connection's handshake uses} */
  public TlsServerOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return wrapped + " (TLS)";
  }

  private static void log(TlsException failure) {
    if (failure.kind() == TlsException.Kind.CLOSED_DURING_HANDSHAKE
        && failure.getMessage().contains("before sending anything")) {
      LOG.debug("{}", failure.getMessage());
    } else {
      LOG.info("{}", failure.getMessage());
    }
  }
}
