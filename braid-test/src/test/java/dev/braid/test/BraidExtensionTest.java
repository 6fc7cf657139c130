package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.defer.VirtualClock;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorCore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs sample test classes through the Jupiter engine and checks what the extension made of them.
 */
class BraidExtensionTest {
  static final List<String> LOG = new ArrayList<>();

  /**
   * The failed Deferred a sample leaves unhandled, kept reachable until the test that ran the
   * sample handles it: left to the garbage collector, it would be reported during a later test.
   */
  static volatile Deferred<Void> leftFailed;

  /** Samples: run only through the engine test kit (surefire skips nested classes). */
  @ExtendWith(BraidExtension.class)
  static class Samples {
    @Test
    void getsOneClockAndAReactorOnIt(
        VirtualClock clock, Clock sameClock, MemoryReactor reactor, ReactorCore core) {
      LOG.add(String.valueOf(clock == sameClock && reactor.clock() == clock && core == reactor));
    }

    @Test
    void awaitsAHandedDeferredOnVirtualTime(VirtualClock clock, AfterTest afterTest) {
      Deferred<String> d = Deferred.create();
      clock.callLater(100, () -> d.callback("fired"));
      afterTest.await(d).addCallback(v -> LOG.add(v + " at " + clock.seconds()));
    }

    @Test
    @DeferredTimeout(5)
    void timesOutOnVirtualTime(VirtualClock clock, AfterTest afterTest) {
      Deferred<String> d = Deferred.create();
      clock.callLater(10, () -> d.callback("too late"));
      afterTest.await(d);
    }

    @Test
    void failsWithTheFailureOfAHandedDeferred(AfterTest afterTest) {
      afterTest.await(Deferred.fail(new IOException("no poem")));
    }

    @Test
    @DeferredTimeout(5)
    void sharesOneTimeoutAmongTheHandedDeferreds(VirtualClock clock, AfterTest afterTest) {
      afterTest.await(Deferreds.deferLater(clock, 3, () -> "in time"));
      afterTest.await(Deferreds.deferLater(clock, 7, () -> "5 seconds after the method, too late"));
    }

    @Test
    void cancelsTheOtherHandedDeferredsWhenOneFails(VirtualClock clock, AfterTest afterTest) {
      afterTest.await(Deferred.fail(new IOException("the first one failed")));
      afterTest
          .await(Deferreds.deferLater(clock, 10, () -> "never needed"))
          .addErrback(
              failure -> {
                LOG.add("cancelled: " + failure.value().getClass().getSimpleName());
                return failure.raiseException();
              });
    }

    @Test
    void failsWhenADelayedCallIsLeftPending(VirtualClock clock) {
      clock.callLater(1, () -> {});
    }

    @Test
    void failsWhenAPortIsLeftListening(MemoryReactor reactor) {
      reactor.listenTCP(10000, a -> new BaseProtocol() {});
    }

    @Test
    void failsWhenAFailedDeferredIsLeftUnhandled() {
      leftFailed = Deferred.fail(new IllegalStateException("nobody handled me"));
    }

    @Test
    void passesWhenEverythingIsCleanedUp(MemoryReactor reactor) {
      var call = reactor.callLater(1, () -> {});
      call.cancel();
      reactor.listenTCP(1, a -> null).stopListening();
      DeferredAssertions.failureResultOf(Deferred.fail(new IOException("handled")));
    }
  }

  /** The same clock reaches @AfterEach, so a test can clean up there. */
  @ExtendWith(BraidExtension.class)
  static class CleanupSample {
    @Test
    void leavesACall(VirtualClock clock) {
      clock.callLater(1, () -> {});
    }

    @AfterEach
    void cleansUp(VirtualClock clock) {
      clock.advance(1);
    }
  }

  private static Events run(Class<?> sample, String method, String... parameterTypes) {
    LOG.clear();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(sample, method, String.join(",", parameterTypes)))
        .execute()
        .testEvents();
  }

  private static Throwable failure(Events events) {
    Event failed = events.failed().list().get(0);
    return failed
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  @Test
  void injectsOneVirtualClockAndAMemoryReactorOnIt() {
    run(
            Samples.class,
            "getsOneClockAndAReactorOnIt",
            VirtualClock.class.getName(),
            Clock.class.getName(),
            MemoryReactor.class.getName(),
            ReactorCore.class.getName())
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("true");
  }

  @Test
  void aHandedDeferredIsAwaitedByAdvancingTheVirtualClock() {
    run(
            Samples.class,
            "awaitsAHandedDeferredOnVirtualTime",
            VirtualClock.class.getName(),
            AfterTest.class.getName())
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("fired at 100.0");
  }

  @Test
  void aHandedDeferredThatDoesNotFireInTimeFailsTheTest() {
    Events events =
        run(
            Samples.class,
            "timesOutOnVirtualTime",
            VirtualClock.class.getName(),
            AfterTest.class.getName());
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not fire within 5 seconds of virtual time");
  }

  @Test
  void aHandedDeferredThatFailsFailsTheTestWithItsException() {
    Events events =
        run(Samples.class, "failsWithTheFailureOfAHandedDeferred", AfterTest.class.getName());
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events)).isInstanceOf(IOException.class).hasMessage("no poem");
  }

  @Test
  void theHandedDeferredsShareOneTimeoutFromTheEndOfTheMethod() {
    Events events =
        run(
            Samples.class,
            "sharesOneTimeoutAmongTheHandedDeferreds",
            VirtualClock.class.getName(),
            AfterTest.class.getName());
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .hasMessageContaining("did not fire within 5 seconds of virtual time")
        .hasMessageContaining("it was cancelled");
  }

  @Test
  void whenAHandedDeferredFailsTheOthersAreCancelledSoNothingIsLeftPending() {
    Events events =
        run(
            Samples.class,
            "cancelsTheOtherHandedDeferredsWhenOneFails",
            VirtualClock.class.getName(),
            AfterTest.class.getName());
    events.assertStatistics(s -> s.failed(1));
    Throwable failure = failure(events);
    assertThat(failure).isInstanceOf(IOException.class).hasMessage("the first one failed");
    assertThat(failure.getSuppressed()).isEmpty(); // the janitor found no pending call
    assertThat(LOG).containsExactly("cancelled: CancelledException");
  }

  @Test
  void aPendingDelayedCallFailsTheTest() {
    Events events =
        run(Samples.class, "failsWhenADelayedCallIsLeftPending", VirtualClock.class.getName());
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events)).hasMessageContaining("pending delayed call: DelayedCall{time=1.0}");
  }

  @Test
  void aListeningPortFailsTheTest() {
    Events events =
        run(Samples.class, "failsWhenAPortIsLeftListening", MemoryReactor.class.getName());
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events)).hasMessageContaining("listening port: MemoryPort{");
  }

  @Test
  void anUnhandledFailedDeferredFailsTheTest() {
    Events events = run(Samples.class, "failsWhenAFailedDeferredIsLeftUnhandled");
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .hasMessageContaining("Unhandled error in Deferred")
        .hasMessageContaining("nobody handled me");
    DeferredAssertions.failureResultOf(leftFailed, IllegalStateException.class);
    leftFailed = null;
  }

  @Test
  void aTestThatCleansUpPasses() {
    run(Samples.class, "passesWhenEverythingIsCleanedUp", MemoryReactor.class.getName())
        .assertStatistics(s -> s.succeeded(1));
  }

  @Test
  void afterEachMethodsShareTheTestsClockAndRunBeforeTheJanitor() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(
            org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(CleanupSample.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
  }
}
