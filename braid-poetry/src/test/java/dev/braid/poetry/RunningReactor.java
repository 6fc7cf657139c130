package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.reactor.SelectorReactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SelectorReactor} running on its own thread, for loopback tests: the test thread hands
 * work to it and waits, with a timeout, for results. {@link #close()} stops it (closing every port
 * and connection) and joins its thread.
 */
public final class RunningReactor implements AutoCloseable {
  public static final long TIMEOUT_SECONDS = 20;

  public final SelectorReactor reactor;
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
  public static RunningReactor start() {
    RunningReactor running = new RunningReactor(SelectorReactor.create());
    CountDownLatch started = new CountDownLatch(1);
    running.reactor.callWhenRunning(started::countDown);
    running.thread.start();
    try {
      assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("reactor started").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return running;
  }

  /** Runs {@code work} on the reactor thread and returns its result. */
  public <T> T call(Callable<T> work) {
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
  public void run(ThrowingRunnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /** Starts a Deferred on the reactor thread; returns a future of its outcome (it is consumed). */
  public <T> CompletableFuture<Outcome<T>> start(Callable<Deferred<T>> work) {
    CompletableFuture<Outcome<T>> result = new CompletableFuture<>();
    run(
        () ->
            work.call()
                .addBoth(
                    outcome -> {
                      result.complete(outcome);
                      return null;
                    }));
    return result;
  }

  /** Creates a Deferred on the reactor thread and waits for its outcome. */
  public <T> Outcome<T> outcomeOf(Callable<Deferred<T>> work) {
    return get(start(work));
  }

  /** Creates a Deferred on the reactor thread and waits for its value; a failure is rethrown. */
  public <T> T await(Callable<Deferred<T>> work) {
    Outcome<T> outcome = outcomeOf(work);
    try {
      return outcome.get();
    } catch (Exception e) {
      throw new AssertionError("the Deferred failed: " + e, e);
    }
  }

  /** Waits for {@code future} with the test timeout. */
  public static <T> T get(CompletableFuture<T> future) {
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

  /** A loopback port on which nothing listens (it was free a moment ago). */
  public static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
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
    try {
      thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(thread.isAlive()).as("reactor thread still alive").isFalse();
    get(exited);
  }

  /** Work that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
