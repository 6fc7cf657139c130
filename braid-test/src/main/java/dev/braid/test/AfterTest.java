package dev.braid.test;

import dev.braid.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deferreds a test hands to {@link BraidExtension} to be awaited when the test method returns
 * (trial's "return a Deferred from the test"). Ask for it as a test or lifecycle method parameter.
 *
 * <pre>{@code
 * @Test
 * void poemArrives(MemoryReactor reactor, AfterTest afterTest) {
 *   Deferred<String> poem = PoetryClient.getPoetry(reactor, "localhost", 10000);
 *   ...
 *   afterTest.await(poem.addCallback(text -> { assertThat(text).contains("Roses"); return null; }));
 * }
 * }</pre>
 *
 * <p>After the method that handed them over returns (a {@code @BeforeEach} or {@code @AfterEach}
 * method may hand over Deferreds too, as trial's {@code setUp} and {@code tearDown} may return
 * one), the Deferreds are awaited in the order handed over, all within one {@link DeferredTimeout}:
 * with a real reactor in real time while it runs; otherwise the test's {@link
 * dev.braid.defer.VirtualClock} is advanced from timer to timer until they fire. A failure fails
 * the test with its exception; a Deferred that has not fired by the deadline fails it with a
 * timeout. The Deferreds still unfired then are cancelled. Every result is consumed, so a failure
 * is never also reported as unhandled.
 *
 * <p>Why not return the Deferred, as trial allows? JUnit Jupiter runs only test methods that return
 * {@code void}.
 *
 * <p>Threading: the thread that runs the test method: the reactor thread when the test has a real
 * reactor, JUnit's thread otherwise.
 */
public final class AfterTest {
  private final List<Deferred<?>> deferreds = new ArrayList<>();

  AfterTest() {}

  /**
   * Hands {@code deferred} over, to be awaited when the test method returns.
   *
   * @param deferred the Deferred the test's outcome depends on
   * @param <T> its result type
   * @return {@code deferred}, for chaining
   */
  public <T> Deferred<T> await(Deferred<T> deferred) {
    deferreds.add(Objects.requireNonNull(deferred, "deferred"));
    return deferred;
  }

  List<Deferred<?>> drain() {
    List<Deferred<?>> all = List.copyOf(deferreds);
    deferreds.clear();
    return all;
  }
}
