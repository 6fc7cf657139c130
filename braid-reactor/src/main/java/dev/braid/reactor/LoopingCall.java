package dev.braid.reactor;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.PendingDeferreds;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Calls a function repeatedly, every {@code interval} seconds on a {@link Clock}: Twisted's {@code
 * twisted.internet.task.LoopingCall}.
 *
 * <pre>{@code
 * LoopingCall heartbeat = LoopingCall.create(reactor, () -> transport.write(PING));
 * heartbeat.start(Duration.ofSeconds(5))            // runs now, then every 5 s
 *     .addCallback(lc -> { log("stopped"); return null; });
 * ...
 * heartbeat.stop();                                 // fires the Deferred with the LoopingCall
 * }</pre>
 *
 * <h2>Semantics (spec §18)</h2>
 *
 * <ul>
 *   <li>{@link #start} runs the function at once (inside {@code start}); {@link #startLater} waits
 *       one interval first. Both return a Deferred that fires with this LoopingCall when {@link
 *       #stop()} ends the loop, or fails with the function's exception (and the loop stops).
 *   <li>Calls stay aligned to {@code start + k * interval}: after each call the next one is
 *       scheduled for the next such slot after the clock's current time. Slots missed because a
 *       call (or the Deferred it returned) took too long are <em>skipped</em>, not replayed; {@link
 *       #withCount} tells the function how many slots passed.
 *   <li>If the function returns a Deferred, nothing is scheduled until it fires.
 *   <li>{@link #stop()} cancels the scheduled call and fires the Deferred at once; if the function
 *       (or its Deferred) is still running, the Deferred fires when it finishes. {@link #reset()}
 *       restarts the interval from now.
 *   <li>An interval of 0 runs the function once per clock tick (each loop iteration on a reactor).
 * </ul>
 *
 * <p>Twisted's {@code AssertionError}s are {@link IllegalStateException}s here, with the same
 * messages; its {@code ValueError} is an {@link IllegalArgumentException}.
 *
 * <p>Threading: the clock's thread (the reactor thread) only.
 */
public final class LoopingCall {
  private final Clock clock;
  private final Callable<?> function;
  private Deferred<LoopingCall> deferred;
  private DelayedCall call;
  private boolean running;
  private double interval;
  private double startTime;
  private boolean runAtStart;

  // withCount only
  private IntFunction<?> countFunction;
  private double lastCountTime = Double.NaN;

  private LoopingCall(Clock clock, Callable<?> function) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.function = function;
  }

  /**
   * Creates a looping call of {@code function}, not started.
   *
   * @param clock where time comes from: the reactor, or a {@code VirtualClock} in tests
   * @param function called each interval; an exception stops the loop and fails its Deferred
   * @return the looping call
   */
  public static LoopingCall create(Clock clock, Runnable function) {
    Objects.requireNonNull(function, "function");
    return new LoopingCall(
        clock,
        () -> {
          function.run();
          return null;
        });
  }

  /**
   * Creates a looping call of a function that returns a Deferred: the next call is scheduled only
   * once that Deferred fires, and a failure stops the loop.
   *
   * @param clock where time comes from
   * @param function called each interval; may return null
   * @return the looping call
   */
  public static LoopingCall createDeferred(Clock clock, Callable<? extends Deferred<?>> function) {
    Objects.requireNonNull(function, "function");
    return new LoopingCall(clock, function);
  }

  /**
   * Creates a looping call that passes {@code function} the number of intervals that have elapsed
   * since its last call (Twisted's {@code withCount}): 1 normally, more when slots were skipped,
   * never 0. With an interval of 0 the count is always 1.
   *
   * @param clock where time comes from
   * @param function receives the count
   * @return the looping call
   */
  public static LoopingCall withCount(Clock clock, IntConsumer function) {
    Objects.requireNonNull(function, "function");
    return withCountDeferred(
        clock,
        count -> {
          function.accept(count);
          return null;
        });
  }

  /**
   * {@link #withCount(Clock, IntConsumer)} for a function that returns a Deferred.
   *
   * @param clock where time comes from
   * @param function receives the count; may return a Deferred or null
   * @return the looping call
   */
  public static LoopingCall withCountDeferred(
      Clock clock, IntFunction<? extends Deferred<?>> function) {
    Objects.requireNonNull(function, "function");
    LoopingCall[] self = new LoopingCall[1];
    self[0] = new LoopingCall(clock, () -> self[0].counted());
    self[0].countFunction = function;
    return self[0];
  }

  private Object counted() {
    double now = clock.seconds();
    if (interval == 0) {
      lastCountTime = now;
      return countFunction.apply(1);
    }
    double last = lastCountTime;
    if (Double.isNaN(last)) {
      last = startTime;
      if (runAtStart) {
        last -= interval;
      }
    }
    long count = intervalOf(now) - intervalOf(last);
    if (count > 0) {
      lastCountTime = now;
      return countFunction.apply((int) Math.min(count, Integer.MAX_VALUE));
    }
    return null;
  }

  private long intervalOf(double t) {
    return (long) ((t - startTime) / interval);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Starts the loop, calling the function at once (Twisted's {@code start(interval, now=True)}).
   *
   * @param intervalSeconds seconds between calls; 0 calls it once per clock tick
   * @return a Deferred fired with this LoopingCall when the loop is stopped, or failed with the
   *     function's exception
   * @throws IllegalStateException "Tried to start an already running LoopingCall."
   * @throws IllegalArgumentException "interval must be >= 0"
   */
  public Deferred<LoopingCall> start(double intervalSeconds) {
    return begin(intervalSeconds, true);
  }

  /**
   * Starts the loop, calling the function at once; see {@link #start(double)}.
   *
   * @param interval time between calls
   * @return a Deferred fired with this LoopingCall when the loop is stopped
   */
  public Deferred<LoopingCall> start(Duration interval) {
    return begin(Clock.toSeconds(interval), true);
  }

  /**
   * Starts the loop, with the first call one interval from now (Twisted's {@code start(interval,
   * now=False)}).
   *
   * @param intervalSeconds seconds between calls
   * @return a Deferred fired with this LoopingCall when the loop is stopped
   * @throws IllegalStateException "Tried to start an already running LoopingCall."
   * @throws IllegalArgumentException "interval must be >= 0"
   */
  public Deferred<LoopingCall> startLater(double intervalSeconds) {
    return begin(intervalSeconds, false);
  }

  /**
   * Starts the loop, with the first call one interval from now; see {@link #startLater(double)}.
   *
   * @param interval time between calls
   * @return a Deferred fired with this LoopingCall when the loop is stopped
   */
  public Deferred<LoopingCall> startLater(Duration interval) {
    return begin(Clock.toSeconds(interval), false);
  }

  private Deferred<LoopingCall> begin(double intervalSeconds, boolean now) {
    if (running) {
      throw new IllegalStateException("Tried to start an already running LoopingCall.");
    }
    if (!(intervalSeconds >= 0)) {
      throw new IllegalArgumentException("interval must be >= 0");
    }
    running = true;
    // The loop may fail at once and clear this.deferred: return the local.
    Deferred<LoopingCall> d = Deferred.create();
    PendingDeferreds.noteWaitingOn(d, this); // debug mode: for pending dumps
    deferred = d;
    startTime = clock.seconds();
    interval = intervalSeconds;
    runAtStart = now;
    lastCountTime = Double.NaN;
    if (now) {
      runOnce();
    } else {
      scheduleFrom(startTime);
    }
    return d;
  }

  /**
   * Stops the loop. If a call is scheduled it is cancelled and the Deferred fires now with this
   * LoopingCall; if the function is running (or its Deferred is pending), the Deferred fires when
   * it finishes.
   *
   * @throws IllegalStateException "Tried to stop a LoopingCall that was not running."
   */
  public void stop() {
    if (!running) {
      throw new IllegalStateException("Tried to stop a LoopingCall that was not running.");
    }
    running = false;
    if (call != null) {
      call.cancel();
      call = null;
      Deferred<LoopingCall> d = deferred;
      deferred = null;
      d.callback(this);
    }
  }

  /**
   * Restarts the interval from now: the next call is one interval from now.
   *
   * @throws IllegalStateException "Tried to reset a LoopingCall that was not running."
   */
  public void reset() {
    if (!running) {
      throw new IllegalStateException("Tried to reset a LoopingCall that was not running.");
    }
    if (call != null) {
      call.cancel();
      call = null;
      startTime = clock.seconds();
      scheduleFrom(startTime);
    }
  }

  /**
   * Tells whether the loop is running: between {@code start} and {@code stop} (or a failure).
   *
   * @return true while running
   */
  public boolean isRunning() {
    return running;
  }

  /**
   * Returns the interval given to {@code start}.
   *
   * @return seconds between calls
   */
  public double interval() {
    return interval;
  }

  // ---------------------------------------------------------------------------------------------

  private void runOnce() {
    call = null;
    Deferred<Object> d = Deferred.maybeDeferred(function::call);
    d.addCallbacks(
        result -> {
          if (running) {
            scheduleFrom(clock.seconds());
          } else {
            Deferred<LoopingCall> done = deferred;
            deferred = null;
            done.callback(this);
          }
          return null;
        },
        failure -> {
          running = false;
          Deferred<LoopingCall> done = deferred;
          deferred = null;
          done.errback(failure);
          return null;
        });
  }

  private void scheduleFrom(double when) {
    call = clock.callLater(howLong(when), this::runOnce);
  }

  private double howLong(double when) {
    if (interval == 0) {
      return 0;
    }
    double runningFor = when - startTime;
    double untilNextInterval = interval - (runningFor % interval);
    if (when == when + untilNextInterval) {
      return interval;
    }
    return untilNextInterval;
  }

  @Override
  public String toString() {
    return "LoopingCall{" + (running ? "running every " + interval + "s" : "stopped") + "}";
  }
}
