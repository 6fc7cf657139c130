package dev.braid.sim;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;

/** Reads a fired Deferred's outcome without handling it twice. */
final class Outcomes {
  private Outcomes() {}

  /** The outcome of {@code d}, which must have fired; a failure counts as handled. */
  static <T> Outcome<T> of(Deferred<T> d) {
    if (!d.isCalled()) {
      throw new AssertionError("the Deferred has not fired: " + d);
    }
    java.util.List<Outcome<T>> out = new java.util.ArrayList<>();
    d.addBoth(
        o -> {
          out.add(o);
          return null;
        });
    return out.get(0);
  }

  static <T> T value(Deferred<T> d) {
    Outcome<T> o = of(d);
    if (o instanceof Outcome.Success<T> s) {
      return s.value();
    }
    throw new AssertionError(
        "failed: " + ((Outcome.Failed<T>) o).failure().value(),
        ((Outcome.Failed<T>) o).failure().value());
  }

  static Throwable failure(Deferred<?> d) {
    Outcome<?> o = of(d);
    if (o instanceof Outcome.Failed<?> f) {
      return f.failure().value();
    }
    throw new AssertionError("succeeded with " + ((Outcome.Success<?>) o).value());
  }
}
