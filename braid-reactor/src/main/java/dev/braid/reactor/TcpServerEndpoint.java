package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.net.ServerEndpoint;

/**
 * {@link ReactorTcp#listenTCP} as a {@link ServerEndpoint}: Twisted's {@code TCP4ServerEndpoint}.
 */
final class TcpServerEndpoint implements ServerEndpoint {
  private final ReactorTcp reactor;
  private final int port;
  private final int backlog;
  private final String iface;

  TcpServerEndpoint(ReactorTcp reactor, int port, int backlog, String iface) {
    this.reactor = reactor;
    this.port = port;
    this.backlog = backlog;
    this.iface = iface;
  }

  @Override
  public Deferred<ListeningPort> listen(Factory factory) {
    try {
      return Deferred.succeed(reactor.listenTCP(port, factory, backlog, iface));
    } catch (RuntimeException e) {
      return Deferred.fail(e);
    }
  }

  @Override
  public String toString() {
    return "tcp:" + port + (iface.isEmpty() ? "" : ":interface=" + iface.replace(":", "\\:"));
  }
}
