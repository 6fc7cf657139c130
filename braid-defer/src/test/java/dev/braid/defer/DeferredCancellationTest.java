package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Conformance section F and spec section 8: cancellation. */
class DeferredCancellationTest {
  private final List<Object> callbacks = new ArrayList<>();
  private final List<Failure> errbacks = new ArrayList<>();
  private int cancellerCalls;

  private <T> Deferred<T> recording(Deferred<T> d) {
    d.addCallbacks(
        r -> {
          callbacks.add(r);
          return null;
        },
        f -> {
          errbacks.add(f);
          return null;
        });
    return d;
  }

  // --- Scenario 38: no canceller ----------------------------------------------------------------

  @Test
  void cancelWithoutACancellerErrbacksWithCancelledException() {
    Deferred<Object> d = recording(Deferred.create());

    d.cancel();

    assertThat(callbacks).isEmpty();
    assertThat(errbacks)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isInstanceOf(CancelledException.class));
  }

  @Test
  void cancelledExceptionIsTheJdksCancellationException() {
    Deferred<Object> d = Deferred.create();
    d.cancel();
    Failure f = failureResultOf(d, CancellationException.class);
    assertThat(f.check(CancelledException.class)).isEqualTo(CancelledException.class);
  }

  @Test
  void withoutACancellerExactlyOneLateCallbackIsSwallowedAndTheNextThrows() {
    Deferred<Object> d = recording(Deferred.create());
    d.cancel();

    d.callback("late"); // swallowed

    assertThatThrownBy(() -> d.callback("later")).isInstanceOf(AlreadyCalledException.class);
    assertThat(callbacks).isEmpty();
  }

  @Test
  void withoutACancellerExactlyOneLateErrbackIsSwallowedAndTheNextThrows() {
    Deferred<Object> d = recording(Deferred.create());
    d.cancel();

    d.errback(new GenericError()); // swallowed

    assertThatThrownBy(() -> d.errback(new GenericError()))
        .isInstanceOf(AlreadyCalledException.class);
    assertThat(errbacks).hasSize(1);
  }

  // --- Scenario 40 ------------------------------------------------------------------------------

  @Test
  void repeatedCancelIsANoOpAndKeepsTheFirstCancellationFailure() {
    Deferred<Object> d = recording(Deferred.create());
    d.cancel();
    Failure f1 = errbacks.get(errbacks.size() - 1);

    d.errback(new GenericError()); // swallowed
    d.cancel();

    assertThat(errbacks).containsExactly(f1);
    assertThat(f1.value()).isInstanceOf(CancelledException.class);
  }

  @Test
  void repeatedCancelAfterCancelAndALateCallbackIsANoOp() {
    Deferred<Object> d = recording(Deferred.create());
    d.cancel();
    d.callback("swallowed");
    d.cancel();
    d.cancel();
    assertThat(errbacks).hasSize(1);
    assertThat(callbacks).isEmpty();
  }

  // --- Scenario 41 ------------------------------------------------------------------------------

  @Test
  void aCancellerThatDoesNotFireIsCalledOnceThenCancelledExceptionFollowsAndLateFiresThrow() {
    List<Deferred<Object>> given = new ArrayList<>();
    Deferred<Object> d =
        Deferred.create(
            x -> {
              cancellerCalls++;
              given.add(x);
            });
    recording(d);

    d.cancel();
    d.cancel();

    assertThat(cancellerCalls).isEqualTo(1);
    assertThat(given).singleElement().isSameAs(d);
    assertThat(errbacks)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isInstanceOf(CancelledException.class));
    assertThatThrownBy(() -> d.callback(null)).isInstanceOf(AlreadyCalledException.class);
    assertThatThrownBy(() -> d.errback(new Exception())).isInstanceOf(AlreadyCalledException.class);
  }

  // --- Scenario 43 ------------------------------------------------------------------------------

  @Test
  void aCancellerThatErrbacksDecidesTheFailureAndNoCancelledExceptionIsAdded() {
    Deferred<Object> d = recording(Deferred.create(x -> x.errback(new GenericError())));
    d.cancel();
    assertThat(errbacks)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isInstanceOf(GenericError.class));
  }

  @Test
  void aCancellerThatCallsBackDecidesTheResult() {
    Deferred<String> e = recording(Deferred.create(x -> x.callback("hello!")));
    e.cancel();
    assertThat(callbacks).containsExactly("hello!");
    assertThat(errbacks).isEmpty();
  }

  // --- Scenario 44 and spec section 8: waiting Deferreds -----------------------------------------

  @Test
  void cancellingAWaitingDeferredCancelsTheInnerAndNotItsOwnCanceller() {
    int[] innerCalls = {0};
    Deferred<Object> b = Deferred.create(x -> innerCalls[0]++);
    Deferred<Object> a =
        Deferred.create(
            x -> {
              throw new AssertionError("outer canceller must not run");
            });
    a.callback(null);
    a.addCallbackDeferred(x -> b);

    a.cancel();
    recording(a);

    assertThat(innerCalls[0]).isEqualTo(1);
    assertThat(errbacks)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isInstanceOf(CancelledException.class));
  }

  @Test
  void cancellingThreeLevelsDeepReachesTheInnermostAndItsOutcomeFlowsBack() {
    Deferred<String> innermost = Deferred.create(x -> x.callback("stopped cleanly"));
    Deferred<Object> middle = Deferred.succeed(null);
    middle.addCallbackDeferred(x -> innermost);
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> middle);
    assertNoResult(outer);

    outer.cancel();

    assertThat(successResultOf(outer)).isEqualTo("stopped cleanly");
  }

  // --- Scenario 46 ------------------------------------------------------------------------------

  @Test
  void aCancellerThatThrowsPropagatesOutOfCancelAndTheDeferredStaysUnfired() {
    Deferred<Object> d =
        Deferred.create(
            x -> {
              throw new ArithmeticException("/ by zero");
            });

    assertThatThrownBy(d::cancel).isInstanceOf(ArithmeticException.class);

    assertNoResult(d);
    assertThat(d.isCalled()).isFalse();
  }

  // --- Scenario 47 ------------------------------------------------------------------------------

  @Test
  void cancelFromInsideTheDeferredsOwnCallbackIsANoOp() {
    List<String> log = new ArrayList<>();
    Deferred<Object> d = Deferred.create(x -> log.add("canceller!"));
    d.addCallback(
        r -> {
          d.cancel();
          log.add("after cancel");
          return r;
        });

    d.callback(1);

    assertThat(log).containsExactly("after cancel");
    assertThat(successResultOf(d)).isEqualTo(1);
  }

  // --- Scenario 49 ------------------------------------------------------------------------------

  @Test
  void cancellingAPausedUnfiredDeferredStoresTheCancellationUntilUnpause() {
    List<String> log = new ArrayList<>();
    Deferred<Object> d = Deferred.create();
    d.addBoth(
        r -> {
          log.add(
              r instanceof Outcome.Failed<Object> f ? f.failure().type().getSimpleName() : "ok");
          return null;
        });
    d.pause();

    d.cancel();
    assertThat(d.isCalled()).isTrue();
    assertThat(log).isEmpty();
    d.unpause();

    assertThat(log).containsExactly("CancelledException");
  }

  // --- Spec section 8: fired Deferreds ----------------------------------------------------------

  @Test
  void cancelAfterCallbackIsANoOpAndDoesNotCallTheCanceller() {
    Deferred<String> d = Deferred.create(x -> cancellerCalls++);
    d.callback("done");
    d.cancel();
    assertThat(cancellerCalls).isZero();
    assertThat(successResultOf(d)).isEqualTo("done");
  }

  @Test
  void cancelAfterErrbackIsANoOpAndKeepsTheFailure() {
    GenericError error = new GenericError();
    Deferred<String> d = Deferred.create(x -> cancellerCalls++);
    d.errback(error);
    d.cancel();
    assertThat(cancellerCalls).isZero();
    assertThat(failureResultOf(d).value()).isSameAs(error);
  }

  @Test
  void aFiredDeferredNeverCallsItsCancellerEvenWhenCancelledWhileWaiting() {
    Deferred<Object> inner = Deferred.create();
    Deferred<Object> outer = Deferred.create(x -> cancellerCalls++);
    outer.addCallbackDeferred(x -> inner);
    outer.callback(null);

    outer.cancel();

    assertThat(cancellerCalls).isZero();
    failureResultOf(outer, CancelledException.class);
    assertThat(successResultOf(inner)).isNull(); // its failure moved to outer
  }

  // --- Spec section 8: chainDeferred -----------------------------------------------------------

  @Test
  void cancellingTheTargetOfChainDeferredErrbacksOnlyTheTargetAndSwallowsTheLaterHandOver() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    d1.chainDeferred(d2);

    d2.cancel();
    assertThat(d1.isCalled()).isFalse();
    failureResultOf(d2, CancelledException.class);
    d1.callback("later");

    assertThat(successResultOf(d1)).isNull();
  }
}
