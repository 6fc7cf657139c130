package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conformance scenario 74 and spec section 14: {@link DeferredSemaphore}. */
class DeferredSemaphoreTest {
  private int counter;

  private <T> T incr(T ignored) {
    counter++;
    return ignored;
  }

  @Test
  void theSemaphoreLifecycleOfTwistedsTestSemaphore() {
    int n = 13;
    DeferredSemaphore sem = DeferredSemaphore.create(n);
    Deferred<Object> controlDeferred = Deferred.create();
    Object uniqueObject = new Object();
    Object[] helperArg = {null};
    List<Object> results = new ArrayList<>();

    Deferred<Object> resultDeferred =
        sem.runDeferred(
            () -> {
              helperArg[0] = uniqueObject;
              return controlDeferred;
            });
    resultDeferred
        .addCallback(
            r -> {
              results.add(r);
              return null;
            })
        .addCallback(this::incr);
    assertThat(results).isEmpty();
    assertThat(helperArg[0]).isSameAs(uniqueObject);
    controlDeferred.callback(null);
    assertThat(results).containsExactly((Object) null);
    assertThat(counter).isEqualTo(1);

    counter = 0;
    for (int i = 1; i <= n; i++) {
      sem.acquire().addCallback(this::incr);
      assertThat(counter).isEqualTo(i);
    }

    List<Boolean> success = new ArrayList<>();
    Deferred<Boolean> d =
        sem.acquire().addCallbacks(s -> success.add(false), f -> success.add(true));
    d.cancel();
    assertThat(success).containsExactly(true);

    sem.acquire().addCallback(this::incr);
    assertThat(counter).isEqualTo(n);

    sem.release();
    assertThat(counter).isEqualTo(n + 1);

    for (int i = 1; i <= n; i++) {
      sem.release();
      assertThat(counter).isEqualTo(n + 1);
    }
    assertThat(sem.tokens()).isEqualTo(n);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void fewerThanOneTokenIsRejected(int tokens) {
    assertThatThrownBy(() -> DeferredSemaphore.create(tokens))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DeferredSemaphore requires tokens >= 1");
  }

  @Test
  void releasingMoreThanWasAcquiredThrows() {
    DeferredSemaphore sem = DeferredSemaphore.create(2);
    sem.acquire();
    sem.release();
    assertThatThrownBy(sem::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Someone released me too many times: too many tokens!");
    assertThat(sem.tokens()).isEqualTo(2);
  }

  @Test
  void aReleasedTokenGoesStraightToTheFirstWaiter() {
    DeferredSemaphore sem = DeferredSemaphore.create(1);
    sem.acquire();
    Deferred<DeferredSemaphore> first = sem.acquire();
    Deferred<DeferredSemaphore> second = sem.acquire();

    sem.release();

    assertThat(successResultOf(first)).isSameAs(sem);
    assertNoResult(second);
    assertThat(sem.tokens()).isZero();
  }

  @Test
  void cancellingAnAcquiredTokenDoesNothing() {
    DeferredSemaphore sem = DeferredSemaphore.create(1);
    Deferred<DeferredSemaphore> held = sem.acquire();
    held.cancel();
    assertThat(successResultOf(held)).isSameAs(sem);
    assertThat(sem.tokens()).isZero();
  }

  @Test
  void cancellingAWaiterRemovesItSoTheNextWaiterGetsTheToken() {
    DeferredSemaphore sem = DeferredSemaphore.create(1);
    sem.acquire();
    Deferred<DeferredSemaphore> cancelled = sem.acquire();
    Deferred<DeferredSemaphore> next = sem.acquire();

    cancelled.cancel();
    sem.release();

    failureResultOf(cancelled, CancelledException.class);
    assertThat(successResultOf(next)).isSameAs(sem);
  }

  @Test
  void runLimitsHowManyFunctionsAreInFlight() {
    DeferredSemaphore sem = DeferredSemaphore.create(2);
    List<Deferred<String>> work = new ArrayList<>();
    List<Deferred<String>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(
          sem.runDeferred(
              () -> {
                Deferred<String> w = Deferred.create();
                work.add(w);
                return w;
              }));
    }
    assertThat(work).hasSize(2);
    assertThat(sem.tokens()).isZero();

    work.get(0).callback("zero");

    assertThat(work).hasSize(3);
    assertThat(successResultOf(runs.get(0))).isEqualTo("zero");
    work.get(1).callback("one");
    work.get(2).callback("two");
    assertThat(sem.tokens()).isEqualTo(sem.limit()).isEqualTo(2);
  }

  @Test
  void runReleasesTheTokenWhenThePlainFunctionThrows() {
    DeferredSemaphore sem = DeferredSemaphore.create(1);
    Deferred<String> d =
        sem.run(
            () -> {
              throw new IllegalStateException("no");
            });
    failureResultOf(d, IllegalStateException.class);
    assertThat(sem.tokens()).isEqualTo(1);
  }
}
