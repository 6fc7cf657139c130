package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Transport;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SelectorReactor} running on a thread of its own for one test: started when the test asks
 * for it, looked at by the janitor, then stopped and joined.
 *
 * <p>Threading: made and driven from the test's (JUnit's) thread; work reaches the reactor thread
 * through {@link SelectorReactor#callFromThread} only, and every wait is bounded.
 */
final class RunningReactor implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** How long the janitor's loop turns and the safety-net shutdown of {@link #close()} may take. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final SelectorReactor reactor = SelectorReactor.create();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private final Thread thread;
  private boolean stopRequested;

  private RunningReactor(String testName) {
    thread =
        new Thread(
            () -> {
              try {
                reactor.run();
                exited.complete(null);
              } catch (Throwable t) {
                exited.completeExceptionally(t);
              }
            },
            "braid-test-reactor-" + IDS.incrementAndGet() + " (" + testName + ")");
    // A reactor that never stops (a test blocking its thread forever) must not keep the JVM alive.
    thread.setDaemon(true);
  }

  /**
   * Starts a new reactor on its own thread and returns once its loop runs.
   *
   * @param testName names the thread
   * @param bound how long starting may take
   * @throws IllegalStateException if it did not start in time
   */
  static RunningReactor start(String testName, Duration bound) {
    RunningReactor running = new RunningReactor(testName);
    CountDownLatch started = new CountDownLatch(1);
    running.reactor.callWhenRunning(started::countDown);
    running.thread.start();
    boolean ok;
    try {
      ok = started.await(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      throw new IllegalStateException(
          "the real reactor did not start within " + Clock.describe(bound), failureOf(running));
    }
    return running;
  }

  private static Throwable failureOf(RunningReactor running) {
    return running.exited.isCompletedExceptionally() ? running.exited.exceptionNow() : null;
  }

  SelectorReactor reactor() {
    return reactor;
  }

  Thread thread() {
    return thread;
  }

  /**
   * Runs {@code work} on the reactor thread.
   *
   * @return its result or exception, once it has run
   */
  <T> CompletableFuture<T> submit(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          try {
            result.complete(work.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  /**
   * Describes what the reactor holds after two more turns of its loop (trial's janitor iterates
   * twice, so that close notifications already queued have run): pending delayed calls, listening
   * ports, connection attempts in progress and open connections.
   */
  CompletableFuture<List<String>> leftovers() {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    Runnable collect =
        () -> {
          try {
            result.complete(describeLeftovers());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        };
    // A delayed call of delay 0 scheduled while timers run waits for the next iteration: the
    // second hop therefore runs one whole iteration (select, close notifications, calls from other
    // threads, timers) after the first.
    reactor.callFromThread(() -> reactor.callLater(0, () -> reactor.callLater(0, collect)));
    // A reactor the test stopped itself has closed everything, and runs no more calls.
    exited.whenComplete((v, t) -> result.complete(List.of()));
    return result;
  }

  private List<String> describeLeftovers() {
    List<String> found = new ArrayList<>();
    for (DelayedCall call : reactor.getDelayedCalls()) {
      found.add("pending delayed call: " + call);
    }
    for (ListeningPort port : reactor.listeningPorts()) {
      found.add("listening port: " + port);
    }
    for (Connector connector : reactor.connectionAttempts()) {
      found.add("connection attempt in progress: " + connector);
    }
    for (Transport connection : reactor.openConnections()) {
      found.add("open connection: " + connection);
    }
    return found;
  }

  /**
   * Stops the reactor (its shutdown closes whatever is still open) and joins its thread.
   *
   * @param bound how long shutdown may take
   * @return null once the thread has ended, otherwise an error saying what did not finish, with the
   *     reactor thread's stack as its cause
   */
  AssertionError stop(Duration bound) {
    if (!stopRequested) {
      stopRequested = true;
      reactor.callFromThread(
          () -> {
            if (reactor.isRunning()) {
              reactor.stop();
            }
          });
    }
    try {
      exited.get(bound.toNanos(), TimeUnit.NANOSECONDS);
      thread.join(bound);
    } catch (TimeoutException e) {
      // below
    } catch (ExecutionException e) {
      return new AssertionError("the real reactor failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Not isAlive(): the JVM marks an ending thread TERMINATED (what join(Duration) returns on)
    // a moment before isAlive() turns false, and the two must not disagree here.
    if (thread.getState() == Thread.State.TERMINATED) {
      return null;
    }
    AssertionError error =
        new AssertionError(
            "the real reactor did not stop within "
                + Clock.describe(bound)
                + " (a BEFORE shutdown trigger whose Deferred never fires, or code blocking the"
                + " reactor thread); its thread "
                + thread.getName()
                + " is left running as a daemon");
    error.initCause(stackOf(thread));
    return error;
  }

  /** The stack of {@code thread} as a throwable, to attach to a report. */
  static Throwable stackOf(Thread thread) {
    Throwable stack = new Throwable("stack of " + thread.getName() + " at the time");
    stack.setStackTrace(thread.getStackTrace());
    return stack;
  }

  /** Stops the reactor if nobody did (the extension's safety net); errors are ignored. */
  @Override
  public void close() {
    if (!stopRequested) {
      stop(CLOSE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "RunningReactor{" + reactor + " on " + thread.getName() + "}";
  }
}
