/**
 * Deterministic simulation for Braid programs: one virtual clock, named hosts on an in-memory
 * network, faults drawn from one seeded random source, and the real protocols and factories running
 * unchanged on hosts that implement the reactor's interfaces. Same seed, same run. It depends on
 * the contracts only ({@code dev.braid.net}), so a program can ship it; the test kit ({@code
 * dev.braid.test}) re-exports it.
 */
module dev.braid.sim {
  requires transitive dev.braid.net;

  exports dev.braid.sim;
}
