package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance section G and spec section 9: {@code addTimeout} on a virtual clock. */
class DeferredTimeoutTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private static final Deferred.OnTimeoutCancel<Object> OVERRIDE = (outcome, t) -> "OVERRIDDEN";

  private final VirtualClock clock = VirtualClock.create();
  private final List<Object> seen = new ArrayList<>();

  // --- Scenario 50 ------------------------------------------------------------------------------

  @Test
  void addTimeoutReturnsTheSameDeferredAndAResultInTimePassesThrough() {
    Deferred<Object> d = Deferred.create();
    assertThat(d.addTimeout(Duration.ofSeconds(5), clock)).isSameAs(d);
    d.addCallback(x -> "done");

    d.callback(null);

    assertThat(successResultOf(d)).isEqualTo("done");
  }

  @Test
  void anUnfiredDeferredTimesOutWithDeferredTimeoutException() {
    Deferred<Object> e = Deferred.create();
    e.addTimeout(TEN_SECONDS, clock);
    assertNoResult(e);

    clock.advance(15);

    Failure failure = failureResultOf(e, DeferredTimeoutException.class);
    DeferredTimeoutException timeout = (DeferredTimeoutException) failure.value();
    assertThat(timeout.timeout()).isEqualTo(TEN_SECONDS);
    assertThat(timeout).hasMessage("Deferred timed out after 10 seconds");
  }

  @Test
  void theTimeoutFiresExactlyAtTheDeadline() {
    Deferred<Object> e = Deferred.create();
    e.addTimeout(TEN_SECONDS, clock);

    clock.advance(9.999);
    assertNoResult(e);
    clock.advance(0.001);

    failureResultOf(e, DeferredTimeoutException.class);
  }

  // --- Scenario 52 ------------------------------------------------------------------------------

  @Test
  void aCustomOnTimeoutCancelTranslatesTheCancellation() {
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock, OVERRIDE);
    clock.advance(15);
    assertThat(successResultOf(d)).isEqualTo("OVERRIDDEN");
  }

  @Test
  void aCustomOnTimeoutCancelAlsoReplacesTheOutcomeOfACancellerThatErrbacks() {
    Deferred<Object> e = Deferred.create(x -> x.errback(new IllegalArgumentException("what!")));
    e.addTimeout(TEN_SECONDS, clock, OVERRIDE);
    clock.advance(15);
    assertThat(successResultOf(e)).isEqualTo("OVERRIDDEN");
  }

  @Test
  void aCustomOnTimeoutCancelReceivesTheCancellationOutcomeAndTheTimeout() {
    List<Object> given = new ArrayList<>();
    Deferred<Object> d = Deferred.create();
    d.addTimeout(
        TEN_SECONDS,
        clock,
        (outcome, timeout) -> {
          given.add(((Outcome.Failed<Object>) outcome).failure().type());
          given.add(timeout);
          throw new IllegalStateException("translated");
        });

    clock.advance(10);

    assertThat(given).containsExactly(CancelledException.class, TEN_SECONDS);
    assertThat(failureResultOf(d, IllegalStateException.class).getErrorMessage())
        .isEqualTo("translated");
  }

  // --- Scenario 53 ------------------------------------------------------------------------------

  @Test
  void aCancellersSuccessWinsOverTheTimeoutError() {
    Deferred<Object> d = Deferred.create(x -> x.callback("I was cancelled!"));
    d.addTimeout(TEN_SECONDS, clock);
    clock.advance(15);
    assertThat(successResultOf(d)).isEqualTo("I was cancelled!");
  }

  @Test
  void aCancellersOwnErrorWinsOverTheTimeoutError() {
    IllegalArgumentException err = new IllegalArgumentException("what!");
    Deferred<Object> e = Deferred.create(x -> x.errback(err));
    e.addTimeout(TEN_SECONDS, clock);
    clock.advance(15);
    assertThat(failureResultOf(e, IllegalArgumentException.class).value()).isSameAs(err);
  }

  // --- Scenario 55 ------------------------------------------------------------------------------

  private Deferred<Object> withErrbackBeforeTimeout(boolean trapsCancellation) {
    Deferred<Object> d = Deferred.create();
    d.addErrback(
        f -> {
          seen.add(f);
          if (trapsCancellation) {
            f.trap(CancelledException.class);
            return null;
          }
          return f;
        });
    return d;
  }

  @Test
  void errbacksAddedBeforeAddTimeoutSeeTheCancellationAndTheTimeoutErrorFollows() {
    Deferred<Object> d = withErrbackBeforeTimeout(false);
    d.addTimeout(TEN_SECONDS, clock);
    clock.advance(15);
    assertThat(seen)
        .singleElement()
        .satisfies(f -> assertThat(((Failure) f).value()).isInstanceOf(CancelledException.class));
    failureResultOf(d, DeferredTimeoutException.class);
  }

  @Test
  void anErrbackAddedBeforeAddTimeoutThatHandlesTheCancellationSuppressesTheTimeoutError() {
    Deferred<Object> d = withErrbackBeforeTimeout(true);
    d.addTimeout(TEN_SECONDS, clock);
    clock.advance(15);
    assertThat(seen).hasSize(1);
    assertThat(successResultOf(d)).isNull();
  }

  @Test
  void errbacksAddedBeforeAddTimeoutSeeTheCancellationAndTheCustomTranslationFollows() {
    Deferred<Object> d = withErrbackBeforeTimeout(false);
    d.addTimeout(TEN_SECONDS, clock, OVERRIDE);
    clock.advance(15);
    assertThat(seen).hasSize(1);
    assertThat(successResultOf(d)).isEqualTo("OVERRIDDEN");
  }

  @Test
  void theCustomTranslationRunsEvenWhenAnEarlierErrbackHandledTheCancellation() {
    Deferred<Object> d = withErrbackBeforeTimeout(true);
    d.addTimeout(TEN_SECONDS, clock, OVERRIDE);
    clock.advance(15);
    assertThat(seen).hasSize(1);
    assertThat(successResultOf(d)).isEqualTo("OVERRIDDEN");
  }

  // --- Scenario 56 ------------------------------------------------------------------------------

  @Test
  void aCancellerThatResumesTheChainGivesItsValueToCallbacksAndToTheEnd() {
    String success = new String("success");
    Deferred<Object> d = Deferred.create(x -> x.callback(success));
    d.addCallback(
        r -> {
          seen.add(r);
          return r;
        });
    d.addTimeout(TEN_SECONDS, clock);

    clock.advance(15);

    assertThat(seen).singleElement().isSameAs(success);
    assertThat(successResultOf(d)).isSameAs(success);
  }

  @Test
  void aCancellerThatResumesTheChainIsStillOverriddenByACustomTranslation() {
    Deferred<Object> d = Deferred.create(x -> x.callback("success"));
    d.addCallback(
        r -> {
          seen.add(r);
          return r;
        });
    d.addTimeout(TEN_SECONDS, clock, OVERRIDE);

    clock.advance(15);

    assertThat(seen).containsExactly("success");
    assertThat(successResultOf(d)).isEqualTo("OVERRIDDEN");
  }

  // --- Spec section 9 ---------------------------------------------------------------------------

  @Test
  void aResultBeforeTheTimeoutCancelsTheTimerAndInnerDeferredsReturnedLaterAreNeverCancelled() {
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock);
    d.callback("in time");
    assertThat(clock.getDelayedCalls()).isEmpty();
    Deferred<Object> inner = Deferred.create(x -> seen.add("inner cancelled"));
    d.addCallbackDeferred(r -> inner);

    clock.advance(15);

    assertThat(seen).isEmpty();
    assertNoResult(d);
  }

  @Test
  void aFailureBeforeTheTimeoutIsKeptAndCancelsTheTimer() {
    GenericError error = new GenericError();
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock);
    d.errback(error);
    clock.advance(15);
    assertThat(clock.getDelayedCalls()).isEmpty();
    assertThat(failureResultOf(d).value()).isSameAs(error);
  }

  @Test
  void aManualCancelBeforeTheTimeoutKeepsTheCancelledException() {
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock);
    d.cancel();
    assertThat(clock.getDelayedCalls()).isEmpty();
    failureResultOf(d, CancelledException.class);
  }

  @Test
  void aManualCancelBeforeTheTimeoutIsNotTranslatedByACustomOnTimeoutCancel() {
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock, OVERRIDE);
    d.cancel();
    failureResultOf(d, CancelledException.class);
  }

  @Test
  void theTimeoutCoversOnlyTheCallbacksAddedBeforeIt() {
    // A callback added after addTimeout that waits on an inner Deferred is not timed: the timer
    // stopped when the chain before it finished.
    Deferred<Object> inner = Deferred.create(x -> seen.add("inner cancelled"));
    Deferred<Object> d = Deferred.create();
    d.addTimeout(TEN_SECONDS, clock);
    d.addCallbackDeferred(r -> inner);
    clock.advance(5);
    d.callback(null);

    clock.advance(15);

    assertThat(seen).isEmpty();
    assertNoResult(d);
  }

  @Test
  void aTimeoutWhileWaitingOnAnInnerCancelsTheInner() {
    Deferred<Object> inner = Deferred.create(x -> seen.add("inner cancelled"));
    Deferred<Object> d = Deferred.create();
    d.addCallbackDeferred(r -> inner);
    d.addTimeout(TEN_SECONDS, clock);
    d.callback(null);

    clock.advance(10);

    assertThat(seen).containsExactly("inner cancelled");
    failureResultOf(d, DeferredTimeoutException.class);
  }
}
