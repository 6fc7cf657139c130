package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.UnhandledFailures.UnhandledFailure;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** stop(): the three phases of triggers, and everything the reactor owns closed. */
class ShutdownTest {

  @Test
  void triggersRunInPhaseOrderAndBeforeDeferredsAreAwaited(LogCapture logs) {
    SelectorReactor reactor = SelectorReactor.create();
    List<String> log = new ArrayList<>();
    reactor.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          log.add("after");
          return null;
        });
    reactor.addSystemEventTrigger(
        SystemEventPhase.DURING,
        () -> {
          log.add("during");
          return null;
        });
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          log.add("before 1");
          Deferred<String> later = Deferred.create();
          reactor.callLater(
              0.01,
              () -> {
                log.add("before 1's Deferred fires");
                later.callback("done");
              });
          return later;
        });
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          log.add("before 2");
          return Deferred.fail(new IllegalStateException("expected by the test: logged"));
        });
    Object removed =
        reactor.addSystemEventTrigger(
            SystemEventPhase.DURING,
            () -> {
              log.add("removed");
              return null;
            });
    reactor.removeSystemEventTrigger(removed);
    assertThatThrownBy(() -> reactor.removeSystemEventTrigger(removed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown system event trigger: ");

    RunningReactor running = RunningReactor.start(reactor);
    running.run(
        () -> {
          reactor.stop();
          assertThat(reactor.isRunning()).isFalse();
        });
    running.awaitExit();
    assertThat(log)
        .containsExactly("before 1", "before 2", "before 1's Deferred fires", "during", "after");
    assertThat(logs.take(Level.ERROR, SelectorReactor.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("a BEFORE shutdown trigger's Deferred failed");
              assertThat(e.thrown()).hasMessage("expected by the test: logged");
            });
  }

  @Test
  @Tag("loopback")
  void stopClosesListeningPortsAndConnectionsBeforeTheDuringTriggers() throws IOException {
    SelectorReactor reactor = SelectorReactor.create();
    RunningReactor running = RunningReactor.start(reactor);
    List<String> log = new ArrayList<>();
    CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
    ListeningPort port =
        running.call(
            () ->
                reactor.listenTCP(
                    0,
                    new dev.braid.net.Factory() {
                      @Override
                      public dev.braid.net.Protocol buildProtocol(InetSocketAddress a) {
                        RecordingProtocol p =
                            new RecordingProtocol() {
                              @Override
                              public void connectionLost(dev.braid.net.ConnectionEnd reason) {
                                log.add("connectionLost " + reason.getMessage());
                                super.connectionLost(reason);
                              }
                            };
                        accepted.complete(p);
                        return p;
                      }

                      @Override
                      public void stopFactory() {
                        log.add("port closed");
                      }
                    },
                    ReactorTcp.DEFAULT_BACKLOG,
                    "127.0.0.1"));
    int portNumber = port.getHost().getPort();
    try (Socket peer = new Socket("127.0.0.1", portNumber)) {
      RunningReactor.get(accepted).awaitTransport();
      running.run(
          () -> {
            reactor.addSystemEventTrigger(
                SystemEventPhase.DURING,
                () -> {
                  log.add("during trigger");
                  return null;
                });
            reactor.stop();
          });
      running.awaitExit();
      assertThat(peer.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(RunningReactor.get(accepted).awaitLost()).isInstanceOf(ConnectionLost.class);
    assertThat(log)
        .containsExactly(
            "port closed",
            "connectionLost Connection lost: the reactor is shutting down.",
            "during trigger");
    try (Socket again = new Socket()) {
      assertThatThrownBy(() -> again.connect(new InetSocketAddress("127.0.0.1", portNumber), 5000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @Tag("loopback")
  void stopFailsConnectionAttemptsStillInProgress() throws IOException {
    try (FullBacklogPort full = FullBacklogPort.open()) {
      RunningReactor running = RunningReactor.start();
      CompletableFuture<ConnectError> failed = new CompletableFuture<>();
      running.run(
          () -> {
            running
                .reactor()
                .connectTCP(
                    "127.0.0.1",
                    full.port(),
                    new ClientFactory() {
                      @Override
                      public dev.braid.net.Protocol buildProtocol(InetSocketAddress address) {
                        return null;
                      }

                      @Override
                      public void clientConnectionFailed(Connector connector, ConnectError reason) {
                        failed.complete(reason);
                      }
                    },
                    Duration.ofSeconds(30),
                    null);
            running.reactor().stop();
          });
      running.awaitExit();
      assertThat(RunningReactor.get(failed))
          .hasMessage("127.0.0.1:" + full.port() + ": the reactor stopped before connecting");
    }
  }

  @Test
  void unhandledFailuresLeftOnTheReactorThreadAreReportedAtShutdown() {
    SelectorReactor reactor = SelectorReactor.create();
    List<UnhandledFailure> reported = new ArrayList<>();
    reactor.unhandledAtShutdown = reported::add;
    List<Deferred<?>> keepAlive = new ArrayList<>();
    RunningReactor running = RunningReactor.start(reactor);
    running.run(
        () -> {
          keepAlive.add(Deferred.fail(new IllegalStateException("expected by the test: left")));
          Deferred<Object> handled = Deferred.fail(new IllegalStateException("handled"));
          handled.addErrback(f -> null);
          keepAlive.add(handled);
          reactor.stop();
        });
    running.awaitExit();
    assertThat(reported)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.failure().value()).hasMessage("expected by the test: left");
              assertThat(u.threadName()).isEqualTo(running.thread().getName());
            });
    // The reactor thread is gone: handle the failure here, so nothing is left for the cleaner.
    keepAlive.get(0).addErrback(f -> null);
  }

  @Test
  void twoReactorsWhoseThreadsHaveTheSameNameEachReportOnlyTheirOwnFailures() {
    SelectorReactor first = SelectorReactor.create();
    SelectorReactor second = SelectorReactor.create();
    List<UnhandledFailure> reportedByFirst = new ArrayList<>();
    List<UnhandledFailure> reportedBySecond = new ArrayList<>();
    first.unhandledAtShutdown = reportedByFirst::add;
    second.unhandledAtShutdown = reportedBySecond::add;
    List<Deferred<?>> keepAlive = new ArrayList<>();
    RunningReactor runningFirst = RunningReactor.start(first);
    RunningReactor runningSecond = RunningReactor.start(second);
    runningFirst.thread().setName("test-reactor");
    runningSecond.thread().setName("test-reactor");
    runningFirst.run(
        () -> keepAlive.add(Deferred.fail(new IllegalStateException("expected by the test: 1st"))));
    runningSecond.run(
        () -> keepAlive.add(Deferred.fail(new IllegalStateException("expected by the test: 2nd"))));

    runningFirst.run(first::stop);
    runningFirst.awaitExit();
    runningSecond.run(second::stop);
    runningSecond.awaitExit();

    assertThat(reportedByFirst)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.failure().value()).hasMessage("expected by the test: 1st");
              assertThat(u.threadName()).isEqualTo("test-reactor");
            });
    assertThat(reportedBySecond)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.failure().value()).hasMessage("expected by the test: 2nd");
              assertThat(u.threadName()).isEqualTo("test-reactor");
            });
    // Both reactor threads are gone: handle the failures here, so nothing is left for the cleaner.
    keepAlive.forEach(d -> d.addErrback(f -> null));
  }

  @Test
  void unhandledFailuresLeftInACoroutineBodyOnTheReactorThreadAreReportedAtShutdown() {
    SelectorReactor reactor = SelectorReactor.create();
    List<UnhandledFailure> reported = new ArrayList<>();
    reactor.unhandledAtShutdown = reported::add;
    List<Deferred<?>> keepAlive = new ArrayList<>();
    RunningReactor running = RunningReactor.start(reactor);
    running.run(
        () -> {
          Deferred<Object> tick = Deferred.create();
          reactor.callLater(0, () -> tick.callback(null));
          keepAlive.add(
              Async.run(
                  () -> {
                    Async.await(tick); // resumed by the reactor thread's delayed call
                    keepAlive.add(
                        Deferred.fail(
                            new IllegalStateException("expected by the test: in a body")));
                    reactor.stop();
                    return null;
                  }));
        });
    running.awaitExit();
    assertThat(reported)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.failure().value()).hasMessage("expected by the test: in a body");
              assertThat(u.threadName()).isEqualTo(running.thread().getName());
            });
    keepAlive.get(1).addErrback(f -> null);
  }

  @Test
  void theShutdownHookStopsTheReactorAndWaitsForIt() throws Exception {
    SelectorReactor reactor = SelectorReactor.create();
    reactor.installShutdownHook(Duration.ofSeconds(10));
    assertThatThrownBy(() -> reactor.installShutdownHook(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    List<String> log = new ArrayList<>();
    reactor.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          log.add("after");
          return null;
        });
    RunningReactor running = RunningReactor.start(reactor);
    // What the JVM does on SIGINT/SIGTERM, minus the exit: run the hook.
    Thread hook = reactor.shutdownHookThread();
    hook.start();
    hook.join(RunningReactor.TIMEOUT);
    assertThat(hook.isAlive()).isFalse();
    assertThat(reactor.isRunning()).isFalse();
    assertThat(log).containsExactly("after"); // the hook returned only after run() had finished
    running.awaitExit();
  }
}
