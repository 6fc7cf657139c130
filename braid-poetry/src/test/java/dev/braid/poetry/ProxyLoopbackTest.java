package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionLost;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The caching proxy between real clients and a real upstream server, on loopback. */
@Tag("loopback")
class ProxyLoopbackTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();

  /** An upstream that holds its connections, a proxy in front of it, and the proxy's port. */
  static final class Setup {
    final RunningReactor r;
    final HeldServer upstream = new HeldServer();
    final Observed observedUpstream = Observed.wrap(upstream);
    ProxyService service;
    Observed proxyConnections;
    int proxyPort;

    Setup(RunningReactor r) {
      this.r = r;
      int upstreamPort = PoetryLoopbackTest.listen(r, observedUpstream);
      r.run(
          () -> {
            service =
                ProxyService.create(
                    r.reactor(),
                    PoetryClient.upstream(r.reactor(), "127.0.0.1", upstreamPort),
                    Duration.ofHours(2));
            proxyConnections = Observed.wrap(PoetryProxyFactory.create(service));
          });
      proxyPort = PoetryLoopbackTest.listen(r, proxyConnections);
    }

    CompletableFuture<Outcome<byte[]>> client() {
      return r.outcomeFuture(() -> PoetryClient.fetch(r.reactor(), "127.0.0.1", proxyPort, null));
    }

    /**
     * Fires once {@code n} proxy clients are waiting on the fetch and its upstream connection is
     * open (so that the held server can be told what to do).
     */
    Deferred<Void> whenWaiting(int n) {
      Deferred<Void> d = Deferred.create();
      Runnable check =
          () -> {
            if (!d.isCalled() && service.waiterCount() >= n && upstream.open() >= 1) {
              d.callback(null);
            }
          };
      proxyConnections.afterMade(t -> check.run());
      observedUpstream.afterMade(t -> check.run());
      check.run();
      return d;
    }
  }

  static Throwable failure(Outcome<?> o) {
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<?>) o).failure().value();
  }

  @Test
  void aThousandClientsOnAColdProxyMakeExactlyOneUpstreamConnection() throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(1000).addCallback(x -> waiting.complete(null)));
      List<CompletableFuture<Outcome<byte[]>>> clients = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        clients.add(s.client());
      }
      RunningReactor.get(waiting);
      assertThat(r.call(() -> s.upstream.made())).isEqualTo(1);
      r.run(() -> s.upstream.release(POEM));
      for (CompletableFuture<Outcome<byte[]>> c : clients) {
        assertThat(RunningReactor.get(c).get()).isEqualTo(POEM);
      }
      assertThat(r.call(() -> s.upstream.made())).as("upstream connections").isEqualTo(1);
      assertThat(r.call(() -> s.service.fetchCount())).isEqualTo(1);
      // Cached now: another client is answered without going upstream.
      assertThat(RunningReactor.get(s.client()).get()).isEqualTo(POEM);
      assertThat(r.call(() -> s.upstream.made())).isEqualTo(1);
    }
  }

  @Test
  void aFailedFetchFailsEveryWaiterCachesNothingAndTheNextRequestRefetches(LogCapture logs)
      throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(20).addCallback(x -> waiting.complete(null)));
      List<CompletableFuture<Outcome<byte[]>>> clients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clients.add(s.client());
      }
      RunningReactor.get(waiting);
      r.run(() -> s.upstream.reset(POEM, 0));
      for (CompletableFuture<Outcome<byte[]>> c : clients) {
        assertThat(failure(RunningReactor.get(c))).isInstanceOf(ConnectionLost.class);
      }
      assertThat(r.call(() -> s.service.isCached())).isFalse();
      assertThat(ProxyLog.warnings(logs))
          .singleElement()
          .asString()
          .startsWith(ProxyLog.FETCH_FAILED + "connection lost after 0 bytes of poetry");
      CompletableFuture<Void> again = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(1).addCallback(x -> again.complete(null)));
      CompletableFuture<Outcome<byte[]>> next = s.client();
      RunningReactor.get(again);
      assertThat(r.call(() -> s.upstream.made())).as("a second upstream connection").isEqualTo(2);
      r.run(() -> s.upstream.release(POEM));
      assertThat(RunningReactor.get(next).get()).isEqualTo(POEM);
    }
  }

  @Test
  void anUpstreamResetMidPoemIsAFailureAndIsNeverCached(LogCapture logs) throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(1).addCallback(x -> waiting.complete(null)));
      CompletableFuture<Outcome<byte[]>> client = s.client();
      RunningReactor.get(waiting);
      r.run(() -> s.upstream.reset(POEM, POEM.length / 2));
      assertThat(failure(RunningReactor.get(client)))
          .as("the client gets a failure, not half a poem")
          .isInstanceOf(ConnectionLost.class);
      assertThat(r.call(() -> s.service.isCached())).isFalse();
      assertThat(r.call(() -> s.service.fetchCount())).isEqualTo(1);
      assertThat(ProxyLog.warnings(logs))
          .singleElement()
          .asString()
          .startsWith(
              ProxyLog.FETCH_FAILED + "connection lost after " + POEM.length / 2 + " bytes");
    }
  }

  @Test
  void aClientThatDisconnectsCancelsOnlyItsOwnWaiter() throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(3).addCallback(x -> waiting.complete(null)));
      List<Deferred<byte[]>> downloads = new ArrayList<>();
      List<CompletableFuture<Outcome<byte[]>>> outcomes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        outcomes.add(
            r.outcomeFuture(
                () -> {
                  Deferred<byte[]> d =
                      PoetryClient.fetch(r.reactor(), "127.0.0.1", s.proxyPort, null);
                  downloads.add(d);
                  return d;
                }));
      }
      RunningReactor.get(waiting);
      CompletableFuture<Void> left = new CompletableFuture<>();
      r.run(
          () -> {
            s.proxyConnections.whenLost(1).addCallback(x -> left.complete(null));
            downloads.get(0).cancel(); // closes this client's connection
          });
      RunningReactor.get(left);
      assertThat(r.call(() -> s.service.waiterCount())).isEqualTo(2);
      assertThat(r.call(() -> s.upstream.open())).as("the fetch goes on").isEqualTo(1);
      r.run(() -> s.upstream.release(POEM));
      assertThat(failure(RunningReactor.get(outcomes.get(0))))
          .isInstanceOf(dev.braid.defer.CancelledException.class);
      assertThat(RunningReactor.get(outcomes.get(1)).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(outcomes.get(2)).get()).isEqualTo(POEM);
      assertThat(r.call(() -> s.upstream.made())).isEqualTo(1);
    }
  }

  @Test
  void whenEveryClientDisconnectsTheUpstreamFetchIsCancelledAndTheNextClientRefetches()
      throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(2).addCallback(x -> waiting.complete(null)));
      List<Deferred<byte[]>> downloads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        r.outcomeFuture(
            () -> {
              Deferred<byte[]> d =
                  PoetryClient.fetch(r.reactor(), "127.0.0.1", s.proxyPort, null)
                      .addErrback(f -> new byte[0]);
              downloads.add(d);
              return d;
            });
      }
      RunningReactor.get(waiting);
      CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
      r.run(
          () -> {
            s.observedUpstream.whenLost(1).addCallback(x -> upstreamClosed.complete(null));
            downloads.forEach(Deferred::cancel);
          });
      RunningReactor.get(upstreamClosed);
      assertThat(r.call(() -> s.service.isFetching())).isFalse();
      CompletableFuture<Void> again = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(1).addCallback(x -> again.complete(null)));
      CompletableFuture<Outcome<byte[]>> next = s.client();
      RunningReactor.get(again);
      r.run(() -> s.upstream.release(POEM.clone()));
      assertThat(RunningReactor.get(next).get()).isEqualTo(POEM);
      assertThat(r.call(() -> s.upstream.made())).isEqualTo(2);
    }
  }

  @Test
  void poemsAreRelayedByteForByte() throws Exception {
    byte[] odd = "caf\u00e9 \u00ab \u00bb\n".getBytes(StandardCharsets.UTF_8);
    try (RunningReactor r = RunningReactor.start()) {
      Setup s = new Setup(r);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      r.run(() -> s.whenWaiting(1).addCallback(x -> waiting.complete(null)));
      CompletableFuture<Outcome<byte[]>> client = s.client();
      RunningReactor.get(waiting);
      r.run(() -> s.upstream.release(odd));
      assertThat(RunningReactor.get(client).get()).isEqualTo(odd);
    }
  }
}
