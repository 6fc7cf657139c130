package dev.braid.poetry;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.PushProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the poetry protocol: writes the poem, at once or in timed pieces, then closes.
 * Reads nothing. If the client goes away first, the next piece is never scheduled.
 *
 * <p>"At once" means as fast as the client reads: a poem longer than {@value #PIECE} bytes is
 * written by a {@link PushProducer} in pieces of that size, which the transport pauses while more
 * than its high-water mark is queued. So a client that never reads costs the queued pieces (the
 * transport's high-water mark plus one piece), not a copy of the poem, and every write is a sign of
 * progress for an idle timeout.
 *
 * <p>Threading: reactor thread only.
 */
final class PoetryServerProtocol extends BaseProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(PoetryServerProtocol.class);

  /** Poems longer than this go out through a producer, in pieces of this size. */
  static final int PIECE = 16 * 1024;

  private final PoetryService service;
  private final Clock clock;
  private int sent;
  private DelayedCall next;
  private Streamer streamer;

  PoetryServerProtocol(PoetryService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  @Override
  protected void connectionMade() {
    Pacing pacing = service.pacing();
    if (pacing.isAtOnce() || service.length() == 0) {
      if (service.length() <= PIECE) {
        transport().write(service.bytes());
        sent = service.length();
        transport().loseConnection();
      } else {
        streamer = new Streamer();
        transport().registerProducer(streamer);
        streamer.resumeProducing();
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
    if (streamer != null) {
      streamer.stopped = true;
    }
    if (sent < service.length()) {
      LOG.debug(
          "client left after {} of {} bytes: {}", sent, service.length(), reason.getMessage());
    }
  }

  /** For tests: how many bytes have been handed to the transport. */
  int sent() {
    return sent;
  }

  /** Writes pieces until paused, stopped or done; then unregisters itself and closes. */
  private final class Streamer implements PushProducer {
    boolean paused;
    boolean stopped;
    private boolean writing;

    @Override
    public void resumeProducing() {
      paused = false;
      if (writing) {
        return; // resumed from inside a write: the loop below goes on
      }
      writing = true;
      try {
        while (!paused && !stopped && sent < service.length()) {
          byte[] piece = service.piece(sent, PIECE);
          sent += piece.length;
          transport().write(piece);
        }
      } finally {
        writing = false;
      }
      if (!stopped && sent >= service.length()) {
        stopped = true;
        transport().unregisterProducer();
        transport().loseConnection();
      }
    }

    @Override
    public void pauseProducing() {
      paused = true;
    }

    @Override
    public void stopProducing() {
      stopped = true;
    }
  }
}
