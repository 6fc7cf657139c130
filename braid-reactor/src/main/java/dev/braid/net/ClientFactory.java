package dev.braid.net;

/**
 * A factory for outgoing connections, told how each attempt went: Twisted's {@code ClientFactory}.
 * Give it to {@code connectTCP}.
 *
 * <p>Threading: called on the reactor thread.
 */
public interface ClientFactory extends Factory {
  /**
   * A connection attempt has begun. Does nothing by default.
   *
   * @param connector the attempt, which can be stopped
   */
  default void startedConnecting(Connector connector) {}

  /**
   * The attempt failed; no protocol was built. Does nothing by default.
   *
   * @param connector the attempt; {@link Connector#connect()} tries again
   * @param reason why: refused, timed out, DNS lookup failed, ...
   */
  default void clientConnectionFailed(Connector connector, ConnectError reason) {}

  /**
   * A connection made through this factory has closed, after its protocol's {@link
   * Protocol#connectionLost}. Does nothing by default.
   *
   * @param connector the connector; {@link Connector#connect()} reconnects
   * @param reason how it ended
   */
  default void clientConnectionLost(Connector connector, ConnectionEnd reason) {}
}
