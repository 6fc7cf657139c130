package dev.braid.test;

import dev.braid.defer.DelayedCall;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Transport;
import dev.braid.reactor.ReactorResources;
import java.util.ArrayList;
import java.util.List;

/**
 * Trial's dirty-reactor check, for any reactor: what a finished test left behind, read through
 * {@link ReactorResources} so that a {@link MemoryReactor} and a real reactor are judged alike.
 *
 * <p>Threading: on the thread that owns the reactor.
 */
final class Janitor {
  private Janitor() {}

  /**
   * Describes what {@code reactor} still holds: pending delayed calls, listening ports, connection
   * attempts in progress and open connections, in that order.
   *
   * @return one line per leftover; empty when clean
   */
  static List<String> leftovers(ReactorResources reactor) {
    List<String> found = new ArrayList<>();
    for (DelayedCall call : reactor.getDelayedCalls()) {
      found.add("pending delayed call: " + call);
    }
    for (ListeningPort port : reactor.listeningPorts()) {
      found.add("listening port: " + port);
    }
    for (Connector connector : reactor.connectionAttempts()) {
      found.add("connection attempt in progress: " + connector);
    }
    for (Transport connection : reactor.openConnections()) {
      found.add("open connection: " + connection);
    }
    return found;
  }
}
