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
 * <p>Threading: reactor thread only.
 */
final class PoetryProtocol extends BaseProtocol {
  private final ByteArrayOutputStream poem = new ByteArrayOutputStream();
  private final PoetryClientFactory factory;

  PoetryProtocol(PoetryClientFactory factory) {
    this.factory = factory;
  }

  @Override
  public void dataReceived(byte[] data) {
    poem.writeBytes(data);
    factory.progress(poem.size());
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    switch (reason) {
      case ConnectionDone done -> factory.poemFinished(poem.toByteArray());
      case ConnectionLost lost ->
          factory.poemFailed(
              new ConnectionLost(
                  "connection lost after "
                      + poem.size()
                      + " bytes of poetry ("
                      + lost.getMessage()
                      + ")",
                  lost));
    }
  }

  /** Closes the connection at once, discarding the poem so far (cancellation, timeouts). */
  void abort() {
    if (isConnected()) {
      transport().abortConnection();
    }
  }
}
