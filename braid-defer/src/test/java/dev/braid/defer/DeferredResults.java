package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Reads a Deferred's result synchronously, the way Twisted's trial does ({@code successResultOf},
 * {@code failureResultOf}, {@code assertNoResult}), for braid-defer's own tests.
 */
final class DeferredResults {
  private DeferredResults() {}

  /**
   * Returns the value {@code d} holds now. Like trial, this adds a callback that consumes the
   * result: {@code d} holds null afterwards.
   */
  static <T> T successResultOf(Deferred<T> d) {
    List<Outcome<T>> seen = new ArrayList<>();
    d.addBoth(
        outcome -> {
          seen.add(outcome);
          return null;
        });
    if (seen.isEmpty()) {
      return fail("success result expected on " + d + ", found no result instead");
    }
    if (seen.get(0) instanceof Outcome.Failed<T>(Failure failure)) {
      return fail(
          "success result expected on " + d + ", found failure instead: " + failure.getTraceback());
    }
    return ((Outcome.Success<T>) seen.get(0)).value();
  }

  /**
   * Returns the failure {@code d} holds now, checking it is one of {@code types} when any are
   * given. Consumes the result and so handles the failure: {@code d} holds null afterwards.
   */
  static Failure failureResultOf(Deferred<?> d, Class<?>... types) {
    List<Outcome<?>> seen = new ArrayList<>();
    d.addBoth(
        outcome -> {
          seen.add(outcome);
          return null;
        });
    if (seen.isEmpty()) {
      return fail("failure result expected on " + d + ", found no result instead");
    }
    if (!(seen.get(0) instanceof Outcome.Failed<?>(Failure failure))) {
      return fail("failure result expected on " + d + ", found success " + seen.get(0));
    }
    if (types.length > 0 && failure.check(types) == null) {
      return fail(
          "failure of type "
              + List.of(types)
              + " expected on "
              + d
              + ", found "
              + failure.getTraceback());
    }
    return failure;
  }

  /** Checks that {@code d} has no result available now, without disturbing it. */
  static void assertNoResult(Deferred<?> d) {
    assertThat(d.hasResult()).as("%s has a result", d).isFalse();
  }

  /**
   * Captures what a {@link System.Logger} logs (through its default java.util.logging backend)
   * while open.
   */
  static final class CapturedLog extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean usedParentHandlers;
    private final List<LogRecord> records = new ArrayList<>();

    private CapturedLog(Logger logger) {
      this.logger = logger;
      this.usedParentHandlers = logger.getUseParentHandlers();
    }

    /** Captures the records of the logger named after {@code loggerOwner}, and keeps them quiet. */
    static CapturedLog of(Class<?> loggerOwner) {
      CapturedLog log = new CapturedLog(Logger.getLogger(loggerOwner.getName()));
      log.logger.addHandler(log);
      log.logger.setUseParentHandlers(false);
      return log;
    }

    synchronized List<LogRecord> records() {
      return List.copyOf(records);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setUseParentHandlers(usedParentHandlers);
    }
  }
}
