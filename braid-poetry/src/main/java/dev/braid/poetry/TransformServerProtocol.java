package dev.braid.poetry;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionEnd;
import dev.braid.protocols.NetstringReceiver;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the transform protocol (the tutorial's {@code TransformProtocol}): reads one
 * netstring {@code NAME.POEM}, asks the {@link Transformer}, replies with one netstring holding the
 * transformed poem and closes. A request without a {@code .}, an unknown transform or a failed one
 * closes the connection without a reply, as the original server does. Only the first request of a
 * connection is answered.
 *
 * <p>If the client goes away while the transformer is still working (a {@link TransformProxy}
 * waiting on another server), the transformer's Deferred is cancelled.
 *
 * <p>Threading: reactor thread only.
 */
final class TransformServerProtocol extends NetstringReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(TransformServerProtocol.class);

  private final Transformer transformer;
  private boolean answered;
  private boolean connected;
  private Deferred<String> pending;

  TransformServerProtocol(Transformer transformer) {
    this.transformer = transformer;
  }

  @Override
  protected void connectionMade() {
    connected = true;
  }

  @Override
  protected void stringReceived(byte[] request) {
    if (answered) {
      return;
    }
    answered = true;
    int dot = indexOf(request, (byte) '.');
    if (dot < 0) {
      LOG.info("{}: a request without a '.' between name and poem; closing", peer());
      transport().loseConnection();
      return;
    }
    String name = new String(request, 0, dot, StandardCharsets.UTF_8);
    String poem = new String(request, dot + 1, request.length - dot - 1, StandardCharsets.UTF_8);
    if (LOG.isDebugEnabled()) { // peer() formats an address: not on every request
      LOG.debug("{}: {} for a poem of {} bytes", peer(), name, request.length - dot - 1);
    }
    Deferred<String> d = Deferred.maybeDeferredDeferred(() -> transformer.xform(name, poem));
    pending = d;
    d.addCallbacks(
        transformed -> {
          pending = null;
          if (connected) {
            sendString(transformed.getBytes(StandardCharsets.UTF_8));
            transport().loseConnection();
          }
          return null;
        },
        failure -> {
          pending = null;
          if (failure.check(CancelledException.class) == null || connected) {
            LOG.info("{}: {}", peer(), failure.getErrorMessage());
          }
          if (connected) {
            transport().loseConnection();
          }
          return null;
        });
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    connected = false;
    if (pending != null) {
      Deferred<String> d = pending;
      pending = null;
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: the client left before the reply; cancelling the transform", peer());
      }
      d.cancel();
    }
  }

  private String peer() {
    return Addresses.describe(transport().getPeer());
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
