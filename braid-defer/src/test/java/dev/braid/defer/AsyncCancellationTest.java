package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cancelling a coroutine's Deferred, beyond the conformance scenarios. */
@ExtendWith(AsyncHygiene.class)
class AsyncCancellationTest {

  @Test
  void cancelledCoroutineStaysUnfiredWhileItsBodyAwaitsAgain() {
    Deferred<String> second = Deferred.create();
    Deferred<String> r =
        Async.run(
            () -> {
              try {
                Async.await(Deferred.create());
              } catch (CancelledException e) {
                return "after cancel: " + Async.await(second);
              }
              return "not cancelled";
            });
    r.cancel();
    assertThat(r.isCalled()).as("Braid's documented difference: not called yet").isFalse();
    assertNoResult(r);
    second.callback("second");
    assertThat(successResultOf(r)).isEqualTo("after cancel: second");
  }

  @Test
  void cancellationCascadesThroughNestedCoroutinesEachOfWhichMayRecover() {
    List<String> log = new ArrayList<>();
    Deferred<String> leaf = Deferred.create();
    leaf.addErrback(
        f -> {
          log.add("leaf failed with " + f.type().getSimpleName());
          return f.raiseException();
        });
    Deferred<String> outer =
        Async.run(
            () -> {
              Deferred<String> middle =
                  Async.run(
                      () -> {
                        try {
                          return Async.await(leaf);
                        } catch (CancelledException e) {
                          log.add("middle saw " + e.getClass().getSimpleName());
                          return "middle recovered";
                        }
                      });
              String got = Async.await(middle);
              log.add("outer got " + got);
              return got;
            });
    outer.cancel();
    assertThat(log)
        .containsExactly(
            "leaf failed with CancelledException",
            "middle saw CancelledException",
            "outer got middle recovered");
    assertThat(successResultOf(outer)).isEqualTo("middle recovered");
  }

  @Test
  void cancelAfterTheBodyEndedDoesNothing() {
    Deferred<String> r = Async.run(() -> "done");
    r.cancel();
    assertThat(successResultOf(r)).isEqualTo("done");
  }

  @Test
  void cancelFromInsideTheRunningBodyDoesNothing() {
    List<Deferred<String>> own = new ArrayList<>();
    Deferred<Void> gate = Deferred.create();
    Deferred<String> next = Deferred.create();
    Deferred<String> r =
        Async.run(
            () -> {
              Async.await(gate);
              own.get(0).cancel();
              return Async.await(next);
            });
    own.add(r);
    gate.callback(null);
    assertNoResult(r);
    assertThat(next.isCalled()).as("the Deferred awaited after the cancel").isFalse();
    next.callback("not cancelled");
    assertThat(successResultOf(r)).isEqualTo("not cancelled");
  }

  @Test
  void aThrowingCancellerOfTheAwaitedDeferredPropagatesAndLeavesTheBodySuspended() {
    IllegalStateException refusal = new IllegalStateException("cannot cancel this");
    Deferred<Integer> stubborn =
        Deferred.create(
            d -> {
              throw refusal;
            });
    Deferred<Integer> r = Async.run(() -> Async.await(stubborn) + 1);

    assertThatThrownBy(r::cancel).isSameAs(refusal);
    assertNoResult(r);

    stubborn.callback(1);
    assertThat(successResultOf(r)).isEqualTo(2);
  }

  @Test
  void cancellingABodySuspendedOnAPausedDeferredDeliversTheCancellationOnUnpause() {
    Deferred<String> paused = Deferred.create();
    paused.pause();
    Deferred<String> r =
        Async.run(
            () -> {
              try {
                return Async.await(paused);
              } catch (CancelledException e) {
                return "cancelled";
              }
            });
    r.cancel();
    assertNoResult(r);
    paused.unpause();
    assertThat(successResultOf(r)).isEqualTo("cancelled");
  }

  @Test
  void theAwaitedDeferredsOwnCallbacksSeeTheCancellationBeforeTheBodyDoes() {
    List<String> log = new ArrayList<>();
    Deferred<String> awaited = Deferred.create();
    awaited.addErrback(
        f -> {
          log.add("awaited's errback");
          return f.raiseException();
        });
    Deferred<Void> r =
        Async.run(
            () -> {
              try {
                Async.await(awaited);
              } catch (CancelledException e) {
                log.add("body");
              }
              return null;
            });
    r.cancel();
    assertThat(log).containsExactly("awaited's errback", "body");
    successResultOf(r);
  }
}
