package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance section M, with Braid's decision 11 where it differs from Twisted. */
class VirtualClockTest {
  private final VirtualClock clock = VirtualClock.create();
  private final List<Object> log = new ArrayList<>();

  @Test
  void aCallCannotCancelItself() {
    DelayedCall[] self = new DelayedCall[1];
    List<Throwable> caught = new ArrayList<>();
    self[0] =
        clock.callLater(
            1,
            () -> {
              try {
                self[0].cancel();
              } catch (AlreadyCalledException e) {
                caught.add(e);
              }
            });
    clock.advance(1);
    assertThat(caught).hasSize(1);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void delayPostponesTheCall() {
    DelayedCall call = clock.callLater(1, () -> log.add("ran"));
    call.delay(1);
    assertThat(call.getTime()).isEqualTo(2.0);
    clock.advance(1.5);
    assertThat(log).isEmpty();
    clock.advance(1.0);
    assertThat(log).containsExactly("ran");
  }

  @Test
  void resetLaterAndSooner() {
    DelayedCall later = clock.callLater(2, () -> log.add("later"));
    clock.advance(1);
    later.reset(3);
    assertThat(later.getTime()).isEqualTo(4.0);
    clock.advance(2);
    assertThat(log).isEmpty();
    clock.advance(1);
    assertThat(log).containsExactly("later");

    VirtualClock other = VirtualClock.create();
    DelayedCall sooner = other.callLater(4, () -> log.add("sooner"));
    sooner.reset(3);
    assertThat(sooner.getTime()).isEqualTo(3.0);
    other.advance(3);
    assertThat(log).containsExactly("later", "sooner");
  }

  @Test
  void equalTimesRunInSchedulingOrder() {
    for (String name : List.of("a", "b", "c")) {
      clock.callLater(1, () -> log.add(name));
    }
    clock.callLater(0.5, () -> log.add("early"));
    clock.advance(1);
    assertThat(log).containsExactly("early", "a", "b", "c");
  }

  @Test
  void callsScheduledDuringAnAdvanceForATimeInsideItRunInTheSameAdvance() {
    clock.callLater(
        1,
        () -> {
          log.add("f");
          clock.callLater(0, () -> log.add("nested0"));
          clock.callLater(1, () -> log.add("nested1"));
        });
    clock.callLater(1, () -> log.add("sibling"));
    clock.advance(1);
    assertThat(log).containsExactly("f", "sibling", "nested0");
    clock.advance(0);
    assertThat(log).containsExactly("f", "sibling", "nested0");
    clock.advance(1);
    assertThat(log).containsExactly("f", "sibling", "nested0", "nested1");
  }

  @Test
  void eachCallSeesItsOwnDueTimeNotTheFinalTime() {
    clock.callLater(1, () -> log.add(clock.seconds()));
    clock.callLater(2, () -> log.add(clock.seconds()));
    clock.advance(5);
    assertThat(log).containsExactly(1.0, 2.0); // Twisted gives [5.0, 5.0] (decision 11)
    assertThat(clock.seconds()).isEqualTo(5.0);
  }

  @Test
  void anExceptionPropagatesAndLaterCallsStayPending() {
    clock.callLater(
        1,
        () -> {
          throw new ArithmeticException("boom");
        });
    clock.callLater(1, () -> log.add("after"));
    assertThatThrownBy(() -> clock.advance(1)).isInstanceOf(ArithmeticException.class);
    assertThat(log).isEmpty();
    assertThat(clock.getDelayedCalls()).hasSize(1);
    clock.advance(0);
    assertThat(log).containsExactly("after");
  }

  @Test
  void aNegativeDelayRunsAtTheNextAdvance() {
    DelayedCall call = clock.callLater(-1, () -> log.add("neg"));
    assertThat(call.getTime()).isEqualTo(-1.0);
    clock.advance(0);
    assertThat(log).containsExactly("neg");
  }

  @Test
  void cancelledAndCalledCallsRejectChanges() {
    DelayedCall cancelled = clock.callLater(1, () -> log.add("never"));
    cancelled.cancel();
    assertThatThrownBy(cancelled::cancel).isInstanceOf(AlreadyCancelledException.class);
    assertThatThrownBy(() -> cancelled.reset(1)).isInstanceOf(AlreadyCancelledException.class);
    assertThatThrownBy(() -> cancelled.delay(1)).isInstanceOf(AlreadyCancelledException.class);

    DelayedCall called = clock.callLater(1, () -> log.add("ran"));
    clock.advance(1);
    assertThatThrownBy(called::cancel).isInstanceOf(AlreadyCalledException.class);
    assertThatThrownBy(() -> called.reset(1)).isInstanceOf(AlreadyCalledException.class);
    assertThatThrownBy(() -> called.delay(1)).isInstanceOf(AlreadyCalledException.class);
    assertThat(log).containsExactly("ran");
    assertThat(called.active()).isFalse();
    assertThat(cancelled.active()).isFalse();
  }

  @Test
  void aCallMayCancelAnotherDueAtTheSameTime() {
    DelayedCall[] second = new DelayedCall[1];
    clock.callLater(
        1,
        () -> {
          log.add("first");
          second[0].cancel();
        });
    second[0] = clock.callLater(1, () -> log.add("second"));
    clock.advance(1);
    assertThat(log).containsExactly("first");
  }

  @Test
  void resetKeepsCallsOrderedAsTwistedsStableSortDoes() {
    // A due at 2, B due at 1; B is reset to 2 and, having been ahead of A, stays ahead of it.
    clock.callLater(2, () -> log.add("A"));
    DelayedCall b = clock.callLater(1, () -> log.add("B"));
    b.reset(2);
    // C due at 3 is brought forward to 2 and goes after both.
    DelayedCall c = clock.callLater(3, () -> log.add("C"));
    c.reset(2);
    clock.advance(2);
    assertThat(log).containsExactly("B", "A", "C");
  }

  @Test
  void aRunawayZeroDelayLoopIsReportedInsteadOfHanging() {
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> clock.callLater(0, loop[0]);
    clock.callLater(0, loop[0]);
    assertThatThrownBy(() -> clock.advance(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rescheduling");
  }

  @Test
  void manyCallsDueAtOneTimeAreNotMistakenForARunaway() {
    int[] count = {0};
    for (int i = 0; i < VirtualClock.RUNAWAY_LIMIT + 10; i++) {
      clock.callLater(1, () -> count[0]++);
    }
    clock.advance(1);
    assertThat(count[0]).isEqualTo(VirtualClock.RUNAWAY_LIMIT + 10);
  }

  @Test
  void advancingBackwardsIsRejected() {
    assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
