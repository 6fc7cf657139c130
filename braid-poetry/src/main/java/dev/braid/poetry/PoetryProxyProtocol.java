package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's server side (the tutorial's {@code PoetryProxyProtocol}, Proxy 3.0): asks the {@link
 * PoemCache} (directly, or through a {@link ProxyFront} on another reactor) for the poem when a
 * client connects, writes it (through a {@link PoemStreamer}, as fast as the client reads) and
 * closes. When the fetch fails the connection is aborted (a reset), so the client sees a failure
 * rather than an empty poem. A client that leaves before the poem arrives cancels its own waiter,
 * and nobody else's.
 *
 * <p>Threading: reactor thread only.
 */
final class PoetryProxyProtocol extends BaseProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(PoetryProxyProtocol.class);

  private final Supplier<Deferred<byte[]>> poems;
  private Deferred<byte[]> pending;

  /**
   * @param poems asks for the poem: {@link PoemCache#getPoem()}, or a {@link ProxyFront}'s on this
   *     connection's reactor; each call's Deferred is this connection's own
   */
  PoetryProxyProtocol(Supplier<Deferred<byte[]>> poems) {
    this.poems = poems;
  }

  @Override
  protected void connectionMade() {
    Deferred<byte[]> d = poems.get();
    pending = d;
    d.addCallbacks(
        poem -> {
          pending = null;
          if (isConnected()) {
            PoemStreamer.send(transport(), poem);
          }
          return null;
        },
        failure -> {
          pending = null;
          if (isConnected()) {
            LOG.debug("no poem for {}: {}", transport().getPeer(), failure.getErrorMessage());
            transport().abortConnection();
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
}
