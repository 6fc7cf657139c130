package dev.braid.reactor;

import dev.braid.defer.DelayedCall;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Transport;
import java.util.List;

/**
 * What a reactor holds now: its pending delayed calls, listening ports, connection attempts in
 * progress and open connections. A test kit's janitor reads these when a test ends and fails the
 * test if any is left (trial's dirty-reactor check, which reads Twisted's {@code getDelayedCalls()}
 * and {@code getReaders()}/{@code getWriters()}); diagnostics may read them too. Implemented by
 * {@link SelectorReactor} and by the test kit's {@code MemoryReactor}, so that one janitor serves
 * both (ADR 0041).
 *
 * <p>Read-only: each method returns an unmodifiable snapshot, oldest first; closing what it lists
 * is done through the objects themselves.
 *
 * <p>Threading: on the thread that owns the reactor, as its other methods (a {@link
 * SelectorReactor}'s reactor thread, or any thread before {@code run()}; a {@code MemoryReactor}'s
 * test thread).
 */
public interface ReactorResources {
  /**
   * {@return the delayed calls scheduled and neither run nor cancelled, earliest first}
   *
   * @throws IllegalStateException if called off the thread that owns the reactor, where the reactor
   *     checks
   */
  List<DelayedCall> getDelayedCalls();

  /**
   * {@return the ports listening now: opened with {@code listenTCP} and not yet told to {@code
   * stopListening()}}
   *
   * @throws IllegalStateException if called off the thread that owns the reactor, where the reactor
   *     checks
   */
  List<? extends ListeningPort> listeningPorts();

  /**
   * {@return the outgoing connection attempts in progress: {@code connectTCP} (or a connector's
   * {@code connect()}) called, and neither connected nor failed yet}
   *
   * @throws IllegalStateException if called off the thread that owns the reactor, where the reactor
   *     checks
   */
  List<? extends Connector> connectionAttempts();

  /**
   * {@return the open connections, accepted and connected alike; when a connection leaves the list
   * is each reactor's to say}
   *
   * @throws IllegalStateException if called off the thread that owns the reactor, where the reactor
   *     checks
   */
  List<? extends Transport> openConnections();
}
