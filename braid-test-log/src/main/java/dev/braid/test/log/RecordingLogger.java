package dev.braid.test.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that hands its events to the {@link LogRouter}. */
final class RecordingLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final transient LogRouter router;

  RecordingLogger(String name, LogRouter router) {
    this.name = name;
    this.router = router;
  }

  @Override
  public boolean isTraceEnabled() {
    return router.isEnabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return router.isEnabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return router.isEnabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return router.isEnabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return router.isEnabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
    String message = pattern;
    if (thrown == null && arguments != null && arguments.length > 0) {
      // A trailing Throwable that no {} consumes is the event's exception, as in slf4j-simple.
      FormattingTuple formatted = MessageFormatter.arrayFormat(pattern, arguments);
      message = formatted.getMessage();
      thrown = formatted.getThrowable();
    } else if (arguments != null && arguments.length > 0) {
      message = MessageFormatter.basicArrayFormat(pattern, arguments);
    }
    router.publish(new LogEvent(level, name, Thread.currentThread().getName(), message, thrown));
  }
}
