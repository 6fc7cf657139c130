package dev.braid.test.log;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * Where every event goes: to the capture opened last and not yet closed, or, with none open, to
 * standard error if it is a warning or an error. One per JVM, as the logging backends are.
 */
final class LogRouter {
  /**
   * The system property naming the lowest level recorded ({@code trace}, {@code debug}, {@code
   * info}, {@code warn} or {@code error}); {@code info} by default.
   */
  static final String LEVEL_PROPERTY = "braid.test.log.level";

  static final LogRouter INSTANCE = new LogRouter(threshold(System.getProperty(LEVEL_PROPERTY)));

  private final Level threshold;
  private final Deque<LogCapture> open = new ArrayDeque<>(); // guarded by this

  LogRouter(Level threshold) {
    this.threshold = threshold;
  }

  static Level threshold(String name) {
    if (name == null || name.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          LEVEL_PROPERTY + " must be trace, debug, info, warn or error: " + name, e);
    }
  }

  boolean isEnabled(Level level) {
    return level.toInt() >= threshold.toInt();
  }

  /** Opens a capture; events go to it until it is closed or another is opened. */
  synchronized LogCapture open(String owner) {
    LogCapture capture = new LogCapture(owner);
    open.push(capture);
    return capture;
  }

  /** Closes {@code capture}: events no longer go to it. */
  synchronized void close(LogCapture capture) {
    open.remove(capture);
  }

  void publish(LogEvent event) {
    if (!isEnabled(event.level())) {
      return;
    }
    LogCapture capture;
    synchronized (this) {
      capture = open.peek();
    }
    if (capture != null) {
      capture.add(event);
    } else if (event.isWarningOrWorse()) {
      PrintStream err = System.err;
      err.println(event.format());
    }
  }
}
