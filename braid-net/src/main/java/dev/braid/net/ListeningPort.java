package dev.braid.net;

import dev.braid.defer.Deferred;
import java.net.InetSocketAddress;

/**
 * A port accepting connections: Twisted's {@code IListeningPort}.
 *
 * <p>Threading: reactor thread only.
 */
public interface ListeningPort {
  /**
   * {@return the address this port listens on, with the real port number when port 0 was asked for}
   */
  InetSocketAddress getHost();

  /**
   * Stops accepting connections and closes the port; connections already accepted go on.
   * Idempotent.
   *
   * @return a Deferred fired (with null) once the port is closed
   */
  Deferred<Void> stopListening();
}
