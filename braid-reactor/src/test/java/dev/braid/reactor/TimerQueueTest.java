package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.AlreadyCalledException;
import dev.braid.defer.AlreadyCancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reactor's timer heap, on a hand-driven clock: no sockets, no wall-clock time. */
class TimerQueueTest {
  private long now;
  private final List<Object> log = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private final TimerQueue timers =
      new TimerQueue(
          new TimerQueue.Host() {
            @Override
            public long nanoTime() {
              return now;
            }

            @Override
            public void checkReactorThread(String what) {}

            @Override
            public void timerFailed(Runnable function, Throwable error) {
              failures.add(error);
            }
          });

  private DelayedCall at(long due, Object tag) {
    return timers.schedule(due, () -> log.add(tag));
  }

  private void advanceTo(long time) {
    now = time;
    timers.runDue(now);
  }

  @Test
  void dueTimersRunInDueOrderAndEqualTimesInSchedulingOrder() {
    at(20, "c");
    at(10, "a");
    at(20, "d");
    at(10, "b");
    at(30, "later");
    advanceTo(25);
    assertThat(log).containsExactly("a", "b", "c", "d");
    assertThat(timers.size()).isEqualTo(1);
    assertThat(timers.nextDue()).isEqualTo(30);
  }

  @Test
  void aCancelledTimerNeverRunsAndLeavesNothingBehind() {
    DelayedCall a = at(10, "a");
    at(10, "b");
    a.cancel();
    assertThat(a.cancelled()).isTrue();
    assertThat(a.active()).isFalse();
    assertThat(timers.size()).isEqualTo(1);
    advanceTo(10);
    assertThat(log).containsExactly("b");
    assertThat(timers.isEmpty()).isTrue();
  }

  @Test
  void cancellingManyTimersEmptiesTheHeap() {
    List<DelayedCall> calls = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      calls.add(at(i % 977, i));
    }
    for (DelayedCall call : calls) {
      call.cancel();
    }
    assertThat(timers.size()).isZero();
    assertThat(timers.nextDue()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theErrorsOfCancelResetAndDelayAreTwistedsAlreadyCancelledAndAlreadyCalled() {
    DelayedCall cancelled = at(10, "x");
    cancelled.cancel();
    assertThatThrownBy(cancelled::cancel).isInstanceOf(AlreadyCancelledException.class);
    assertThatThrownBy(() -> cancelled.reset(1)).isInstanceOf(AlreadyCancelledException.class);
    assertThatThrownBy(() -> cancelled.delay(1)).isInstanceOf(AlreadyCancelledException.class);

    DelayedCall called = at(10, "y");
    advanceTo(10);
    assertThat(called.called()).isTrue();
    assertThatThrownBy(called::cancel).isInstanceOf(AlreadyCalledException.class);
    assertThatThrownBy(() -> called.reset(1)).isInstanceOf(AlreadyCalledException.class);
    assertThatThrownBy(() -> called.delay(1)).isInstanceOf(AlreadyCalledException.class);
  }

  @Test
  void aCallCannotCancelItself() {
    DelayedCall[] self = new DelayedCall[1];
    self[0] =
        timers.schedule(
            5,
            () -> assertThatThrownBy(self[0]::cancel).isInstanceOf(AlreadyCalledException.class));
    advanceTo(5);
    assertThat(failures).isEmpty();
  }

  @Test
  void resetAndDelayMoveATimer() {
    DelayedCall a = at(1_000_000_000L, "a"); // 1 s
    at(2_000_000_000L, "b");
    a.delay(2); // to 3 s
    assertThat(a.getTime()).isEqualTo(3.0);
    advanceTo(2_500_000_000L);
    assertThat(log).containsExactly("b");
    now = 2_500_000_000L;
    a.reset(0.25); // to 2.75 s
    assertThat(a.getTime()).isEqualTo(2.75);
    advanceTo(2_750_000_000L);
    assertThat(log).containsExactly("b", "a");
  }

  @Test
  void timersScheduledWhileRunningWaitForTheNextRound() {
    timers.schedule(
        10,
        () -> {
          log.add("first");
          timers.schedule(now, () -> log.add("zero-delay"));
        });
    at(10, "sibling");
    advanceTo(10);
    assertThat(log).containsExactly("first", "sibling");
    assertThat(timers.size()).isEqualTo(1);
    timers.runDue(now);
    assertThat(log).containsExactly("first", "sibling", "zero-delay");
  }

  @Test
  void aTimerCancelledBeforeItJoinsTheHeapIsDropped() {
    timers.schedule(
        10,
        () -> {
          DelayedCall held = timers.schedule(10, () -> log.add("never"));
          held.cancel();
        });
    advanceTo(10);
    assertThat(timers.size()).isZero();
    timers.runDue(20);
    assertThat(log).isEmpty();
  }

  @Test
  void aThrowingTimerIsReportedAndTheOthersStillRun() {
    timers.schedule(
        10,
        () -> {
          throw new IllegalStateException("boom");
        });
    at(10, "after");
    advanceTo(10);
    assertThat(failures).singleElement().hasFieldOrPropertyWithValue("message", "boom");
    assertThat(log).containsExactly("after");
  }

  @Test
  void randomSchedulesCancelsAndMovesRunInOrder() {
    // A failure names the seed; -Dbraid.timers.seed=N replays it.
    long seed = Long.getLong("braid.timers.seed", System.nanoTime());
    Random random = new Random(seed);
    record Entry(DelayedCall call, int id) {}
    List<Entry> live = new ArrayList<>();
    List<long[]> ran = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int id = i;
      long due = random.nextInt(1_000);
      DelayedCall[] self = new DelayedCall[1];
      self[0] =
          timers.schedule(due, () -> ran.add(new long[] {Math.round(self[0].getTime() * 1e9), id}));
      live.add(new Entry(self[0], id));
      if (random.nextInt(4) == 0) {
        Entry victim = live.remove(random.nextInt(live.size()));
        victim.call().cancel();
      } else if (random.nextInt(4) == 0) {
        live.get(random.nextInt(live.size())).call().delay(random.nextInt(100) / 1e9);
      }
    }
    assertThat(timers.size())
        .as("seed %d (replay: -Dbraid.timers.seed=%d)", seed, seed)
        .isEqualTo(live.size());
    advanceTo(Long.MAX_VALUE);
    assertThat(ran).as("seed %d (replay: -Dbraid.timers.seed=%d)", seed, seed).hasSize(live.size());
    assertThat(ran)
        .as("seed %d (replay: -Dbraid.timers.seed=%d)", seed, seed)
        .isSortedAccordingTo(Comparator.comparingLong((long[] r) -> r[0]));
  }

  @Test
  void delaysConvertToNanosecondsWithSaturation() {
    assertThat(TimerQueue.toNanos(1.5)).isEqualTo(1_500_000_000L);
    assertThat(TimerQueue.toNanos(Double.POSITIVE_INFINITY)).isEqualTo(Long.MAX_VALUE);
    assertThat(TimerQueue.plus(Long.MAX_VALUE - 1, 10)).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> TimerQueue.toNanos(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay is not a number");
  }

  @Test
  void aPendingCallSaysWhenItIsDueAndWhereItsLambdaWasWritten() {
    now = 1_000_000_000L;
    DelayedCall call = at(31_500_000_000L, "x");
    assertThat(call)
        .hasToString(
            "DelayedCall{time=31.5, due in 30.5 seconds, a lambda in "
                + TimerQueueTest.class.getName()
                + "}");
    now = 31_500_000_000L;
    assertThat(call.toString()).contains("due now");
    call.cancel();
    assertThat(call).hasToString("DelayedCall{time=31.5, cancelled}");
  }

  @Test
  void aCallThatIsNotALambdaIsDescribedByItsToString() {
    Runnable named =
        new Runnable() {
          @Override
          public void run() {}

          @Override
          public String toString() {
            return "the poem's next piece";
          }
        };
    assertThat(timers.schedule(2_000_000_000L, named))
        .hasToString("DelayedCall{time=2.0, due in 2 seconds, the poem's next piece}");
  }

  @Test
  void inDebugModeACallSaysWhereItWasScheduled() {
    boolean debugging = Deferred.isDebugging();
    Deferred.setDebugging(true);
    DelayedCall call;
    try {
      call = at(1_000_000_000L, "x");
    } finally {
      Deferred.setDebugging(debugging);
    }
    assertThat(call.toString())
        .contains("} scheduled at:")
        .contains("\tat " + TimerQueueTest.class.getName() + ".at(")
        .doesNotContain(TimerQueue.class.getName() + ".schedule");
    assertThat(at(1_000_000_000L, "y").toString()).doesNotContain("scheduled at");
  }
}
