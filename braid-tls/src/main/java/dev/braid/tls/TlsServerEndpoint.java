package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ServerEndpoint;

/**
 * A server endpoint whose connections speak TLS: another endpoint with a {@link TlsServerFactory}.
 */
final class TlsServerEndpoint implements ServerEndpoint {
  private final ServerEndpoint inner;
  private final Clock clock;
  private final TlsServerOptions options;

  TlsServerEndpoint(ServerEndpoint inner, Clock clock, TlsServerOptions options) {
    this.inner = inner;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Deferred<ListeningPort> listen(Factory factory) {
    return inner.listen(Tls.serverFactory(clock, options, factory));
  }

  @Override
  public String toString() {
    return "TLS over " + inner;
  }
}
