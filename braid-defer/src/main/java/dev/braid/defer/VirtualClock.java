package dev.braid.defer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A {@link Clock} that moves only when told to: Twisted's {@code twisted.internet.task.Clock}, for
 * testing time-dependent code without real time. It starts at 0 seconds.
 *
 * <p>Semantics (Braid's decision 11, which differs from Twisted on purpose):
 *
 * <ul>
 *   <li>{@link #advance} steps through due times in order: each call sees {@link #seconds()} equal
 *       to its own due time (Twisted jumps to the final time first, twisted#9819). A call whose due
 *       time is already past (a negative delay) sees the current time.
 *   <li>Calls due at the same time run in the order they were scheduled. Calls scheduled during an
 *       advance for a time inside it run in the same advance.
 *   <li>{@link DelayedCall#reset} and {@link DelayedCall#delay} reorder calls exactly as Twisted's
 *       stable re-sort does.
 *   <li>A call that keeps rescheduling itself without time passing is reported with an {@link
 *       IllegalStateException} after {@value #RUNAWAY_LIMIT} such runs in one advance, instead of
 *       hanging (twisted#5962).
 *   <li>An exception thrown by a call propagates out of {@code advance}; the clock stays at that
 *       call's time and later calls stay pending.
 *   <li>A call may itself {@linkplain #advance advance} the clock, as in Twisted: the nested
 *       advance starts from that call's due time, and the outer one then ends at the later of its
 *       own end and the time the nested one reached. Time never runs backwards. (Twisted's clock,
 *       having jumped to the outer end first, adds the nested amount to it instead.)
 * </ul>
 *
 * <p>Threading: not thread-safe; use it from one thread, normally the test's.
 */
public final class VirtualClock implements Clock {
  /** How many zero-delay runs scheduled during one advance are allowed before it gives up. */
  public static final int RUNAWAY_LIMIT = 100_000;

  private final TreeSet<Call> calls =
      new TreeSet<>(Comparator.comparingDouble((Call c) -> c.time).thenComparingLong(c -> c.tie));
  private double now;
  private long backTie;
  private long frontTie;

  /** How many calls of {@link #advance} are running: more than one when a call advanced. */
  private int advancing;

  private int runaway;

  private VirtualClock() {}

  /**
   * Creates a clock at 0 seconds with nothing scheduled.
   *
   * @return a new clock
   */
  public static VirtualClock create() {
    return new VirtualClock();
  }

  @Override
  public double seconds() {
    return now;
  }

  @Override
  public DelayedCall callLater(double delaySeconds, Runnable call) {
    if (Double.isNaN(delaySeconds)) {
      throw new IllegalArgumentException("delay is not a number");
    }
    Call c = new Call(now + delaySeconds, java.util.Objects.requireNonNull(call, "call"));
    c.scheduledWhileAdvancingAt = advancing > 0 && c.time <= now ? now : Double.NaN;
    c.tie = ++backTie;
    calls.add(c);
    return c;
  }

  /**
   * Moves time forward by {@code seconds}, running every call that falls due, in order, each at its
   * own due time. When it returns, {@link #seconds()} is at least the time it started at plus
   * {@code seconds}.
   *
   * <p>A call that {@code advance} is running may itself call {@code advance}, as in Twisted (a
   * function that "takes time"): that nested advance moves on from the running call's time and runs
   * every call due by its own end, including calls the outer advance would have run later; the
   * outer advance then goes on to the later of its own end and the time the nested one reached,
   * running whatever else is due by then. Time never runs backwards.
   *
   * @param seconds how far to move; must not be negative
   * @throws IllegalArgumentException if {@code seconds} is negative or not a number
   * @throws IllegalStateException if a call keeps rescheduling itself without time passing
   */
  public void advance(double seconds) {
    if (!(seconds >= 0)) {
      throw new IllegalArgumentException("cannot advance by " + seconds + " seconds");
    }
    double target = now + seconds;
    if (advancing == 0) {
      runaway = 0;
    }
    advancing++;
    try {
      // A nested advance may have moved time past our target: everything due by then runs too.
      while (!calls.isEmpty() && calls.first().time <= Math.max(target, now)) {
        Call c = calls.pollFirst();
        if (c.time > now) {
          now = c.time;
        }
        if (c.scheduledWhileAdvancingAt == now && ++runaway > RUNAWAY_LIMIT) {
          calls.add(c);
          throw new IllegalStateException(
              "calls kept rescheduling themselves at t="
                  + now
                  + " without time passing: "
                  + RUNAWAY_LIMIT
                  + " runs in one advance (a zero-interval loop?)");
        }
        c.called = true;
        Runnable f = c.function;
        c.function = null;
        f.run();
      }
      if (target > now) {
        now = target;
      }
    } finally {
      advancing--;
    }
  }

  /**
   * Moves time forward by {@code duration}; see {@link #advance(double)}.
   *
   * @param duration how far to move
   */
  public void advance(Duration duration) {
    advance(Clock.toSeconds(duration));
  }

  /**
   * Advances by each amount in turn (Twisted's {@code pump}).
   *
   * @param amounts the steps, in seconds
   */
  public void pump(double... amounts) {
    for (double amount : amounts) {
      advance(amount);
    }
  }

  /** {@return a snapshot of the calls still pending, in the order they would run} */
  @Override
  public List<DelayedCall> getDelayedCalls() {
    return new ArrayList<>(calls);
  }

  /** One scheduled call; ordered by (time, tie). */
  private final class Call implements DelayedCall {
    double time;
    long tie;
    Runnable function;
    boolean called;
    boolean cancelled;
    double scheduledWhileAdvancingAt;

    Call(double time, Runnable function) {
      this.time = time;
      this.function = function;
    }

    @Override
    public double getTime() {
      return time;
    }

    @Override
    public void cancel() {
      checkActive("cancel");
      cancelled = true;
      calls.remove(this);
      function = null;
    }

    @Override
    public void reset(double secondsFromNow) {
      checkActive("reset");
      moveTo(now + secondsFromNow);
    }

    @Override
    public void delay(double seconds) {
      checkActive("delay");
      moveTo(time + seconds);
    }

    /** Re-sorts as Twisted's stable sort does: later goes first among equals, earlier goes last. */
    private void moveTo(double newTime) {
      if (newTime == time) {
        return;
      }
      calls.remove(this);
      tie = newTime > time ? --frontTie : ++backTie;
      time = newTime;
      scheduledWhileAdvancingAt = Double.NaN;
      calls.add(this);
    }

    private void checkActive(String what) {
      if (cancelled) {
        throw new AlreadyCancelledException("cannot " + what + " a call that was cancelled");
      }
      if (called) {
        throw new AlreadyCalledException("cannot " + what + " a call that has already run");
      }
    }

    @Override
    public boolean active() {
      return !(cancelled || called);
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }

    @Override
    public boolean called() {
      return called;
    }

    @Override
    public String toString() {
      return "DelayedCall{time="
          + time
          + (cancelled ? ", cancelled" : called ? ", called" : "")
          + "}";
    }
  }
}
