package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SelectorReactor} running on its own thread, for tests: the test thread hands work to it
 * and waits (with a timeout) for results. {@link #close()} stops the reactor and joins its thread.
 */
final class RunningReactor implements AutoCloseable {
  static final long TIMEOUT_SECONDS = 10;

  final SelectorReactor reactor;
  private final Thread thread;
  private final CompletableFuture<Void> exited = new CompletableFuture<>();

  private RunningReactor(SelectorReactor reactor) {
    this.reactor = reactor;
    this.thread =
        new Thread(
            () -> {
              try {
                reactor.run();
                exited.complete(null);
              } catch (Throwable t) {
                exited.completeExceptionally(t);
              }
            },
            "test-reactor");
  }

  /** Starts a new reactor and returns once it is running. */
  static RunningReactor start() {
    return start(SelectorReactor.create());
  }

  /** Starts {@code reactor} (already set up on this thread) and returns once it is running. */
  static RunningReactor start(SelectorReactor reactor) {
    RunningReactor running = new RunningReactor(reactor);
    CountDownLatch started = new CountDownLatch(1);
    reactor.callWhenRunning(started::countDown);
    running.thread.start();
    try {
      assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("reactor started").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return running;
  }

  /** Runs {@code work} on the reactor thread and returns its result. */
  <T> T call(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          try {
            result.complete(work.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return get(result);
  }

  /** Runs {@code work} on the reactor thread and waits for it. */
  void run(ThrowingRunnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /** Creates a Deferred on the reactor thread and waits for its outcome. */
  <T> Outcome<T> outcomeOf(Callable<Deferred<T>> work) {
    CompletableFuture<Outcome<T>> result = new CompletableFuture<>();
    run(
        () ->
            work.call()
                .addBoth(
                    outcome -> {
                      result.complete(outcome);
                      return null;
                    }));
    return get(result);
  }

  /** Creates a Deferred on the reactor thread and waits for its value; a failure is rethrown. */
  <T> T await(Callable<Deferred<T>> work) {
    Outcome<T> outcome = outcomeOf(work);
    try {
      return outcome.get();
    } catch (Exception e) {
      throw new AssertionError("the Deferred failed", e);
    }
  }

  static <T> T get(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AssertionError(cause);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  /** Waits for {@code run()} to return (after a stop the test triggered itself). */
  void awaitExit() {
    get(exited);
    join();
  }

  /** Waits for {@code run()} to end by throwing, and returns what it threw. */
  Throwable awaitFailure() {
    join();
    assertThat(exited).as("run() threw").isCompletedExceptionally();
    return exited.handle((ok, thrown) -> thrown).join();
  }

  private void join() {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(thread.isAlive()).as("reactor thread still alive").isFalse();
  }

  /** Stops the reactor (if it still runs) and joins its thread. */
  @Override
  public void close() {
    if (thread.isAlive()) {
      reactor.callFromThread(
          () -> {
            if (reactor.isRunning()) {
              reactor.stop();
            }
          });
    }
    join();
    get(exited);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
