package dev.braid.poetry;

import dev.braid.defer.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps one kind of log line (a rejected request, a refused connection) from flooding a server's
 * log: at most one line per interval ({@value #DEFAULT_INTERVAL_SECONDS} seconds by default). A
 * line that comes sooner is not logged but counted, and the next line logged says how many were
 * left out, e.g. {@code "... (41 more like it not logged since the last one: at most one line every
 * 10 seconds)"}. A peer that sends a thousand bad requests a second thus costs the log one line
 * every 10 seconds, and the count still tells the size of the flood.
 *
 * <p>The limiter schedules no timer: the count of the last interval is reported with the next line
 * logged, whenever that comes. The message of a line left out is never built (it is a {@link
 * Supplier}), so dropping a line costs a clock read and a counter.
 *
 * <pre>{@code
 * LogLimiter rejections = LogLimiter.create(LOG::info);
 * rejections.log(() -> peer + ": rejected a request longer than 99,999 bytes");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LogLimiter {
  /** The default interval between two lines, in seconds. */
  public static final long DEFAULT_INTERVAL_SECONDS = 10;

  private final Consumer<String> sink;
  private final long intervalNanos;
  private final String every;
  private final LongSupplier nanoTime;
  private boolean logged;
  private long lastLogged;
  private long leftOut;

  private LogLimiter(Consumer<String> sink, Duration interval, LongSupplier nanoTime) {
    this.sink = Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.intervalNanos = interval.toNanos();
    this.every = Clock.describe(interval);
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * Makes a limiter that logs at most one line every {@value #DEFAULT_INTERVAL_SECONDS} seconds.
   *
   * @param sink logs a line, e.g. {@code LOG::info}
   * @return the limiter
   */
  public static LogLimiter create(Consumer<String> sink) {
    return create(sink, Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS));
  }

  /**
   * Makes a limiter that logs at most one line per {@code interval}.
   *
   * @param sink logs a line, e.g. {@code LOG::info}
   * @param interval the least time between two lines; positive
   * @return the limiter
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public static LogLimiter create(Consumer<String> sink, Duration interval) {
    return new LogLimiter(sink, interval, System::nanoTime);
  }

  /** For tests: a limiter on another clock, in nanoseconds. */
  static LogLimiter create(Consumer<String> sink, Duration interval, LongSupplier nanoTime) {
    return new LogLimiter(sink, interval, nanoTime);
  }

  /**
   * Logs the line {@code message} makes, unless a line was logged less than the interval ago; then
   * only counts it.
   *
   * @param message makes the line; called only if it is logged
   */
  public void log(Supplier<String> message) {
    long now = nanoTime.getAsLong();
    long omitted;
    synchronized (this) {
      if (logged && now - lastLogged < intervalNanos) {
        leftOut++;
        return;
      }
      logged = true;
      lastLogged = now;
      omitted = leftOut;
      leftOut = 0;
    }
    String line = message.get();
    if (omitted > 0) {
      line +=
          String.format(
              Locale.ROOT,
              " (%,d more like it not logged since the last one: at most one line every %s)",
              omitted,
              every);
    }
    sink.accept(line);
  }

  /**
   * {@return how many lines were left out since the last line logged: counted but not logged yet}
   */
  public synchronized long leftOut() {
    return leftOut;
  }
}
