/**
 * Braid's reactor: one thread multiplexing non-blocking TCP connections and timers ({@code
 * dev.braid.reactor}), and the protocol, factory and transport contracts that user code implements
 * and uses ({@code dev.braid.net}).
 */
module dev.braid.reactor {
  requires transitive dev.braid.defer;
  requires org.slf4j;

  // Each running reactor's MBean (dev.braid:type=Reactor), and its flight-recorder events.
  requires java.management;
  requires jdk.jfr;

  exports dev.braid.reactor;
  exports dev.braid.net;
}
