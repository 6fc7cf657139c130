package dev.braid.test;

import dev.braid.net.Producer;
import java.util.Objects;

/**
 * The producer registered with one of the fake transports ({@link StringTransport}, {@link
 * FakeTransport}), with the registration rules they share: one producer at a time, a producer
 * registered on a closed connection is stopped at once, and the end of the connection stops it.
 *
 * <p>Threading: the transport's.
 */
final class RegisteredProducer {
  private Producer producer;

  /**
   * Registers {@code newProducer}, or stops it at once if the connection is gone.
   *
   * @return true if it was registered
   * @throws IllegalStateException if a producer is registered already
   */
  boolean register(Producer newProducer, boolean connectionGone) {
    Objects.requireNonNull(newProducer, "producer");
    if (producer != null) {
      throw new IllegalStateException(
          "cannot register producer " + newProducer + ": " + producer + " is already registered");
    }
    if (connectionGone) {
      newProducer.stopProducing();
      return false;
    }
    producer = newProducer;
    return true;
  }

  void unregister() {
    producer = null;
  }

  /** The registered producer, or null. */
  Producer get() {
    return producer;
  }

  /** The connection ended: forgets the producer and stops it. */
  void stop() {
    Producer p = producer;
    if (p != null) {
      producer = null;
      p.stopProducing();
    }
  }
}
