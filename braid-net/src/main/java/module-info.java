/**
 * Braid's network contracts, apart from the engine: protocols, factories, transports, endpoints,
 * connection ends and connect errors, producers, and the reactor's capability interfaces ({@code
 * ReactorCore}, {@code ReactorThreads}, {@code ReactorTcp}, and their sum {@code Reactor}), all in
 * {@code dev.braid.net}. Libraries of protocols depend on this module; the reactor that runs them
 * is {@code dev.braid.reactor}.
 */
module dev.braid.net {
  requires transitive dev.braid.defer;
  requires org.slf4j;

  exports dev.braid.net;
}
