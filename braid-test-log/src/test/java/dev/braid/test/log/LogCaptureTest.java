package dev.braid.test.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The capture, through sample tests run by the Jupiter engine: what fails a test, what does not,
 * and what reaches the capture from SLF4J and from {@code System.Logger}.
 */
class LogCaptureTest {
  static final Logger LOG = LoggerFactory.getLogger(Samples.class);
  static final System.Logger SYSTEM_LOG = System.getLogger(Samples.class.getName());

  /** Samples: run only through the engine test kit (surefire skips nested classes). */
  @ExtendWith(LogCaptureExtension.class)
  static class Samples {
    static volatile List<LogEvent> seen;

    @Test
    void logsAWarningItDoesNotExpect() {
      LOG.warn("the disk is {}% full", 93);
    }

    @Test
    void logsAnErrorWithAnException() {
      LOG.error("a hook threw", new IllegalStateException("expected by the sample"));
    }

    @Test
    void takesTheWarningItProvokes(LogCapture logs) {
      LOG.warn("accept failed: {}", "Too many open files");
      seen = logs.take(Level.WARN, Samples.class);
    }

    @Test
    void expectsAWarningThatComesInTeardown(LogCapture logs) {
      logs.expect(Level.WARN, Samples.class, "closing");
    }

    @AfterEach
    void teardown(org.junit.jupiter.api.TestInfo info) {
      if (info.getDisplayName().startsWith("expectsAWarningThatComes")) {
        LOG.warn("closing late");
      }
    }

    @Test
    void expectsAWarningThatNeverComes(LogCapture logs) {
      logs.expect(Level.WARN, Samples.class, "never");
    }

    @Test
    void allowsAWarningThatMayNotCome(LogCapture logs) {
      logs.allow(Level.WARN, Samples.class, "maybe");
      LOG.warn("maybe once");
      LOG.warn("maybe twice");
    }

    @Test
    void logsInfoAndDebug(LogCapture logs) {
      LOG.info("serving on port {}", 10000);
      LOG.debug("a detail");
      seen = logs.events();
    }

    @Test
    void logsThroughSystemLogger(LogCapture logs) {
      SYSTEM_LOG.log(System.Logger.Level.WARNING, "coroutine body has run for {0} ms", 20);
      SYSTEM_LOG.log(System.Logger.Level.ERROR, "unhandled", new IllegalStateException("boom"));
      seen = List.copyOf(logs.events());
      logs.take(Level.WARN, Samples.class);
      logs.take(Level.ERROR, Samples.class);
    }

    @Test
    void failsAndLogs() {
      LOG.error("on the way down");
      throw new AssertionError("the test's own failure");
    }
  }

  private static java.lang.reflect.Method sample(String name) {
    for (java.lang.reflect.Method m : Samples.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no sample " + name);
  }

  private static Event run(String method) {
    List<Event> finished =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectMethod(Samples.class, sample(method)))
            .execute()
            .testEvents()
            .finished()
            .list();
    assertThat(finished).hasSize(1);
    return finished.get(0);
  }

  private static Optional<Throwable> failure(String method) {
    TestExecutionResult result = run(method).getPayload(TestExecutionResult.class).orElseThrow();
    return result.getThrowable();
  }

  @Test
  void anUnexpectedWarningFailsTheTestAndShowsTheEvent() {
    assertThat(failure("logsAWarningItDoesNotExpect"))
        .get()
        .isInstanceOf(AssertionError.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains("logsAWarningItDoesNotExpect() logged 1 warning or error it did not expect")
        .contains("WARN LogCaptureTest$Samples - the disk is 93% full");
  }

  @Test
  void anUnexpectedErrorFailsTheTestWithItsStackTrace() {
    assertThat(failure("logsAnErrorWithAnException"))
        .get()
        .extracting(Throwable::getMessage)
        .asString()
        .contains("ERROR LogCaptureTest$Samples - a hook threw")
        .contains("java.lang.IllegalStateException: expected by the sample")
        .contains("at dev.braid.test.log.LogCaptureTest$Samples.logsAnErrorWithAnException");
  }

  @Test
  void aTakenWarningPassesAndIsHandedToTheTest() {
    assertThat(failure("takesTheWarningItProvokes")).isEmpty();
    assertThat(Samples.seen)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.level()).isEqualTo(Level.WARN);
              assertThat(e.logger()).isEqualTo(Samples.class.getName());
              assertThat(e.message()).isEqualTo("accept failed: Too many open files");
              assertThat(e.thread()).isEqualTo(Thread.currentThread().getName());
            });
  }

  @Test
  void anExpectedWarningMayComeAsLateAsTheTeardown() {
    assertThat(failure("expectsAWarningThatComesInTeardown")).isEmpty();
  }

  @Test
  void anExpectedWarningThatNeverComesFailsTheTest() {
    assertThat(failure("expectsAWarningThatNeverComes"))
        .get()
        .extracting(Throwable::getMessage)
        .asString()
        .contains("expected a log event that never came: WARN")
        .contains("containing \"never\"");
  }

  @Test
  void allowedWarningsPassHoweverManyCome() {
    assertThat(failure("allowsAWarningThatMayNotCome")).isEmpty();
  }

  @Test
  void infoIsKeptAndNeverFailsDebugIsOffByDefault() {
    assertThat(failure("logsInfoAndDebug")).isEmpty();
    assertThat(Samples.seen)
        .extracting(LogEvent::level, LogEvent::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.INFO, "serving on port 10000"));
  }

  @Test
  void systemLoggerEventsAreCapturedWithWarningAsWarn() {
    assertThat(failure("logsThroughSystemLogger")).isEmpty();
    assertThat(Samples.seen)
        .extracting(LogEvent::level, LogEvent::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Level.WARN, "coroutine body has run for 20 ms"),
            org.assertj.core.groups.Tuple.tuple(Level.ERROR, "unhandled"));
    assertThat(Samples.seen.get(1).thrown()).hasMessage("boom");
  }

  @Test
  void aTestThatAlreadyFailedKeepsItsFailureAndGainsTheLogAsSuppressed() {
    assertThat(failure("failsAndLogs"))
        .get()
        .satisfies(
            t -> {
              assertThat(t).hasMessage("the test's own failure");
              assertThat(t.getSuppressed())
                  .singleElement()
                  .extracting(Throwable::getMessage)
                  .asString()
                  .contains("ERROR LogCaptureTest$Samples - on the way down");
            });
  }

  @Test
  void withNoCaptureOpenAWarningIsPrintedAndInfoIsNot() throws IOException {
    LogRouter router = new LogRouter(Level.INFO);
    PrintStream err = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      router.publish(new LogEvent(Level.INFO, "a.b.Server", "main", "serving", null));
      router.publish(new LogEvent(Level.WARN, "a.b.Server", "main", "out of descriptors", null));
    } finally {
      System.setErr(err);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo("[main] WARN Server - out of descriptors");
  }

  @Test
  void eventsGoToTheCaptureOpenedLast() {
    LogRouter router = new LogRouter(Level.INFO);
    LogCapture outer = router.open("outer");
    LogCapture inner = router.open("inner");
    router.publish(new LogEvent(Level.WARN, "x", "main", "one", null));
    router.close(inner);
    router.publish(new LogEvent(Level.WARN, "x", "main", "two", null));
    router.close(outer);
    assertThat(inner.events()).extracting(LogEvent::message).containsExactly("one");
    assertThat(outer.events()).extracting(LogEvent::message).containsExactly("two");
  }

  @Test
  void theLevelPropertyNamesTheLowestLevelRecorded() {
    assertThat(LogRouter.threshold(null)).isEqualTo(Level.INFO);
    assertThat(LogRouter.threshold(" debug ")).isEqualTo(Level.DEBUG);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogRouter.threshold("loud"))
        .hasMessageContaining("braid.test.log.level must be trace, debug, info, warn or error");
  }
}
