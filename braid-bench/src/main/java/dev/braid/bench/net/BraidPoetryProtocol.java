package dev.braid.bench.net;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import java.util.Arrays;

/**
 * The poetry server's protocol on Braid, with the wire behaviour of {@code braid-poetry}'s (and the
 * tutorial's): on connect, write the whole poem and close; or, when paced, {@link Pacing#numBytes}
 * every {@link Pacing#delaySeconds}, then close. A stand-in until {@code braid-poetry} is on main.
 */
final class BraidPoetryProtocol extends BaseProtocol {
  private final byte[] poem;
  private final Pacing pacing;
  private final Clock clock;
  private int sent;
  private DelayedCall next;

  BraidPoetryProtocol(byte[] poem, Pacing pacing, Clock clock) {
    this.poem = poem;
    this.pacing = pacing;
    this.clock = clock;
  }

  @Override
  protected void connectionMade() {
    if (pacing.isAtOnce()) {
      transport().write(poem);
      transport().loseConnection();
    } else {
      sendNext();
    }
  }

  private void sendNext() {
    next = null;
    if (!isConnected()) {
      return;
    }
    int end = Math.min(poem.length, sent + pacing.numBytes());
    transport().write(Arrays.copyOfRange(poem, sent, end));
    sent = end;
    if (sent >= poem.length) {
      transport().loseConnection();
    } else {
      next = clock.callLater(pacing.delaySeconds(), this::sendNext);
    }
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    if (next != null && next.active()) {
      next.cancel();
    }
    next = null;
  }
}
