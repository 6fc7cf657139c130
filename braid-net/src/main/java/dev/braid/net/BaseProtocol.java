package dev.braid.net;

import java.util.Objects;

/**
 * A convenient base for protocols: Twisted's {@code twisted.internet.protocol.Protocol}. It keeps
 * the transport, tells whether the connection is up, and calls {@link #connectionMade()} once the
 * transport is set. Override what you need; every hook does nothing by default.
 *
 * <pre>{@code
 * final class Echo extends BaseProtocol {
 *   @Override
 *   public void dataReceived(byte[] data) {
 *     transport().write(data);
 *   }
 * }
 * }</pre>
 *
 * <p>Threading: reactor thread only, like every {@link Protocol}.
 */
public abstract class BaseProtocol implements Protocol {
  private Transport transport;
  private boolean connected;

  /** For subclasses. */
  protected BaseProtocol() {}

  /**
   * Keeps the transport, marks the protocol connected and calls {@link #connectionMade()}.
   *
   * @param transport this connection's transport
   */
  @Override
  public void makeConnection(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.connected = true;
    connectionMade();
  }

  /** The connection is up and {@link #transport()} can be used. Does nothing by default. */
  protected void connectionMade() {}

  /**
   * Bytes arrived; does nothing by default.
   *
   * @param data the bytes received
   */
  @Override
  public void dataReceived(byte[] data) {}

  /**
   * The connection closed; marks the protocol disconnected. Subclasses that override this should
   * call {@code super.connectionLost(reason)}.
   *
   * @param reason why it closed
   */
  @Override
  public void connectionLost(ConnectionEnd reason) {
    connected = false;
  }

  /**
   * {@return the transport given to {@link #makeConnection}}
   *
   * @throws IllegalStateException before {@link #makeConnection}
   */
  protected final Transport transport() {
    if (transport == null) {
      throw new IllegalStateException("not connected yet: makeConnection() has not been called");
    }
    return transport;
  }

  /**
   * {@return true while the connection is up: between {@link #makeConnection} and {@link
   * #connectionLost}}
   */
  public final boolean isConnected() {
    return connected;
  }
}
