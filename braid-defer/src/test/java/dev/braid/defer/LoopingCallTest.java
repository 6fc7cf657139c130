package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conformance section N (97, 98, 100, 101) on {@link VirtualClock}.
 *
 * <p>VirtualClock implements Braid's decision 11: {@code advance} steps through due times and each
 * call sees its own due time, where Twisted's {@code Clock} jumps to the final time first.
 * Twisted's tests where the function itself advances the clock (test_callbackTimeSkips) run
 * unchanged. Its tests of a late reactor rely on the jump (a call due at 0.5 runs at "2.0" and so
 * skips the slots in between); under decision 11 the same skipping is shown the way it happens on a
 * real reactor: the function takes time, by advancing the clock or by returning a Deferred that the
 * test fires after advancing. Each such adaptation says so.
 */
class LoopingCallTest {
  private final VirtualClock clock = VirtualClock.create();
  private final List<Object> ran = new ArrayList<>();

  static class TestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TestException(String message) {
      super(message);
    }
  }

  private static <T> T success(Deferred<T> d) {
    Object[] box = {null, null};
    d.addBoth(
        outcome -> {
          box[0] = outcome;
          return null;
        });
    assertThat(box[0]).as("the Deferred has fired").isNotNull();
    @SuppressWarnings("unchecked")
    Outcome<T> outcome = (Outcome<T>) box[0];
    assertThat(outcome.isSuccess()).as("succeeded: %s", outcome).isTrue();
    return ((Outcome.Success<T>) outcome).value();
  }

  private static Throwable failure(Deferred<?> d) {
    Throwable[] box = {null};
    d.addErrback(
        f -> {
          box[0] = f.value();
          return null;
        });
    assertThat(box[0]).as("the Deferred has failed").isNotNull();
    return box[0];
  }

  private static boolean noResult(Deferred<?> d) {
    return !d.isCalled();
  }

  // --- 97 ----------------------------------------------------------------------------------------

  @Test
  void aDelayedStartCallsAfterEachIntervalAndStopFiresTheDeferredWithTheLoopingCall() {
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(null);
              return null;
            });
    Deferred<LoopingCall> d = lc.startLater(0.1);
    clock.pump(0.05, 0.1, 0.1);
    assertThat(ran).hasSize(2);
    assertThat(noResult(d)).isTrue();
    lc.stop();
    assertThat(success(d)).isSameAs(lc);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void resetRestartsTheIntervalFromNow() {
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(null);
              return null;
            });
    lc.startLater(2);
    clock.advance(1);
    lc.reset();
    clock.advance(1);
    assertThat(ran).isEmpty();
    clock.advance(1);
    assertThat(ran).hasSize(1);
  }

  @Test
  void stoppingBeforeTheDelayedFirstCallNeverCallsTheFunction() {
    for (double delay : new double[] {0, 10}) {
      LoopingCall lc =
          LoopingCall.create(
              clock,
              () -> {
                ran.add(null);
                return null;
              });
      Deferred<LoopingCall> d = lc.startLater(delay);
      lc.stop();
      assertThat(success(d)).isSameAs(lc);
      assertThat(ran).isEmpty();
      assertThat(clock.getDelayedCalls()).isEmpty();
    }
  }

  @Test
  void aNegativeIntervalIsRejected() {
    assertThatThrownBy(() -> LoopingCall.create(clock, () -> null).start(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be >= 0");
  }

  @Test
  void startRunsTheFunctionAtOnce() {
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              return null;
            });
    lc.start(1);
    assertThat(ran).containsExactly(0.0);
    assertThat(lc.isRunning()).isTrue();
    assertThat(lc.interval()).isEqualTo(1.0);
  }

  // --- 98 ----------------------------------------------------------------------------------------

  @Test
  void slotsMissedWhileTheFunctionAdvancesTheClockAreSkippedNotReplayed() {
    // Twisted's test_callbackTimeSkips, unchanged: the function itself advances the clock by
    // callDuration, from inside the advance that runs it.
    double[] callDuration = {0};
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              clock.advance(callDuration[0]);
              return null;
            });

    // Start with a 0.5 second interval; the first call is immediate, so nothing is skipped.
    callDuration[0] = 2;
    lc.start(0.5);
    assertThat(ran).containsExactly(0.0);
    // The function advanced the clock by callDuration.
    assertThat(clock.seconds()).isEqualTo(2.0);

    // A call was due at 2, but 2 is the present, not the future: it is skipped.
    clock.advance(0);
    assertThat(ran).containsExactly(0.0);

    // 2.5 is in the future and is not skipped.
    callDuration[0] = 1;
    clock.advance(0.5);
    assertThat(ran).containsExactly(0.0, 2.5);
    assertThat(clock.seconds()).isEqualTo(3.5);

    // Again a call was due at the present (3.5): skipped.
    clock.advance(0);
    assertThat(ran).containsExactly(0.0, 2.5);

    // 4 is in the future and is not skipped.
    callDuration[0] = 0;
    clock.advance(0.5);
    assertThat(ran).containsExactly(0.0, 2.5, 4.0);
    assertThat(clock.seconds()).isEqualTo(4.0);
  }

  @Test
  void slotsMissedWhileTheFunctionsDeferredIsPendingAreSkippedNotReplayed() {
    // The case above with time taken the other way a function can take it: f returns a Deferred
    // and the test advances by the call's duration before firing it.
    Deferred<?>[] running = new Deferred<?>[1];
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              Deferred<Void> d = Deferred.create();
              running[0] = d;
              return d;
            });
    lc.start(0.5);
    clock.advance(2); // f took 2 seconds
    running[0].callback(null);
    assertThat(ran).containsExactly(0.0);
    assertThat(clock.seconds()).isEqualTo(2.0);

    clock.advance(0);
    assertThat(ran).containsExactly(0.0);

    clock.advance(0.5);
    clock.advance(1); // f took 1 second
    running[0].callback(null);
    assertThat(ran).containsExactly(0.0, 2.5);
    assertThat(clock.seconds()).isEqualTo(3.5);

    clock.advance(0);
    assertThat(ran).containsExactly(0.0, 2.5);

    clock.advance(0.5);
    running[0].callback(null); // f took no time
    assertThat(ran).containsExactly(0.0, 2.5, 4.0);
    assertThat(clock.seconds()).isEqualTo(4.0);
  }

  @Test
  void callsStayAlignedToTheStartTime() {
    // Twisted (test_reactorTimeSkips): advance(2) gives [0, 2] because its clock jumps to 2 before
    // the call due at 0.5 runs. Under decision 11 that call runs at 0.5 and each slot up to 2 runs
    // in turn; what stays the same is the alignment to 0 + k * 0.5.
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              return null;
            });
    lc.start(0.5);
    assertThat(ran).containsExactly(0.0);
    clock.advance(2);
    assertThat(ran).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0);
    clock.advance(1);
    assertThat(ran).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0);
    clock.advance(0);
    assertThat(ran).hasSize(7);
  }

  @Test
  void theSpecExampleOfMissedSlots() {
    // Spec §18: start(1) at 0, advance(1), advance(1), advance(3.5) -> calls at 0, 1, 2 and 5.5,
    // next at 6.0. The 3.5-second jump is a call that took 3.5 seconds here (decision 11).
    Deferred<?>[] running = new Deferred<?>[1];
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              if (clock.seconds() == 2.0) {
                Deferred<Void> slow = Deferred.create();
                running[0] = slow;
                return slow;
              }
              return null;
            });
    lc.start(1);
    clock.advance(1);
    clock.advance(1);
    clock.advance(3.5); // the call at 2 is still running
    running[0].callback(null); // ...and finishes at 5.5
    assertThat(ran).containsExactly(0.0, 1.0, 2.0);
    assertThat(clock.getDelayedCalls())
        .singleElement()
        .satisfies(call -> assertThat(call.getTime()).isEqualTo(6.0));
  }

  // --- 100 ---------------------------------------------------------------------------------------

  @Test
  void aFailureInTheFunctionStopsTheLoopAndFailsItsDeferred() {
    int[] calls = {0};
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              if (++calls[0] == 3) {
                throw new TestException("third call");
              }
              return null;
            });
    Deferred<LoopingCall> d = lc.start(1);
    clock.advance(1);
    clock.advance(1);
    assertThat(failure(d)).isInstanceOf(TestException.class).hasMessage("third call");
    assertThat(lc.isRunning()).isFalse();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void stopThenFailInsideTheFunctionFailsTheDeferred() {
    LoopingCall[] lc = new LoopingCall[1];
    lc[0] =
        LoopingCall.create(
            clock,
            () -> {
              lc[0].stop();
              throw new TestException("bar");
            });
    Deferred<LoopingCall> d = lc[0].start(0.1);
    assertThat(failure(d)).isInstanceOf(TestException.class).hasMessage("bar");
  }

  @Test
  void stopInsideTheFunctionFiresTheDeferredBeforeStartReturns() {
    LoopingCall[] lc = new LoopingCall[1];
    lc[0] =
        LoopingCall.create(
            clock,
            () -> {
              lc[0].stop();
              return null;
            });
    Deferred<LoopingCall> d = lc[0].start(1);
    assertThat(success(d)).isSameAs(lc[0]);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void aZeroIntervalLoopRunsOncePerTickUntilStopped() {
    int[] count = {0};
    LoopingCall[] lc = new LoopingCall[1];
    lc[0] =
        LoopingCall.create(
            clock,
            () -> {
              if (++count[0] > 5) {
                lc[0].stop();
              }
              return null;
            });
    Deferred<LoopingCall> d = lc[0].start(0);
    while (noResult(d)) {
      clock.advance(0);
    }
    assertThat(count[0]).isEqualTo(6);
  }

  @Test
  void startingTwiceOrStoppingTwiceIsAnError() {
    LoopingCall lc = LoopingCall.create(clock, () -> null);
    lc.start(1);
    assertThatThrownBy(() -> lc.start(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Tried to start an already running LoopingCall.");
    lc.stop();
    assertThatThrownBy(lc::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Tried to stop a LoopingCall that was not running.");
    assertThatThrownBy(lc::reset)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Tried to reset a LoopingCall that was not running.");
  }

  @Test
  void nothingIsRescheduledUntilTheFunctionsDeferredFires() {
    Deferred<?>[] pending = new Deferred<?>[1];
    LoopingCall lc =
        LoopingCall.create(
            clock,
            () -> {
              ran.add(clock.seconds());
              Deferred<Void> d = Deferred.create();
              pending[0] = d;
              return d;
            });
    Deferred<LoopingCall> d = lc.start(1);
    clock.advance(5);
    assertThat(ran).containsExactly(0.0);
    assertThat(clock.getDelayedCalls()).isEmpty();
    pending[0].errback(new TestException("async failure"));
    assertThat(lc.isRunning()).isFalse();
    assertThat(failure(d)).hasMessage("async failure");
  }

  // --- 101 ---------------------------------------------------------------------------------------

  @Test
  void withCountCountsOneIntervalPerCallUnderVirtualTime() {
    // Twisted (test_reactorTimeCountSkips): (0,1), (0.51,1), (2.02,3). Under decision 11 every
    // slot runs at its own time, so each count is 1; skipped slots are counted in the next test.
    List<String> log = new ArrayList<>();
    LoopingCall lc =
        LoopingCall.withCount(
            clock,
            n -> {
              log.add(clock.seconds() + "x" + n);
              return null;
            });
    lc.start(0.5);
    assertThat(log).containsExactly("0.0x1");
    clock.advance(0.51);
    assertThat(log).containsExactly("0.0x1", "0.5x1");
    clock.advance(1.51);
    assertThat(log).containsExactly("0.0x1", "0.5x1", "1.0x1", "1.5x1", "2.0x1");
    clock.advance(0);
    assertThat(log).hasSize(5);
  }

  @Test
  void withCountCountsTheSlotsSkippedWhileTheFunctionsDeferredWasPending() {
    // Twisted's test_deferredWithCount, unchanged: both calls fall on the end of an advance.
    List<Integer> counts = new ArrayList<>();
    Deferred<Void> slow = Deferred.create();
    LoopingCall lc =
        LoopingCall.withCount(
            clock,
            n -> {
              counts.add(n);
              return counts.size() == 1 ? slow : null;
            });
    lc.startLater(0.2);
    clock.pump(0.2, 0.4);
    assertThat(counts).containsExactly(1);
    slow.callback(null);
    clock.pump(0.2);
    assertThat(counts).containsExactly(1, 3);
  }

  @Test
  void withCountCountsTheSlotsSkippedWhileTheFunctionAdvancedTheClock() {
    // test_reactorTimeCountSkips's (0,1), (0.51,1), (2.02,3) come from Twisted's clock jumping to
    // the end of each advance first; here the 1.5 seconds that skip slots are taken by the function
    // itself, which is how a late call happens under decision 11. The count is read when a call
    // starts, as in Twisted.
    double[] callDuration = {0.01};
    List<String> log = new ArrayList<>();
    LoopingCall lc =
        LoopingCall.withCount(
            clock,
            n -> {
              log.add(clock.seconds() + "x" + n);
              clock.advance(callDuration[0]);
              return null;
            });
    lc.start(0.5);
    assertThat(log).containsExactly("0.0x1");
    callDuration[0] = 1.51;
    clock.advance(0.49);
    assertThat(log).containsExactly("0.0x1", "0.5x1");
    clock.advance(0.5);
    assertThat(log).containsExactly("0.0x1", "0.5x1", "2.5x4");
    clock.advance(0);
    assertThat(log).hasSize(3);
  }

  @Test
  void withCountOverALengthyInterval() {
    // Twisted (test_countLengthyIntervalCounts): (1.385, 1) and (1.51, 1); here (1.0, 1), (1.5, 1).
    List<String> log = new ArrayList<>();
    LoopingCall lc =
        LoopingCall.withCount(
            clock,
            n -> {
              log.add(clock.seconds() + "x" + n);
              return null;
            });
    lc.start(0.5);
    clock.advance(0.51);
    assertThat(log).last().isEqualTo("0.5x1");
    clock.advance(0.875);
    assertThat(log).last().isEqualTo("1.0x1");
    clock.advance(0.125);
    assertThat(log).last().isEqualTo("1.5x1");
  }

  @Test
  void withCountAtIntervalZeroAlwaysCountsOne() {
    List<Integer> counts = new ArrayList<>();
    LoopingCall[] lc = new LoopingCall[1];
    lc[0] =
        LoopingCall.withCount(
            clock,
            n -> {
              counts.add(n);
              if (counts.size() == 5) {
                lc[0].stop();
              }
              return null;
            });
    Deferred<LoopingCall> d = lc[0].startLater(0);
    clock.pump(0, 0, 0, 0, 0);
    assertThat(counts).containsExactly(1, 1, 1, 1, 1);
    assertThat(success(d)).isSameAs(lc[0]);
  }
}
