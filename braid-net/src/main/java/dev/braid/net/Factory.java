package dev.braid.net;

import java.net.InetSocketAddress;

/**
 * Builds one {@link Protocol} per connection: Twisted's {@code Factory} and {@code ServerFactory}.
 * A lambda is a factory: {@code reactor.listenTCP(0, address -> new Echo())}.
 *
 * <p>{@link #startFactory()} runs before the first port or connector starts using the factory and
 * {@link #stopFactory()} after the last one stops (Twisted's {@code doStart}/{@code doStop}
 * counting), so a factory shared by several ports starts and stops once.
 *
 * <p>Threading: called on the reactor thread. Errors: an exception from {@code buildProtocol} is
 * logged and that connection is closed.
 */
@FunctionalInterface
public interface Factory {
  /**
   * Builds the protocol for a new connection.
   *
   * @param address the peer's address
   * @return the protocol, or null to refuse the connection (it is closed at once)
   */
  Protocol buildProtocol(InetSocketAddress address);

  /** The first port or connector started using this factory. Does nothing by default. */
  default void startFactory() {}

  /** The last port or connector stopped using this factory. Does nothing by default. */
  default void stopFactory() {}
}
