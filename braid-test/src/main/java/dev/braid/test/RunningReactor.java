package dev.braid.test;

import dev.braid.defer.Async;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SelectorReactor} running on a thread of its own, for tests driven from JUnit's thread:
 * the test hands work over and waits, within {@link #TIMEOUT}, for its result. {@link #close()}
 * stops the reactor (closing every port and connection) and joins its thread.
 *
 * <pre>{@code
 * try (RunningReactor r = RunningReactor.start()) {
 *   int port = r.call(() -> r.reactor().listenTCP(0, address -> new Echo()).getHost().getPort());
 *   String reply = r.await(() -> EchoClient.send(r.reactor(), port, "hello"));
 *   assertThat(reply).isEqualTo("hello");
 * }
 * }</pre>
 *
 * <p>{@link BraidExtension} is the other way to test with a real reactor, and the one that reads
 * like protocol code: the test method runs on the reactor thread and hands its Deferreds to {@link
 * AfterTest} (ADR 0006), and the extension uses this class for it. A {@code RunningReactor} of
 * one's own suits tests that block by nature: several reactors in one test, blocking peers ({@code
 * java.net.Socket}, a command-line program), assertions between steps.
 *
 * <p>Threading: made and driven from the test's thread (or from another reactor's). The reactor is
 * reached through {@link SelectorReactor#callFromThread} only, and every wait is bounded. The
 * blocking methods that hand work to the reactor ({@link #call}, {@link #run}, {@link #outcomeOf},
 * {@link #await}, {@link #listen}, {@link #close()}) throw {@link IllegalStateException} on its own
 * thread, where they could only deadlock (Netty's {@code checkDeadLock}).
 */
public final class RunningReactor implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** How long starting, each blocking call and {@link #close()} may take: 30 seconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** How long the janitor's loop turns and the safety-net shutdown may take. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final SelectorReactor reactor;
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private final Thread thread;
  private boolean stopRequested;

  private RunningReactor(SelectorReactor reactor, String name) {
    this.reactor = reactor;
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
            "braid-test-reactor-" + IDS.incrementAndGet() + name);
    // A reactor that never stops (a test blocking its thread forever) must not keep the JVM alive.
    thread.setDaemon(true);
  }

  /**
   * Starts a new reactor on its own thread and returns once its loop runs.
   *
   * @return the running reactor
   * @throws IllegalStateException if it did not start within {@link #TIMEOUT}
   */
  public static RunningReactor start() {
    return start(SelectorReactor.create());
  }

  /**
   * Starts {@code reactor}, which may have been set up on this thread (before {@code run()} any
   * thread may), on its own thread and returns once its loop runs.
   *
   * @param reactor a reactor that has not run
   * @return the running reactor
   * @throws IllegalStateException if it did not start within {@link #TIMEOUT}
   */
  public static RunningReactor start(SelectorReactor reactor) {
    return start(new RunningReactor(reactor, ""), TIMEOUT);
  }

  /**
   * Starts a new reactor for {@link BraidExtension}.
   *
   * @param testName names the thread
   * @param bound how long starting may take
   * @throws IllegalStateException if it did not start in time
   */
  static RunningReactor start(String testName, Duration bound) {
    return start(new RunningReactor(SelectorReactor.create(), " (" + testName + ")"), bound);
  }

  private static RunningReactor start(RunningReactor running, Duration bound) {
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

  /**
   * {@return the reactor} Its methods, but {@code callFromThread} and {@code stop}, must be called
   * on its thread: through {@link #call} or {@link #run} from the test's thread.
   */
  public SelectorReactor reactor() {
    return reactor;
  }

  /** {@return the thread that runs the reactor} */
  public Thread thread() {
    return thread;
  }

  /**
   * Runs {@code work} on the reactor thread and waits for its result.
   *
   * @param <T> the result type
   * @param work what to run
   * @return what {@code work} returned
   * @throws RuntimeException or {@link Error}: what {@code work} threw; a checked exception comes
   *     wrapped in an {@link AssertionError}
   * @throws AssertionError if it did not run within {@link #TIMEOUT}
   * @throws IllegalStateException on the reactor thread
   */
  public <T> T call(Callable<T> work) {
    checkNotOnReactorThread("call()");
    return get(submit(work));
  }

  /**
   * Runs {@code work} on the reactor thread and waits for it to return; see {@link #call}.
   *
   * @param work what to run
   */
  public void run(ThrowingRunnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Calls {@code work} on the reactor thread and returns a future of the outcome of the Deferred it
   * returns, without waiting for it. The Deferred's failure, if any, is handled by this.
   *
   * @param <T> the Deferred's result type
   * @param work makes the Deferred, on the reactor thread
   * @return completed with the outcome on the reactor thread
   */
  public <T> CompletableFuture<Outcome<T>> outcomeFuture(Callable<Deferred<T>> work) {
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

  /**
   * Calls {@code work} on the reactor thread and waits for the outcome of the Deferred it returns.
   *
   * @param <T> the Deferred's result type
   * @param work makes the Deferred, on the reactor thread
   * @return its outcome (its failure is handled)
   * @throws AssertionError if it did not fire within {@link #TIMEOUT}
   */
  public <T> Outcome<T> outcomeOf(Callable<Deferred<T>> work) {
    return get(outcomeFuture(work));
  }

  /**
   * Calls {@code work} on the reactor thread and waits for the result of the Deferred it returns.
   *
   * @param <T> the Deferred's result type
   * @param work makes the Deferred, on the reactor thread
   * @return its result
   * @throws AssertionError if it failed (with its exception as the cause), or did not fire within
   *     {@link #TIMEOUT}
   */
  public <T> T await(Callable<Deferred<T>> work) {
    Outcome<T> outcome = outcomeOf(work);
    try {
      return outcome.get();
    } catch (Exception e) {
      throw new AssertionError("the Deferred failed: " + e, e);
    }
  }

  /**
   * Waits for {@code future} within {@link #TIMEOUT}.
   *
   * @param <T> the value type
   * @param future typically completed on a reactor thread
   * @return its value
   * @throws RuntimeException or {@link Error}: its exception; a checked one comes wrapped in an
   *     {@link AssertionError}
   * @throws AssertionError if it did not complete in time
   */
  public static <T> T get(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
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
      throw new AssertionError("timed out after " + Clock.describe(TIMEOUT), e);
    }
  }

  /**
   * Waits for the reactor to stop (after the test asked it to) and its thread to end.
   *
   * @throws AssertionError if it did not within {@link #TIMEOUT}, or {@code run()} failed
   */
  public void awaitExit() {
    get(exited);
    AssertionError error = awaitThread(TIMEOUT);
    if (error != null) {
      throw error;
    }
  }

  /**
   * Waits for the reactor's {@code run()} to end by throwing (its loop failed: a {@link
   * dev.braid.net.ReactorFailedException}) and its thread to end, and returns what it threw.
   *
   * @return what {@code run()} threw
   * @throws AssertionError if {@code run()} returned normally, or did not end within {@link
   *     #TIMEOUT}
   */
  public Throwable awaitFailure() {
    AssertionError error = awaitThread(TIMEOUT);
    if (error != null) {
      throw error;
    }
    if (!exited.isCompletedExceptionally()) {
      throw new AssertionError("the reactor's run() returned normally instead of throwing");
    }
    return exited.exceptionNow();
  }

  /**
   * Listens with {@code factory} on an ephemeral port of the loopback interface (127.0.0.1), on the
   * reactor thread, and returns the port's number. The port listens until the test stops it or the
   * reactor stops.
   *
   * @param factory builds a protocol per accepted connection
   * @return the port number
   * @throws IllegalStateException on the reactor thread
   */
  public int listen(Factory factory) {
    checkNotOnReactorThread("listen()");
    return get(
        submit(
            () ->
                reactor
                    .listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                    .getHost()
                    .getPort()));
  }

  private void checkNotOnReactorThread(String method) {
    if (Async.ownerThread() == thread) {
      throw new IllegalStateException(
          "RunningReactor."
              + method
              + " called on the reactor thread "
              + thread.getName()
              + ", where waiting could only deadlock: chain on the Deferred instead");
    }
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
    return leftovers(reactor, exited);
  }

  /**
   * {@link #leftovers()} of any running reactor; completed with nothing once {@code exited} is (a
   * reactor that has stopped has closed everything and runs no more calls).
   */
  static CompletableFuture<List<String>> leftovers(
      SelectorReactor reactor, CompletableFuture<?> exited) {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    Runnable collect =
        () -> {
          try {
            result.complete(Janitor.leftovers(reactor));
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
    } catch (TimeoutException e) {
      // below
    } catch (ExecutionException e) {
      return new AssertionError("the real reactor failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return awaitThread(bound);
  }

  /** Joins the reactor thread; null once it has ended, otherwise an error with its stack. */
  private AssertionError awaitThread(Duration bound) {
    try {
      thread.join(bound);
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

  /**
   * Stops the reactor if it still runs (its shutdown closes every port and connection) and joins
   * its thread.
   *
   * @throws AssertionError if it did not stop within {@link #TIMEOUT}, or {@code run()} failed
   * @throws IllegalStateException on the reactor thread
   */
  @Override
  public void close() {
    checkNotOnReactorThread("close()");
    AssertionError error = stop(TIMEOUT);
    if (error != null) {
      throw error;
    }
  }

  /** Stops the reactor if nobody did (the extension's safety net); errors are ignored. */
  void closeQuietly() {
    if (!stopRequested) {
      stop(CLOSE_TIMEOUT);
    }
  }

  /** Work for the reactor thread that may throw, for {@link #run}. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    /**
     * Does the work.
     *
     * @throws Exception anything; {@link #run} rethrows it
     */
    void run() throws Exception;
  }

  @Override
  public String toString() {
    return "RunningReactor{" + reactor + " on " + thread.getName() + "}";
  }
}
