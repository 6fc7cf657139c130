package dev.braid.test;

import dev.braid.defer.Async;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.defer.UnhandledFailures;
import dev.braid.defer.UnhandledFailures.UnhandledFailure;
import dev.braid.reactor.ReactorGroup;
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
 * A {@link ReactorGroup} running on its threads, for tests driven from JUnit's thread, with trial's
 * janitor over every reactor of the group: {@link #close()} fails the test if any reactor still
 * holds delayed calls, listening ports, connection attempts or connections, or if a failed Deferred
 * made on one of the group's threads is left unhandled; then it stops the group and checks that
 * every one of its threads has ended.
 *
 * <pre>{@code
 * ReactorGroup group = ReactorGroup.create(4);
 * GroupPort port = group.listenTCP(0, reactor -> new EchoFactory(), DEFAULT_BACKLOG, "127.0.0.1");
 * try (RunningGroup running = RunningGroup.start(group)) {
 *   ... connect clients to port.getHost().getPort() ...
 *   RunningReactor.get(port.stopListening());
 * }
 * }</pre>
 *
 * <p>Threading: made and driven from the test's thread; the reactors are reached through {@code
 * callFromThread} only, and every wait is bounded by {@link #TIMEOUT}. The blocking methods throw
 * {@link IllegalStateException} on a thread of the group, where they could only deadlock.
 */
public final class RunningGroup implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** How long starting, each blocking call and {@link #close()} may take: 30 seconds. */
  public static final Duration TIMEOUT = RunningReactor.TIMEOUT;

  private final ReactorGroup group;
  private final long unhandledMark = UnhandledFailures.mark();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private final Thread runner;

  private RunningGroup(ReactorGroup group) {
    this.group = group;
    runner =
        new Thread(
            () -> {
              try {
                group.run();
                exited.complete(null);
              } catch (Throwable t) {
                exited.completeExceptionally(t);
              }
            },
            "braid-test-group-" + IDS.incrementAndGet());
    runner.setDaemon(true);
  }

  /**
   * Starts a new group of {@code size} reactors and returns once every one of them runs.
   *
   * @param size how many reactors
   * @return the running group
   * @throws IllegalStateException if it did not start within {@link #TIMEOUT}
   */
  public static RunningGroup start(int size) {
    return start(ReactorGroup.create(size));
  }

  /**
   * Starts {@code group}, which may have been set up on this thread (its ports opened, say), and
   * returns once every one of its reactors runs.
   *
   * @param group a group that has not run
   * @return the running group
   * @throws IllegalStateException if it did not start within {@link #TIMEOUT}
   */
  public static RunningGroup start(ReactorGroup group) {
    RunningGroup running = new RunningGroup(group);
    CountDownLatch started = new CountDownLatch(group.size());
    for (SelectorReactor reactor : group.reactors()) {
      reactor.callWhenRunning(started::countDown);
    }
    running.runner.start();
    boolean ok;
    try {
      ok = started.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      throw new IllegalStateException(
          "the reactor group did not start within " + Clock.describe(TIMEOUT),
          running.exited.isCompletedExceptionally() ? running.exited.exceptionNow() : null);
    }
    return running;
  }

  /** {@return the group} */
  public ReactorGroup group() {
    return group;
  }

  /**
   * Returns one reactor of the group.
   *
   * @param index from 0; its thread is {@code braid-reactor-(index + 1)}
   * @return the reactor; its methods but {@code callFromThread} and {@code stop} on its thread
   */
  public SelectorReactor reactor(int index) {
    return group.reactor(index);
  }

  /**
   * Runs {@code work} on {@code reactor}'s thread and waits for its result.
   *
   * @param <T> the result type
   * @param reactor a reactor of the group
   * @param work what to run
   * @return what {@code work} returned
   * @throws RuntimeException or {@link Error}: what {@code work} threw; a checked exception comes
   *     wrapped in an {@link AssertionError}
   * @throws AssertionError if it did not run within {@link #TIMEOUT}
   * @throws IllegalStateException on a thread of the group
   */
  public <T> T call(SelectorReactor reactor, Callable<T> work) {
    checkNotOnGroupThread("call()");
    CompletableFuture<T> result = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          try {
            result.complete(work.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return RunningReactor.get(result);
  }

  /**
   * Calls {@code work} on {@code reactor}'s thread and waits for the outcome of the Deferred it
   * returns.
   *
   * @param <T> the Deferred's result type
   * @param reactor a reactor of the group
   * @param work makes the Deferred, on the reactor's thread
   * @return its outcome (its failure is handled)
   * @throws AssertionError if it did not fire within {@link #TIMEOUT}
   * @throws IllegalStateException on a thread of the group
   */
  public <T> Outcome<T> outcomeOf(SelectorReactor reactor, Callable<Deferred<T>> work) {
    CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
    call(
        reactor,
        () ->
            work.call()
                .addBoth(
                    o -> {
                      outcome.complete(o);
                      return null;
                    }));
    return RunningReactor.get(outcome);
  }

  /**
   * Describes what every reactor of the group still holds, each after two more turns of its loop
   * (as {@link BraidExtension}'s janitor does): one line per leftover, naming the reactor's thread.
   *
   * @return the lines; empty when every reactor is clean
   */
  public List<String> leftovers() {
    checkNotOnGroupThread("leftovers()");
    List<String> lines = new ArrayList<>();
    List<SelectorReactor> reactors = group.reactors();
    List<CompletableFuture<List<String>>> looks = new ArrayList<>();
    for (SelectorReactor reactor : reactors) {
      looks.add(RunningReactor.leftovers(reactor, exited));
    }
    for (int i = 0; i < looks.size(); i++) {
      String name = "braid-reactor-" + (i + 1);
      try {
        for (String line : looks.get(i).get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
          lines.add(name + ": " + line);
        }
      } catch (TimeoutException e) {
        lines.add(name + " did not answer the janitor within " + Clock.describe(TIMEOUT));
      } catch (ExecutionException e) {
        lines.add("looking at " + name + " failed: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lines.add("interrupted while looking at " + name);
      }
    }
    return lines;
  }

  /**
   * Stops the group if it still runs and waits for every one of its threads to end.
   *
   * @throws AssertionError if they did not within {@link #TIMEOUT}, or a reactor's loop failed
   */
  public void stopAndJoin() {
    checkNotOnGroupThread("stopAndJoin()");
    List<String> problems = stop();
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  private List<String> stop() {
    List<String> problems = new ArrayList<>();
    if (!exited.isDone()) {
      try {
        group.stop();
      } catch (IllegalStateException alreadyStopping) {
        // it stops anyway
      }
    }
    try {
      exited.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      problems.add("the reactor group did not stop within " + Clock.describe(TIMEOUT));
    } catch (ExecutionException e) {
      problems.add("the reactor group failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted while stopping the reactor group");
    }
    List<Thread> threads = new ArrayList<>(group.threads());
    threads.add(runner);
    for (Thread thread : threads) {
      try {
        thread.join(TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.getState() != Thread.State.TERMINATED) {
        problems.add("thread " + thread.getName() + " is still running");
      }
    }
    return problems;
  }

  /**
   * The janitor, then shutdown: collects what every reactor still holds ({@link #leftovers()}) and
   * the unhandled failures of the group's threads since the group started, stops the group, and
   * checks that every thread of the group has ended.
   *
   * @throws AssertionError listing every problem found, after the group has stopped
   * @throws IllegalStateException on a thread of the group
   */
  @Override
  public void close() {
    checkNotOnGroupThread("close()");
    List<String> problems = new ArrayList<>(exited.isDone() ? List.of() : leftovers());
    problems.addAll(stop());
    List<Thread> threads = group.threads();
    for (UnhandledFailure unhandled : UnhandledFailures.pendingSince(unhandledMark)) {
      for (Thread thread : threads) {
        if (unhandled.isFrom(thread)) {
          problems.add(unhandled.describe());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "the reactor group left a mess behind (trial's dirty reactor and unhandled errors):\n - "
              + String.join("\n - ", problems));
    }
  }

  private void checkNotOnGroupThread(String method) {
    Thread caller = Async.ownerThread();
    for (Thread thread : group.threads()) {
      if (thread == caller) {
        throw new IllegalStateException(
            "RunningGroup."
                + method
                + " called on "
                + thread.getName()
                + ", a thread of the group, where waiting could only deadlock");
      }
    }
  }

  @Override
  public String toString() {
    return "RunningGroup{" + group + "}";
  }
}
