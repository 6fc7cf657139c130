package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ObjectAssert;

/**
 * AssertJ assertions on a {@link Deferred}'s current result, with trial's semantics (see {@link
 * DeferredAssertions}: reading a result consumes it).
 *
 * <pre>{@code
 * import static dev.braid.test.DeferredAssert.assertThat;
 *
 * assertThat(client.getPoem()).hasNoResult();
 * transport.connectionLost(new ConnectionDone());
 * assertThat(client.getPoem()).succeedsWith("Spring and Fall");
 * assertThat(failing).failsWith(ConnectionLost.class).hasMessageContaining("reset");
 * }</pre>
 *
 * <p>Threading: call on the thread that owns the Deferred.
 *
 * @param <T> the Deferred's result type
 */
public final class DeferredAssert<T> extends AbstractAssert<DeferredAssert<T>, Deferred<T>> {
  private DeferredAssert(Deferred<T> actual) {
    super(actual, DeferredAssert.class);
  }

  /**
   * Starts an assertion on {@code deferred}.
   *
   * @param deferred the Deferred under test
   * @param <T> its result type
   * @return the assertion
   */
  public static <T> DeferredAssert<T> assertThat(Deferred<T> deferred) {
    return new DeferredAssert<>(deferred);
  }

  /**
   * Verifies that the Deferred has no result: unfired, paused, or waiting on another Deferred. The
   * Deferred is left unchanged.
   *
   * @return this assertion
   */
  public DeferredAssert<T> hasNoResult() {
    isNotNull();
    DeferredAssertions.assertNoResult(actual);
    return this;
  }

  /**
   * Verifies that the Deferred has succeeded with a value equal to {@code expected}, consuming it.
   *
   * @param expected the expected value; may be null
   * @return this assertion
   */
  public DeferredAssert<T> succeedsWith(T expected) {
    T value = value();
    if (!Objects.equals(value, expected)) {
      failWithActualExpectedAndMessage(
          value,
          expected,
          "Expected %s to succeed with%n  %s%nbut it succeeded with%n  %s",
          actual,
          expected,
          value);
    }
    return this;
  }

  /**
   * Verifies that the Deferred has succeeded, consuming the value, and returns an assertion on it.
   *
   * @return an AssertJ assertion on the value
   */
  public ObjectAssert<T> succeeds() {
    return Assertions.assertThat(value());
  }

  /**
   * Verifies that the Deferred has failed, with one of {@code types} if any are given, consuming
   * the failure, and returns an assertion on its exception.
   *
   * @param types the accepted exception types; none means any
   * @return an AssertJ assertion on the failure's exception
   */
  public AbstractThrowableAssert<?, ? extends Throwable> failsWith(Class<?>... types) {
    isNotNull();
    Failure failure = DeferredAssertions.failureResultOf(actual, types);
    return Assertions.assertThat(failure.value());
  }

  private T value() {
    isNotNull();
    return DeferredAssertions.successResultOf(actual);
  }
}
