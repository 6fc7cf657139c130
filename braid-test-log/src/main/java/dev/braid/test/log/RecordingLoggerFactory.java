package dev.braid.test.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link RecordingLogger} per name. */
final class RecordingLoggerFactory implements ILoggerFactory {
  private final LogRouter router;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

  RecordingLoggerFactory(LogRouter router) {
    this.router = router;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new RecordingLogger(n, router));
  }
}
