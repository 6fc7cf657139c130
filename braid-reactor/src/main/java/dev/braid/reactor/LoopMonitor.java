package dev.braid.reactor;

import dev.braid.defer.Deferred;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import jdk.jfr.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one reactor's loop: callbacks that run too long (asyncio's {@code
 * slow_callback_duration}) and iterations that keep the loop busy (its lag).
 *
 * <p>In {@linkplain Deferred#isDebugging() debug mode}, every callback the loop runs is timed, and
 * one that takes at least the threshold (default {@value #DEFAULT_THRESHOLD_MILLIS} ms, or the
 * system property {@code braid.slowCallbackMillis}) is logged as a warning naming it and its
 * duration. When a flight recording asks for {@code dev.braid.SlowCallback}, such callbacks are
 * also recorded, debug mode or not; {@code dev.braid.LoopLag} records busy iterations. Otherwise
 * the loop pays two boolean checks per iteration and one per callback, and reads no clock.
 *
 * <p>Threading: the hooks run on the reactor thread; the threshold and {@link #busySince()} may be
 * read and set from any thread.
 */
final class LoopMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(SelectorReactor.class);

  /** The slow-callback threshold unless set: 100 ms. */
  static final long DEFAULT_THRESHOLD_MILLIS = 100;

  private static final EventType LAG = EventType.getEventType(ReactorEvents.LoopLag.class);
  private static final EventType SLOW = EventType.getEventType(ReactorEvents.SlowCallback.class);

  private volatile long thresholdNanos =
      Duration.ofMillis(Long.getLong("braid.slowCallbackMillis", DEFAULT_THRESHOLD_MILLIS))
          .toNanos();
  private volatile String reactorName = "";

  // Reactor thread only, refreshed each iteration.
  private boolean debug;
  private boolean slowEvents;
  private boolean lagEvents;
  private ReactorEvents.LoopLag lag;
  private boolean exempt;

  /** When the current iteration's work began ({@link System#nanoTime()}); 0 while waiting. */
  private volatile long busySince;

  /** The thread's name, for events and warnings; set when the reactor starts running. */
  void reactorStarts(String name) {
    reactorName = name;
    refresh();
  }

  String reactorName() {
    return reactorName;
  }

  Duration threshold() {
    return Duration.ofNanos(thresholdNanos);
  }

  void setThreshold(Duration threshold) {
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("slow-callback threshold must be positive: " + threshold);
    }
    thresholdNanos = threshold.toNanos();
  }

  /** Start of an iteration, before the loop waits: reads the switches once for the iteration. */
  void beforeWait() {
    refresh();
    if (debug || lagEvents) {
      busySince = 0;
    }
  }

  private void refresh() {
    debug = Deferred.isDebugging();
    slowEvents = SLOW.isEnabled();
    lagEvents = LAG.isEnabled();
  }

  /** The loop has work: a ready key, or the wait is over. Cheap when called again. */
  void busy() {
    if (lagEvents && lag == null) {
      lag = new ReactorEvents.LoopLag();
      lag.begin();
    }
    if (debug && busySince == 0) {
      busySince = System.nanoTime();
    }
  }

  /** End of an iteration. */
  void iterationDone() {
    ReactorEvents.LoopLag event = lag;
    if (event != null) {
      lag = null;
      event.end();
      if (event.shouldCommit()) {
        event.reactor = reactorName;
        event.commit();
      }
    }
  }

  /**
   * {@return in debug mode, when the current iteration's work began ({@link System#nanoTime()}), 0
   * while the loop waits or outside debug mode} Any thread.
   */
  long busySince() {
    return busySince;
  }

  /** Before a callback: {@return the time it starts when it is to be timed, else 0} */
  long callbackStarts() {
    if (debug || slowEvents) {
      exempt = false;
      return System.nanoTime();
    }
    return 0;
  }

  /**
   * The callback running now is the reactor's own diagnostics (a dump): it is not reported as slow.
   * Reactor thread.
   */
  void exemptCurrentCallback() {
    exempt = true;
  }

  /**
   * After a callback that {@link #callbackStarts()} timed ({@code start} not 0): warns (debug mode)
   * and records an event (if asked) when it took at least the threshold.
   *
   * @param kind what sort of callback: "I/O", "delayed call"...
   * @param what describes it; called only for a slow one
   */
  void callbackEnded(long start, String kind, Describer what) {
    if (start == 0) {
      return;
    }
    long took = System.nanoTime() - start;
    long threshold = thresholdNanos;
    if (took < threshold || exempt) {
      return;
    }
    String described;
    try {
      described = what.describe();
    } catch (RuntimeException e) {
      described = "(cannot be described: " + e + ")";
    }
    if (debug) {
      LOG.warn(
          "Slow callback on the reactor thread {}: {} {} took {} ms (threshold {} ms); nothing"
              + " else ran on this reactor meanwhile",
          reactorName,
          kind,
          described,
          String.format(Locale.ROOT, "%.1f", took / 1e6),
          String.format(Locale.ROOT, "%.0f", threshold / 1e6));
    }
    if (slowEvents) {
      ReactorEvents.SlowCallback event = new ReactorEvents.SlowCallback();
      if (event.shouldCommit()) {
        event.reactor = reactorName;
        event.kind = kind;
        event.callback = described;
        event.took = took;
        event.commit();
      }
    }
  }

  /** {@return an I/O callback in words: the handler and what it was ready for} */
  static String describeIo(Object handler, int readyOps) {
    List<String> names = new ArrayList<>();
    if ((readyOps & SelectionKey.OP_ACCEPT) != 0) {
      names.add("accept");
    }
    if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
      names.add("connect");
    }
    if ((readyOps & SelectionKey.OP_READ) != 0) {
      names.add("read");
    }
    if ((readyOps & SelectionKey.OP_WRITE) != 0) {
      names.add("write");
    }
    return "on " + handler + " (ready to " + String.join(" and ", names) + ")";
  }

  /** Describes a callback, only when it was slow. */
  @FunctionalInterface
  interface Describer {
    String describe();
  }
}
