package dev.braid.poetry;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the poetry protocol: writes the poem, at once or in timed pieces, then closes.
 * Reads nothing. If the client goes away first, the next piece is never scheduled.
 *
 * <p>"At once" means as fast as the client reads: a poem longer than one piece goes out through a
 * {@link PoemStreamer}, which the transport pauses while more than its high-water mark is queued.
 *
 * <p>Threading: reactor thread only.
 */
final class PoetryServerProtocol extends BaseProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(PoetryServerProtocol.class);

  private final PoetryService service;
  private final Clock clock;
  private int sent;
  private DelayedCall next;
  private PoemStreamer streamer;

  PoetryServerProtocol(PoetryService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  @Override
  protected void connectionMade() {
    Pacing pacing = service.pacing();
    if (pacing.isAtOnce() || service.length() == 0) {
      streamer = PoemStreamer.send(transport(), service.bytes());
      if (streamer == null) {
        sent = service.length();
      }
      return;
    }
    sendNext();
  }

  private void sendNext() {
    next = null;
    if (!isConnected()) {
      return;
    }
    Pacing pacing = service.pacing();
    byte[] piece = service.piece(sent, pacing.numBytes());
    sent += piece.length;
    LOG.debug("sending {} bytes of poetry to {}", piece.length, transport().getPeer());
    transport().write(piece);
    if (sent >= service.length()) {
      transport().loseConnection();
    } else {
      next = clock.callLater(pacing.delay(), this::sendNext);
    }
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    if (next != null && next.active()) {
      next.cancel();
    }
    next = null;
    if (sent() < service.length()) {
      LOG.debug(
          "client left after {} of {} bytes: {}", sent(), service.length(), reason.getMessage());
    }
  }

  /** For tests: how many bytes have been handed to the transport. */
  int sent() {
    return streamer != null ? streamer.sent() : sent;
  }
}
