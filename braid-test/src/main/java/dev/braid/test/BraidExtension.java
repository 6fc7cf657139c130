package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.defer.UnhandledFailures;
import dev.braid.defer.VirtualClock;
import dev.braid.reactor.Reactor;
import dev.braid.reactor.ReactorCore;
import dev.braid.reactor.ReactorTcp;
import dev.braid.reactor.ReactorTime;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Trial for JUnit 5: gives tests Braid's fakes on virtual time, awaits the Deferreds they hand
 * over, and fails a test that leaves a mess behind.
 *
 * <pre>{@code
 * @ExtendWith(BraidExtension.class)
 * class PoetryClientTest {
 *   @Test
 *   @DeferredTimeout(10)
 *   void getsThePoem(MemoryReactor reactor, AfterTest afterTest) { ... }
 * }
 * }</pre>
 *
 * <h2>Parameters</h2>
 *
 * Test and lifecycle methods ({@code @BeforeEach}, {@code @AfterEach}) may ask for, per test:
 *
 * <ul>
 *   <li>{@link VirtualClock} (or {@link Clock}): the test's clock, at 0 seconds;
 *   <li>{@link MemoryReactor} (or {@link ReactorTime}, {@link ReactorTcp}, {@link ReactorCore}): a
 *       memory reactor on that same clock;
 *   <li>{@link AfterTest}: to hand over Deferreds to await;
 *   <li>{@link Reactor}: a real reactor, made by the first {@link ReactorProvider} that {@link
 *       ServiceLoader} finds. None ships yet, so for now asking for one fails with a message saying
 *       so (the seam for the real reactor; see {@link ReactorProvider}).
 * </ul>
 *
 * <h2>After the test method</h2>
 *
 * The Deferreds handed to {@link AfterTest} are awaited (before {@code @AfterEach} methods, as
 * trial waits before {@code tearDown}), with the {@link DeferredTimeout} (default 120 s, virtual).
 *
 * <h2>After each test: the janitor</h2>
 *
 * Once {@code @AfterEach} methods have run, the test fails if it left behind (trial's dirty-reactor
 * check and Braid's decision 6):
 *
 * <ul>
 *   <li>delayed calls pending on the test's clock;
 *   <li>listening ports, connection attempts in progress, or open connections of its memory
 *       reactor;
 *   <li>a failed Deferred whose failure nobody handled, created during the test ({@link
 *       UnhandledFailures#pendingSince}).
 * </ul>
 *
 * Clean up in the test (cancel calls, {@code stopListening()}, close transports, consume failures
 * with {@link DeferredAssertions#failureResultOf}).
 *
 * <p>Threading: everything runs on the test's thread; tests must not run concurrently with each
 * other while unhandled failures are being tracked.
 */
public final class BraidExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BraidExtension.class);

  /** For JUnit, through {@code @ExtendWith(BraidExtension.class)}. */
  public BraidExtension() {}

  /** What one test was given. */
  private static final class Resources {
    final long unhandledMark = UnhandledFailures.mark();
    VirtualClock clock;
    MemoryReactor reactor;
    AfterTest afterTest;

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
        || type == ReactorTime.class
        || type == ReactorTcp.class
        || type == ReactorCore.class
        || type == AfterTest.class
        || type == Reactor.class;
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
    if (type == Reactor.class) {
      return realReactor();
    }
    return resources.reactor();
  }

  private static Reactor realReactor() {
    Optional<ReactorProvider> provider = ServiceLoader.load(ReactorProvider.class).findFirst();
    if (provider.isEmpty()) {
      throw new ParameterResolutionException(
          "no real reactor available: no dev.braid.test.ReactorProvider was found by"
              + " ServiceLoader (braid-reactor does not provide one yet). Ask for a MemoryReactor"
              + " or a VirtualClock instead.");
    }
    // The seam for the real reactor: running it on its own thread for the test, awaiting
    // Deferreds on it and its janitor are not implemented until a real reactor exists.
    throw new ParameterResolutionException(
        "a ReactorProvider was found ("
            + provider.get().getClass().getName()
            + "), but running a real reactor in a test is not implemented in BraidExtension yet");
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    invocation.proceed();
    Resources resources = resources(context);
    if (resources.afterTest == null) {
      return;
    }
    double timeout = timeoutSeconds(context);
    for (Deferred<?> deferred : resources.afterTest.drain()) {
      await(deferred, resources.clock(), timeout);
    }
  }

  private static double timeoutSeconds(ExtensionContext context) {
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
    return seconds;
  }

  /** Advances the clock from timer to timer until the Deferred fires or the timeout passes. */
  static void await(Deferred<?> deferred, VirtualClock clock, double timeoutSeconds)
      throws Throwable {
    double deadline = clock.seconds() + timeoutSeconds;
    while (!deferred.hasResult()) {
      List<DelayedCall> calls = clock.getDelayedCalls();
      if (calls.isEmpty() || calls.get(0).getTime() > deadline) {
        boolean nothingScheduled = calls.isEmpty();
        clock.advance(Math.max(0, deadline - clock.seconds()));
        if (deferred.hasResult()) {
          break;
        }
        throw new AssertionError(
            deferred
                + " handed to AfterTest did not fire within "
                + Clock.describe(Clock.toDuration(timeoutSeconds))
                + " of virtual time"
                + (nothingScheduled ? " (nothing was scheduled on the test's clock)" : ""));
      }
      clock.advance(Math.max(0, calls.get(0).getTime() - clock.seconds()));
    }
    Outcome<?> outcome = DeferredAssertions.consume(deferred);
    if (outcome instanceof Outcome.Failed<?>(Failure failure)) {
      throw failure.value();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Resources resources = resources(context);
    List<String> problems = new ArrayList<>();
    if (resources.reactor != null) {
      problems.addAll(resources.reactor.leftovers());
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
              + String.join("\n - ", problems));
    }
  }
}
