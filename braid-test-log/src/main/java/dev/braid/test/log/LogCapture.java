package dev.braid.test.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * What one test (or one test class's {@code @BeforeAll} and {@code @AfterAll} methods) logged, and
 * what it expects to log. Ask for it as a test or lifecycle method parameter; {@link
 * LogCaptureExtension} opens it before the test and checks it after.
 *
 * <p>When the test ends, every warning or error it logged must be accounted for: taken with {@link
 * #take}, or matched by {@link #expect} or {@link #allow}. One that is not fails the test, with the
 * event and its stack trace in the failure; so does an {@link #expect}ed event that never came.
 * Events below WARN are kept (up to {@value #MAX_QUIET_EVENTS} of them) for {@link #events()}, and
 * never fail a test.
 *
 * <pre>{@code
 * @Test
 * void aThrowingTimerIsLoggedAndTheReactorKeepsRunning(LogCapture logs) {
 *   ... // a timer throws on the reactor thread; the test waits until the reactor has moved on
 *   assertThat(logs.take(Level.ERROR, SelectorReactor.class))
 *       .singleElement()
 *       .satisfies(e -> assertThat(e.thrown()).hasMessage("expected by the test: a failing timer"));
 * }
 * }</pre>
 *
 * <p>Use {@link #take} when the event has certainly been logged by the time the test looks (it
 * happened before something the test waited for); use {@link #expect} or {@link #allow}, declared
 * up front, when it may come later, on another thread, up to the end of the test's teardown.
 *
 * <p>Threading: thread-safe; events arrive from any thread.
 */
public final class LogCapture {
  /** How many events below WARN a capture keeps; later ones are counted, not kept. */
  public static final int MAX_QUIET_EVENTS = 10_000;

  private final String owner;
  private final List<LogEvent> events = new ArrayList<>(); // guarded by this
  private final List<Boolean> taken = new ArrayList<>(); // parallel to events; guarded by this
  private final List<Rule> rules = new ArrayList<>(); // guarded by this
  private int quiet; // guarded by this
  private int quietDropped; // guarded by this

  /** An expectation: at least one matching event ({@code required}), or any number. */
  private record Rule(Level level, String logger, String containing, boolean required) {
    boolean matches(LogEvent e) {
      return e.level() == level && e.logger().equals(logger) && e.message().contains(containing);
    }

    @Override
    public String toString() {
      return level + " " + logger + " containing \"" + containing + "\"";
    }
  }

  LogCapture(String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /** {@return who this capture belongs to: the test's or the test class's display name} */
  public String owner() {
    return owner;
  }

  /** {@return every event kept so far, in the order logged, taken or not} */
  public synchronized List<LogEvent> events() {
    return List.copyOf(events);
  }

  /**
   * Takes the events at exactly {@code level} from the logger named after {@code logger} that were
   * logged so far and not taken before: the test accounts for them, and may assert on them.
   *
   * @param level the level
   * @param logger the class the logger is named after
   * @return the events taken, in the order logged; empty if there were none
   */
  public List<LogEvent> take(Level level, Class<?> logger) {
    return take(level, logger.getName());
  }

  /**
   * Takes the events at exactly {@code level} from the logger {@code loggerName}; see {@link
   * #take(Level, Class)}.
   *
   * @param level the level
   * @param loggerName the logger's name
   * @return the events taken, in the order logged; empty if there were none
   */
  public synchronized List<LogEvent> take(Level level, String loggerName) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(loggerName, "loggerName");
    List<LogEvent> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      LogEvent e = events.get(i);
      if (!taken.get(i) && e.level() == level && e.logger().equals(loggerName)) {
        taken.set(i, true);
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Declares that the test logs, at least once before it ends, an event at {@code level} from the
   * logger named after {@code logger} whose message contains {@code containing}; every such event
   * is accounted for. The test fails if none comes.
   *
   * @param level the level
   * @param logger the class the logger is named after
   * @param containing a part of the message; {@code ""} for any
   */
  public void expect(Level level, Class<?> logger, String containing) {
    rule(level, logger, containing, true);
  }

  /**
   * Declares that the test may log, any number of times including none, events at {@code level}
   * from the logger named after {@code logger} whose message contains {@code containing}: for
   * faults whose count depends on timing.
   *
   * @param level the level
   * @param logger the class the logger is named after
   * @param containing a part of the message; {@code ""} for any
   */
  public void allow(Level level, Class<?> logger, String containing) {
    rule(level, logger, containing, false);
  }

  private synchronized void rule(
      Level level, Class<?> logger, String containing, boolean required) {
    rules.add(
        new Rule(
            Objects.requireNonNull(level, "level"),
            logger.getName(),
            Objects.requireNonNull(containing, "containing"),
            required));
  }

  synchronized void add(LogEvent e) {
    if (!e.isWarningOrWorse()) {
      quiet++;
      if (quiet > MAX_QUIET_EVENTS) {
        quietDropped++;
        return;
      }
    }
    events.add(e);
    taken.add(false);
  }

  /**
   * {@return what is wrong at the end of the test: the warnings and errors not accounted for, and
   * the expected events that never came; empty if all is well}
   */
  synchronized List<String> problems() {
    List<String> problems = new ArrayList<>();
    List<LogEvent> unexpected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      LogEvent e = events.get(i);
      if (e.isWarningOrWorse() && !taken.get(i) && rules.stream().noneMatch(r -> r.matches(e))) {
        unexpected.add(e);
      }
    }
    if (!unexpected.isEmpty()) {
      StringBuilder text = new StringBuilder();
      text.append(owner)
          .append(" logged ")
          .append(unexpected.size())
          .append(unexpected.size() == 1 ? " warning or error" : " warnings or errors")
          .append(" it did not expect (a test that provokes one takes it with LogCapture.take,")
          .append(" or declares it with LogCapture.expect or allow):");
      for (LogEvent e : unexpected) {
        text.append(System.lineSeparator()).append(e.format());
      }
      problems.add(text.toString());
    }
    for (Rule r : rules) {
      if (r.required() && events.stream().noneMatch(r::matches)) {
        problems.add(owner + " expected a log event that never came: " + r);
      }
    }
    return problems;
  }

  /** Fails with every problem, if there is one. */
  void check() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join(System.lineSeparator(), problems));
    }
  }

  @Override
  public synchronized String toString() {
    return "LogCapture["
        + owner
        + ", "
        + events.size()
        + " events"
        + (quietDropped > 0 ? ", " + quietDropped + " quiet ones dropped" : "")
        + "]";
  }
}
