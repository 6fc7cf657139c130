package dev.braid.test.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * One logged event, as a test sees it.
 *
 * @param level the level; {@code System.Logger}'s {@code WARNING} is {@link Level#WARN}
 * @param logger the logger's name, usually a class name
 * @param thread the name of the thread that logged it
 * @param message the message with its arguments filled in
 * @param thrown the exception logged with it, or null
 */
public record LogEvent(
    Level level, String logger, String thread, String message, Throwable thrown) {
  /**
   * Checks the fields.
   *
   * @param level the level
   * @param logger the logger's name
   * @param thread the thread's name
   * @param message the message
   * @param thrown the exception, or null
   */
  public LogEvent {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(logger, "logger");
    Objects.requireNonNull(thread, "thread");
    message = String.valueOf(message);
  }

  /** {@return whether this event is a warning or an error} */
  public boolean isWarningOrWorse() {
    return level.toInt() >= Level.WARN.toInt();
  }

  /** {@return the logger's name without its package, as slf4j-simple's short log name} */
  public String shortLogger() {
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  /**
   * {@return the event as slf4j-simple prints it: {@code [thread] LEVEL Logger - message}, then the
   * exception's stack trace if there is one}
   */
  public String format() {
    StringBuilder text = new StringBuilder();
    text.append('[').append(thread).append("] ").append(level).append(' ');
    text.append(shortLogger()).append(" - ").append(message);
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      text.append(System.lineSeparator()).append(trace.toString().stripTrailing());
    }
    return text.toString();
  }

  /** {@return {@code LEVEL logger - message}, without the stack trace} */
  @Override
  public String toString() {
    return level + " " + logger + " - " + message + (thrown == null ? "" : " [" + thrown + "]");
  }
}
