package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Conformance section I and spec section 12: {@code maybeDeferred} and its typed variant. */
class MaybeDeferredTest {

  @Test
  void aPlainValueComesBackAsAFiredDeferredOfThatVeryValue() {
    Object x = new Object();
    assertThat(successResultOf(Deferred.maybeDeferred(() -> x))).isSameAs(x);
  }

  @Test
  void argumentsAreCapturedByTheLambda() {
    int argument = 10;
    assertThat(successResultOf(Deferred.maybeDeferred(() -> argument + 5))).isEqualTo(15);
  }

  @Test
  void aThrownExceptionComesBackAsAFailedDeferredWithThatException() {
    IllegalArgumentException e = new IllegalArgumentException("that value is unacceptable");
    Deferred<Object> d =
        Deferred.maybeDeferred(
            () -> {
              throw e;
            });
    Failure failure = failureResultOf(d, IllegalArgumentException.class);
    assertThat(failure.value()).isSameAs(e);
    assertThat(failure.getErrorMessage()).isEqualTo("that value is unacceptable");
  }

  @Test
  void aThrownCheckedExceptionComesBackAsAFailedDeferredToo() {
    Deferred<Object> d =
        Deferred.maybeDeferred(
            () -> {
              throw new java.io.IOException("disk");
            });
    failureResultOf(d, java.io.IOException.class);
  }

  @Test
  void aReturnedFailureComesBackAsAFailedDeferredWithTheSameFailureObject() {
    Failure f = Failure.of(new ClassCastException());
    assertThat(failureResultOf(Deferred.maybeDeferred(() -> f))).isSameAs(f);
  }

  @Test
  void aReturnedDeferredComesBackAsThatSameDeferred() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.maybeDeferredDeferred(() -> d1);
    assertThat(d2).isSameAs(d1);
    assertNoResult(d2);
    d1.callback("Success");
    assertThat(successResultOf(d2)).isEqualTo("Success");
  }

  @Test
  void aReturnedDeferredThatFailsLaterFailsTheResult() {
    Deferred<String> d3 = Deferred.create();
    Deferred<String> d4 = Deferred.maybeDeferredDeferred(() -> d3);
    d3.errback(Failure.of(new RuntimeException()));
    failureResultOf(d4, RuntimeException.class);
  }

  @Test
  void untypedMaybeDeferredAlsoReturnsADeferredItGetsAsThatSameDeferred() {
    Deferred<String> d1 = Deferred.create();
    Deferred<Object> d2 = Deferred.maybeDeferred(() -> d1);
    assertThat((Object) d2).isSameAs(d1);
  }

  @Test
  void maybeDeferredDeferredFailsWhenTheFunctionThrowsOrReturnsNull() {
    Deferred<String> thrown =
        Deferred.maybeDeferredDeferred(
            () -> {
              throw new IllegalStateException();
            });
    failureResultOf(thrown, IllegalStateException.class);
    Deferred<String> nothing = Deferred.maybeDeferredDeferred(() -> null);
    failureResultOf(nothing, NullPointerException.class);
  }

  @Test
  void theFunctionRunsSynchronouslyInsideTheCall() {
    StringBuilder ran = new StringBuilder();
    Deferred.maybeDeferred(() -> ran.append("ran"));
    assertThat(ran).hasToString("ran");
  }
}
