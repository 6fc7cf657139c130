package dev.braid.poetry.sim;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.poetry.ProxyService;
import java.net.InetSocketAddress;

/**
 * The caching proxy with a bug planted on purpose, for tests only: when the fetch fails, it closes
 * its client's connection cleanly ({@code loseConnection()}) where the real proxy resets it ({@code
 * abortConnection()}). In the poetry protocol a clean close ends the poem, so the client takes an
 * empty poem for a whole one. Everything else is as the real proxy does it.
 */
final class ProxyWithPlantedBug implements Factory {
  private final ProxyService service;

  ProxyWithPlantedBug(ProxyService service) {
    this.service = service;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    return new BaseProtocol() {
      Deferred<byte[]> pending;

      @Override
      protected void connectionMade() {
        Deferred<byte[]> d = service.getPoem();
        pending = d;
        d.addCallbacks(
            poem -> {
              pending = null;
              if (isConnected()) {
                transport().write(poem);
                transport().loseConnection();
              }
              return null;
            },
            failure -> {
              pending = null;
              if (isConnected()) {
                transport().loseConnection(); // the bug: the real proxy aborts
              }
              return null;
            });
      }

      @Override
      public void connectionLost(ConnectionEnd reason) {
        super.connectionLost(reason);
        if (pending != null) {
          Deferred<byte[]> d = pending;
          pending = null;
          d.cancel();
        }
      }
    };
  }
}
