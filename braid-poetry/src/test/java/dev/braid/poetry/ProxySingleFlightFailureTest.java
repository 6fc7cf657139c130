package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionLost;
import dev.braid.test.BraidExtension;
import dev.braid.test.log.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability item 9 (docs/reliability.md): the proxy's single flight when things go wrong, against
 * DESIGN's rules: a failed fetch fails every waiter and caches nothing; a hung fetch is bounded by
 * the upstream timeout; waiters that leave detach only themselves; the last one to leave cancels
 * the fetch and the flight is forgotten at that moment; a client that comes after that starts a new
 * fetch. After each test nothing is left: no flight, no waiter, no timer (the janitor checks the
 * clock), every upstream fetch fired or cancelled, no unhandled failure.
 */
@ExtendWith(BraidExtension.class)
class ProxySingleFlightFailureTest {
  static final byte[] POEM = "Ein Flug, ein Abruf".getBytes(StandardCharsets.UTF_8);
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** An upstream whose fetches the test fires; counts cancellations. */
  static final class Upstream implements ProxyService.Upstream {
    final List<Deferred<byte[]>> fetches = new ArrayList<>();
    int cancelled;

    @Override
    public Deferred<byte[]> fetch() {
      Deferred<byte[]> d = Deferred.create(self -> cancelled++);
      fetches.add(d);
      return d;
    }

    Deferred<byte[]> fetch(int i) {
      return fetches.get(i);
    }
  }

  final Upstream upstream = new Upstream();
  ProxyService service;

  ProxyService service(VirtualClock clock) {
    service = ProxyService.create(clock, upstream.withTimeout(TIMEOUT, clock), Duration.ofHours(2));
    return service;
  }

  static List<Deferred<byte[]>> waiters(ProxyService s, int n) {
    List<Deferred<byte[]>> ws = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ws.add(s.getPoem());
    }
    return ws;
  }

  @AfterEach
  void nothingLeaked() {
    if (service != null) {
      assertThat(service.isFetching()).as("a flight left").isFalse();
      assertThat(service.waiterCount()).isZero();
    }
    for (Deferred<byte[]> f : upstream.fetches) {
      assertThat(f.isCalled()).as("every upstream fetch fired or cancelled").isTrue();
    }
  }

  @Test
  void aFailedFetchFailsEveryWaiterWithItsErrorAndCachesNothing(
      VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 50);
    assertThat(upstream.fetches).hasSize(1);
    ConnectionLost reset = new ConnectionLost("connection lost after 7 bytes of poetry", null);
    upstream.fetch(0).errback(reset);
    for (Deferred<byte[]> w : ws) {
      assertThat(failureResultOf(w, ConnectionLost.class).value()).isSameAs(reset);
    }
    assertThat(ProxyLog.warnings(logs))
        .as("one warning for the fetch, not one per waiter")
        .containsExactly(ProxyLog.FETCH_FAILED + "connection lost after 7 bytes of poetry");
    assertThat(s.isCached()).isFalse();
    assertThat(s.isFetching()).isFalse();
    Deferred<byte[]> next = s.getPoem();
    assertThat(upstream.fetches).as("the next request tries again").hasSize(2);
    upstream.fetch(1).callback(POEM);
    assertThat(successResultOf(next)).isEqualTo(POEM);
  }

  @Test
  void aHungFetchIsCancelledAtTheUpstreamTimeoutAndFailsEveryWaiter(
      VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 20);
    clock.advance(29.999);
    for (Deferred<byte[]> w : ws) {
      assertNoResult(w);
    }
    assertThat(ProxyLog.warnings(logs)).isEmpty();
    clock.advance(0.001);
    for (Deferred<byte[]> w : ws) {
      failureResultOf(w, DeferredTimeoutException.class);
    }
    assertThat(ProxyLog.warnings(logs))
        .singleElement()
        .asString()
        .startsWith(ProxyLog.FETCH_FAILED);
    assertThat(upstream.cancelled).as("the hung fetch's connection is closed").isEqualTo(1);
    assertThat(s.isCached()).isFalse();
    assertThat(clock.getDelayedCalls()).isEmpty();
    Deferred<byte[]> next = s.getPoem();
    upstream.fetch(1).callback(POEM);
    assertThat(successResultOf(next)).isEqualTo(POEM);
    assertThat(clock.getDelayedCalls()).as("a fetch in time leaves no timer").isEmpty();
  }

  @Test
  void waitersThatCancelDetachOnlyThemselvesTheOthersGetThePoem(VirtualClock clock) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 10);
    for (int i = 0; i < 10; i += 2) {
      ws.get(i).cancel();
    }
    assertThat(s.waiterCount()).isEqualTo(5);
    assertThat(upstream.cancelled).isZero();
    upstream.fetch(0).callback(POEM);
    for (int i = 0; i < 10; i++) {
      if (i % 2 == 0) {
        failureResultOf(ws.get(i), CancelledException.class);
      } else {
        assertThat(successResultOf(ws.get(i))).isEqualTo(POEM);
      }
    }
    assertThat(s.isCached()).isTrue();
  }

  @Test
  void whenAllCancelTheFetchIsCancelledOnceAndForgottenAtThatMoment(VirtualClock clock) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 5);
    for (int i = 0; i < 4; i++) {
      ws.get(i).cancel();
      assertThat(s.isFetching()).isTrue();
    }
    ws.get(4).cancel();
    assertThat(s.isFetching()).as("forgotten when the last waiter left").isFalse();
    assertThat(upstream.cancelled).isEqualTo(1);
    assertThat(upstream.fetch(0).isCalled()).as("the fetch's Deferred fired (cancelled)").isTrue();
    for (Deferred<byte[]> w : ws) {
      failureResultOf(w, CancelledException.class);
    }
    assertThat(clock.getDelayedCalls()).as("the upstream timer went with it").isEmpty();
  }

  @Test
  void aClientThatComesAfterEveryoneCancelledStartsANewFetch(VirtualClock clock) {
    ProxyService s = service(clock);
    Deferred<byte[]> gone = s.getPoem();
    gone.cancel();
    failureResultOf(gone, CancelledException.class);
    Deferred<byte[]> late = s.getPoem();
    assertThat(upstream.fetches).as("a new fetch, not the cancelled one").hasSize(2);
    assertThat(s.waiterCount()).isEqualTo(1);
    upstream.fetch(1).callback(POEM);
    assertThat(successResultOf(late)).isEqualTo(POEM);
    assertThat(s.fetchCount()).isEqualTo(2);
  }

  @Test
  void aCancelledFetchThatStillSucceedsIsNeitherCachedNorHandedToTheNextFlight(VirtualClock clock) {
    // An upstream whose canceller does not fire the Deferred (a fetch that cannot be stopped).
    List<Deferred<byte[]>> stubborn = new ArrayList<>();
    service =
        ProxyService.create(
            clock,
            () -> {
              Deferred<byte[]> d = Deferred.create(self -> {});
              stubborn.add(d);
              return d;
            },
            Duration.ofHours(2));
    Deferred<byte[]> first = service.getPoem();
    first.cancel();
    failureResultOf(first, CancelledException.class);
    Deferred<byte[]> second = service.getPoem();
    assertThat(stubborn).hasSize(2);
    // The cancelled Deferred fired CancelledException itself (its canceller did not fire it); a
    // value from the old connection would be too late and go nowhere.
    assertThat(stubborn.get(0).isCalled()).isTrue();
    assertNoResult(second);
    assertThat(service.isCached()).isFalse();
    stubborn.get(1).callback(POEM);
    assertThat(successResultOf(second)).isEqualTo(POEM);
  }

  @Test
  void aWaiterThatRetriesFromItsErrbackStartsAFreshFetch(VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> retried = new ArrayList<>();
    Deferred<byte[]> w =
        s.getPoem()
            .addErrbackDeferred(
                failure -> {
                  Deferred<byte[]> again = s.getPoem();
                  retried.add(again);
                  return again;
                });
    Deferred<byte[]> other = s.getPoem();
    upstream.fetch(0).errback(new ConnectionLost("reset", null));
    failureResultOf(other, ConnectionLost.class);
    assertThat(ProxyLog.warnings(logs)).containsExactly(ProxyLog.FETCH_FAILED + "reset");
    assertThat(retried).hasSize(1);
    assertThat(upstream.fetches).as("the retry made a new flight").hasSize(2);
    assertNoResult(w);
    upstream.fetch(1).callback(POEM);
    assertThat(successResultOf(w)).isEqualTo(POEM);
  }

  @Test
  void allCancelWhileHungLeavesNoTimerAndTheTimeoutNeverFires(VirtualClock clock) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 3);
    clock.advance(10);
    ws.forEach(Deferred::cancel);
    assertThat(clock.getDelayedCalls()).isEmpty();
    clock.advance(60);
    assertThat(upstream.cancelled).isEqualTo(1);
    for (Deferred<byte[]> w : ws) {
      failureResultOf(w, CancelledException.class);
    }
  }

  @Test
  void aTimeoutAfterSomeWaitersLeftFailsTheOthersOnly(VirtualClock clock, LogCapture logs) {
    ProxyService s = service(clock);
    List<Deferred<byte[]>> ws = waiters(s, 4);
    ws.get(0).cancel();
    ws.get(1).cancel();
    clock.advance(30);
    failureResultOf(ws.get(0), CancelledException.class);
    failureResultOf(ws.get(1), CancelledException.class);
    failureResultOf(ws.get(2), DeferredTimeoutException.class);
    failureResultOf(ws.get(3), DeferredTimeoutException.class);
    assertThat(upstream.cancelled).isEqualTo(1);
    assertThat(ProxyLog.warnings(logs))
        .singleElement()
        .asString()
        .startsWith(ProxyLog.FETCH_FAILED);
  }

  @Test
  void theUpstreamTimeoutMustBePositive(VirtualClock clock) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> upstream.withTimeout(Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstream timeout must be positive: PT0S");
  }
}
