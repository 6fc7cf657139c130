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

  // --- A call that advances the clock itself -----------------------------------------------------

  @Test
  void aCallMayAdvanceTheClockAndTheOuterAdvanceEndsAtTheLaterTime() {
    clock.callLater(
        1,
        () -> {
          log.add("slow at " + clock.seconds());
          clock.advance(5); // the call takes 5 seconds
          log.add("slow done at " + clock.seconds());
        });
    clock.callLater(2, () -> log.add("due at 2, ran at " + clock.seconds()));
    clock.callLater(7, () -> log.add("due at 7, ran at " + clock.seconds()));

    clock.advance(3);

    // The nested advance runs from 1 to 6, stepping through what falls due; the outer one then
    // ends at 6, the later of its own end (3) and the time reached.
    assertThat(log).containsExactly("slow at 1.0", "due at 2, ran at 2.0", "slow done at 6.0");
    assertThat(clock.seconds()).isEqualTo(6.0);
    clock.advance(1);
    assertThat(log).last().isEqualTo("due at 7, ran at 7.0");
  }

  @Test
  void aNestedAdvanceShorterThanTheOuterOneDoesNotCutItShort() {
    clock.callLater(
        1,
        () -> {
          clock.advance(0.5);
          log.add("back at " + clock.seconds());
        });
    clock.callLater(4, () -> log.add("due at 4, ran at " + clock.seconds()));

    clock.advance(5);

    assertThat(log).containsExactly("back at 1.5", "due at 4, ran at 4.0");
    assertThat(clock.seconds()).isEqualTo(5.0);
  }

  @Test
  void callsScheduledAfterANestedAdvanceForTheTimeItReachedRunInTheOuterAdvance() {
    clock.callLater(
        1,
        () -> {
          clock.advance(4);
          clock.callLater(0, () -> log.add("zero delay at " + clock.seconds()));
        });

    clock.advance(2);

    assertThat(log).containsExactly("zero delay at 5.0");
    assertThat(clock.seconds()).isEqualTo(5.0);
  }

  @Test
  void timeNeverRunsBackwardsThroughNestedAdvances() {
    List<Double> seen = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      double due = i;
      clock.callLater(
          due,
          () -> {
            seen.add(clock.seconds());
            clock.advance(due / 2);
            seen.add(clock.seconds());
          });
    }
    clock.advance(3);
    assertThat(seen).isSorted();
    assertThat(clock.seconds()).isEqualTo(seen.get(seen.size() - 1));
    assertThat(clock.seconds()).isGreaterThanOrEqualTo(3.0);
  }

  @Test
  void anExceptionFromANestedAdvanceLeavesTheClockWhereItWas() {
    clock.callLater(
        1,
        () -> {
          clock.callLater(
              1,
              () -> {
                throw new ArithmeticException("boom");
              });
          clock.advance(3);
        });
    clock.callLater(2.5, () -> log.add("after"));

    assertThatThrownBy(() -> clock.advance(1)).isInstanceOf(ArithmeticException.class);

    assertThat(clock.seconds()).isEqualTo(2.0);
    assertThat(log).isEmpty();
    clock.advance(1);
    assertThat(log).containsExactly("after");
  }

  @Test
  void advancingBackwardsIsRejected() {
    assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
