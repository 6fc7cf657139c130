/**
 * Braid's reactor: one thread multiplexing non-blocking TCP connections and timers ({@code
 * dev.braid.reactor}), the engine that implements the contracts of {@code dev.braid.net} (which it
 * brings along: a program that requires this module reads that one too).
 */
module dev.braid.reactor {
  requires transitive dev.braid.net;
  requires transitive dev.braid.defer;
  requires org.slf4j;

  // Each running reactor's MBean (dev.braid:type=Reactor), and its flight-recorder events.
  requires java.management;
  requires jdk.jfr;

  exports dev.braid.reactor;
}
