/**
 * Braid's test kit, Twisted's trial and {@code twisted.internet.testing} for Java: {@link
 * dev.braid.test.StringTransport}, {@link dev.braid.test.MemoryReactor}, in-memory connected pairs
 * ({@link dev.braid.test.ConnectedPair}), Deferred assertions and a JUnit 5 extension ({@link
 * dev.braid.test.BraidExtension}) on virtual time.
 */
module dev.braid.test {
  requires transitive dev.braid.reactor;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.braid.test;

  uses dev.braid.test.ReactorProvider;
}
