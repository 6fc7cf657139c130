package dev.braid.tls;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;

/**
 * A client endpoint whose connections speak TLS (Twisted's {@code wrapClientTLS}): its Deferred
 * fires once the handshake has finished and the protocol is connected, or fails with the inner
 * endpoint's {@link dev.braid.net.ConnectError} or a {@link TlsConnectError}.
 */
final class TlsClientEndpoint implements ClientEndpoint {
  private final ClientEndpoint inner;
  private final Clock clock;
  private final TlsClientOptions options;

  TlsClientEndpoint(ClientEndpoint inner, Clock clock, TlsClientOptions options) {
    this.inner = inner;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Deferred<Protocol> connect(Factory factory) {
    TlsLayer[] layer = {null};
    Deferred<?>[] tcp = {null};
    Deferred<Protocol> result =
        Deferred.create(
            self -> {
              if (layer[0] != null) {
                layer[0].abortBelow();
              } else if (tcp[0] != null) {
                tcp[0].cancel();
              }
            });
    Deferred<Protocol> connecting =
        inner.connect(
            address -> {
              Protocol protocol = factory.buildProtocol(address);
              if (protocol == null) {
                return null;
              }
              layer[0] = new TlsLayer(clock, protocol, options, TlsLayer.Listener.NONE);
              return layer[0];
            });
    tcp[0] = connecting;
    connecting.addCallbacks(
        connected -> {
          ((TlsLayer) connected)
              .handshake()
              .addCallbacks(
                  secure -> {
                    if (!result.isCalled()) {
                      result.callback(layer[0].wrappedProtocol());
                    }
                    return null;
                  },
                  failure -> {
                    if (!result.isCalled()) {
                      Throwable why = failure.value();
                      result.errback(
                          why instanceof TlsException tls ? new TlsConnectError(tls) : why);
                    }
                    return null;
                  });
          return null;
        },
        failure -> {
          if (!result.isCalled() && !(failure.value() instanceof CancelledException)) {
            result.errback(failure.value());
          }
          return null;
        });
    return result;
  }

  @Override
  public String toString() {
    return "TLS to " + options.host() + " over " + inner;
  }
}
