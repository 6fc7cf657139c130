/**
 * Test doubles and assertions for code written against Braid's reactor contracts.
 *
 * <ul>
 *   <li>{@link dev.braid.test.StringTransport}: a transport that records writes (Twisted's {@code
 *       StringTransport} and {@code StringTransportWithDisconnection}).
 *   <li>{@link dev.braid.test.MemoryReactor}: records {@code listenTCP}/{@code connectTCP} and lets
 *       the test complete or fail them; its time is a {@link dev.braid.defer.VirtualClock}.
 *   <li>{@link dev.braid.test.ConnectedPair}: a server and a client protocol joined in memory
 *       (Twisted's {@code iosim}), with chunking, latency, stalls, resets and backpressure.
 *   <li>{@link dev.braid.test.DeferredAssertions} and {@link dev.braid.test.DeferredAssert}:
 *       trial's {@code successResultOf}, {@code failureResultOf}, {@code assertNoResult}.
 *   <li>{@link dev.braid.test.TransportContract}: the {@code Transport} contract as tests, run
 *       against both fakes and against real TCP on loopback, so that the fakes cannot drift.
 *   <li>{@link dev.braid.test.BraidExtension}: injects the fakes on a virtual clock, or a real
 *       {@code SelectorReactor} on a thread of its own that runs the test method (as trial does);
 *       awaits Deferreds handed to it and fails a test that leaves delayed calls, open ports or
 *       connections, or unhandled failed Deferreds behind (trial's janitor).
 *   <li>For tests on real sockets: {@link dev.braid.test.RunningReactor}, a real reactor on a
 *       thread of its own driven from the test's thread ({@code listen} opens a loopback port on
 *       it); {@link dev.braid.test.FullBacklogPort}, a loopback port whose accept queue is full (a
 *       connect timeout); {@link dev.braid.test.FaultyRelay}, faults between a client and a server.
 *   <li>Whole programs under seeded faults, on virtual time: {@link dev.braid.sim.Simulation} (in
 *       the module {@code dev.braid.sim}, which this module re-exports): named hosts that are whole
 *       reactors, an in-memory network with latency, chunking, resets, clean closes, hangs,
 *       partitions and crashes, and the same run for the same seed.
 * </ul>
 *
 * <p>The fakes use neither the wall clock nor sockets; the real-socket helpers use loopback and
 * ephemeral ports only. Threading: every class is meant for the thread that runs the test: JUnit's
 * thread on virtual time, the reactor thread with a real reactor.
 */
package dev.braid.test;
