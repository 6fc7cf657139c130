package dev.braid.poetry;

import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.util.Arrays;

/**
 * Writes one poem to a transport as fast as the peer reads it, then closes: a {@link PushProducer}
 * that writes pieces of {@value #PIECE} bytes until the transport pauses it (its queue is over the
 * high-water mark), goes on when resumed, and at the end unregisters itself and calls {@code
 * loseConnection()}. So a peer that does not read holds the transport's high-water mark plus one
 * piece, and every piece written is progress for an idle timeout (a single large write would be the
 * last sign of life however long the peer takes to read it).
 *
 * <p>Threading: reactor thread only.
 */
final class PoemStreamer implements PushProducer {
  /** The size of each write. */
  static final int PIECE = 16 * 1024;

  private final Transport transport;
  private final byte[] poem;
  private int sent;
  private boolean paused;
  private boolean stopped;
  private boolean writing;

  private PoemStreamer(Transport transport, byte[] poem) {
    this.transport = transport;
    this.poem = poem;
  }

  /**
   * Sends {@code poem} on {@code transport} and closes it: in one write if it is at most one piece,
   * otherwise through a registered streamer.
   *
   * @param transport the connection; nothing else may write to it meanwhile
   * @param poem the bytes; not copied, must not change
   * @return the streamer, or null if the poem went out in one write
   */
  static PoemStreamer send(Transport transport, byte[] poem) {
    if (poem.length <= PIECE) {
      transport.write(poem);
      transport.loseConnection();
      return null;
    }
    PoemStreamer streamer = new PoemStreamer(transport, poem);
    transport.registerProducer(streamer);
    streamer.resumeProducing();
    return streamer;
  }

  /** How many bytes have been handed to the transport. */
  int sent() {
    return sent;
  }

  @Override
  public void resumeProducing() {
    paused = false;
    if (writing) {
      return; // resumed from inside a write: the loop below goes on
    }
    writing = true;
    try {
      while (!paused && !stopped && sent < poem.length) {
        int end = Math.min(poem.length, sent + PIECE);
        byte[] piece = Arrays.copyOfRange(poem, sent, end);
        sent = end;
        transport.write(piece);
      }
    } finally {
      writing = false;
    }
    if (!stopped && sent >= poem.length) {
      stopped = true;
      transport.unregisterProducer();
      transport.loseConnection();
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
