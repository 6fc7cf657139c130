package dev.braid.examples.tutorial.part8;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client 4.0's protocol: collects the poem's bytes and, when the connection ends, hands the poem to
 * its factory. Unlike the tutorial's, it tells a clean close (the whole poem) from a reset (a poem
 * cut short), as Braid's own poetry client does.
 */
final class PoetryProtocol extends BaseProtocol {
  private final PoetryClientFactory factory;
  private final ByteArrayOutputStream poem = new ByteArrayOutputStream();

  PoetryProtocol(PoetryClientFactory factory) {
    this.factory = factory;
  }

  @Override
  public void dataReceived(byte[] data) {
    poem.writeBytes(data);
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    if (reason instanceof ConnectionDone) {
      poemReceived(poem.toString(StandardCharsets.UTF_8));
    } else {
      factory.poemFailed(reason);
    }
  }

  private void poemReceived(String text) {
    factory.poemFinished(text);
  }
}
