package dev.braid.defer;

import dev.braid.defer.internal.CallSites;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One coroutine of {@link Async}: a body running on its own virtual thread, in lock-step with the
 * thread that drives it.
 *
 * <h2>The hand-off</h2>
 *
 * Two threads take turns: the <em>driver</em> (the thread that called {@link Async#run} or fired
 * the Deferred the body awaits) and the <em>body</em>'s virtual thread. The volatile {@link #turn}
 * says whose turn it is; only the side whose turn it is runs, and it gives the turn away by writing
 * {@link #turn} as its last access to shared state and then unparking the other side. Every other
 * field of this class is plain: it is written by one side before that volatile write and read by
 * the other after it has seen the write, so the write/read pair publishes it (and everything else
 * the side did, such as firing Deferreds) with a happens-before edge.
 *
 * <p>Each side waits for its turn in a loop that re-reads {@link #turn} after every {@link
 * LockSupport#park}, so spurious wake-ups and stray permits (an {@code unpark} that arrives after
 * the waiter already saw its turn) are harmless. An interrupt does not end the wait either: it is
 * remembered, cleared so that {@code park} can block again, and restored once the turn arrives. A
 * platform-thread driver spins briefly before parking because a body usually hands the turn back
 * within microseconds while waking a parked thread takes tens of microseconds; a virtual-thread
 * driver (a body driving a nested coroutine) parks at once, since spinning would hold a carrier
 * thread the body may need. The body never spins, since its next turn may be hours away.
 *
 * <h2>The protocol</h2>
 *
 * {@link #resume} (driver side) hands a result to the body and waits. The body either finishes
 * (then {@link #outcome} holds its value or {@link Failure}, and the driver fires {@link #result})
 * or suspends on an unfired Deferred (then {@link #awaiting} holds it, and the driver adds {@link
 * #call} to it, which resumes the body from inside that Deferred's {@code callback()}). That
 * callback returns null: an await that suspended consumes the result, as Twisted's {@code
 * gotResult} does.
 */
final class LockStepCoroutine<T>
    implements Runnable, Callback<Object, Object>, Consumer<Deferred<T>> {
  private static final System.Logger LOG = System.getLogger(Async.class.getName());

  /** A body's creation site starts at the caller of {@code Async.run}. */
  private static final CallSites SITES = CallSites.skipping(LockStepCoroutine.class, Async.class);

  /** The coroutine whose body runs on the current thread; set once on each body thread. */
  private static final ThreadLocal<LockStepCoroutine<?>> CURRENT = new ThreadLocal<>();

  /**
   * Thread-safe, unlike a {@link Thread.Builder}; several reactors may start coroutines at once.
   */
  private static final ThreadFactory BODY_THREADS =
      Thread.ofVirtual().name("braid-async").factory();

  /** Resumptions nested on one thread's stack, for {@link #resume}. */
  private static final ThreadLocal<int[]> RESUME_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** Set on a helper thread of {@link #resumeOnFreshStack}: the thread it acts for. */
  private static final ThreadLocal<Thread> HELPER_FOR = new ThreadLocal<>();

  /**
   * How many resumptions may nest on one stack before the next continues on a fresh one; each level
   * takes well under a kilobyte of stack, so this stays far from a 1 MB stack's limit.
   */
  static final int MAX_NESTED_RESUMES = 128;

  /** Bodies started and not finished; tests check it returns to where it was. */
  private static final AtomicInteger UNFINISHED = new AtomicInteger();

  /**
   * How long the driver re-reads {@link #turn} before parking: most bodies hand back within
   * microseconds, and waking a parked thread costs far more (tens of microseconds on small virtual
   * machines). Time-bounded because a spin-wait hint lasts from 1 to 30 ns depending on the
   * processor. Overridable for measurements with {@code braid.async.driverSpinNanos}.
   */
  private static final long DRIVER_SPIN_NANOS = Long.getLong("braid.async.driverSpinNanos", 20_000);

  private static volatile long slowBodyNanos =
      Duration.ofMillis(Long.getLong("braid.async.slowBodyMillis", 100)).toNanos();

  private static final int DRIVER = 0;
  private static final int BODY = 1;

  private static final Object NOT_FINISHED =
      new Object() {
        @Override
        public String toString() {
          return "<not finished>";
        }
      };

  private final Callable<? extends T> body;
  private final Deferred<T> result;
  private final List<StackTraceElement> creationSite;

  /** Whose turn it is: {@link #DRIVER} or {@link #BODY}. The only field both sides race on. */
  private volatile int turn = DRIVER;

  /** Set by the body thread when it starts; volatile for the debug warning's early read. */
  private volatile Thread bodyThread;

  // Published by the volatile write of `turn` (see the class comment).
  private boolean started;
  private Thread driver;
  private Thread owner;
  private Object resumeWith;
  private Deferred<?> awaiting;
  private Object outcome = NOT_FINISHED;
  private boolean cancelling;

  private LockStepCoroutine(Callable<? extends T> body) {
    this.body = body;
    this.creationSite = Deferred.isDebugging() ? callerSite() : List.of();
    this.result = Deferred.create(this);
    // Cancelling only cancels what the body awaits; the body's reaction fires the result (or not).
    result.cancelOnlyForwards();
  }

  // ---------------------------------------------------------------------------------------------
  // Entry points for Async

  static <T> Deferred<T> start(Callable<? extends T> body) {
    LockStepCoroutine<T> coroutine = new LockStepCoroutine<>(Objects.requireNonNull(body, "body"));
    coroutine.resume(null);
    return coroutine.result;
  }

  @SuppressWarnings("unchecked")
  static <T> T await(Deferred<? extends T> deferred) throws Exception {
    LockStepCoroutine<?> self = CURRENT.get();
    if (self == null) {
      throw new IllegalStateException(
          "Async.await() called outside a coroutine body, on thread "
              + Thread.currentThread().getName()
              + "; run the code with Async.run(...), or add a callback to the Deferred instead");
    }
    Objects.requireNonNull(deferred, "deferred");
    if (deferred == self.result) {
      throw new IllegalStateException(
          "a coroutine body awaited its own result Deferred, which can only fire when the body"
              + " ends");
    }
    Object raw;
    if (deferred.hasResult()) {
      // Fired, not paused, not waiting: return at once without suspending or consuming (spec 15).
      raw = deferred.peekResult();
      if (raw instanceof Failure) {
        deferred.markFailureHandled();
      }
    } else {
      raw = self.suspendOn(deferred);
    }
    if (raw instanceof Failure failure) {
      throw Async.<RuntimeException>sneakyThrow(failure.value());
    }
    return (T) raw;
  }

  static boolean isInCoroutine() {
    return CURRENT.get() != null;
  }

  static Thread ownerThread() {
    LockStepCoroutine<?> self = CURRENT.get();
    if (self != null) {
      return self.owner;
    }
    Thread helping = HELPER_FOR.get();
    return helping != null ? helping : Thread.currentThread();
  }

  static int unfinished() {
    return UNFINISHED.get();
  }

  static void setSlowBodyThreshold(Duration threshold) {
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("threshold must be positive: " + threshold);
    }
    slowBodyNanos = threshold.toNanos();
  }

  static Duration slowBodyThreshold() {
    return Duration.ofNanos(slowBodyNanos);
  }

  // ---------------------------------------------------------------------------------------------
  // Driver side

  /**
   * Gives the body its turn, with {@code raw} as the result of its pending await (ignored on the
   * first turn), and blocks until it suspends again or ends; then fires the result or registers for
   * the awaited Deferred.
   *
   * <p>Firing the result may resume the coroutine that awaits it, on this same stack, and so on up
   * a chain of nested coroutines that end together. So that such a cascade cannot overflow the
   * stack (a {@link StackOverflowError} in the middle of a hand-off would break the lock-step),
   * every {@link #MAX_NESTED_RESUMES} levels it continues on a fresh virtual thread while this
   * thread waits for it, in lock-step like a body.
   */
  private void resume(Object raw) {
    int[] depth = RESUME_DEPTH.get();
    if (depth[0] >= MAX_NESTED_RESUMES) {
      resumeOnFreshStack(raw);
      return;
    }
    depth[0]++;
    try {
      resumeHere(raw);
    } finally {
      depth[0]--;
    }
  }

  private void resumeHere(Object raw) {
    Thread me = Thread.currentThread();
    driver = me;
    // A platform thread acts for itself (no ThreadLocal look-up); a virtual one asks.
    owner = me.isVirtual() ? ownerThread() : me;
    resumeWith = raw;
    awaiting = null;
    turn = BODY;
    if (started) {
      LockSupport.unpark(bodyThread);
    } else {
      started = true;
      UNFINISHED.incrementAndGet();
      try {
        startBodyThread();
      } catch (RuntimeException | Error e) {
        UNFINISHED.decrementAndGet();
        turn = DRIVER;
        throw e;
      }
    }
    Throwable warningFailed = waitForTurn();

    Object out = outcome;
    if (out == NOT_FINISHED) {
      PendingDeferreds.noteWaitingOn(result, awaiting); // debug mode: for pending dumps
      awaiting.addRawBoth(this);
    } else if (out instanceof Failure failure) {
      result.errback(failure);
    } else {
      @SuppressWarnings("unchecked")
      T value = (T) out;
      result.callback(value);
    }
    if (warningFailed != null) {
      throw Async.<RuntimeException>sneakyThrow(warningFailed);
    }
  }

  /**
   * Runs {@link #resume} on a new virtual thread, on behalf of this thread's owner, and waits for
   * it: only one of the two runs at a time, and {@link Thread#join} publishes what the helper did.
   */
  private void resumeOnFreshStack(Object raw) {
    Thread actingFor = ownerThread();
    Throwable[] thrown = new Throwable[1];
    Thread helper =
        Thread.ofVirtual()
            .name("braid-async-stack")
            .start(
                () -> {
                  HELPER_FOR.set(actingFor);
                  try {
                    resume(raw);
                  } catch (Throwable t) {
                    thrown[0] = t;
                  }
                });
    boolean interrupted = false;
    while (true) {
      try {
        helper.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (thrown[0] != null) {
      throw Async.<RuntimeException>sneakyThrow(thrown[0]);
    }
  }

  /**
   * The callback added to an awaited Deferred: resumes the body inside its {@code callback()}.
   *
   * @param raw the awaited Deferred's result, a value or a {@link Failure}
   * @return null: the await consumed the result, as Twisted's gotResult does
   */
  @Override
  public Object call(Object raw) {
    resume(raw);
    return null;
  }

  /**
   * The result's canceller: cancels what the body is awaiting, if it is suspended.
   *
   * @param ignored the result Deferred being cancelled
   */
  @Override
  public void accept(Deferred<T> ignored) {
    cancelAwaited();
  }

  /** The result's canceller: cancels what the body is awaiting, if it is suspended. */
  private void cancelAwaited() {
    Deferred<?> target = awaiting;
    if (target == null || cancelling) {
      return; // the body is running (cancel from inside it), or a cycle of coroutines
    }
    cancelling = true;
    try {
      target.cancel();
    } finally {
      cancelling = false;
    }
  }

  /**
   * Starts the body's virtual thread in a thread container of its own. A virtual thread started
   * directly ({@code Thread.start}) is tracked by the JDK's root container for thread dumps ({@code
   * jdk.trackAllThreads}, true by default) and so is never garbage, even suspended forever on a
   * Deferred nobody can fire. A thread started by a {@link Executors#newThreadPerTaskExecutor
   * thread-per-task executor} is tracked by that executor only, which the JDK registers weakly:
   * thread and executor refer to each other and to nothing else, so an unreachable suspended
   * coroutine is collected whole. The executor is never shut down; it is garbage with its thread.
   */
  private void startBodyThread() {
    Executors.newThreadPerTaskExecutor(BODY_THREADS).execute(this);
  }

  /**
   * Waits for the body to hand the turn back. Returns what went wrong while logging debug mode's
   * slow-body warning, if anything, so that the caller reports it after finishing the hand-off.
   */
  private Throwable waitForTurn() {
    // A virtual driver (a body driving a nested coroutine) must not spin: it would hold a carrier
    // thread that the body it waits for may need. Parking it just yields its carrier.
    if (!Thread.currentThread().isVirtual() && spinUntil(DRIVER, DRIVER_SPIN_NANOS)) {
      return null;
    }
    boolean interrupted = false;
    Throwable warningFailed = null;
    long threshold = Deferred.isDebugging() ? slowBodyNanos : 0;
    long start = System.nanoTime();
    while (turn != DRIVER) {
      if (threshold > 0) {
        long left = threshold - (System.nanoTime() - start);
        if (left <= 0) {
          threshold = 0;
          try {
            warnSlowBody(System.nanoTime() - start);
          } catch (Throwable t) {
            warningFailed = t; // leaving now would break the lock-step: reported after the turn
          }
        } else {
          LockSupport.parkNanos(this, left);
        }
      } else {
        LockSupport.park(this);
      }
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return warningFailed;
  }

  private void warnSlowBody(long nanos) {
    StringBuilder message =
        new StringBuilder("coroutine body has run for ")
            .append(Duration.ofNanos(nanos).toMillis())
            .append(" ms without awaiting, blocking thread ")
            .append(driver.getName())
            .append(" (owner ")
            .append(owner.getName())
            .append("); it is at:\n");
    Thread thread = bodyThread;
    if (thread == null) {
      message.append("\t(its virtual thread has not been scheduled yet)\n");
    } else {
      for (StackTraceElement frame : thread.getStackTrace()) {
        message.append("\tat ").append(frame).append('\n');
      }
    }
    if (!creationSite.isEmpty()) {
      message.append("It was started by Async.run at:\n");
      for (StackTraceElement frame : creationSite) {
        message.append("\tat ").append(frame).append('\n');
      }
    }
    LOG.log(System.Logger.Level.WARNING, message.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Body side

  /** The body thread's task: runs the body and hands its outcome back. */
  @Override
  public void run() {
    bodyThread = Thread.currentThread();
    CURRENT.set(this);
    Object out;
    try {
      T value = body.call();
      out =
          value instanceof Deferred
              ? Failure.of(
                  new IllegalStateException(
                      "a coroutine body returned a Deferred; return Async.await(it) instead"))
              : value;
    } catch (Throwable t) {
      out = Failure.of(t);
    }
    outcome = out;
    UNFINISHED.decrementAndGet();
    handBack(); // the last thing this thread does
  }

  /** Suspends the body until the driver resumes it with the awaited Deferred's result. */
  private Object suspendOn(Deferred<?> deferred) {
    awaiting = deferred;
    handBack();
    boolean interrupted = false;
    while (turn != BODY) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Object raw = resumeWith;
    resumeWith = null;
    return raw;
  }

  /** Re-reads {@link #turn} for up to {@code nanos}; true if it became {@code side}'s. */
  private boolean spinUntil(int side, long nanos) {
    long start = System.nanoTime();
    while (true) {
      for (int i = 0; i < 16; i++) {
        if (turn == side) {
          return true;
        }
        Thread.onSpinWait();
      }
      if (System.nanoTime() - start >= nanos) {
        return false;
      }
    }
  }

  private void handBack() {
    Thread waiting = driver; // read before the turn changes: the next driver may overwrite it
    turn = DRIVER;
    LockSupport.unpark(waiting);
  }

  private static List<StackTraceElement> callerSite() {
    return SITES.here();
  }
}
