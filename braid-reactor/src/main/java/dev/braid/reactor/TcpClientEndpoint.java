package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.Addresses;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * {@link ReactorTcp#connectTCP} as a {@link ClientEndpoint}: Twisted's {@code TCP4ClientEndpoint}
 * with its {@code _WrappingFactory}. The protocol is wrapped so that the Deferred fires right after
 * its {@code makeConnection}.
 */
final class TcpClientEndpoint implements ClientEndpoint {
  private final ReactorTcp reactor;
  private final String host;
  private final int port;
  private final Duration timeout;
  private final InetSocketAddress bindAddress;

  TcpClientEndpoint(
      ReactorTcp reactor, String host, int port, Duration timeout, InetSocketAddress bindAddress) {
    this.reactor = reactor;
    this.host = host;
    this.port = port;
    this.timeout = timeout;
    this.bindAddress = bindAddress;
  }

  @Override
  public Deferred<Protocol> connect(Factory factory) {
    WrappingFactory wrapping = new WrappingFactory(factory);
    try {
      wrapping.connector = reactor.connectTCP(host, port, wrapping, timeout, bindAddress);
      PendingDeferreds.noteWaitingOn(wrapping.connected, wrapping.connector); // debug mode
    } catch (RuntimeException e) {
      return Deferred.fail(e);
    }
    return wrapping.connected;
  }

  @Override
  public String toString() {
    return "tcp:host=" + host.replace(":", "\\:") + ":port=" + port;
  }

  /** Fires {@link #connected} when the wrapped factory's protocol is connected, or fails it. */
  private final class WrappingFactory implements ClientFactory {
    private final Factory wrapped;
    final Deferred<Protocol> connected;
    Connector connector;
    private boolean cancelling;

    WrappingFactory(Factory wrapped) {
      this.wrapped = wrapped;
      this.connected =
          Deferred.create(
              self -> {
                cancelling = true;
                if (connector != null) {
                  try {
                    connector.stopConnecting();
                  } catch (IllegalStateException notConnecting) {
                    // connected meanwhile, or already failed
                  }
                }
              });
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      Protocol protocol;
      try {
        protocol = wrapped.buildProtocol(address);
      } catch (RuntimeException | Error e) {
        // The connector fails the attempt too; failing here first covers every ReactorTcp.
        fail(new ConnectError(Addresses.hostPort(host, port) + ": buildProtocol threw " + e, e));
        throw e;
      }
      if (protocol == null) {
        fail(
            new ConnectError(
                Addresses.hostPort(host, port) + ": the factory built no protocol", null));
        return null;
      }
      return new NotifyingProtocol(protocol, connected);
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
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      if (!cancelling) {
        fail(reason);
      }
    }

    @Override
    public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
      fail(reason); // a safety net: the Deferred has fired by then (connected, or attempt failed)
    }

    private void fail(Throwable reason) {
      if (!connected.isCalled()) {
        connected.errback(reason);
      }
    }

    @Override
    public String toString() {
      return wrapped.toString();
    }
  }

  /** Delegates everything; fires the Deferred after {@code makeConnection}. */
  static final class NotifyingProtocol implements Protocol {
    final Protocol wrapped;
    private final Deferred<Protocol> connected;

    NotifyingProtocol(Protocol wrapped, Deferred<Protocol> connected) {
      this.wrapped = wrapped;
      this.connected = connected;
    }

    @Override
    public void makeConnection(Transport transport) {
      wrapped.makeConnection(transport);
      if (!connected.isCalled()) {
        connected.callback(wrapped);
      }
    }

    @Override
    public void dataReceived(byte[] data) {
      wrapped.dataReceived(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      wrapped.connectionLost(reason);
    }

    @Override
    public String toString() {
      return wrapped.toString();
    }
  }
}
