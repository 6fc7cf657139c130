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
   * The attempt failed: no connection was made, or its protocol could not start. Whatever throws
   * while connecting ends here, never in a hung attempt: the network's errors, and this factory's
   * {@link #startedConnecting} or {@link #buildProtocol} or the protocol's {@link
   * Protocol#makeConnection} throwing (a protocol whose {@code makeConnection} threw has been told
   * {@link Protocol#connectionLost} first). Does nothing by default.
   *
   * @param connector the attempt; {@link Connector#connect()} tries again
   * @param reason why, naming the address and carrying the cause: refused, timed out, DNS lookup
   *     failed, bind failed, or what threw
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
