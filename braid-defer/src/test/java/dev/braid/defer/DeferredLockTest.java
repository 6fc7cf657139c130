package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance scenario 73 and spec section 14: {@link DeferredLock}. */
class DeferredLockTest {
  private final DeferredLock lock = DeferredLock.create();
  private int counter;
  private Object result;

  private <T> T incr(T ignored) {
    counter++;
    return ignored;
  }

  /** Twisted's helper: records resultValue and returns returnValue. */
  private Object helper(Object resultValue, Object returnValue) {
    result = resultValue;
    return returnValue;
  }

  @Test
  void theLockLifecycleOfTwistedsTestLock() {
    lock.acquire().addCallback(this::incr);
    assertThat(lock.isLocked()).isTrue();
    assertThat(counter).isEqualTo(1);

    lock.acquire().addCallback(this::incr);
    assertThat(lock.isLocked()).isTrue();
    assertThat(counter).isEqualTo(1);

    lock.release();
    assertThat(lock.isLocked()).isTrue();
    assertThat(counter).isEqualTo(2);

    lock.release();
    assertThat(lock.isLocked()).isFalse();
    assertThat(counter).isEqualTo(2);

    Object firstUnique = new Object();
    Object secondUnique = new Object();
    Deferred<Object> controlDeferred = Deferred.create();
    Deferred<Object> resultDeferred = lock.run(() -> helper(firstUnique, controlDeferred));
    assertThat(lock.isLocked()).isTrue();
    assertThat(result).isSameAs(firstUnique);

    resultDeferred.addCallback(r -> helper(r, null));
    lock.acquire().addCallback(this::incr);
    assertThat(lock.isLocked()).isTrue();
    assertThat(counter).isEqualTo(2);

    controlDeferred.callback(secondUnique);
    assertThat(result).isSameAs(secondUnique);
    assertThat(lock.isLocked()).isTrue();
    assertThat(counter).isEqualTo(3);

    Deferred<Object> d =
        lock.acquire()
            .addBoth(
                outcome ->
                    helper(outcome instanceof Outcome.Failed<?> f ? f.failure() : outcome, null));
    d.cancel();
    assertThat(result).isInstanceOf(Failure.class);
    assertThat(((Failure) result).type()).isEqualTo(CancelledException.class);

    lock.release();
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void acquiringAFreeLockFiresSynchronouslyWithTheLock() {
    Deferred<DeferredLock> d = lock.acquire();
    assertThat(successResultOf(d)).isSameAs(lock);
  }

  @Test
  void waitersGetTheLockFirstComeFirstServed() {
    List<String> order = new ArrayList<>();
    lock.acquire();
    lock.acquire().addCallback(l -> order.add("first"));
    lock.acquire().addCallback(l -> order.add("second"));

    lock.release();
    assertThat(order).containsExactly("first");
    lock.release();
    assertThat(order).containsExactly("first", "second");
    assertThat(lock.isLocked()).isTrue();
  }

  @Test
  void cancellingAnAcquiredLockDoesNothing() {
    Deferred<DeferredLock> a = lock.acquire();
    List<Failure> errors = new ArrayList<>();
    a.addErrback(
        f -> {
          errors.add(f);
          return null;
        });

    a.cancel();

    assertThat(errors).isEmpty();
    assertThat(lock.isLocked()).isTrue();
  }

  @Test
  void cancellingAWaitingAcquireFailsItAndRemovesItFromTheQueue() {
    lock.acquire();
    Deferred<DeferredLock> b = lock.acquire();
    Deferred<DeferredLock> c = lock.acquire();

    b.cancel();
    failureResultOf(b, CancelledException.class);
    lock.release();

    assertThat(successResultOf(c)).isSameAs(lock);
    assertThat(lock.isLocked()).isTrue();
  }

  @Test
  void releasingAnUnlockedLockThrows() {
    assertThatThrownBy(lock::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Tried to release an unlocked lock");
  }

  @Test
  void runReleasesTheLockWhenTheFunctionFailsAndPassesTheSameFailureOn() {
    GenericError error = new GenericError();
    Deferred<Object> d =
        lock.run(
            () -> {
              throw error;
            });
    assertThat(lock.isLocked()).isFalse();
    assertThat(failureResultOf(d).value()).isSameAs(error);
  }

  @Test
  void runHoldsTheLockUntilTheReturnedDeferredFails() {
    Deferred<String> work = Deferred.create();
    Deferred<String> d = lock.runDeferred(() -> work);
    assertThat(lock.isLocked()).isTrue();
    Failure failure = Failure.of(new GenericError());

    work.errback(failure);

    assertThat(lock.isLocked()).isFalse();
    assertThat(failureResultOf(d)).isSameAs(failure);
  }

  @Test
  void runWaitsForTheLockBeforeCallingTheFunction() {
    lock.acquire();
    Deferred<String> d = lock.run(() -> "ran");
    assertNoResult(d);

    lock.release();

    assertThat(successResultOf(d)).isEqualTo("ran");
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void cancellingARunThatWaitsForTheLockNeverCallsTheFunction() {
    lock.acquire();
    List<String> calls = new ArrayList<>();
    Deferred<Boolean> d = lock.run(() -> calls.add("called"));

    d.cancel();
    lock.release();

    assertThat(calls).isEmpty();
    failureResultOf(d, CancelledException.class);
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void cancellingARunInProgressCancelsTheFunctionsDeferredAndReleases() {
    Deferred<String> work = Deferred.create(w -> w.callback("stopped"));
    Deferred<String> d = lock.runDeferred(() -> work);

    d.cancel();

    assertThat(successResultOf(d)).isEqualTo("stopped");
    assertThat(lock.isLocked()).isFalse();
  }
}
