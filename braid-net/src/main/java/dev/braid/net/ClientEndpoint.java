package dev.braid.net;

import dev.braid.defer.Deferred;

/**
 * Where a client connects to, independent of how: Twisted's {@code IStreamClientEndpoint}. Build
 * one with {@code dev.braid.reactor.Endpoints} (from code, or from a string such as {@code
 * "tcp:host=example.org:port=10000:timeout=5"}).
 *
 * <p>Threading: reactor thread only.
 */
@FunctionalInterface
public interface ClientEndpoint {
  /**
   * Connects once.
   *
   * @param factory builds the protocol once connected; a null protocol closes the connection and
   *     fails the Deferred
   * @return a Deferred fired with the protocol once it is connected ({@code makeConnection} has
   *     run), or failed with a {@link ConnectError}; cancelling it while connecting stops the
   *     attempt and fails it with {@link dev.braid.defer.CancelledException}
   */
  Deferred<Protocol> connect(Factory factory);
}
