package dev.braid.defer;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Failures that no errback has handled yet: Braid makes sure they are never lost.
 *
 * <p>A Deferred whose chain ends with a {@link Failure} is <em>tracked</em> until an errback
 * handles the failure or the Deferred becomes unreachable. When it becomes unreachable while still
 * failed, the failure is {@linkplain #setReporter reported}: by default it is logged at {@code
 * ERROR} through {@link System.Logger} (logger {@code dev.braid.defer.Deferred}) as "Unhandled
 * error in Deferred", with the Deferred's creation and firing sites in debug mode. This is
 * Twisted's behaviour on garbage collection.
 *
 * <p>Because garbage collection is not deterministic, the failures still pending can also be read
 * at any moment ({@link #pending()}, {@link #pendingSince(long)}): the test kit fails a test that
 * ends with one, and the reactor reports those left at shutdown (Braid's decision 6).
 *
 * <p>Cost: nothing on the success path; a tracker and a {@link Cleaner} registration per Deferred
 * that ends a run of its chain with a failure. All methods are thread-safe.
 */
public final class UnhandledFailures {
  private static final System.Logger LOG = System.getLogger(Deferred.class.getName());
  private static final Cleaner CLEANER =
      Cleaner.create(
          runnable -> {
            Thread thread = new Thread(runnable, "braid-unhandled-failures");
            thread.setDaemon(true);
            return thread;
          });
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Set<Tracker> LIVE = ConcurrentHashMap.newKeySet();
  private static final Consumer<UnhandledFailure> LOG_REPORTER = UnhandledFailures::log;
  private static volatile Consumer<? super UnhandledFailure> reporter = LOG_REPORTER;

  private UnhandledFailures() {}

  /**
   * A failure that no errback handled.
   *
   * @param failure the failure
   * @param sequence its place in the order in which unhandled failures appeared, from 1
   * @param threadName the thread for which the code that ended its Deferred's chain with it was
   *     acting: {@link Async#ownerThread()}, so inside a coroutine body the thread the body runs in
   *     lock-step with (the reactor thread, typically), not the body's virtual thread
   */
  public record UnhandledFailure(Failure failure, long sequence, String threadName) {
    /**
     * Describes the failure for a log or a test report, with its stack trace and, in debug mode,
     * its Deferred's creation and firing sites.
     *
     * @return a multi-line description
     */
    public String describe() {
      return "Unhandled error in Deferred (thread "
          + threadName
          + "):"
          + System.lineSeparator()
          + failure.getTraceback();
    }
  }

  /**
   * Returns a mark for {@link #pendingSince}: failures that become unhandled after this call have a
   * greater sequence number.
   *
   * @return the sequence number of the latest unhandled failure so far
   */
  public static long mark() {
    return SEQUENCE.get();
  }

  /**
   * Returns every failure that is unhandled right now and whose Deferred has not been collected,
   * oldest first.
   *
   * @return a snapshot
   */
  public static List<UnhandledFailure> pending() {
    return pendingSince(0);
  }

  /**
   * Returns the failures that became unhandled after {@code mark} and are still unhandled, oldest
   * first.
   *
   * @param mark a value returned by {@link #mark()}
   * @return a snapshot
   */
  public static List<UnhandledFailure> pendingSince(long mark) {
    List<UnhandledFailure> result = new ArrayList<>();
    for (Tracker tracker : LIVE) {
      UnhandledFailure snapshot = tracker.snapshot();
      if (snapshot != null && snapshot.sequence() > mark) {
        result.add(snapshot);
      }
    }
    result.sort(Comparator.comparingLong(UnhandledFailure::sequence));
    return result;
  }

  /**
   * Replaces what happens to a failure whose Deferred was collected while unhandled. The reporter
   * runs on a JDK cleaner thread and must not throw.
   *
   * @param newReporter receives each such failure once; never null
   */
  public static void setReporter(Consumer<? super UnhandledFailure> newReporter) {
    reporter = Objects.requireNonNull(newReporter, "newReporter");
  }

  /** Restores the default reporter, which logs at {@code ERROR} through {@link System.Logger}. */
  public static void resetReporter() {
    reporter = LOG_REPORTER;
  }

  /**
   * Logs a failure at {@code ERROR} the way the default reporter does.
   *
   * @param unhandled the failure to log
   */
  public static void log(UnhandledFailure unhandled) {
    LOG.log(System.Logger.Level.ERROR, unhandled.describe());
  }

  static Tracker track(Deferred<?> owner, Failure failure) {
    Tracker tracker = new Tracker(failure, Async.ownerThread().getName());
    tracker.cleanable = CLEANER.register(owner, tracker);
    return tracker;
  }

  /** Holds a pending failure for one Deferred; never refers to the Deferred itself. */
  static final class Tracker implements Runnable {
    private volatile Failure failure;
    private volatile long sequence;
    private final String threadName;
    private Cleaner.Cleanable cleanable;

    private Tracker(Failure failure, String threadName) {
      this.threadName = threadName;
      update(failure);
    }

    /** Records a new pending failure for the same Deferred. */
    void update(Failure newFailure) {
      if (failure == newFailure) {
        return;
      }
      sequence = SEQUENCE.incrementAndGet();
      failure = newFailure;
      LIVE.add(this);
    }

    /** The failure was handled: forget it and release the cleaner registration. */
    void clear() {
      failure = null;
      LIVE.remove(this);
      cleanable.clean();
    }

    UnhandledFailure snapshot() {
      Failure current = failure;
      return current == null ? null : new UnhandledFailure(current, sequence, threadName);
    }

    /** Runs on the cleaner thread when the Deferred is unreachable, or from {@link #clear}. */
    @Override
    public void run() {
      UnhandledFailure snapshot = snapshot();
      failure = null;
      LIVE.remove(this);
      if (snapshot != null) {
        try {
          reporter.accept(snapshot);
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "unhandled-failure reporter failed", e);
        }
      }
    }
  }
}
