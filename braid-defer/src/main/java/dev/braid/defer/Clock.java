package dev.braid.defer;

import java.time.Duration;
import java.util.List;

/**
 * A source of time that can run code later: Twisted's {@code IReactorTime} ({@code seconds}, {@code
 * callLater}, {@code getDelayedCalls}).
 *
 * <p>The reactor is a {@code Clock}; so is {@link VirtualClock}, which moves only when a test
 * advances it, and so is the test kit's memory reactor. Code that needs time only ({@link
 * Deferred#addTimeout}, {@link Deferreds#deferLater}, {@link LoopingCall}) asks for a {@code
 * Clock}, not a whole reactor, so that it can be tested without real time.
 *
 * <p>Threading: a clock is used from its owner's thread (the reactor thread); implementations say
 * so. Times are seconds as {@code double}, as in Twisted; {@link Duration} overloads are provided.
 * This is not {@link java.time.Clock}.
 */
public interface Clock {
  /**
   * {@return the current time of this clock in seconds} Only differences between two readings mean
   * anything; the origin is the implementation's (the reactor uses a monotonic source).
   */
  double seconds();

  /**
   * Schedules {@code call} to run once, {@code delaySeconds} from now. Calls due at the same time
   * run in the order they were scheduled. A negative delay means "as soon as possible".
   *
   * @param delaySeconds how long to wait, in seconds
   * @param call what to run
   * @return a handle that can cancel, reset or delay the call
   * @throws IllegalArgumentException if the delay is not a number
   */
  DelayedCall callLater(double delaySeconds, Runnable call);

  /**
   * Schedules {@code call} to run once, {@code delay} from now; see {@link #callLater(double,
   * Runnable)}.
   *
   * @param delay how long to wait
   * @param call what to run
   * @return a handle that can cancel, reset or delay the call
   */
  default DelayedCall callLater(Duration delay, Runnable call) {
    return callLater(toSeconds(delay), call);
  }

  /**
   * {@return the calls scheduled on this clock and not yet run or cancelled} A snapshot: later
   * scheduling does not change it. The order is the implementation's ({@link VirtualClock}: the
   * order they would run).
   */
  List<DelayedCall> getDelayedCalls();

  /**
   * Converts a duration to seconds with nanosecond precision.
   *
   * @param duration any duration, negative included
   * @return the same length of time in seconds
   */
  static double toSeconds(Duration duration) {
    return duration.getSeconds() + duration.getNano() / 1e9;
  }

  /**
   * Converts seconds to a duration, rounding to the nearest nanosecond.
   *
   * @param seconds a finite number of seconds
   * @return the same length of time as a {@link Duration}
   * @throws IllegalArgumentException if {@code seconds} is not finite
   */
  static Duration toDuration(double seconds) {
    if (!Double.isFinite(seconds)) {
      throw new IllegalArgumentException("seconds must be finite: " + seconds);
    }
    long whole = (long) Math.floor(seconds);
    long nanos = Math.round((seconds - whole) * 1e9);
    return Duration.ofSeconds(whole, nanos);
  }

  /**
   * Describes a duration the way people write it: "10 seconds", "0.25 seconds", "2 hours".
   *
   * @param duration the duration to describe
   * @return a short human-readable form
   */
  static String describe(Duration duration) {
    if (duration.isZero()) {
      return "0 seconds";
    }
    if (duration.toNanosPart() == 0 && duration.toSecondsPart() == 0) {
      if (duration.toMinutesPart() == 0 && duration.toHours() > 0) {
        return duration.toHours() + (duration.toHours() == 1 ? " hour" : " hours");
      }
      if (duration.toHours() == 0) {
        long m = duration.toMinutes();
        return m + (m == 1 ? " minute" : " minutes");
      }
    }
    String s =
        java.math.BigDecimal.valueOf(toSeconds(duration)).stripTrailingZeros().toPlainString();
    return s + (s.equals("1") ? " second" : " seconds");
  }
}
