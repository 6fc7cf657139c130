package dev.braid.test.log;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/** A {@link System.Logger} that hands its events to the {@link LogRouter}. */
final class RecordingSystemLogger implements System.Logger {
  private final String name;
  private final LogRouter router;

  RecordingSystemLogger(String name, LogRouter router) {
    this.name = name;
    this.router = router;
  }

  /** {@return SLF4J's level for {@code level}, or null for OFF} */
  static org.slf4j.event.Level slf4j(System.Logger.Level level) {
    return switch (level) {
      case ALL, TRACE -> org.slf4j.event.Level.TRACE;
      case DEBUG -> org.slf4j.event.Level.DEBUG;
      case INFO -> org.slf4j.event.Level.INFO;
      case WARNING -> org.slf4j.event.Level.WARN;
      case ERROR -> org.slf4j.event.Level.ERROR;
      case OFF -> null;
    };
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(System.Logger.Level level) {
    org.slf4j.event.Level l = slf4j(level);
    return l != null && router.isEnabled(l);
  }

  @Override
  public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    publish(level, localized(bundle, msg), thrown);
  }

  @Override
  public void log(
      System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
    String pattern = localized(bundle, format);
    String message =
        params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
    publish(level, message, null);
  }

  private void publish(System.Logger.Level level, String message, Throwable thrown) {
    if (isLoggable(level)) {
      router.publish(
          new LogEvent(slf4j(level), name, Thread.currentThread().getName(), message, thrown));
    }
  }

  private static String localized(ResourceBundle bundle, String key) {
    if (bundle != null && key != null && bundle.containsKey(key)) {
      return bundle.getString(key);
    }
    return key;
  }
}
