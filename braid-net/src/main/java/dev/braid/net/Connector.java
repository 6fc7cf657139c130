package dev.braid.net;

import java.net.InetSocketAddress;

/**
 * An outgoing connection attempt and the connection it makes: Twisted's {@code IConnector}.
 *
 * <p>Threading: reactor thread only.
 */
public interface Connector {
  /**
   * Starts a new attempt to the same destination, e.g. to reconnect after a loss or a failure (from
   * the factory's callbacks, too).
   *
   * @throws IllegalStateException if it is already connecting or connected
   */
  void connect();

  /**
   * Abandons the attempt while it is still connecting; the factory's {@code clientConnectionFailed}
   * is called with a {@link ConnectError} before this method returns (as in Twisted).
   *
   * @throws IllegalStateException if it is not connecting
   */
  void stopConnecting();

  /** Closes the connection if connected, or stops connecting if still connecting. */
  void disconnect();

  /**
   * {@return where this connector connects to: the destination host and port, unresolved when it
   * was given a host name}
   */
  InetSocketAddress getDestination();
}
