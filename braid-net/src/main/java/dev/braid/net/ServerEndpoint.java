package dev.braid.net;

import dev.braid.defer.Deferred;

/**
 * Where a server listens, independent of how: Twisted's {@code IStreamServerEndpoint}. Build one
 * with {@code dev.braid.reactor.Endpoints} (from code, or from a string such as {@code
 * "tcp:10000:interface=127.0.0.1"}).
 *
 * <p>Threading: reactor thread only.
 */
@FunctionalInterface
public interface ServerEndpoint {
  /**
   * Starts listening.
   *
   * @param factory builds a protocol per accepted connection
   * @return a Deferred of the listening port, failed if it cannot listen (for TCP with an {@link
   *     java.io.UncheckedIOException} naming the address)
   */
  Deferred<ListeningPort> listen(Factory factory);
}
