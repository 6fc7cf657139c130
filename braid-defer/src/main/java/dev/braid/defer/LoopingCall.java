package dev.braid.defer;

import java.time.Duration;
import java.util.Objects;

/**
 * Calls a function repeatedly, every {@code interval} seconds on a {@link Clock}: Twisted's {@code
 * twisted.internet.task.LoopingCall}, which lives beside its {@code Clock} in {@code task.py} as
 * this class lives beside {@link VirtualClock}.
 *
 * <pre>{@code
 * LoopingCall heartbeat = LoopingCall.create(reactor, () -> {
 *   transport.write(PING);
 *   return null;                                    // or a Deferred to wait for
 * });
 * heartbeat.start(Duration.ofSeconds(5))            // runs now, then every 5 s
 *     .addCallback(lc -> { log("stopped"); return null; });
 * ...
 * heartbeat.stop();                                 // fires the Deferred with the LoopingCall
 * }</pre>
 *
 * <p>One way in, as Twisted's {@code LoopingCall(f)}: {@link #create} takes a {@link Body}, which
 * may return a Deferred (the loop waits for it) or null, and may throw (the loop stops and its
 * Deferred fails). {@link #withCount} is Twisted's {@code LoopingCall.withCount}: its {@link
 * CountedBody} is also told how many intervals have passed.
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
  private final Body body;
  private Deferred<LoopingCall> deferred;
  private DelayedCall call;
  private boolean running;
  private double interval;
  private double startTime;
  private boolean runAtStart;

  // withCount only
  private CountedBody countedBody;
  private double lastCountTime = Double.NaN;

  /**
   * What a {@link LoopingCall} runs each interval: Twisted's {@code f}.
   *
   * <p>A lambda that only does something ends with {@code return null;}, as a Deferred callback
   * does.
   */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs one iteration of the loop.
     *
     * @return a Deferred that the loop waits for before it schedules the next call (its failure
     *     stops the loop and fails the loop's Deferred), or null to go on at once
     * @throws Exception to stop the loop and fail its Deferred with the exception
     */
    Deferred<?> run() throws Exception;
  }

  /**
   * What a {@link LoopingCall#withCount} loop runs: Twisted's {@code countCallable}, told how many
   * intervals have passed since its last call.
   */
  @FunctionalInterface
  public interface CountedBody {
    /**
     * Runs one iteration of the loop.
     *
     * @param count the intervals that have elapsed since the last call: 1 normally, more when slots
     *     were skipped, never 0; always 1 with an interval of 0
     * @return a Deferred that the loop waits for, or null to go on at once
     * @throws Exception to stop the loop and fail its Deferred with the exception
     */
    Deferred<?> run(int count) throws Exception;
  }

  private LoopingCall(Clock clock, Body body) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.body = body;
  }

  /**
   * Creates a looping call of {@code body}, not started (Twisted's {@code LoopingCall(f)}).
   *
   * @param clock where time comes from: the reactor, or a {@link VirtualClock} in tests
   * @param body called each interval; may return a Deferred, which the loop waits for, or null; an
   *     exception or a failed Deferred stops the loop and fails its Deferred
   * @return the looping call
   */
  public static LoopingCall create(Clock clock, Body body) {
    return new LoopingCall(clock, Objects.requireNonNull(body, "body"));
  }

  /**
   * Creates a looping call that passes {@code body} the number of intervals that have elapsed since
   * its last call (Twisted's {@code LoopingCall.withCount}): 1 normally, more when slots were
   * skipped, never 0. With an interval of 0 the count is always 1.
   *
   * @param clock where time comes from
   * @param body receives the count; may return a Deferred, which the loop waits for, or null
   * @return the looping call
   */
  public static LoopingCall withCount(Clock clock, CountedBody body) {
    Objects.requireNonNull(body, "body");
    LoopingCall[] self = new LoopingCall[1];
    self[0] = new LoopingCall(clock, () -> self[0].counted());
    self[0].countedBody = body;
    return self[0];
  }

  private Deferred<?> counted() throws Exception {
    double now = clock.seconds();
    if (interval == 0) {
      lastCountTime = now;
      return countedBody.run(1);
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
      return countedBody.run((int) Math.min(count, Integer.MAX_VALUE));
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
   * {@return true while the loop is running: between {@code start} and {@code stop} (or a failure)}
   */
  public boolean isRunning() {
    return running;
  }

  /** {@return the interval given to {@code start}, in seconds between calls} */
  public double interval() {
    return interval;
  }

  // ---------------------------------------------------------------------------------------------

  private void runOnce() {
    call = null;
    Deferred<Object> d = Deferred.maybeDeferred(body::run);
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
