package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.test.BraidExtension;
import dev.braid.test.log.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ProxyService.Upstream} is a public interface, so the service must hand every waiter the
 * poem or a failure whatever an upstream does: return null, throw, fire with null or with something
 * else than bytes, hand out one Deferred twice, fire inside {@code fetch()}, call back into the
 * service, or throw from its canceller. After each, nothing is cached or left in flight.
 */
@ExtendWith(BraidExtension.class)
class ProxyServiceUpstreamMisuseTest {
  static final byte[] POEM = "Ozymandias".getBytes(StandardCharsets.UTF_8);

  private LogCapture log;
  private int calls;

  @BeforeEach
  void captureTheWarnings(LogCapture logs) {
    log = logs;
  }

  /** Every test here makes a fetch (or its cancellation) fail; the proxy warns of nothing else. */
  @AfterEach
  void onlyFailedFetchesAndCancellationsAreWarnedOf() {
    assertThat(ProxyLog.warnings(log))
        .allMatch(
            m ->
                m.startsWith(ProxyLog.FETCH_FAILED)
                    || m.startsWith("Cancelling the fetch from the upstream server failed"));
  }

  private ProxyService service(VirtualClock clock, ProxyService.Upstream upstream) {
    return ProxyService.create(clock, upstream, Duration.ofHours(2));
  }

  private static void assertIdle(ProxyService s) {
    assertThat(s.isCached()).as("nothing cached").isFalse();
    assertThat(s.isFetching()).as("nothing in flight").isFalse();
    assertThat(s.waiterCount()).isZero();
  }

  @Test
  void anUpstreamThatReturnsNullFailsTheRequestSayingSoAndIsAskedAgainNextTime(VirtualClock clock) {
    ProxyService s =
        service(
            clock,
            () -> {
              calls++;
              return null;
            });
    for (int i = 0; i < 2; i++) {
      assertThat(failureResultOf(s.getPoem(), IllegalStateException.class).getErrorMessage())
          .isEqualTo("the upstream's fetch() returned null instead of a Deferred");
      assertIdle(s);
    }
    assertThat(calls).isEqualTo(2);
    assertThat(ProxyLog.warnings(log))
        .anyMatch(l -> l.contains("Fetching the poem failed: the upstream's"));
  }

  @Test
  void anUpstreamBoundInTimeThatReturnsNullFailsTheSameWay(VirtualClock clock) {
    ProxyService.Upstream nothing = () -> null;
    ProxyService s = service(clock, nothing.withTimeout(Duration.ofSeconds(1), clock));
    assertThat(failureResultOf(s.getPoem(), IllegalStateException.class).getErrorMessage())
        .isEqualTo("the upstream's fetch() returned null instead of a Deferred");
    assertIdle(s);
  }

  @Test
  void anUpstreamThatThrowsFailsEveryRequestWithItsException(VirtualClock clock) {
    ProxyService s =
        service(
            clock,
            () -> {
              calls++;
              throw new UnsupportedOperationException("no upstream today");
            });
    for (int i = 0; i < 3; i++) {
      assertThat(
              failureResultOf(s.getPoem(), UnsupportedOperationException.class).getErrorMessage())
          .isEqualTo("no upstream today");
      assertIdle(s);
    }
    assertThat(calls).isEqualTo(3);
  }

  @Test
  void aFetchThatFiresWithNullFailsEveryWaiterInsteadOfThrowingAfterClearingThem(
      VirtualClock clock) {
    List<Deferred<byte[]>> fetches = new ArrayList<>();
    ProxyService s =
        service(
            clock,
            () -> {
              Deferred<byte[]> d = Deferred.create();
              fetches.add(d);
              return d;
            });
    List<Deferred<byte[]>> waiters = List.of(s.getPoem(), s.getPoem(), s.getPoem());
    fetches.get(0).callback(null);
    for (Deferred<byte[]> w : waiters) {
      assertThat(failureResultOf(w, IllegalStateException.class).getErrorMessage())
          .isEqualTo("the upstream's fetch fired with null instead of the poem's bytes");
    }
    assertIdle(s);
    Deferred<byte[]> again = s.getPoem();
    assertThat(fetches).as("the next request fetches again").hasSize(2);
    fetches.get(1).callback(POEM);
    assertThat(successResultOf(again)).isEqualTo(POEM);
    assertThat(s.isCached()).isTrue();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aFetchThatFiresWithSomethingElseThanBytesFailsEveryWaiter(VirtualClock clock) {
    Deferred raw = Deferred.create();
    ProxyService s = service(clock, () -> raw);
    List<Deferred<byte[]>> waiters = List.of(s.getPoem(), s.getPoem());
    raw.callback("a poem, as a String");
    for (Deferred<byte[]> w : waiters) {
      assertThat(failureResultOf(w, IllegalStateException.class).getErrorMessage())
          .isEqualTo(
              "the upstream's fetch fired with a java.lang.String instead of the poem's bytes");
    }
    assertIdle(s);
  }

  @Test
  void aDeferredHandedOutTwiceFailsTheSecondFlightInsteadOfHangingIt(VirtualClock clock) {
    Deferred<byte[]> shared = Deferred.create();
    ProxyService s = service(clock, () -> shared);
    Deferred<byte[]> first = s.getPoem();
    shared.errback(new IllegalStateException("upstream down"));
    failureResultOf(first, IllegalStateException.class);
    // The second flight is given the same, long-fired Deferred: the service has consumed its
    // result, so the flight sees null and fails at once.
    Deferred<byte[]> second = s.getPoem();
    assertThat(failureResultOf(second, IllegalStateException.class).getErrorMessage())
        .isEqualTo("the upstream's fetch fired with null instead of the poem's bytes");
    assertIdle(s);
  }

  @Test
  void aFetchAlreadyFiredWhenReturnedIsDeliveredToTheFirstCallerAndCached(VirtualClock clock) {
    ProxyService s = service(clock, () -> Deferred.succeed(POEM));
    Deferred<byte[]> first = s.getPoem();
    assertThat(successResultOf(first)).isEqualTo(POEM);
    assertThat(s.isCached()).isTrue();
    assertThat(s.isFetching()).isFalse();
  }

  @Test
  void anUpstreamThatAsksTheServiceForThePoemJoinsTheFlightInsteadOfRecursing(VirtualClock clock) {
    List<Deferred<byte[]>> inner = new ArrayList<>();
    Deferred<byte[]> fetch = Deferred.create();
    ProxyService[] self = new ProxyService[1];
    self[0] =
        service(
            clock,
            () -> {
              calls++;
              inner.add(self[0].getPoem());
              return fetch;
            });
    Deferred<byte[]> outer = self[0].getPoem();
    assertThat(calls).isEqualTo(1);
    assertThat(self[0].waiterCount()).isEqualTo(2);
    fetch.callback(POEM);
    assertThat(successResultOf(outer)).isEqualTo(POEM);
    assertThat(successResultOf(inner.get(0))).isEqualTo(POEM);
  }

  @Test
  void anUpstreamWhoseCancellerThrowsStillReleasesTheLastWaiter(VirtualClock clock) {
    Deferred<byte[]> fetch =
        Deferred.create(
            d -> {
              throw new IllegalStateException("cannot cancel");
            });
    ProxyService s = service(clock, () -> fetch);
    Deferred<byte[]> waiter = s.getPoem();
    waiter.cancel();
    failureResultOf(waiter, CancelledException.class);
    assertIdle(s);
    assertThat(ProxyLog.warnings(log))
        .anyMatch(l -> l.contains("Cancelling the fetch from the upstream server failed"));
    fetch.callback(POEM); // the upstream finishes after all: forgotten, not cached
    assertThat(s.isCached()).isFalse();
  }

  @Test
  void aFetchWhoseWaitersAllLeftWhileItStartedIsCancelled(VirtualClock clock) {
    Deferred<byte[]> fetch = Deferred.create();
    ProxyService[] self = new ProxyService[1];
    self[0] =
        service(
            clock,
            () -> {
              self[0].shutDown(); // fails the only waiter before fetch() returns
              return fetch;
            });
    Deferred<byte[]> waiter = self[0].getPoem();
    failureResultOf(waiter, ProxyShutdownException.class);
    assertThat(fetch.isCalled()).as("cancelled, not left running").isTrue();
    assertIdle(self[0]);
  }
}
