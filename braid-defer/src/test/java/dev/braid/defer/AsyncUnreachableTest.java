package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coroutines that can never be resumed. These tests deliberately leave bodies suspended, so they do
 * not use {@link AsyncHygiene}; instead they show the suspended virtual threads are garbage.
 */
class AsyncUnreachableTest {

  /** Runs a GC until {@code ref} is cleared, waiting on its queue; false after ten seconds. */
  private static boolean collected(ReferenceQueue<Object> queue, Reference<?> ref)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      System.gc();
      Reference<?> cleared = queue.remove(100);
      if (cleared == ref) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aSuspendedCoroutineThatNobodyCanResumeIsCollectedWithItsVirtualThread() throws Exception {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    List<WeakReference<Thread>> body = new ArrayList<>();
    startForgottenCoroutine(queue, body);
    WeakReference<Thread> thread = body.get(0);
    // The body parked in its await; once nothing refers to what it awaits, it is garbage.
    assertThat(collected(queue, thread))
        .as("the suspended body's virtual thread was collected")
        .isTrue();
  }

  private static void startForgottenCoroutine(
      ReferenceQueue<Object> queue, List<WeakReference<Thread>> body) {
    Deferred<Object> never = Deferred.create();
    Deferred<Object> r =
        Async.run(
            () -> {
              body.add(new WeakReference<>(Thread.currentThread(), queue));
              return Async.await(never);
            });
    assertThat(r.hasResult()).isFalse();
    assertThat(body.get(0).get()).isNotNull();
  }

  @Test
  void aCycleOfCoroutinesAwaitingEachOtherIgnoresCancelInsteadOfRecursingForever()
      throws Exception {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    List<WeakReference<Thread>> bodies = new ArrayList<>();
    startCycleAndCancel(queue, bodies);
    assertThat(collected(queue, bodies.get(0))).isTrue();
  }

  private static void startCycleAndCancel(
      ReferenceQueue<Object> queue, List<WeakReference<Thread>> bodies) {
    List<Deferred<Object>> b = new ArrayList<>();
    Deferred<Void> gate = Deferred.create();
    Deferred<Object> a =
        Async.run(
            () -> {
              bodies.add(new WeakReference<>(Thread.currentThread(), queue));
              Async.await(gate);
              return Async.await(b.get(0));
            });
    b.add(Async.run(() -> Async.await(a)));
    gate.callback(null); // a now awaits b, which awaits a

    a.cancel();
    b.get(0).cancel();

    assertThat(a.hasResult()).isFalse();
    assertThat(b.get(0).hasResult()).isFalse();
  }
}
