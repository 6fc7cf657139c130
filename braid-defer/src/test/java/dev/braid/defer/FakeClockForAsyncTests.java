package dev.braid.defer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deterministic {@link Clock} for braid-defer's own tests (braid-defer cannot depend on the test
 * kit's {@code VirtualClock}). Time moves only in {@link #advance}, which steps through due calls
 * in time order, each seeing {@link #seconds()} equal to its own due time, FIFO among equal times
 * (spec decision 11). Single-threaded. Public only so that the examples' tests can use it.
 */
public final class FakeClockForAsyncTests implements Clock {
  /** Creates a clock at time 0. */
  public FakeClockForAsyncTests() {}

  private final List<Call> calls = new ArrayList<>();
  private double now;
  private long scheduled;

  @Override
  public double seconds() {
    return now;
  }

  @Override
  public DelayedCall callLater(double delaySeconds, Runnable call) {
    if (Double.isNaN(delaySeconds)) {
      throw new IllegalArgumentException("delay is not a number");
    }
    Call c = new Call(now + delaySeconds, scheduled++, call);
    calls.add(c);
    return c;
  }

  /**
   * Moves time forward by {@code seconds}, running every call that falls due on the way.
   *
   * @param seconds how far to move
   */
  public void advance(double seconds) {
    double end = now + seconds;
    while (true) {
      Call next = calls.stream().min(Call.ORDER).orElse(null);
      if (next == null || next.time > end) {
        break;
      }
      calls.remove(next);
      now = Math.max(now, next.time);
      next.called = true;
      next.action.run();
    }
    now = end;
  }

  /**
   * Tells how many calls are still scheduled.
   *
   * @return the number of pending calls
   */
  public int pendingCalls() {
    return calls.size();
  }

  private final class Call implements DelayedCall {
    static final Comparator<Call> ORDER =
        Comparator.<Call>comparingDouble(c -> c.time).thenComparingLong(c -> c.sequence);

    double time;
    long sequence;
    final Runnable action;
    boolean called;
    boolean cancelled;

    Call(double time, long sequence, Runnable action) {
      this.time = time;
      this.sequence = sequence;
      this.action = action;
    }

    @Override
    public double getTime() {
      return time;
    }

    @Override
    public void cancel() {
      check();
      cancelled = true;
      calls.remove(this);
    }

    @Override
    public void reset(double secondsFromNow) {
      check();
      time = now + secondsFromNow;
      sequence = scheduled++;
    }

    @Override
    public void delay(double seconds) {
      check();
      time += seconds;
    }

    @Override
    public boolean active() {
      return !called && !cancelled;
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }

    @Override
    public boolean called() {
      return called;
    }

    private void check() {
      if (cancelled) {
        throw new AlreadyCancelledException("the call was cancelled");
      }
      if (called) {
        throw new AlreadyCalledException("the call has already run");
      }
    }
  }
}
