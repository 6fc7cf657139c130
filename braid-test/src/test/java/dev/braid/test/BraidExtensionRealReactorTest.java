package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.event.Level;

/**
 * The extension with a real reactor: sample tests run through the Jupiter engine, and what the
 * extension made of them checked here, on this (JUnit's) thread.
 */
class BraidExtensionRealReactorTest {
  static final List<String> LOG = new CopyOnWriteArrayList<>();

  /** What the last sample saw; read once the engine has finished with it. */
  static volatile SelectorReactor lastReactor;

  static volatile Thread lastThread;
  static volatile int lastPort;
  static volatile Deferred<Void> neverFires;
  static volatile Deferred<Void> leftFailed;
  static final CountDownLatch NEVER_COUNTED_DOWN = new CountDownLatch(1);

  private static void remember(Reactor reactor) {
    lastReactor = (SelectorReactor) reactor;
    lastThread = Thread.currentThread();
  }

  /** Samples: run only through the engine test kit (surefire skips nested classes). */
  @ExtendWith(BraidExtension.class)
  static class Samples {
    @Test
    void runsOnTheReactorThread(Reactor reactor, SelectorReactor sameReactor) {
      remember(reactor);
      LOG.add("reactor thread: " + reactor.isReactorThread());
      LOG.add("one reactor: " + (reactor == sameReactor));
      LOG.add("running: " + reactor.isRunning());
      reactor.callLater(0, () -> {}).cancel(); // a reactor-only method, called directly
    }

    @Test
    void awaitsAHandedDeferredInRealTime(Reactor reactor, AfterTest afterTest) {
      afterTest
          .await(Deferreds.deferLater(reactor, 0.05, () -> "fired"))
          .addCallback(v -> LOG.add(v + " on the reactor thread: " + reactor.isReactorThread()));
    }

    @Test
    @DeferredTimeout(0.2)
    void timesOutInRealTime(Reactor reactor, AfterTest afterTest) {
      afterTest
          .await(Deferreds.deferLater(reactor, 60, () -> "far too late"))
          .addErrback(
              failure -> {
                LOG.add("cancelled: " + failure.value().getClass().getSimpleName());
                return failure.raiseException();
              });
    }

    @Test
    void failsWithTheFailureOfAHandedDeferred(Reactor reactor, AfterTest afterTest) {
      afterTest.await(
          reactor.deferToThread(
              () -> {
                throw new IOException("no poem from the pool");
              }));
    }

    @Test
    void failsWhenAPortIsLeftListening(Reactor reactor) {
      remember(reactor);
      ListeningPort port =
          reactor.listenTCP(0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
      lastPort = port.getHost().getPort();
    }

    @Test
    void failsWhenADelayedCallIsLeftPending(Reactor reactor) {
      reactor.callLater(60, () -> {});
    }

    @Test
    void failsWhenConnectionsAreLeftOpen(Reactor reactor, AfterTest afterTest) {
      ListeningPort port =
          reactor.listenTCP(0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
      Deferred<Void> made = Deferred.create();
      ClientFactory client =
          address ->
              new BaseProtocol() {
                @Override
                protected void connectionMade() {
                  made.callback(null);
                }
              };
      reactor.connectTCP("127.0.0.1", port.getHost().getPort(), client, null, null);
      afterTest.await(made.addCallbackDeferred(ignored -> port.stopListening()));
    }

    @Test
    void failsWhenAFailedDeferredIsLeftUnhandled(Reactor reactor) {
      // Kept reachable, so that garbage collection cannot report it before the janitor looks.
      leftFailed = Deferred.fail(new IllegalStateException("nobody handled me on the reactor"));
    }

    @Test
    @DeferredTimeout(0.2)
    void failsWhenTheTestBlocksTheReactorThread(Reactor reactor) throws InterruptedException {
      remember(reactor);
      NEVER_COUNTED_DOWN.await();
    }

    @Test
    @DeferredTimeout(0.2)
    void failsWhenTheReactorDoesNotStop(Reactor reactor) {
      remember(reactor);
      Deferred<Void> never = Deferred.create();
      neverFires = never;
      reactor.addSystemEventTrigger(SystemEventPhase.BEFORE, () -> never);
    }

    @Test
    @DeferredTimeout(0.2)
    void shutsDownSlowerThanItsShortTimeout(Reactor reactor) {
      remember(reactor);
      reactor.addSystemEventTrigger(
          SystemEventPhase.BEFORE, () -> Deferreds.deferLater(reactor, 0.5, () -> LOG.add("slow")));
    }

    @Test
    void passesWhenEverythingIsCleanedUp(Reactor reactor, AfterTest afterTest) {
      remember(reactor);
      reactor.callLater(60, () -> {}).cancel();
      Deferred<ConnectionEnd> serverLost = Deferred.create();
      Deferred<ConnectionEnd> clientLost = Deferred.create();
      ListeningPort port =
          reactor.listenTCP(
              0,
              a ->
                  new BaseProtocol() {
                    @Override
                    protected void connectionMade() {
                      transport().write("a poem".getBytes(StandardCharsets.UTF_8));
                      transport().loseConnection();
                    }

                    @Override
                    public void connectionLost(ConnectionEnd reason) {
                      serverLost.callback(reason);
                    }
                  },
              ReactorTcp.DEFAULT_BACKLOG,
              "127.0.0.1");
      StringBuilder poem = new StringBuilder();
      ClientFactory client =
          address ->
              new BaseProtocol() {
                @Override
                public void dataReceived(byte[] data) {
                  poem.append(new String(data, StandardCharsets.UTF_8));
                }

                @Override
                public void connectionLost(ConnectionEnd reason) {
                  clientLost.callback(reason);
                }
              };
      reactor.connectTCP("127.0.0.1", port.getHost().getPort(), client, null, null);
      afterTest.await(
          clientLost
              .addCallbackDeferred(end -> serverLost)
              .addCallbackDeferred(end -> port.stopListening())
              .addCallback(ignored -> LOG.add("received: " + poem)));
    }

    @Test
    void writesATestAsACoroutine(Reactor reactor, AfterTest afterTest) {
      afterTest.await(
          Async.run(
              () -> {
                ListeningPort port =
                    reactor.listenTCP(
                        0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
                String value = Async.await(Deferreds.deferLater(reactor, 0.01, () -> "later"));
                Async.await(port.stopListening()); // a reactor-only method, after an await
                LOG.add(value + ", reactor thread in the body: " + reactor.isReactorThread());
                return null;
              }));
    }

    @RepeatedTest(2)
    void repeatedTestsRunOnTheReactorThreadToo(Reactor reactor) {
      LOG.add("repetition on the reactor thread: " + reactor.isReactorThread());
    }
  }

  /** Lifecycle methods that come after the one that started the reactor run on its thread. */
  @ExtendWith(BraidExtension.class)
  static class LifecycleSample {
    private Reactor reactor;

    @BeforeEach
    void setUp(Reactor reactor) {
      this.reactor = reactor;
      LOG.add("setUp on the reactor thread: " + reactor.isReactorThread());
    }

    @Test
    void test(AfterTest afterTest) {
      LOG.add("test on the reactor thread: " + reactor.isReactorThread());
    }

    @AfterEach
    void tearDown(AfterTest afterTest) {
      LOG.add("tearDown on the reactor thread: " + reactor.isReactorThread());
      afterTest.await(Deferreds.deferLater(reactor, 0.01, () -> LOG.add("tearDown's Deferred")));
    }
  }

  private static Events run(String method, Class<?>... parameterTypes) {
    LOG.clear();
    String[] names = new String[parameterTypes.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = parameterTypes[i].getName();
    }
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(Samples.class, method, String.join(",", names)))
        .execute()
        .testEvents();
  }

  private static Throwable failure(Events events) {
    Event failed = events.failed().list().get(0);
    return failed
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  private static void assertStoppedAndJoined() {
    assertThat(lastThread.getState()).as("reactor thread").isEqualTo(Thread.State.TERMINATED);
    assertThat(lastReactor.isRunning()).isFalse();
  }

  @Test
  void aTestThatAsksForAReactorRunsOnItsThreadAndItIsStoppedAndJoinedAfterwards() {
    run("runsOnTheReactorThread", Reactor.class, SelectorReactor.class)
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("reactor thread: true", "one reactor: true", "running: true");
    assertThat(lastThread.getName()).startsWith("braid-test-reactor-");
    assertStoppedAndJoined();
  }

  @Test
  void aHandedDeferredIsAwaitedInRealTimeWhileTheReactorRuns() {
    run("awaitsAHandedDeferredInRealTime", Reactor.class, AfterTest.class)
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("fired on the reactor thread: true");
  }

  @Test
  void aHandedDeferredThatDoesNotFireInTimeFailsTheTestAndIsCancelled() {
    Events events = run("timesOutInRealTime", Reactor.class, AfterTest.class);
    events.assertStatistics(s -> s.failed(1));
    Throwable failure = failure(events);
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("handed to AfterTest did not fire within 0.2 seconds of real time")
        .hasMessageContaining("it was cancelled");
    // Cancelling it cancelled its delayed call: the janitor found nothing else to report.
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(LOG).containsExactly("cancelled: CancelledException");
  }

  @Test
  void aHandedDeferredThatFailsFailsTheTestWithItsException() {
    Events events = run("failsWithTheFailureOfAHandedDeferred", Reactor.class, AfterTest.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events)).isInstanceOf(IOException.class).hasMessage("no poem from the pool");
  }

  @Test
  void aListeningPortFailsTheTestAndTheReactorsShutdownClosesIt() {
    Events events = run("failsWhenAPortIsLeftListening", Reactor.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .hasMessageContaining("the test left a mess behind")
        .hasMessageContaining("listening port: TCP port 127.0.0.1:" + lastPort);
    assertStoppedAndJoined();
    assertThatThrownBy(() -> new Socket("127.0.0.1", lastPort).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aPendingDelayedCallFailsTheTest() {
    Events events = run("failsWhenADelayedCallIsLeftPending", Reactor.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events)).hasMessageContaining("pending delayed call: DelayedCall{time=");
  }

  @Test
  void openConnectionsFailTheTest() {
    Events events = run("failsWhenConnectionsAreLeftOpen", Reactor.class, AfterTest.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events).getMessage())
        .contains("open connection: dev.braid.test.BraidExtensionRealReactorTest$Samples$")
        .contains(" [client 127.0.0.1:")
        .contains(" [server 127.0.0.1:")
        .doesNotContain("listening port");
  }

  @Test
  void anUnhandledFailedDeferredOnTheReactorFailsTheTest(LogCapture logs) {
    Events events = run("failsWhenAFailedDeferredIsLeftUnhandled", Reactor.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .hasMessageContaining("Unhandled error in Deferred (thread braid-test-reactor-")
        .hasMessageContaining("nobody handled me on the reactor");
    // The reactor also reports it when it stops, as it does outside tests.
    assertThat(logs.take(Level.ERROR, SelectorReactor.class))
        .singleElement()
        .extracting(LogEvent::message)
        .asString()
        .startsWith("still unhandled when the reactor stopped: Unhandled error in Deferred")
        .contains("nobody handled me on the reactor");
    DeferredAssertions.failureResultOf(leftFailed, IllegalStateException.class);
    leftFailed = null;
  }

  @Test
  void aTestThatBlocksTheReactorThreadFailsAfterTheTimeoutAndIsInterrupted() throws Exception {
    Events events = run("failsWhenTheTestBlocksTheReactorThread", Reactor.class);
    events.assertStatistics(s -> s.failed(1));
    Throwable failure = failure(events);
    assertThat(failure)
        .hasMessageContaining(
            "failsWhenTheTestBlocksTheReactorThread did not return within 0.2 seconds on the"
                + " reactor thread braid-test-reactor-")
        .hasMessageContaining("the thread was interrupted");
    assertThat(failure.getCause().getStackTrace())
        .anyMatch(frame -> frame.getMethodName().equals("failsWhenTheTestBlocksTheReactorThread"));
    // The interrupt ended the wait, so the reactor could stop.
    assertStoppedAndJoined();
  }

  @Test
  void aReactorThatDoesNotStopInTimeFailsTheTest() throws InterruptedException {
    Events events;
    Duration usual = BraidExtension.minimumCloseWait;
    BraidExtension.minimumCloseWait = Duration.ofMillis(200);
    try {
      events = run("failsWhenTheReactorDoesNotStop", Reactor.class);
    } finally {
      BraidExtension.minimumCloseWait = usual;
    }
    events.assertStatistics(s -> s.failed(1));
    assertThat(failure(events))
        .hasMessageContaining("the real reactor did not stop within 0.2 seconds")
        .hasMessageContaining("is left running as a daemon");
    // Let it finish, so this test leaves no thread behind.
    assertThat(lastThread.isAlive()).isTrue();
    lastReactor.callFromThread(() -> neverFires.callback(null));
    lastThread.join(TimeUnit.SECONDS.toMillis(10));
    assertStoppedAndJoined();
  }

  @Test
  void aShortTimeoutDoesNotCutShortTheReactorsShutdown() {
    run("shutsDownSlowerThanItsShortTimeout", Reactor.class).assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("slow");
    assertStoppedAndJoined();
  }

  @Test
  void aTestThatCleansUpPasses() {
    run("passesWhenEverythingIsCleanedUp", Reactor.class, AfterTest.class)
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("received: a poem");
    assertStoppedAndJoined();
  }

  @Test
  void aTestMayBeACoroutineInLockStepWithTheReactorThread() {
    run("writesATestAsACoroutine", Reactor.class, AfterTest.class)
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("later, reactor thread in the body: true");
  }

  @Test
  void repeatedTestsRunOnTheReactorThread() {
    run("repeatedTestsRunOnTheReactorThreadToo", Reactor.class)
        .assertStatistics(s -> s.succeeded(2));
    assertThat(LOG)
        .containsExactly(
            "repetition on the reactor thread: true", "repetition on the reactor thread: true");
  }

  @Test
  void lifecycleMethodsAfterTheReactorStartedRunOnItsThreadAndTheirDeferredsAreAwaited() {
    LOG.clear();
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(LifecycleSample.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
    assertThat(LOG)
        .containsExactly(
            "setUp on the reactor thread: true",
            "test on the reactor thread: true",
            "tearDown on the reactor thread: true",
            "tearDown's Deferred");
  }
}
