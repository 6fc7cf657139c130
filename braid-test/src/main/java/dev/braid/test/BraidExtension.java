package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.defer.UnhandledFailures;
import dev.braid.defer.VirtualClock;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorCore;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.SelectorReactor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Trial for JUnit 5: gives tests Braid's fakes on virtual time or a real running reactor, awaits
 * the Deferreds they hand over, and fails a test that leaves a mess behind.
 *
 * <pre>{@code
 * @ExtendWith(BraidExtension.class)
 * class PoetryClientTest {
 *   @Test
 *   @DeferredTimeout(10)
 *   void getsThePoem(MemoryReactor reactor, AfterTest afterTest) { ... }   // virtual time
 *
 *   @Test
 *   void getsThePoemOverTcp(Reactor reactor, AfterTest afterTest) {      // on the reactor thread
 *     ListeningPort port = reactor.listenTCP(0, poetryServer, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
 *     afterTest.await(
 *         PoetryClient.getPoetry(reactor, "127.0.0.1", port.getHost().getPort())
 *             .addCallback(poem -> { assertThat(poem).contains("Roses"); return null; })
 *             // stop listening whatever happened, then pass the outcome on
 *             .addBothDeferred(outcome -> port.stopListening().addCallback(v -> outcome.get())));
 *   }
 * }
 * }</pre>
 *
 * <h2>Parameters</h2>
 *
 * Test and lifecycle methods ({@code @BeforeEach}, {@code @AfterEach}) may ask for, per test:
 *
 * <ul>
 *   <li>{@link VirtualClock} (or {@link Clock}): the test's clock, at 0 seconds;
 *   <li>{@link MemoryReactor} (or {@link ReactorTcp}, {@link ReactorCore}): a memory reactor on
 *       that same clock (a {@code Clock} parameter gets the clock itself);
 *   <li>{@link AfterTest}: to hand over Deferreds to await;
 *   <li>{@link Reactor} (or {@link SelectorReactor}): a real {@link SelectorReactor}, started on a
 *       thread of its own when first asked for and stopped after the test.
 * </ul>
 *
 * <h2>A real reactor: the test runs on the reactor thread</h2>
 *
 * As in trial, once a test has a real reactor, its test method and the
 * {@code @BeforeEach}/{@code @AfterEach} methods that follow are run <em>on the reactor thread</em>
 * (handed over with {@link SelectorReactor#callFromThread callFromThread}, while JUnit's thread
 * waits), so test code calls the reactor, its transports and its Deferreds directly, as any
 * protocol does, or as straight-line code with {@link dev.braid.defer.Async#run Async.run}, whose
 * body runs in lock-step with the reactor thread (hand its Deferred to {@link AfterTest}). A method
 * that asks for the reactor starts it, so it runs on the reactor thread too; methods before it run
 * on JUnit's thread. The rules of the reactor thread apply: never block it. Blocking work, such as
 * a plain {@code java.net.Socket} as a peer, goes to {@link Reactor#deferToThread}, and its
 * Deferred to {@link AfterTest}. A method that does not return within the {@link DeferredTimeout}
 * fails the test (with the reactor thread's stack), and the reactor thread is interrupted.
 *
 * <h2>After each method: awaiting Deferreds</h2>
 *
 * The Deferreds handed to {@link AfterTest} during a test or lifecycle method are awaited when it
 * returns, in the order handed over (before {@code @AfterEach} methods, as trial waits for a test's
 * Deferred before {@code tearDown}), all within one {@link DeferredTimeout} (default 120 s):
 *
 * <ul>
 *   <li>with a real reactor, in real time while the reactor runs;
 *   <li>otherwise on virtual time: the test's clock is advanced from timer to timer.
 * </ul>
 *
 * The first failure fails the test with its exception; a Deferred still unfired at the deadline
 * fails it with a timeout. Either way the Deferreds still unfired are then cancelled, so that their
 * cancellers can release what they hold. Every outcome is consumed, so a failure is never also
 * reported as unhandled.
 *
 * <h2>After each test: the janitor</h2>
 *
 * Once {@code @AfterEach} methods have run, the test fails if it left behind (trial's dirty-reactor
 * check and Braid's decision 6):
 *
 * <ul>
 *   <li>delayed calls pending on the test's clock or on the real reactor;
 *   <li>listening ports, connection attempts in progress, or open connections, of its memory
 *       reactor or its real reactor, both read through {@link dev.braid.reactor.ReactorResources}
 *       (the real reactor after two more turns of its loop, as trial does, so that close
 *       notifications already queued have run);
 *   <li>a real reactor that does not stop within the {@link DeferredTimeout}, or 10 seconds if that
 *       is longer (its shutdown closes whatever the test left open, so the next test starts clean);
 *   <li>a failed Deferred whose failure nobody handled, created during the test ({@link
 *       UnhandledFailures#pendingSince}), including those that the real reactor's shutdown caused.
 * </ul>
 *
 * Clean up in the test (cancel calls, {@code stopListening()}, close transports and await their
 * {@code connectionLost}, consume failures with {@link DeferredAssertions#failureResultOf}).
 *
 * <p>Threading: JUnit's thread drives everything; with a real reactor, test code runs on the
 * reactor thread as described above. Tests must not run concurrently with each other while
 * unhandled failures are being tracked, since that bookkeeping is JVM-wide.
 */
public final class BraidExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BraidExtension.class);

  /** How long a real reactor may take to start. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The janitor's look at a real reactor and its shutdown wait at least this long, however short
   * the {@link DeferredTimeout}: a short timeout must not turn a slow machine into a failure. A
   * seam for this module's tests, which lower it to test a reactor that does not stop.
   */
  static volatile Duration minimumCloseWait = RunningReactor.CLOSE_TIMEOUT;

  /** For JUnit, through {@code @ExtendWith(BraidExtension.class)}. */
  public BraidExtension() {}

  /** What one test was given; closed by JUnit with the test's store, as a safety net. */
  private static final class Resources implements AutoCloseable {
    final long unhandledMark = UnhandledFailures.mark();
    VirtualClock clock;
    MemoryReactor reactor;
    AfterTest afterTest;
    RunningReactor real;
    boolean reactorThreadBlocked;

    VirtualClock clock() {
      if (clock == null) {
        clock = VirtualClock.create();
      }
      return clock;
    }

    MemoryReactor reactor() {
      if (reactor == null) {
        reactor = MemoryReactor.create(clock());
      }
      return reactor;
    }

    AfterTest afterTest() {
      if (afterTest == null) {
        afterTest = new AfterTest();
      }
      return afterTest;
    }

    RunningReactor real(ExtensionContext context) {
      if (real == null) {
        try {
          real = RunningReactor.start(context.getRequiredTestMethod().getName(), START_TIMEOUT);
        } catch (RuntimeException e) {
          throw new ParameterResolutionException("cannot start a real reactor: " + e, e);
        }
      }
      return real;
    }

    @Override
    public void close() {
      if (real != null) {
        real.closeQuietly();
      }
    }
  }

  private static Resources resources(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Resources.class, type -> new Resources(), Resources.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    resources(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == VirtualClock.class
        || type == Clock.class
        || type == MemoryReactor.class
        || type == ReactorTcp.class
        || type == ReactorCore.class
        || type == AfterTest.class
        || type == Reactor.class
        || type == SelectorReactor.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "BraidExtension gives its objects to test and lifecycle methods only, not to "
              + parameter.getDeclaringExecutable());
    }
    Resources resources = resources(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == VirtualClock.class || type == Clock.class) {
      return resources.clock();
    }
    if (type == AfterTest.class) {
      return resources.afterTest();
    }
    if (type == Reactor.class || type == SelectorReactor.class) {
      return resources.real(context).reactor();
    }
    return resources.reactor();
  }

  // -----------------------------------------------------------------------------------------------
  // Running test and lifecycle methods

  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    invoke(invocation, invocationContext, context);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    invoke(invocation, invocationContext, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    invoke(invocation, invocationContext, context);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    invoke(invocation, invocationContext, context);
  }

  private static void invoke(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    Resources resources = resources(context);
    Duration timeout = timeout(context);
    if (resources.real == null) {
      invocation.proceed();
      awaitOnVirtualTime(resources, timeout);
    } else {
      runOnReactorThread(invocation, invocationContext.getExecutable(), resources, timeout);
    }
  }

  private static Duration timeout(ExtensionContext context) {
    Optional<DeferredTimeout> onMethod =
        context.getTestMethod().map(m -> m.getAnnotation(DeferredTimeout.class));
    DeferredTimeout annotation =
        onMethod.orElseGet(
            () ->
                context
                    .getTestClass()
                    .map(c -> c.getAnnotation(DeferredTimeout.class))
                    .orElse(null));
    double seconds = annotation == null ? DeferredTimeout.DEFAULT_SECONDS : annotation.value();
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("@DeferredTimeout must be positive: " + seconds);
    }
    return Clock.toDuration(seconds);
  }

  /** A Deferred handed to {@link AfterTest}, and its outcome once it has fired. */
  private record Watched(Deferred<?> deferred, CompletableFuture<Outcome<?>> outcome) {}

  /** Adds a last callback that records and consumes the outcome. */
  private static List<Watched> watchHanded(Resources resources) {
    if (resources.afterTest == null) {
      return List.of();
    }
    List<Watched> watched = new ArrayList<>();
    for (Deferred<?> deferred : resources.afterTest.drain()) {
      watched.add(new Watched(deferred, watch(deferred)));
    }
    return watched;
  }

  private static <T> CompletableFuture<Outcome<?>> watch(Deferred<T> deferred) {
    CompletableFuture<Outcome<?>> outcome = new CompletableFuture<>();
    deferred.addBoth(
        (Outcome<T> o) -> {
          outcome.complete(o);
          return null;
        });
    return outcome;
  }

  /** Cancels the Deferreds from index {@code from} on that have not fired; returns their names. */
  private static List<String> cancelUnfired(List<Watched> watched, int from) {
    List<String> names = new ArrayList<>();
    for (Watched w : watched.subList(from, watched.size())) {
      if (!w.outcome().isDone()) {
        names.add(w.deferred().toString());
        try {
          w.deferred().cancel();
        } catch (RuntimeException e) {
          // A canceller that throws leaves the Deferred unfired; the janitor will see what it
          // holds.
        }
      }
    }
    return names;
  }

  private static void awaitOnVirtualTime(Resources resources, Duration timeout) throws Throwable {
    List<Watched> watched = watchHanded(resources);
    if (watched.isEmpty()) {
      return;
    }
    VirtualClock clock = resources.clock();
    double timeoutSeconds = Clock.toSeconds(timeout);
    double deadline = clock.seconds() + timeoutSeconds;
    for (int i = 0; i < watched.size(); i++) {
      CompletableFuture<Outcome<?>> outcome = watched.get(i).outcome();
      boolean nothingScheduled = advanceUntilDone(outcome, clock, deadline);
      if (!outcome.isDone()) {
        String name = cancelUnfired(watched, i).get(0);
        throw new AssertionError(
            name
                + " handed to AfterTest did not fire within "
                + Clock.describe(timeout)
                + " of virtual time"
                + (nothingScheduled ? " (nothing was scheduled on the test's clock)" : "")
                + "; it was cancelled");
      }
      throwIfFailed(outcome.join(), watched, i);
    }
  }

  /**
   * Advances the clock from timer to timer until {@code outcome} is done or the deadline passes.
   * Returns true if it stopped because nothing was scheduled at all.
   */
  private static boolean advanceUntilDone(
      CompletableFuture<?> outcome, VirtualClock clock, double deadline) {
    while (!outcome.isDone()) {
      List<DelayedCall> calls = clock.getDelayedCalls();
      if (calls.isEmpty() || calls.get(0).getTime() > deadline) {
        clock.advance(Math.max(0, deadline - clock.seconds()));
        return calls.isEmpty();
      }
      clock.advance(Math.max(0, calls.get(0).getTime() - clock.seconds()));
    }
    return false;
  }

  private static void throwIfFailed(Outcome<?> outcome, List<Watched> watched, int index)
      throws Throwable {
    if (outcome instanceof Outcome.Failed<?>(Failure failure)) {
      cancelUnfired(watched, index + 1);
      throw failure.value();
    }
  }

  /**
   * Runs a test or lifecycle method on the reactor thread, then awaits the Deferreds it handed over
   * in real time, the whole within {@code timeout}.
   */
  private static void runOnReactorThread(
      Invocation<Void> invocation, Method method, Resources resources, Duration timeout)
      throws Throwable {
    RunningReactor real = resources.real;
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<List<Watched>> ran = new CompletableFuture<>();
    real.reactor()
        .callFromThread(
            () -> {
              try {
                invocation.proceed();
              } catch (Throwable t) {
                ran.completeExceptionally(t);
                return;
              }
              if (!ran.isDone()) { // not abandoned
                ran.complete(watchHanded(resources));
              }
            });
    List<Watched> watched = awaitReturn(ran, deadline, method, resources, timeout);
    for (int i = 0; i < watched.size(); i++) {
      Outcome<?> outcome = awaitOrCancel(real, watched, i, deadline, timeout);
      if (outcome instanceof Outcome.Failed<?>(Failure failure)) {
        int from = i + 1;
        real.submit(() -> cancelUnfired(watched, from));
        throw failure.value();
      }
    }
  }

  /**
   * Waits for the method running on the reactor thread to return; at the deadline, abandons it,
   * interrupts the reactor thread and fails.
   */
  private static List<Watched> awaitReturn(
      CompletableFuture<List<Watched>> ran,
      long deadline,
      Method method,
      Resources resources,
      Duration timeout)
      throws Throwable {
    try {
      return getBefore(ran, deadline);
    } catch (TimeoutException e) {
      if (!ran.completeExceptionally(e)) {
        return getBefore(ran, deadline); // it returned just now
      }
    }
    resources.reactorThreadBlocked = true;
    Thread thread = resources.real.thread();
    Throwable stack = RunningReactor.stackOf(thread);
    thread.interrupt();
    throw new AssertionError(
        method.getName()
            + " did not return within "
            + Clock.describe(timeout)
            + " on the reactor thread "
            + thread.getName()
            + ", which must never block (hand blocking work to deferToThread); the thread was"
            + " interrupted",
        stack);
  }

  /**
   * Waits for the outcome of the Deferred at {@code index}; at the deadline, cancels it and those
   * after it on the reactor thread and fails.
   */
  private static Outcome<?> awaitOrCancel(
      RunningReactor real, List<Watched> watched, int index, long deadline, Duration timeout)
      throws Throwable {
    CompletableFuture<Outcome<?>> outcome = watched.get(index).outcome();
    try {
      return getBefore(outcome, deadline);
    } catch (TimeoutException e) {
      // below
    }
    String name;
    try {
      name =
          getBefore(
              real.submit(() -> outcome.isDone() ? null : cancelUnfired(watched, index).get(0)),
              System.nanoTime() + RunningReactor.CLOSE_TIMEOUT.toNanos());
    } catch (TimeoutException notAnswering) {
      name = "the Deferred number " + (index + 1);
    }
    if (name == null) {
      return outcome.join(); // it fired just now
    }
    throw new AssertionError(
        name
            + " handed to AfterTest did not fire within "
            + Clock.describe(timeout)
            + " of real time on the reactor; it was cancelled");
  }

  /** The future's value, or its exception rethrown, waiting until {@code deadline} (nanoTime). */
  private static <T> T getBefore(CompletableFuture<T> future, long deadline)
      throws Throwable, TimeoutException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The janitor

  @Override
  public void afterEach(ExtensionContext context) {
    Resources resources = resources(context);
    List<String> problems = new ArrayList<>();
    Throwable cause = null;
    if (resources.real != null) {
      Duration timeout = timeout(context);
      if (timeout.compareTo(minimumCloseWait) < 0) {
        timeout = minimumCloseWait;
      }
      problems.addAll(realLeftovers(resources, timeout));
      AssertionError notStopped = resources.real.stop(timeout);
      if (notStopped != null) {
        problems.add(notStopped.getMessage());
        cause = notStopped.getCause();
      }
    }
    if (resources.reactor != null) {
      problems.addAll(Janitor.leftovers(resources.reactor));
    } else if (resources.clock != null) {
      for (DelayedCall call : resources.clock.getDelayedCalls()) {
        problems.add("pending delayed call: " + call);
      }
    }
    List<UnhandledFailures.UnhandledFailure> unhandled =
        UnhandledFailures.pendingSince(resources.unhandledMark);
    for (UnhandledFailures.UnhandledFailure failure : unhandled) {
      problems.add(failure.describe());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "the test left a mess behind (trial's dirty reactor and unhandled errors):\n - "
              + String.join("\n - ", problems),
          cause);
    }
  }

  private static List<String> realLeftovers(Resources resources, Duration timeout) {
    if (resources.reactorThreadBlocked) {
      return List.of("the real reactor was not checked for leftovers: its thread was blocked");
    }
    try {
      return resources.real.leftovers().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return List.of(
          "the real reactor did not answer the janitor within "
              + Clock.describe(timeout)
              + ": is its thread blocked?");
    } catch (ExecutionException e) {
      return List.of("looking at the real reactor failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("interrupted while looking at the real reactor");
    }
  }
}
