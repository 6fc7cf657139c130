package dev.braid.poetry;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import java.io.ByteArrayOutputStream;

/**
 * The client side of the poetry protocol: collects the bytes the server sends until the connection
 * closes, then hands the poem to its {@link PoetryClientFactory} (the tutorial's {@code
 * PoetryProtocol}). A clean close ends the poem; a reset or an error is a failure, so a truncated
 * poem is never mistaken for a whole one when the transport can tell the difference.
 *
 * <p>A poem longer than the maximum, or one that does not fit in the heap, fails the download with
 * {@link PoemTooLargeException} and aborts the connection; the bytes held are dropped at once.
 *
 * <p>Threading: reactor thread only.
 */
final class PoetryProtocol extends BaseProtocol {
  private ByteArrayOutputStream poem = new ByteArrayOutputStream();
  private final PoetryClientFactory factory;
  private final long maxPoemBytes;
  private long received;

  PoetryProtocol(PoetryClientFactory factory, long maxPoemBytes) {
    this.factory = factory;
    this.maxPoemBytes = maxPoemBytes;
  }

  @Override
  public void dataReceived(byte[] data) {
    if (poem == null) {
      return; // given up: the connection is being aborted
    }
    received += data.length;
    if (received > maxPoemBytes) {
      giveUp(new PoemTooLargeException(maxPoemBytes, received));
      return;
    }
    try {
      poem.writeBytes(data);
    } catch (OutOfMemoryError e) {
      giveUp(new PoemTooLargeException(maxPoemBytes, received, e));
      return;
    }
    factory.progress(received);
  }

  private void giveUp(PoemTooLargeException reason) {
    poem = null; // lets the heap have it back before anything else runs
    factory.poemFailed(reason);
    abort();
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    if (poem == null) {
      return; // already failed
    }
    switch (reason) {
      case ConnectionDone done -> finished();
      case ConnectionLost lost ->
          factory.poemFailed(
              new ConnectionLost(
                  "connection lost after "
                      + received
                      + " bytes of poetry ("
                      + lost.getMessage()
                      + ")",
                  lost));
    }
  }

  private void finished() {
    byte[] whole;
    try {
      whole = poem.toByteArray();
    } catch (OutOfMemoryError e) {
      poem = null;
      factory.poemFailed(new PoemTooLargeException(maxPoemBytes, received, e));
      return;
    }
    poem = null;
    factory.poemFinished(whole);
  }

  /** Closes the connection at once, discarding the poem so far (cancellation, timeouts). */
  void abort() {
    if (isConnected()) {
      transport().abortConnection();
    }
  }
}
