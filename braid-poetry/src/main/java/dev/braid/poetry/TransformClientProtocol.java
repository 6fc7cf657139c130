package dev.braid.poetry;

import dev.braid.net.ConnectionEnd;
import dev.braid.protocols.FramingError;
import dev.braid.protocols.NetstringReceiver;
import java.nio.charset.StandardCharsets;

/**
 * The client side of the transform protocol (the tutorial's {@code TransformClientProtocol}): sends
 * {@code NAME.POEM} as one netstring as soon as it is connected, and hands the first netstring it
 * receives to its factory, closing the connection.
 *
 * <p>Threading: reactor thread only.
 */
final class TransformClientProtocol extends NetstringReceiver {
  private final TransformClientFactory factory;
  private boolean connected;

  TransformClientProtocol(TransformClientFactory factory) {
    this.factory = factory;
  }

  @Override
  protected void connectionMade() {
    connected = true;
    sendString(factory.request());
  }

  @Override
  protected void stringReceived(byte[] string) {
    factory.handlePoem(new String(string, StandardCharsets.UTF_8));
    transport().loseConnection();
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    connected = false;
    FramingError error = parseError();
    if (error != null) {
      factory.replyRefused(error);
    }
  }

  /** Closes the connection at once (cancellation). */
  void abort() {
    if (connected) {
      transport().abortConnection();
    }
  }

  /** Whether the protocol has been connected (over TLS: the handshake has finished). */
  boolean isConnected() {
    return connected;
  }
}
