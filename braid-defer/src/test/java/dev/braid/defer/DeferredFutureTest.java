package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Conformance scenario 89 and spec section 16: {@code asFuture} and {@code fromFuture}, mapped onto
 * {@link CompletableFuture}. The owner thread is played by {@link QueuedOwner}: "run loop" in the
 * scenario is {@link QueuedOwner#runAll()}.
 */
class DeferredFutureTest {
  private final QueuedOwner owner = new QueuedOwner();

  /** An executor that queues tasks until the test runs them, like a reactor's callFromThread. */
  private static final class QueuedOwner implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = poll()) != null) {
        task.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.poll();
    }
  }

  // --- asFuture ---------------------------------------------------------------------------------

  @Test
  void asFutureCompletesWithTheValueAndConsumesTheDeferredsResult() throws Exception {
    Deferred<Integer> d = Deferred.create();
    CompletableFuture<Integer> fut = d.asFuture(owner);
    assertThat(fut).isNotDone();

    d.callback(13);
    owner.runAll();

    assertThat(fut.get()).isEqualTo(13);
    assertThat(successResultOf(d)).isNull();
  }

  @Test
  void cancellingTheFutureCancelsTheDeferredOnItsOwnerThread() {
    boolean[] cancellerCalled = {false};
    Deferred<Object> d2 = Deferred.create(x -> cancellerCalled[0] = true);
    CompletableFuture<Object> f2 = d2.asFuture(owner);

    f2.cancel(false);
    assertThat(cancellerCalled[0]).as("cancelled before the owner ran").isFalse();
    owner.runAll();

    assertThat(cancellerCalled[0]).isTrue();
    assertThat(successResultOf(d2)).isNull();
    assertThatThrownBy(f2::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void aCancelledFutureIgnoresASuccessFromTheDeferredsCanceller() {
    Deferred<Integer> d3 = Deferred.create(x -> x.callback(9));
    CompletableFuture<Integer> f3 = d3.asFuture(owner);

    f3.cancel(false);
    owner.runAll();

    assertThat(successResultOf(d3)).isNull();
    assertThat(f3).isCancelled();
  }

  @Test
  void asFutureCompletesExceptionallyWithTheFailuresException() {
    ArithmeticException error = new ArithmeticException("/ by zero");
    Deferred<Object> d4 = Deferred.create();
    CompletableFuture<Object> f4 = d4.asFuture(owner);

    d4.errback(Failure.of(error));
    owner.runAll();

    assertThatThrownBy(f4::get).isInstanceOf(ExecutionException.class).cause().isSameAs(error);
    assertThat(UnhandledFailures.pendingSince(0))
        .extracting(u -> u.failure().value())
        .doesNotContain(error);
  }

  // --- fromFuture -------------------------------------------------------------------------------

  @Test
  void fromFutureFiresWithTheValueOnTheOwnerNeverOnTheCompletingThread() throws Exception {
    CompletableFuture<Integer> fa = new CompletableFuture<>();
    Deferred<Integer> e = Deferred.fromFuture(fa, owner);
    assertNoResult(e);

    Thread completer = new Thread(() -> fa.complete(7));
    completer.start();
    completer.join();
    assertNoResult(e);
    owner.runAll();

    assertThat(successResultOf(e)).isEqualTo(7);
  }

  @Test
  void fromFutureOfACancelledFutureFailsWithTheFuturesOwnCancellationException() {
    CompletableFuture<Integer> fb = new CompletableFuture<>();
    Deferred<Integer> e2 = Deferred.fromFuture(fb, owner);

    fb.cancel(false);
    owner.runAll();

    Failure failure = failureResultOf(e2, CancellationException.class);
    assertThat(failure.value()).isNotInstanceOf(CancelledException.class);
  }

  @Test
  void cancellingTheDeferredCancelsTheFutureAndFailsWithItsCancellationException() {
    CompletableFuture<Integer> fc = new CompletableFuture<>();
    Deferred<Integer> e3 = Deferred.fromFuture(fc, owner);

    e3.cancel();
    owner.runAll();

    assertThat(fc).isCancelled();
    Failure failure = failureResultOf(e3, CancellationException.class);
    assertThat(failure.value()).isNotInstanceOf(CancelledException.class);
  }

  @Test
  void cancellingTheDeferredCancelsTheFutureWithMayInterruptIfRunning() {
    List<Boolean> mayInterrupt = new ArrayList<>();
    CompletableFuture<Integer> fc =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            mayInterrupt.add(mayInterruptIfRunning);
            return super.cancel(mayInterruptIfRunning);
          }
        };
    Deferred<Integer> e3 = Deferred.fromFuture(fc, owner);

    e3.cancel();
    owner.runAll();

    assertThat(mayInterrupt).containsExactly(true);
    failureResultOf(e3, CancellationException.class);
  }

  @Test
  void cancellingTheDeferredWorksWithAnOwnerThatRunsTasksAtOnce() {
    CompletableFuture<Integer> fc = new CompletableFuture<>();
    Deferred<Integer> e3 = Deferred.fromFuture(fc, Runnable::run);

    e3.cancel();

    assertThat(fc).isCancelled();
    failureResultOf(e3, CancellationException.class);
  }

  @Test
  void fromFutureUnwrapsCompletionException() {
    IllegalStateException cause = new IllegalStateException("inner");
    CompletableFuture<Integer> failed = new CompletableFuture<>();
    CompletableFuture<Integer> dependent = failed.thenApply(x -> x + 1);
    Deferred<Integer> e = Deferred.fromFuture(dependent, owner);

    failed.completeExceptionally(cause);
    owner.runAll();

    assertThat(failureResultOf(e).value()).isSameAs(cause);
  }

  @Test
  void fromFutureOfAnAlreadyCompletedFutureStillFiresOnTheOwner() {
    Deferred<String> e = Deferred.fromFuture(CompletableFuture.completedFuture("done"), owner);
    assertNoResult(e);
    owner.runAll();
    assertThat(successResultOf(e)).isEqualTo("done");
  }
}
