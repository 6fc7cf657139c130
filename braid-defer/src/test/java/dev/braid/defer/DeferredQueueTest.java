package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec section 14: {@link DeferredQueue}. */
class DeferredQueueTest {

  @Test
  void itemsPutBeforeAGetWaitAndComeOutInOrder() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    queue.put("a");
    queue.put("b");
    assertThat(queue.pendingCount()).isEqualTo(2);

    assertThat(successResultOf(queue.get())).isEqualTo("a");
    assertThat(successResultOf(queue.get())).isEqualTo("b");
    assertThat(queue.pendingCount()).isZero();
  }

  @Test
  void aPutGoesToTheLongestWaitingGetterSynchronously() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    List<String> log = new ArrayList<>();
    queue.get().addCallback(x -> log.add("first got " + x));
    queue.get().addCallback(x -> log.add("second got " + x));
    assertThat(queue.waitingCount()).isEqualTo(2);

    queue.put("a");
    assertThat(log).containsExactly("first got a");
    queue.put("b");

    assertThat(log).containsExactly("first got a", "second got b");
    assertThat(queue.waitingCount()).isZero();
    assertThat(queue.pendingCount()).isZero();
  }

  @Test
  void putBeyondTheSizeOverflows() {
    DeferredQueue<String> queue = DeferredQueue.bounded(1, DeferredQueue.UNLIMITED);
    queue.put("a");
    assertThatThrownBy(() -> queue.put("b"))
        .isInstanceOf(QueueOverflowException.class)
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.pendingCount()).isEqualTo(1);
  }

  @Test
  void withSizeZeroEveryPutOverflowsUnlessAGetterWaits() {
    DeferredQueue<String> queue = DeferredQueue.bounded(0, DeferredQueue.UNLIMITED);
    assertThatThrownBy(() -> queue.put("a")).isInstanceOf(QueueOverflowException.class);

    Deferred<String> getter = queue.get();
    queue.put("b");

    assertThat(successResultOf(getter)).isEqualTo("b");
  }

  @Test
  void getBeyondTheBacklogUnderflows() {
    DeferredQueue<String> queue = DeferredQueue.bounded(DeferredQueue.UNLIMITED, 1);
    queue.get();
    assertThatThrownBy(queue::get)
        .isInstanceOf(QueueUnderflowException.class)
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.waitingCount()).isEqualTo(1);
  }

  @Test
  void withBacklogZeroEveryGetOnAnEmptyQueueUnderflowsButPendingItemsStillComeOut() {
    DeferredQueue<String> queue = DeferredQueue.bounded(DeferredQueue.UNLIMITED, 0);
    assertThatThrownBy(queue::get).isInstanceOf(QueueUnderflowException.class);

    queue.put("a");

    assertThat(successResultOf(queue.get())).isEqualTo("a");
  }

  @Test
  void cancellingAWaitingGetWithdrawsItAndNoItemIsLost() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    Deferred<String> cancelled = queue.get();
    Deferred<String> next = queue.get();

    cancelled.cancel();
    failureResultOf(cancelled, CancelledException.class);
    assertThat(queue.waitingCount()).isEqualTo(1);
    queue.put("a");
    queue.put("b");

    assertThat(successResultOf(next)).isEqualTo("a");
    assertThat(successResultOf(queue.get())).isEqualTo("b");
  }

  @Test
  void cancellingAGetThatAlreadyHasItsItemDoesNothing() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    queue.put("a");
    Deferred<String> got = queue.get();
    got.cancel();
    assertThat(successResultOf(got)).isEqualTo("a");
  }

  @Test
  void nullItemsAreQueuedLikeAnyOther() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    queue.put(null);
    queue.put("after");
    assertThat(successResultOf(queue.get())).isNull();
    assertThat(successResultOf(queue.get())).isEqualTo("after");
    Deferred<String> waiting = queue.get();
    queue.put(null);
    assertThat(successResultOf(waiting)).isNull();
  }

  @Test
  void aGetOnAnEmptyQueueWaits() {
    DeferredQueue<String> queue = DeferredQueue.unbounded();
    assertNoResult(queue.get());
  }

  @Test
  void negativeLimitsAreRejected() {
    assertThatThrownBy(() -> DeferredQueue.bounded(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must not be negative: -1");
    assertThatThrownBy(() -> DeferredQueue.bounded(0, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backlog must not be negative: -2");
  }

  @Test
  void aDeferredIsRejectedAsAnItemAndTheWaitingGetterKeepsWaiting() {
    DeferredQueue<Object> queue = DeferredQueue.unbounded();
    Deferred<Object> getter = queue.get();
    assertThatThrownBy(() -> queue.put(Deferred.create()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.waitingCount()).isEqualTo(1);
    queue.put("fine");
    assertThat(successResultOf(getter)).isEqualTo("fine");
  }
}
