package dev.braid.test.log;

import java.util.Objects;

/**
 * The JDK's {@link System.LoggerFinder} for Braid's tests: {@link System.Logger} events
 * (braid-defer logs through it, as do parts of the JDK) go where {@link RecordingSlf4jProvider}'s
 * go, with {@code WARNING} as WARN. The JDK finds it through {@code META-INF/services}.
 *
 * <p>Threading: thread-safe.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
  /** For the JDK's service loader. */
  public RecordingLoggerFinder() {}

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new RecordingSystemLogger(Objects.requireNonNull(name, "name"), LogRouter.INSTANCE);
  }
}
