package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twisted's {@code successResultOf}, {@code failureResultOf} and {@code assertNoResult} for the
 * coroutine tests. Reading a result adds a pass-through callback, as Twisted's helpers do; reading
 * a failure handles it.
 */
final class AsyncTestResults {
  private AsyncTestResults() {}

  /** Returns the value {@code d} holds now, failing the test if it has none or holds a failure. */
  static <T> T successOf(Deferred<T> d) {
    assertThat(d.hasResult()).as("%s has a result", d).isTrue();
    Object[] seen = new Object[1];
    d.addBoth(
        outcome -> {
          seen[0] = outcome;
          return outcome.get();
        });
    assertThat(seen[0]).isInstanceOf(Outcome.Success.class);
    @SuppressWarnings("unchecked")
    T value = ((Outcome.Success<T>) seen[0]).value();
    return value;
  }

  /** Returns the failure {@code d} holds now, handling it; fails the test if it holds none. */
  static Failure failureOf(Deferred<?> d) {
    assertThat(d.hasResult()).as("%s has a result", d).isTrue();
    Failure[] seen = new Failure[1];
    d.addErrback(
        f -> {
          seen[0] = f;
          return null;
        });
    assertThat(seen[0]).as("%s holds a failure", d).isNotNull();
    return seen[0];
  }

  /** Fails the test if {@code d} has a result now. */
  static void assertNoResult(Deferred<?> d) {
    assertThat(d.hasResult()).as("%s has no result", d).isFalse();
  }
}
