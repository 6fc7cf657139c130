package dev.braid.test.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of Braid's tests: hands every event at or above {@code -Dbraid.test.log.level}
 * (INFO by default) to the {@link LogCapture} of the test that is running, or prints a warning or
 * an error to standard error when no test is. SLF4J finds it through {@code META-INF/services}; it
 * must be the only provider on the class path (in place of slf4j-simple).
 *
 * <p>Threading: thread-safe, as SLF4J requires.
 */
public final class RecordingSlf4jProvider implements SLF4JServiceProvider {
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final ILoggerFactory loggers = new RecordingLoggerFactory(LogRouter.INSTANCE);

  /** For SLF4J's service loader. */
  public RecordingSlf4jProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}
}
