package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;

/**
 * Wraps a client factory's protocols in TLS for {@code connectTCP}, and reports a failed handshake
 * as a failed attempt: {@code clientConnectionFailed} with a {@link TlsConnectError}, not {@code
 * clientConnectionLost}, since the protocol was never connected.
 *
 * <p>How the failure reaches {@link #clientConnectionLost}: a transport tells its protocol {@code
 * connectionLost} and then, at once, its connector (the {@link ClientFactory} contract); the layer
 * leaves its handshake failure here in between.
 */
final class TlsClientFactory implements ClientFactory, TlsLayer.Listener {
  private final Clock clock;
  private final TlsClientOptions options;
  private final ClientFactory wrapped;
  private TlsException handshakeFailure;

  TlsClientFactory(Clock clock, TlsClientOptions options, ClientFactory wrapped) {
    this.clock = clock;
    this.options = options;
    this.wrapped = wrapped;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    Protocol protocol = wrapped.buildProtocol(address);
    return protocol == null ? null : new TlsLayer(clock, protocol, options, this);
  }

  @Override
  public void startFactory() {
    wrapped.startFactory();
  }

  @Override
  public void stopFactory() {
    wrapped.stopFactory();
  }

  @Override
  public void startedConnecting(Connector connector) {
    wrapped.startedConnecting(connector);
  }

  @Override
  public void clientConnectionFailed(Connector connector, ConnectError reason) {
    wrapped.clientConnectionFailed(connector, reason);
  }

  @Override
  public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
    TlsException failure = handshakeFailure;
    handshakeFailure = null;
    if (failure != null) {
      wrapped.clientConnectionFailed(connector, new TlsConnectError(failure));
    } else {
      wrapped.clientConnectionLost(connector, reason);
    }
  }

  @Override
  public void ended(TlsLayer layer, TlsException failure, ConnectionEnd reason) {
    handshakeFailure = failure;
  }

  @Override
  public String toString() {
    return wrapped + " (TLS)";
  }
}
