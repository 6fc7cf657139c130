package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Twisted's deferLater ({@link Deferreds#deferLater}) on a {@link VirtualClock}. */
class DeferLaterTest {
  private final VirtualClock clock = VirtualClock.create();

  private static <T> Outcome<T> outcome(Deferred<T> d) {
    List<Outcome<T>> box = new ArrayList<>();
    d.addBoth(
        o -> {
          box.add(o);
          return null;
        });
    return box.isEmpty() ? null : box.get(0);
  }

  @Test
  void deferLaterFiresWithTheCallablesResultAfterTheDelay() {
    Deferred<String> d = Deferreds.deferLater(clock, 1.0, () -> "later at " + clock.seconds());
    clock.advance(0.5);
    assertThat(d.isCalled()).isFalse();
    clock.advance(0.5);
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>("later at 1.0"));
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void deferLaterWithoutACallableFiresWithNull() {
    Deferred<Object> d = Deferreds.deferLater(clock, Duration.ofSeconds(2), null);
    clock.advance(2);
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>(null));
  }

  @Test
  void aDeferredReturnedByTheCallableIsWaitedFor() {
    Deferred<String> inner = Deferred.create();
    Deferred<Object> d = Deferreds.deferLater(clock, 1, () -> inner);
    clock.advance(1);
    assertThat(d.hasResult()).isFalse();
    inner.callback("inner");
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>("inner"));
  }

  @Test
  void anExceptionFromTheCallableFailsTheDeferred() {
    Deferred<String> d =
        Deferreds.deferLater(
            clock,
            1,
            () -> {
              throw new IllegalStateException("boom");
            });
    clock.advance(1);
    Outcome<String> o = outcome(d);
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed<String>) o).failure().value()).hasMessage("boom");
  }

  @Test
  void cancellingBeforeTheCallCancelsTheDelayedCall() {
    List<String> ran = new ArrayList<>();
    Deferred<String> d =
        Deferreds.deferLater(
            clock,
            1,
            () -> {
              ran.add("ran");
              return "x";
            });
    d.cancel();
    Outcome<String> o = outcome(d);
    assertThat(((Outcome.Failed<String>) o).failure().value())
        .isInstanceOf(CancelledException.class);
    assertThat(clock.getDelayedCalls()).isEmpty();
    clock.advance(2);
    assertThat(ran).isEmpty();
  }
}
