package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The loop itself: running and stopping, timers, threads, and the reactor-thread check. */
class SelectorReactorTest {

  @Test
  void runReturnsAfterStopAndTheReactorCannotRunAgain() {
    SelectorReactor reactor = SelectorReactor.create();
    RunningReactor running = RunningReactor.start(reactor);
    assertThat(reactor.isRunning()).isTrue();
    reactor.stop(); // safe from any thread
    running.awaitExit();
    assertThat(reactor.isRunning()).isFalse();
    assertThatThrownBy(reactor::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this reactor has already run and cannot be restarted");
    assertThatThrownBy(reactor::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the reactor is not running: it has stopped");
  }

  @Test
  void stopBeforeRunAndStopTwiceFail() {
    SelectorReactor reactor = SelectorReactor.create();
    assertThatThrownBy(reactor::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the reactor is not running: run() has not been called");
    try (RunningReactor running = RunningReactor.start(reactor)) {
      Throwable second =
          running.call(
              () -> {
                reactor.stop();
                try {
                  reactor.stop();
                  return null;
                } catch (IllegalStateException e) {
                  return e;
                }
              });
      assertThat(second).hasMessage("the reactor is not running: it is already stopping");
      running.awaitExit();
    }
  }

  @Test
  void callWhenRunningRunsCallsInOrderWhenTheLoopStartsAndAtOnceWhileRunning() {
    SelectorReactor reactor = SelectorReactor.create();
    List<String> log = new ArrayList<>();
    reactor.callWhenRunning(() -> log.add("first " + reactor.isRunning()));
    reactor.callWhenRunning(() -> log.add("second"));
    try (RunningReactor running = RunningReactor.start(reactor)) {
      running.run(() -> reactor.callWhenRunning(() -> log.add("at once")));
      assertThat(running.call(() -> List.copyOf(log)))
          .containsExactly("first true", "second", "at once");
    }
  }

  @Test
  void callLaterRunsTimersInDueOrderAndEqualTimesFirstInFirstOut() {
    try (RunningReactor r = RunningReactor.start()) {
      List<String> order =
          r.await(
              () -> {
                List<String> log = new ArrayList<>();
                Deferred<List<String>> done = Deferred.create();
                r.reactor().callLater(0.03, () -> done.callback(log));
                r.reactor().callLater(0.02, () -> log.add("c"));
                r.reactor().callLater(0.01, () -> log.add("a"));
                // Same delay: scheduling order (exactly equal due times: TimerQueueTest).
                r.reactor().callLater(0.015, () -> log.add("b1"));
                r.reactor().callLater(0.015, () -> log.add("b2"));
                return done;
              });
      assertThat(order).containsExactly("a", "b1", "b2", "c");
    }
  }

  @Test
  void aTimerNeverRunsEarly() {
    try (RunningReactor r = RunningReactor.start()) {
      double[] times =
          r.await(
              () -> {
                Deferred<double[]> done = Deferred.create();
                DelayedCall[] call = new DelayedCall[1];
                call[0] =
                    r.reactor()
                        .callLater(
                            0.02,
                            () ->
                                done.callback(
                                    new double[] {call[0].getTime(), r.reactor().seconds()}));
                return done;
              });
      assertThat(times[1]).isGreaterThanOrEqualTo(times[0]);
    }
  }

  @Test
  void aCancelledTimerNeverRunsAndIsNotListed() {
    try (RunningReactor r = RunningReactor.start()) {
      List<String> log =
          r.await(
              () -> {
                List<String> ran = new ArrayList<>();
                DelayedCall cancelled = r.reactor().callLater(0.01, () -> ran.add("cancelled"));
                DelayedCall kept = r.reactor().callLater(1000, () -> ran.add("kept"));
                assertThat(r.reactor().getDelayedCalls())
                    .containsExactlyInAnyOrder(cancelled, kept);
                cancelled.cancel();
                assertThat(r.reactor().getDelayedCalls()).containsExactly(kept);
                kept.cancel();
                Deferred<List<String>> done = Deferred.create();
                r.reactor().callLater(0.02, () -> done.callback(ran));
                return done;
              });
      assertThat(log).isEmpty();
    }
  }

  @Test
  void aThrowingTimerIsLoggedAndTheReactorKeepsRunning(LogCapture logs) {
    try (RunningReactor r = RunningReactor.start()) {
      String after =
          r.await(
              () -> {
                r.reactor()
                    .callLater(
                        0,
                        () -> {
                          throw new IllegalStateException("expected by the test: a failing timer");
                        });
                Deferred<String> done = Deferred.create();
                r.reactor().callLater(0.001, () -> done.callback("still running"));
                return done;
              });
      assertThat(after).isEqualTo("still running");
    }
    assertThat(logs.take(Level.ERROR, SelectorReactor.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message())
                  .isEqualTo(
                      "Unhandled error in a delayed call: a lambda in " + getClass().getName());
              assertThat(e.thrown()).hasMessage("expected by the test: a failing timer");
            });
  }

  @Test
  void callFromThreadFromEightThreadsRunsEveryCallInEachThreadsOrder() throws Exception {
    int threads = 8;
    int calls = 10_000;
    try (RunningReactor r = RunningReactor.start()) {
      Thread reactorThread = r.call(Thread::currentThread);
      int[] next = new int[threads];
      List<String> errors = new ArrayList<>();
      CountDownLatch all = new CountDownLatch(threads * calls);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread producer =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < calls; i++) {
                    int seq = i;
                    r.reactor()
                        .callFromThread(
                            () -> {
                              if (Thread.currentThread() != reactorThread) {
                                errors.add("ran on " + Thread.currentThread());
                              }
                              if (next[id] != seq) {
                                errors.add(
                                    "thread " + id + ": expected " + next[id] + ", got " + seq);
                              }
                              next[id] = seq + 1;
                              all.countDown();
                            });
                  }
                },
                "producer-" + t);
        producers.add(producer);
        producer.start();
      }
      go.countDown();
      assertThat(all.await(RunningReactor.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)).isTrue();
      for (Thread producer : producers) {
        producer.join();
      }
      assertThat(r.call(() -> List.copyOf(errors))).isEmpty();
      assertThat(r.call(() -> next.clone())).containsOnly(calls);
    }
  }

  @Test
  void callsHandedOverWhileTheReactorIsBusyCostNoWakeUp() throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      r.reactor()
          .callFromThread(
              () -> {
                busy.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      assertThat(busy.await(RunningReactor.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)).isTrue();
      long before = r.reactor().wakeups.get();
      CountDownLatch ran = new CountDownLatch(1000);
      for (int i = 0; i < 1000; i++) {
        r.reactor().callFromThread(ran::countDown);
      }
      assertThat(r.reactor().wakeups.get()).isEqualTo(before);
      release.countDown();
      assertThat(ran.await(RunningReactor.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)).isTrue();
    }
  }

  @Test
  void deferToThreadRunsOnThePoolAndFiresOnTheReactorThread() {
    try (RunningReactor r = RunningReactor.start()) {
      Thread reactorThread = r.call(Thread::currentThread);
      List<Object> seen =
          r.await(
              () ->
                  r.reactor()
                      .deferToThread(() -> Thread.currentThread().getName())
                      .addCallback(worker -> List.<Object>of(worker, Thread.currentThread())));
      assertThat((String) seen.get(0)).startsWith("braid-reactor-").contains("-pool-");
      assertThat(seen.get(1)).isSameAs(reactorThread);

      Outcome<Thread> failed =
          r.outcomeOf(
              () ->
                  r.reactor()
                      .<String>deferToThread(
                          () -> {
                            throw new IOException("expected by the test");
                          })
                      .addErrback(
                          failure -> {
                            failure.trap(IOException.class);
                            throw new IllegalStateException(Thread.currentThread().getName());
                          })
                      .addCallback(ignored -> Thread.currentThread()));
      assertThat(failed).isInstanceOf(Outcome.Failed.class);
      assertThat(((Outcome.Failed<Thread>) failed).failure().value())
          .hasMessage(reactorThread.getName());
    }
  }

  @Test
  void callInThreadRunsOnThePool() {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<String> where = new CompletableFuture<>();
      r.run(() -> r.reactor().callInThread(() -> where.complete(Thread.currentThread().getName())));
      assertThat(RunningReactor.get(where)).contains("-pool-");
    }
  }

  @Test
  @Tag("loopback")
  void reactorOnlyMethodsFailClearlyOnAnotherThread() {
    try (RunningReactor r = RunningReactor.start()) {
      SelectorReactor reactor = r.reactor();
      DelayedCall call = r.call(() -> reactor.callLater(1000, () -> {}));
      ListeningPort port = r.call(() -> reactor.listenTCP(0, a -> new BaseProtocol() {}));
      ClientFactory factory = a -> null;
      List<Consumer<SelectorReactor>> misuses =
          List.of(
              x -> x.callLater(1, () -> {}),
              x -> x.getDelayedCalls(),
              x -> x.listenTCP(0, a -> null),
              x -> x.connectTCP("127.0.0.1", 1, factory),
              x -> x.deferToThread(() -> 1),
              x -> x.callInThread(() -> {}),
              x -> x.addSystemEventTrigger(SystemEventPhase.AFTER, () -> null),
              x -> call.cancel(),
              x -> port.stopListening());
      for (Consumer<SelectorReactor> misuse : misuses) {
        assertThatThrownBy(() -> misuse.accept(reactor))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(
                "must be called on the reactor thread (" + r.thread().getName() + "), not on ")
            .hasMessageEndingWith("; hand the work over with callFromThread()");
      }
      assertThatThrownBy(() -> reactor.callLater(1, () -> {}))
          .hasMessageStartingWith("callLater() must be called on the reactor thread");
      assertThat(reactor.isReactorThread()).isFalse();
      assertThat(r.call(reactor::isReactorThread)).isTrue();
    }
  }

  @Test
  @Tag("loopback")
  void aTransportUsedFromAnotherThreadFailsClearly() throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<Transport> transport = new CompletableFuture<>();
      int port =
          r.listen(
              a ->
                  new BaseProtocol() {
                    @Override
                    protected void connectionMade() {
                      transport.complete(transport());
                    }
                  });
      try (Socket client = new Socket("127.0.0.1", port)) {
        assertThat(client.isConnected()).isTrue();
        Transport t = RunningReactor.get(transport);
        assertThatThrownBy(() -> t.write(new byte[] {1}))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("Transport.write() must be called on the reactor thread");
        assertThatThrownBy(t::loseConnection).isInstanceOf(IllegalStateException.class);
      }
    }
  }

  @Test
  void aVirtualThreadInLockStepWithTheReactorThreadIsAccepted() {
    try (RunningReactor r = RunningReactor.start()) {
      Thread reactorThread = r.call(Thread::currentThread);
      ThreadLocal<Thread> standingInFor = new ThreadLocal<>();
      LockStep.setOwnerLookup(standingInFor::get);
      try {
        // The reactor thread waits while a virtual thread runs on its behalf, as Async will.
        List<Object> results =
            r.call(
                () -> {
                  List<Object> out = new ArrayList<>();
                  Thread body =
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                standingInFor.set(reactorThread);
                                out.add(r.reactor().isReactorThread());
                                out.add(r.reactor().callLater(1000, () -> {}).active());
                              });
                  body.join();
                  Thread stranger =
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                try {
                                  r.reactor().callLater(1, () -> {});
                                  out.add("accepted");
                                } catch (IllegalStateException e) {
                                  out.add("refused");
                                }
                              });
                  stranger.join();
                  return out;
                });
        assertThat(results).containsExactly(true, true, "refused");
      } finally {
        LockStep.clearOwnerLookup();
      }
    }
  }

  @Test
  @Tag("loopback")
  void setupBeforeRunIsAllowedFromTheThreadThatStartsIt() throws Exception {
    SelectorReactor reactor = SelectorReactor.create();
    ListeningPort port =
        reactor.listenTCP(0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
    CompletableFuture<String> fired = new CompletableFuture<>();
    reactor.callLater(0, () -> fired.complete("fired"));
    try (RunningReactor running = RunningReactor.start(reactor)) {
      assertThat(RunningReactor.get(fired)).isEqualTo("fired");
      assertThat(running.reactor()).isSameAs(reactor);
      try (Socket client = new Socket()) {
        client.connect(new InetSocketAddress("127.0.0.1", port.getHost().getPort()), 5000);
        assertThat(client.isConnected()).isTrue();
      }
    }
  }

  @Test
  void deferLaterOnTheReactor() {
    try (RunningReactor r = RunningReactor.start()) {
      String result =
          r.await(() -> Deferreds.deferLater(r.reactor(), Duration.ofMillis(5), () -> "on time"));
      assertThat(result).isEqualTo("on time");
    }
  }
}
