/**
 * Braid's test kit, Twisted's trial and {@code twisted.internet.testing} for Java: {@link
 * dev.braid.test.StringTransport}, {@link dev.braid.test.MemoryReactor}, in-memory connected pairs
 * ({@link dev.braid.test.ConnectedPair}), Deferred assertions, the {@link
 * dev.braid.test.TransportContract} and a JUnit 5 extension ({@link dev.braid.test.BraidExtension})
 * on virtual time or on a real reactor running the test on its thread. It re-exports the
 * deterministic simulation ({@code dev.braid.sim}): whole programs on simulated hosts and a network
 * with seeded faults.
 */
module dev.braid.test {
  requires transitive dev.braid.reactor;
  requires transitive dev.braid.sim;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.braid.test;
}
