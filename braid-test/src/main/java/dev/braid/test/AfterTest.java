package dev.braid.test;

import dev.braid.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deferreds a test hands to {@link BraidExtension} to be awaited when the test method returns
 * (trial's "return a Deferred from the test"). Ask for it as a test method parameter.
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
 * <p>After the test method returns, each Deferred is awaited in the order handed over, with the
 * {@link DeferredTimeout}; on virtual time the test's {@link dev.braid.defer.VirtualClock} is
 * advanced from timer to timer until the Deferred fires. A failure fails the test with its
 * exception; a Deferred that has not fired within the timeout fails it with a timeout. The result
 * is consumed, so a failure is never also reported as unhandled.
 *
 * <p>Why not return the Deferred, as trial allows? JUnit Jupiter runs only test methods that return
 * {@code void}.
 *
 * <p>Threading: the test's thread only.
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
