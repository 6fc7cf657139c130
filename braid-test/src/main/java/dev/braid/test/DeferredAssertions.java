package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Reads a Deferred's result synchronously, as trial's {@code TestCase.successResultOf}, {@code
 * failureResultOf} and {@code assertNoResult} do.
 *
 * <p>Semantics are trial's, exactly: reading a result adds an {@code addBoth} to the Deferred,
 * which <em>consumes</em> it: afterwards the Deferred holds null, and a failure counts as handled
 * (so it is not reported as unhandled). {@link #assertNoResult} leaves the Deferred as it was. A
 * Deferred that is paused or waiting on another Deferred has no result.
 *
 * <p>Failures are {@link AssertionError}s whose message names the Deferred and what was found. For
 * AssertJ style see {@link DeferredAssert}.
 *
 * <p>Threading: call on the thread that owns the Deferred.
 */
public final class DeferredAssertions {
  private DeferredAssertions() {}

  /**
   * Returns the value {@code deferred} has succeeded with, consuming it (trial's {@code
   * successResultOf}).
   *
   * @param deferred a Deferred that should already have succeeded
   * @param <T> its result type
   * @return the value
   * @throws AssertionError if it has no result yet, or has failed (the failure is then consumed)
   */
  public static <T> T successResultOf(Deferred<T> deferred) {
    Outcome<T> outcome = consume(deferred);
    if (outcome == null) {
      throw new AssertionError(
          "Success result expected on " + deferred + ", found no result instead");
    }
    if (outcome instanceof Outcome.Failed<T>(Failure failure)) {
      AssertionError error =
          new AssertionError(
              "Success result expected on "
                  + deferred
                  + ", found failure result instead:\n"
                  + failure.getTraceback());
      error.initCause(failure.value());
      throw error;
    }
    return ((Outcome.Success<T>) outcome).value();
  }

  /**
   * Returns the failure {@code deferred} has failed with, consuming it (trial's {@code
   * failureResultOf}).
   *
   * @param deferred a Deferred that should already have failed
   * @param expectedTypes the exception types accepted; none means any
   * @return the failure
   * @throws AssertionError if it has no result yet, succeeded, or failed with another type
   */
  public static Failure failureResultOf(Deferred<?> deferred, Class<?>... expectedTypes) {
    Outcome<?> outcome = consume(deferred);
    if (outcome == null) {
      throw new AssertionError(
          "Failure result expected on " + deferred + ", found no result instead");
    }
    if (outcome instanceof Outcome.Success<?>(Object value)) {
      throw new AssertionError(
          "Failure result expected on "
              + deferred
              + ", found success result ("
              + value
              + ") instead");
    }
    Failure failure = ((Outcome.Failed<?>) outcome).failure();
    if (expectedTypes.length > 0 && failure.check(expectedTypes) == null) {
      AssertionError error =
          new AssertionError(
              "Failure of type ("
                  + Arrays.stream(expectedTypes)
                      .map(Class::getName)
                      .collect(Collectors.joining(" or "))
                  + ") expected on "
                  + deferred
                  + ", found type "
                  + failure.type().getName()
                  + " instead: "
                  + failure.getTraceback());
      error.initCause(failure.value());
      throw error;
    }
    return failure;
  }

  /**
   * Asserts that {@code deferred} has no result yet, leaving it unchanged (trial's {@code
   * assertNoResult}). If it does have one and it is a failure, the failure is consumed, since this
   * assertion reports it.
   *
   * @param deferred a Deferred that should not have fired, or be paused or waiting
   * @throws AssertionError if it has a result
   */
  public static void assertNoResult(Deferred<?> deferred) {
    Outcome<?> outcome = peek(deferred);
    if (outcome != null) {
      if (!outcome.isSuccess()) {
        deferred.addErrback(failure -> null);
      }
      throw new AssertionError(
          "No result expected on " + deferred + ", found " + describe(outcome) + " instead");
    }
  }

  private static String describe(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Success<?>(Object value) -> "success result (" + value + ")";
      case Outcome.Failed<?>(Failure failure) -> "failure result " + failure;
    };
  }

  /** Reads the current result without consuming it, or returns null when there is none. */
  static <T> Outcome<T> peek(Deferred<T> deferred) {
    Objects.requireNonNull(deferred, "deferred");
    if (!deferred.hasResult()) {
      return null;
    }
    AtomicReference<Outcome<T>> seen = new AtomicReference<>();
    deferred.addBoth(
        outcome -> {
          seen.set(outcome);
          return outcome instanceof Outcome.Failed<T>(Failure failure) ? failure : outcome.get();
        });
    return seen.get();
  }

  /**
   * Reads and consumes the current result: the Deferred then holds null and a failure is handled.
   * Returns null when there is no result; the added callback then stays in the chain and consumes
   * the result when it comes, as in trial.
   */
  static <T> Outcome<T> consume(Deferred<T> deferred) {
    Objects.requireNonNull(deferred, "deferred");
    AtomicReference<Outcome<T>> seen = new AtomicReference<>();
    deferred.addBoth(
        outcome -> {
          seen.set(outcome);
          return null;
        });
    return seen.get();
  }
}
