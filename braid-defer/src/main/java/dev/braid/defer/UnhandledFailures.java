package dev.braid.defer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Failures that no errback has handled yet: Braid makes sure they are never lost.
 *
 * <p>A Deferred whose chain ends with a {@link Failure} is <em>tracked</em> until an errback
 * handles the failure or the Deferred becomes unreachable. When it becomes unreachable while still
 * failed, the failure is {@linkplain #setReporter reported}, once: by default it is logged at
 * {@code ERROR} through {@link System.Logger} (logger {@code dev.braid.defer.Deferred}) as
 * "Unhandled error in Deferred", with the Deferred's creation and firing sites and a picture of its
 * chain in debug mode. This is Twisted's behaviour on garbage collection. Each such report is also
 * a JFR event, {@code dev.braid.UnhandledFailure}, when a flight recording asks for it.
 *
 * <p>Because garbage collection is not deterministic, the failures still pending can also be read
 * at any moment ({@link #pending()}, {@link #pendingSince(long)}): the test kit fails a test that
 * ends with one, and the reactor reports those left at shutdown (Braid's decision 6). While its
 * Deferred is reachable, a pending failure is always reported with the very {@link Failure} the
 * Deferred holds.
 *
 * <h2>Failures that refer back to their Deferred</h2>
 *
 * An exception often refers, directly or through a request or connection object, to the Deferred
 * that fails with it. Holding such a failure strongly until its Deferred is collected would keep
 * the Deferred reachable forever: never collected, never reported. So a failure is held strongly
 * only until the next garbage collection after it became unhandled; then its description (the
 * exception's class, message and stack trace, its causes', and the debug sites) is taken, and from
 * then on the failure is held weakly. A Deferred collected later is reported with its Failure if
 * that is still reachable from elsewhere, else with a new Failure of its exception if that is (the
 * code that threw it may keep it), and otherwise with a Failure of a {@link CollectedException}
 * that describes the exception in the same words. Failures handled before a collection cost no
 * description.
 *
 * <p>Cost: nothing on the success path; a tracker and a {@link Cleaner} registration per Deferred
 * that ends a run of its chain with a failure, and a description for each failure still unhandled
 * at a garbage collection. All methods are thread-safe.
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

  /** True while a sentinel waits for the next garbage collection (see {@link #watch()}). */
  private static final AtomicBoolean WATCHING = new AtomicBoolean();

  private static final Consumer<UnhandledFailure> LOG_REPORTER = UnhandledFailures::log;
  private static volatile Consumer<? super UnhandledFailure> reporter = LOG_REPORTER;

  private UnhandledFailures() {}

  /**
   * A failure that no errback handled.
   *
   * @param failure the failure; in a report after its Deferred was collected, possibly a new
   *     Failure of the same exception, or of a {@link CollectedException} describing it when the
   *     exception was collected too (see the class comment)
   * @param sequence its place in the order in which unhandled failures appeared, from 1
   * @param threadName the name, when the failure became unhandled, of the thread for which the code
   *     that ended its Deferred's chain with it was acting: {@link Async#ownerThread()}, so inside
   *     a coroutine body the thread the body runs in lock-step with (the reactor thread,
   *     typically), not the body's virtual thread
   * @param threadId the {@linkplain Thread#threadId() id} of that thread, which no other thread of
   *     the JVM has; see {@link #isFrom}
   */
  public record UnhandledFailure(Failure failure, long sequence, String threadName, long threadId) {
    /**
     * {@return a multi-line description of the failure for a log or a test report, with its stack
     * trace and, in debug mode, its Deferred's creation and firing sites}
     */
    public String describe() {
      return "Unhandled error in Deferred (thread "
          + threadName
          + "):"
          + System.lineSeparator()
          + failure.getTraceback();
    }

    /**
     * {@return true if the code that left this failure unhandled was acting for {@code thread}}
     * Threads are told apart by identity, not by name: two reactors whose threads have the same
     * name each get their own failures.
     *
     * @param thread a thread, such as a reactor's
     */
    public boolean isFrom(Thread thread) {
      return thread.threadId() == threadId;
    }
  }

  /**
   * Stands in, in a report, for an exception that was garbage-collected together with its Deferred
   * (because it referred back to it): it has the same message, {@link #toString()}, stack trace,
   * causes and suppressed exceptions, so {@link Failure#getTraceback()} reads as it would have, and
   * names the original class in {@link #originalClassName()}. It is never thrown.
   */
  public static final class CollectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The original's {@code toString()}: its class name and message. */
    private final String description;

    private final String originalClassName;

    private CollectedException(Throwable original) {
      super(original.getMessage());
      this.description = original.toString();
      this.originalClassName = original.getClass().getName();
      setStackTrace(original.getStackTrace());
    }

    /** {@return the fully qualified name of the original exception's class} */
    public String originalClassName() {
      return originalClassName;
    }

    /** {@return the original exception's {@code toString()}: its class name and message} */
    @Override
    public String toString() {
      return description;
    }

    /** Takes no stack trace of its own: it carries the original's. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    /**
     * Describes {@code original}, its causes and its suppressed exceptions without referring to
     * them; a cycle among them is copied as a cycle.
     */
    static CollectedException of(Throwable original) {
      return describe(original, new IdentityHashMap<>());
    }

    private static CollectedException describe(
        Throwable original, Map<Throwable, CollectedException> copies) {
      CollectedException known = copies.get(original);
      if (known != null) {
        return known;
      }
      CollectedException copy = new CollectedException(original);
      copies.put(original, copy);
      Throwable cause = original.getCause();
      if (cause != null) {
        copy.initCause(describe(cause, copies));
      }
      for (Throwable suppressed : original.getSuppressed()) {
        copy.addSuppressed(describe(suppressed, copies));
      }
      return copy;
    }
  }

  /**
   * {@return a mark for {@link #pendingSince}: the sequence number of the latest unhandled failure
   * so far} Failures that become unhandled after this call have a greater sequence number.
   */
  public static long mark() {
    return SEQUENCE.get();
  }

  /**
   * {@return every failure that is unhandled right now and whose Deferred has not been reported as
   * collected, oldest first}
   */
  public static List<UnhandledFailure> pending() {
    return pendingSince(0);
  }

  /**
   * {@return the failures that became unhandled after {@code mark} and are still unhandled, oldest
   * first}
   *
   * @param mark a value returned by {@link #mark()}
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
    Thread thread = Async.ownerThread();
    Tracker tracker = new Tracker(thread.getName(), thread.threadId());
    tracker.cleanable = CLEANER.register(owner, tracker);
    tracker.update(failure);
    return tracker;
  }

  /**
   * Makes sure that the trackers holding a failure strongly let go of it after the next garbage
   * collection: a sentinel nobody refers to is registered with the cleaner, which runs {@link
   * #afterCollection} once the sentinel has been collected.
   */
  private static void watch() {
    if (!WATCHING.get() && WATCHING.compareAndSet(false, true)) {
      CLEANER.register(new Object(), UnhandledFailures::afterCollection);
    }
  }

  /**
   * On the cleaner thread, after a collection: every failure still unhandled is described and from
   * now on held weakly, so that a Deferred its exception refers back to can be collected at the
   * next one. Tests call it directly.
   */
  static void afterCollection() {
    WATCHING.set(false); // before reading LIVE: a tracker added meanwhile watches again
    for (Tracker tracker : LIVE) {
      try {
        tracker.detach();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "describing an unhandled failure failed", e);
      }
    }
  }

  /**
   * Holds a pending failure for one Deferred; never refers to the Deferred itself, and to the
   * failure strongly only until the next garbage collection.
   *
   * <p>Threads: the Deferred's thread updates and clears; the cleaner thread detaches and reports;
   * any thread may take a snapshot. The state is one immutable {@link Pending}, replaced whole: the
   * Deferred's thread sets it, the cleaner thread replaces it only if it has not changed meanwhile.
   */
  static final class Tracker implements Runnable {
    private static final VarHandle PENDING;

    static {
      try {
        PENDING = MethodHandles.lookup().findVarHandle(Tracker.class, "pending", Pending.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final String threadName;
    private final long threadId;
    private Cleaner.Cleanable cleanable;

    /** The failure pending, or null when there is none. */
    private volatile Pending pending;

    /**
     * One pending failure: held strongly ({@code pinned}) until the next collection, then weakly,
     * with its description.
     *
     * @param weakValue its exception, held weakly too: the code that threw it may keep it, and a
     *     report then carries it
     * @param described a Failure that describes it in the same words
     */
    private record Pending(
        long sequence,
        Failure pinned,
        WeakReference<Failure> weak,
        WeakReference<Throwable> weakValue,
        Failure described) {}

    private Tracker(String threadName, long threadId) {
      this.threadName = threadName;
      this.threadId = threadId;
    }

    /** Records a new pending failure for the same Deferred. */
    void update(Failure newFailure) {
      Pending current = pending;
      if (current != null
          && (current.pinned == newFailure
              || (current.weak != null && current.weak.get() == newFailure))) {
        return;
      }
      pending = new Pending(SEQUENCE.incrementAndGet(), newFailure, null, null, null);
      LIVE.add(this);
      watch();
    }

    /** The failure was handled: forget it and release the cleaner registration. */
    void clear() {
      pending = null;
      LIVE.remove(this);
      cleanable.clean(); // runs run(), which finds nothing to report
    }

    /** After a collection: describe the pinned failure, then hold it weakly. */
    void detach() {
      Pending current = pending;
      if (current == null || current.pinned == null) {
        return;
      }
      Failure failure = current.pinned;
      Failure description = Failure.of(CollectedException.of(failure.value()));
      description.copyDebugFrom(failure);
      Pending detached =
          new Pending(
              current.sequence,
              null,
              new WeakReference<>(failure),
              new WeakReference<>(failure.value()),
              description);
      PENDING.compareAndSet(this, current, detached); // fails if handled or replaced meanwhile
    }

    /** The pending failure, or null if there is none. */
    UnhandledFailure snapshot() {
      return describe(pending);
    }

    /**
     * The failure itself while it is reachable, else a new Failure of its exception while that is,
     * else the description.
     */
    private UnhandledFailure describe(Pending current) {
      if (current == null) {
        return null;
      }
      Failure failure = current.pinned;
      if (failure == null) {
        failure = current.weak.get();
      }
      if (failure == null) {
        Throwable value = current.weakValue.get();
        if (value != null) {
          failure = Failure.of(value);
          failure.copyDebugFrom(current.described);
        } else {
          failure = current.described;
        }
      }
      return new UnhandledFailure(failure, current.sequence, threadName, threadId);
    }

    /**
     * Runs on the cleaner thread when the Deferred is unreachable, or from {@link #clear} on the
     * Deferred's thread (with nothing left to report).
     */
    @Override
    public void run() {
      Pending current = pending;
      if (current == null) {
        return;
      }
      pending = null; // the Deferred is unreachable: nothing else changes this tracker now
      LIVE.remove(this);
      UnhandledFailure report = describe(current);
      UnhandledFailureEvent.emit(report);
      try {
        reporter.accept(report);
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "unhandled-failure reporter failed", e);
      }
    }
  }
}
