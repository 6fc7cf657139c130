package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionLost;
import dev.braid.test.BraidExtension;
import dev.braid.test.log.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class ProxyServiceTest {
  static final byte[] POEM = "Die Uhr schlägt zwölf".getBytes(StandardCharsets.UTF_8);

  /** An upstream whose fetches the test fires; records cancellations. */
  static final class FakeUpstream implements ProxyService.Upstream {
    final List<Deferred<byte[]>> fetches = new ArrayList<>();
    int cancelled;

    @Override
    public Deferred<byte[]> fetch() {
      Deferred<byte[]> d = Deferred.create(self -> cancelled++);
      fetches.add(d);
      return d;
    }

    Deferred<byte[]> last() {
      return fetches.get(fetches.size() - 1);
    }
  }

  final FakeUpstream upstream = new FakeUpstream();

  ProxyService service(VirtualClock clock) {
    return ProxyService.create(clock, upstream, Duration.ofHours(2));
  }

  @Test
  void theFirstRequestFetchesAndTheNextIsAnsweredFromTheCacheAlreadyFired(VirtualClock clock) {
    ProxyService s = service(clock);
    Deferred<byte[]> first = s.getPoem();
    assertNoResult(first);
    upstream.last().callback(POEM);
    assertThat(successResultOf(first)).isEqualTo(POEM);
    Deferred<byte[]> second = s.getPoem();
    assertThat(second.isCalled()).as("already fired").isTrue();
    assertThat(successResultOf(second)).isEqualTo(POEM);
    assertThat(upstream.fetches).hasSize(1);
    assertThat(s.fetchCount()).isEqualTo(1);
    assertThat(s.cacheHitCount()).isEqualTo(1);
  }

  @Test
  void aPoemOlderThanTheTtlIsFetchedAgain(VirtualClock clock) {
    ProxyService s = service(clock);
    s.getPoem();
    upstream.last().callback(POEM);
    clock.advance(Duration.ofHours(2).minusSeconds(1));
    assertThat(s.getPoem().isCalled()).isTrue();
    assertThat(upstream.fetches).hasSize(1);
    clock.advance(1);
    assertThat(s.isCached()).isFalse();
    Deferred<byte[]> stale = s.getPoem();
    assertNoResult(stale);
    assertThat(upstream.fetches).hasSize(2);
    upstream.last().callback("new".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(successResultOf(stale), StandardCharsets.UTF_8)).isEqualTo("new");
  }

  @Test
  void aZeroTtlCachesNothingButClientsDuringAFetchStillShareIt(VirtualClock clock) {
    ProxyService s = ProxyService.create(clock, upstream, Duration.ZERO);
    Deferred<byte[]> first = s.getPoem();
    Deferred<byte[]> second = s.getPoem();
    assertThat(upstream.fetches).as("one fetch for both").hasSize(1);
    upstream.last().callback(POEM);
    assertThat(successResultOf(first)).isEqualTo(POEM);
    assertThat(successResultOf(second)).isEqualTo(POEM);
    assertThat(s.isCached()).isFalse();
    Deferred<byte[]> third = s.getPoem();
    assertNoResult(third);
    assertThat(upstream.fetches).as("fetched again at once").hasSize(2);
    upstream.last().callback(POEM);
    assertThat(successResultOf(third)).isEqualTo(POEM);
    assertThat(s.cacheHitCount()).isZero();
  }

  @Test
  void aShortTtlWorksToo(VirtualClock clock) {
    ProxyService s = ProxyService.create(clock, upstream, Duration.ofSeconds(30));
    s.getPoem();
    upstream.last().callback(POEM);
    clock.advance(29.9);
    assertThat(s.isCached()).isTrue();
    clock.advance(0.1);
    assertThat(s.isCached()).isFalse();
  }

  @Test
  void manyRequestsWhileAFetchIsInFlightShareOneFetchAndEachGetsItsOwnDeferred(VirtualClock clock) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> waiters = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      waiters.add(s.getPoem());
    }
    assertThat(upstream.fetches).hasSize(1);
    assertThat(s.waiterCount()).isEqualTo(1000);
    assertThat(waiters).doesNotHaveDuplicates();
    upstream.last().callback(POEM);
    assertThat(waiters).allSatisfy(w -> assertThat(successResultOf(w)).isEqualTo(POEM));
    assertThat(s.isFetching()).isFalse();
  }

  @Test
  void aFailedFetchFailsEveryWaiterCachesNothingAndTheNextRequestRefetches(
      VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> waiters = List.of(s.getPoem(), s.getPoem(), s.getPoem());
    upstream.last().errback(new ConnectionLost("connection lost after 5 bytes of poetry", null));
    for (Deferred<byte[]> w : waiters) {
      assertThat(failureResultOf(w, ConnectionLost.class).getErrorMessage())
          .isEqualTo("connection lost after 5 bytes of poetry");
    }
    assertThat(ProxyLog.warnings(logs))
        .containsExactly(ProxyLog.FETCH_FAILED + "connection lost after 5 bytes of poetry");
    assertThat(s.isCached()).isFalse();
    assertThat(s.isFetching()).isFalse();
    Deferred<byte[]> again = s.getPoem();
    assertThat(upstream.fetches).hasSize(2);
    upstream.last().callback(POEM);
    assertThat(successResultOf(again)).isEqualTo(POEM);
  }

  @Test
  void aWaiterThatCancelsDetachesOnlyItself(VirtualClock clock) {
    ProxyService s = service(clock);
    Deferred<byte[]> a = s.getPoem();
    Deferred<byte[]> b = s.getPoem();
    a.cancel();
    failureResultOf(a, CancelledException.class);
    assertThat(upstream.cancelled).isZero();
    assertThat(s.waiterCount()).isEqualTo(1);
    upstream.last().callback(POEM);
    assertThat(successResultOf(b)).isEqualTo(POEM);
    assertThat(s.isCached()).isTrue();
  }

  @Test
  void whenTheLastWaiterLeavesTheFetchIsCancelledAndForgotten(VirtualClock clock) {
    ProxyService s = service(clock);
    Deferred<byte[]> a = s.getPoem();
    Deferred<byte[]> b = s.getPoem();
    Deferred<byte[]> firstFetch = upstream.last();
    a.cancel();
    b.cancel();
    assertThat(upstream.cancelled).isEqualTo(1);
    assertThat(firstFetch.isCalled()).isTrue();
    assertThat(s.isFetching()).as("forgotten at once").isFalse();
    failureResultOf(a, CancelledException.class);
    failureResultOf(b, CancelledException.class);
    Deferred<byte[]> c = s.getPoem();
    assertThat(upstream.fetches).as("a new flight").hasSize(2);
    upstream.last().callback(POEM);
    assertThat(successResultOf(c)).isEqualTo(POEM);
  }

  @Test
  void aFetchThatSucceedsAfterItWasForgottenIsNotCached(VirtualClock clock) {
    // An upstream whose canceller does not stop it: its late result must be ignored.
    List<Deferred<byte[]>> stubborn = new ArrayList<>();
    ProxyService s =
        ProxyService.create(
            clock,
            () -> {
              Deferred<byte[]> d = Deferred.create(self -> self.callback(POEM));
              stubborn.add(d);
              return d;
            },
            Duration.ofHours(2));
    Deferred<byte[]> waiter = s.getPoem();
    waiter.cancel();
    failureResultOf(waiter, CancelledException.class);
    assertThat(stubborn.get(0).isCalled()).isTrue();
    assertThat(s.isCached()).isFalse();
  }

  @Test
  void aWaiterCancelledByAnotherWaitersCallbackIsNotFiredTwice(VirtualClock clock) {
    ProxyService s = service(clock);
    Deferred<byte[]> a = s.getPoem();
    Deferred<byte[]> b = s.getPoem();
    a.addCallback(
        poem -> {
          b.cancel();
          return poem;
        });
    upstream.last().callback(POEM);
    assertThat(successResultOf(a)).isEqualTo(POEM);
    failureResultOf(b, CancelledException.class);
  }

  @Test
  void anEmptyPoemIsHandedOnButNotCached(VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    Deferred<byte[]> a = s.getPoem();
    upstream.last().callback(new byte[0]);
    assertThat(successResultOf(a)).isEmpty();
    assertThat(s.isCached()).isFalse();
    assertThat(ProxyLog.warnings(logs))
        .containsExactly("The server sent an empty poem; not caching it.");
  }

  @Test
  void anUpstreamThatThrowsFailsTheRequest(VirtualClock clock, LogCapture logs) {
    ProxyService s =
        ProxyService.create(
            clock,
            () -> {
              throw new IllegalStateException("no upstream");
            },
            Duration.ofHours(2));
    failureResultOf(s.getPoem(), IllegalStateException.class);
    assertThat(s.isFetching()).isFalse();
    assertThat(ProxyLog.warnings(logs)).containsExactly(ProxyLog.FETCH_FAILED + "no upstream");
  }

  @Test
  void shutDownFailsEveryWaiterCancelsTheFetchAndCachesWhatArrivesNothing(VirtualClock clock) {
    // An upstream whose canceller does not stop it: the poem that still arrives is not cached.
    List<Deferred<byte[]>> stubborn = new ArrayList<>();
    ProxyService s =
        ProxyService.create(
            clock,
            () -> {
              Deferred<byte[]> d = Deferred.create(self -> self.callback(POEM));
              stubborn.add(d);
              return d;
            },
            Duration.ofHours(2));
    List<Deferred<byte[]>> waiters = List.of(s.getPoem(), s.getPoem());
    assertThat(s.shutDown()).isEqualTo(2);
    for (Deferred<byte[]> w : waiters) {
      assertThat(failureResultOf(w, ProxyShutdownException.class).getErrorMessage())
          .isEqualTo("the proxy is shutting down");
    }
    assertThat(stubborn.get(0).isCalled()).as("the fetch was cancelled").isTrue();
    assertThat(s.isCached()).isFalse();
    assertThat(s.isFetching()).isFalse();
    assertThat(s.isShutDown()).isTrue();
    assertThat(s.shutDown()).as("idempotent").isZero();
  }

  @Test
  void afterShutDownEveryRequestFailsAtOnceEvenWithAPoemCached(VirtualClock clock) {
    ProxyService s = service(clock);
    s.getPoem();
    upstream.last().callback(POEM);
    assertThat(s.isCached()).isTrue();
    assertThat(s.shutDown()).as("nobody was waiting").isZero();
    failureResultOf(s.getPoem(), ProxyShutdownException.class);
    assertThat(upstream.fetches).hasSize(1);
  }

  @Test
  void theTtlMustNotBeNegative(VirtualClock clock) {
    assertThatThrownBy(() -> ProxyService.create(clock, upstream, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must not be negative: PT-1S");
    assertThat(ProxyService.DEFAULT_TTL).isEqualTo(Duration.ofHours(2));
  }
}
