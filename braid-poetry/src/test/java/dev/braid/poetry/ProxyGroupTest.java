package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.testing.RawClient;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.PortSharing;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningGroup;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The caching proxy served by a group of four reactors through a {@link ProxyFront}: its guarantees
 * hold across reactors. Runs in debug mode, so a Deferred used off the thread that made it would
 * fail the test.
 */
@Tag("loopback")
class ProxyGroupTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();
  static final int REACTORS = 4;

  private boolean debuggingBefore;
  private RunningReactor up;
  private RunningReactor clients;
  private final HeldServer upstream = new HeldServer();

  /** The first and second upstream connections: completed once each is open. */
  private final List<CompletableFuture<Void>> upstreamConnections =
      List.of(new CompletableFuture<>(), new CompletableFuture<>());

  private final CompletableFuture<Void> upstreamConnected = upstreamConnections.get(0);
  private ProxyService service;
  private SelectorReactor owner;
  private final List<Observed> served = new ArrayList<>();
  private final AtomicInteger made = new AtomicInteger();
  private final List<CompletableFuture<Void>> madeTargets = new ArrayList<>();
  private final List<CompletableFuture<Void>> lostOn = new ArrayList<>();
  private GroupPort port;
  private RunningGroup group;

  @BeforeEach
  void debugMode() {
    debuggingBefore = Deferred.isDebugging();
    Deferred.setDebugging(true);
    up = RunningReactor.start();
    clients = RunningReactor.start();
  }

  @AfterEach
  void stopEverything() {
    try {
      if (group != null) {
        RunningReactor.get(port.stopListening());
        group.close();
      }
    } finally {
      clients.close();
      up.close();
      Deferred.setDebugging(debuggingBefore);
    }
  }

  /** Starts the upstream, and the proxy on a group whose first reactor owns the service. */
  private void startProxy(PortSharing sharing) {
    startProxy(sharing, null, Duration.ofHours(2));
  }

  /**
   * Starts the upstream, and the proxy on a group whose first reactor owns the service, which keeps
   * its entries for {@code ttl} by {@code ttlClock} (by the owner's clock when null).
   */
  private void startProxy(PortSharing sharing, Clock ttlClock, Duration ttl) {
    Observed observedUpstream = Observed.wrap(upstream);
    observedUpstream.afterMade(
        t -> {
          int n = observedUpstream.made();
          if (n <= upstreamConnections.size()) {
            upstreamConnections.get(n - 1).complete(null);
          }
        });
    int upstreamPort = up.listen(observedUpstream);
    ReactorGroup reactors = ReactorGroup.create(REACTORS);
    owner = reactors.reactor(0);
    service =
        ProxyService.create(
            ttlClock == null ? owner : ttlClock,
            PoetryClient.upstream(owner, "127.0.0.1", upstreamPort),
            ttl);
    ProxyFront front = ProxyFront.create(owner, service);
    for (int i = 0; i < REACTORS; i++) {
      lostOn.add(new CompletableFuture<>());
    }
    port =
        reactors.listenTCP(
            0,
            reactor -> {
              int index = reactors.reactors().indexOf(reactor);
              Observed o =
                  Observed.wrap(front.factory(reactor))
                      .afterMade(t -> madeOne())
                      .afterLost(() -> lostOn.get(index).complete(null));
              served.add(o);
              return o;
            },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            sharing);
    group = RunningGroup.start(reactors);
  }

  /** On any reactor of the group: one more client has been given its waiter. */
  private void madeOne() {
    int n = made.incrementAndGet();
    synchronized (madeTargets) {
      if (n <= madeTargets.size()) {
        madeTargets.get(n - 1).complete(null);
      }
    }
  }

  /** Completes once {@code n} clients have connected to the proxy (and asked for the poem). */
  private CompletableFuture<Void> whenMade(int n) {
    synchronized (madeTargets) {
      while (madeTargets.size() < n) {
        madeTargets.add(new CompletableFuture<>());
      }
      if (made.get() >= n) {
        madeTargets.get(n - 1).complete(null);
      }
      return madeTargets.get(n - 1);
    }
  }

  /**
   * How many waiters the service has: asked on the owner's thread after every request handed to it
   * so far (calls handed to a reactor run in the order they were handed over).
   */
  private int waiters() {
    return group.call(owner, service::waiterCount);
  }

  private CompletableFuture<Outcome<byte[]>> fetch() {
    int number = port.getHost().getPort();
    return clients.outcomeFuture(
        () -> PoetryClient.fetch(clients.reactor(), "127.0.0.1", number, null));
  }

  /** Advances {@code clock} on the owner's thread, where the service reads it. */
  private void advance(VirtualClock clock, double seconds) {
    group.call(
        owner,
        () -> {
          clock.advance(seconds);
          return null;
        });
  }

  private List<Integer> connectionsPerReactor() {
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < REACTORS; i++) {
      Observed o = served.get(i);
      counts.add(group.call(group.reactor(i), o::made));
    }
    return counts;
  }

  @Test
  void aThousandColdClientsOnFourReactorsMakeExactlyOneUpstreamFetchAndAllGetThePoem()
      throws Exception {
    startProxy(PortSharing.best());
    List<CompletableFuture<Outcome<byte[]>>> poems = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      poems.add(fetch());
    }
    RunningReactor.get(whenMade(1000));
    RunningReactor.get(upstreamConnected);
    assertThat(waiters()).as("clients waiting on the one fetch").isEqualTo(1000);
    List<Integer> perReactor = connectionsPerReactor();
    assertThat(perReactor).as("clients per reactor").allSatisfy(n -> assertThat(n).isPositive());

    up.run(() -> upstream.release(POEM));

    for (CompletableFuture<Outcome<byte[]>> poem : poems) {
      assertThat(RunningReactor.get(poem).get()).isEqualTo(POEM);
    }
    assertThat(up.call(upstream::made)).as("upstream connections").isEqualTo(1);
    assertThat(group.call(owner, service::fetchCount)).isEqualTo(1);
    // Cached now: later clients, whichever reactor gets them, are answered from the cache.
    for (int i = 0; i < 8; i++) {
      assertThat(RunningReactor.get(fetch()).get()).isEqualTo(POEM);
    }
    assertThat(up.call(upstream::made)).isEqualTo(1);
    assertThat(group.call(owner, service::cacheHitCount)).isEqualTo(8);
  }

  @Test
  void aClientThatLeavesCancelsItsOwnWaitOnlyWhicheverReactorItIsOn() {
    startProxy(PortSharing.ACCEPTOR);
    int number = port.getHost().getPort();
    List<RawClient> raw = new ArrayList<>();
    for (int i = 0; i < REACTORS; i++) {
      // One at a time: the acceptor hands them out in turn, one to each reactor.
      raw.add(clients.call(() -> RawClient.connect(clients.reactor(), number, new byte[0])));
      RunningReactor.get(whenMade(i + 1));
    }
    assertThat(connectionsPerReactor()).containsExactly(1, 1, 1, 1);
    RunningReactor.get(upstreamConnected);
    assertThat(waiters()).isEqualTo(4);

    RawClient leaving = raw.get(2); // served by braid-reactor-3, not the owner
    clients.run(leaving::abort);
    RunningReactor.get(lostOn.get(2));

    assertThat(waiters()).isEqualTo(3);
    assertThat(group.call(owner, service::isFetching)).isTrue();
    assertThat(up.call(upstream::open)).isEqualTo(1);
    up.run(() -> upstream.release(POEM));
    for (RawClient client : raw) {
      ConnectionEnd end = clients.await(() -> client.ended);
      if (client == leaving) {
        assertThat(client.received.size()).isZero();
      } else {
        assertThat(end).isInstanceOf(dev.braid.net.ConnectionDone.class);
        assertThat(client.received.toByteArray()).isEqualTo(POEM);
      }
    }
    assertThat(group.call(owner, service::fetchCount)).isEqualTo(1);
  }

  @Test
  void aFailedFetchFailsTheWaitersOfEveryReactorCachesNothingAndTheNextClientRefetches(
      LogCapture logs) throws Exception {
    startProxy(PortSharing.ACCEPTOR);
    List<CompletableFuture<Outcome<byte[]>>> poems = new ArrayList<>();
    for (int i = 0; i < 2 * REACTORS; i++) {
      poems.add(fetch());
    }
    RunningReactor.get(whenMade(2 * REACTORS));
    RunningReactor.get(upstreamConnected);
    assertThat(connectionsPerReactor()).containsExactly(2, 2, 2, 2);
    assertThat(waiters()).isEqualTo(2 * REACTORS);

    up.run(() -> upstream.reset(POEM, 10));

    for (CompletableFuture<Outcome<byte[]>> poem : poems) {
      assertThat(RunningReactor.get(poem))
          .isInstanceOfSatisfying(
              Outcome.Failed.class,
              failed -> assertThat(failed.failure().value()).isInstanceOf(ConnectionLost.class));
    }
    assertThat(group.call(owner, service::isCached)).isFalse();
    assertThat(ProxyLog.warnings(logs))
        .singleElement()
        .asString()
        .startsWith(ProxyLog.FETCH_FAILED + "connection lost after 10 bytes of poetry");

    CompletableFuture<Outcome<byte[]>> again = fetch();
    RunningReactor.get(whenMade(2 * REACTORS + 1));
    assertThat(waiters()).isEqualTo(1);
    RunningReactor.get(upstreamConnections.get(1));
    up.run(() -> upstream.release(POEM));
    assertThat(RunningReactor.get(again).get()).isEqualTo(POEM);
    assertThat(group.call(owner, service::fetchCount)).isEqualTo(2);
  }

  @Test
  void anEntryExpiresForEveryReactorAtOnceAndOneFetchRefreshesItForAll() throws Exception {
    // The entry's age is read from a virtual clock that the owner's thread advances, so the
    // expiry is exact while the clients and the fetch run on real sockets.
    VirtualClock ttlClock = VirtualClock.create();
    startProxy(PortSharing.ACCEPTOR, ttlClock, Duration.ofSeconds(60));
    CompletableFuture<Outcome<byte[]>> first = fetch();
    RunningReactor.get(upstreamConnected);
    up.run(() -> upstream.release(POEM));
    assertThat(RunningReactor.get(first).get()).isEqualTo(POEM);

    advance(ttlClock, 59.9);
    for (int i = 0; i < REACTORS; i++) {
      assertThat(RunningReactor.get(fetch()).get()).as("still fresh").isEqualTo(POEM);
    }
    assertThat(group.call(owner, service::fetchCount)).isEqualTo(1);
    assertThat(group.call(owner, service::cacheHitCount)).isEqualTo(REACTORS);

    advance(ttlClock, 0.1);
    assertThat(group.call(owner, service::isCached)).as("expired at 60 s").isFalse();
    byte[] newer = Poems.named("cafe_at_midnight").bytes();
    List<CompletableFuture<Outcome<byte[]>>> poems = new ArrayList<>();
    for (int i = 0; i < 2 * REACTORS; i++) {
      poems.add(fetch());
    }
    RunningReactor.get(whenMade(1 + REACTORS + 2 * REACTORS));
    RunningReactor.get(upstreamConnections.get(1));
    assertThat(waiters()).as("every reactor's clients wait on one refresh").isEqualTo(2 * REACTORS);
    up.run(() -> upstream.release(newer));
    for (CompletableFuture<Outcome<byte[]>> poem : poems) {
      assertThat(RunningReactor.get(poem).get()).isEqualTo(newer);
    }
    assertThat(up.call(upstream::made)).as("upstream connections").isEqualTo(2);
    assertThat(group.call(owner, service::fetchCount)).isEqualTo(2);
  }
}
