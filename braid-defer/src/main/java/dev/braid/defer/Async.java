package dev.braid.defer;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Coroutines: Deferred code written as straight-line code, Twisted's {@code inlineCallbacks} and
 * {@code async def}/{@code await} ({@code Deferred.fromCoroutine}) for Java.
 *
 * <pre>{@code
 * Deferred<List<String>> getUsers() {
 *   return Async.run(() -> {
 *     try {
 *       String body = Async.await(makeRequest("GET", "/users"));
 *       return parseNames(body);
 *     } catch (ConnectException e) {
 *       log.log(WARNING, "makeRequest failed due to connection error", e);
 *       return List.of();
 *     }
 *   });
 * }
 * }</pre>
 *
 * <p>{@link #run} starts a <em>body</em> and returns a Deferred of what it returns; inside the
 * body, {@link #await} waits for a Deferred and returns its result or throws its failure's
 * exception, so ordinary {@code try}/{@code catch}/{@code finally} handles Deferred failures.
 * Callers see an ordinary Deferred: the two versions of {@code getUsers}, with callbacks or with
 * {@code Async}, present the same API.
 *
 * <h2>Lock-step: the body runs as if on the calling thread</h2>
 *
 * The body runs on a virtual thread of its own, but never at the same time as the thread it runs
 * for: exactly one of them runs at any moment, and they hand control to each other like a Python
 * generator and its caller.
 *
 * <ul>
 *   <li>{@link #run} runs the body synchronously, before it returns, up to the first {@link #await}
 *       of a Deferred that has no result yet (or to its end); the calling thread is blocked in the
 *       meantime.
 *   <li>When that Deferred fires, the body resumes <em>inside that {@code callback()} or {@code
 *       errback()} call</em>, on the body's thread while the firing thread waits, and the firing
 *       call returns when the body awaits again or ends. This is exactly where a generator resumes
 *       in Twisted.
 *   <li>Everything one side did before a hand-off is visible to the other side after it (the
 *       hand-off is a volatile write and read), so the body may use the reactor's and its
 *       Deferreds' state without locks, as reactor-thread code does. The reverse holds too.
 * </ul>
 *
 * <h2>{@code await}</h2>
 *
 * As Twisted's {@code await d} (spec section 15):
 *
 * <ul>
 *   <li>A Deferred that has a result (fired, not paused, not waiting on another Deferred): {@code
 *       await} returns its value at once, without suspending, without growing the stack (a loop of
 *       100,000 such awaits is fine) and <em>without consuming</em> it: the Deferred keeps its
 *       result for its later callbacks. If it holds a failure, {@code await} throws the exception
 *       and the failure no longer counts as {@linkplain UnhandledFailures unhandled}.
 *   <li>Any other Deferred: the body suspends until it fires. The await then <em>consumes</em> the
 *       result, as Twisted's resumption through {@code addBoth} does: that Deferred's later
 *       callbacks get null, and its failure is handled. Two coroutines suspended on one Deferred:
 *       the first gets the result and the second gets null, as in Twisted.
 *   <li>The exception thrown is the failure's own {@link Failure#value()}: the same object, with
 *       its type and stack trace untouched (it shows where the exception was created, which may be
 *       in another coroutine). {@code await} is declared {@code throws Exception} so that checked
 *       exceptions can be caught by their own type; an {@link Error} is thrown as is, and so is a
 *       bare {@link Throwable} subclass (which the declaration does not cover).
 * </ul>
 *
 * Python's {@code yield 5} of a plain value has no counterpart: await {@code Deferred.succeed(5)}.
 *
 * <h2>How the body ends</h2>
 *
 * A returned value fires the Deferred from {@link #run}; an exception (or {@link Error}) escaping
 * the body fails it with that exception, and if nobody handles that failure it is reported like any
 * other unhandled Deferred failure. A body that <em>returns a Deferred</em> fails it with an {@link
 * IllegalStateException}: write {@code return Async.await(d)} instead. (Twisted documents this as
 * forbidden; rejecting it keeps the static type {@code Deferred<T>} honest.) Awaiting the body's
 * own result Deferred throws {@link IllegalStateException}: it could never fire.
 *
 * <h2>Cancellation</h2>
 *
 * Cancelling the Deferred from {@link #run} while the body is suspended cancels the Deferred it
 * awaits. The body then sees that cancellation's outcome at its {@code await}: usually a {@link
 * CancelledException}, or whatever the awaited Deferred's canceller produced (another failure, or
 * even a value). The body may catch it and go on; its Deferred fires only when the body ends, so if
 * it awaits again the Deferred stays unfired, and a second {@code cancel()} cancels the new awaited
 * Deferred. Cancellation cascades through coroutines awaiting coroutines. Cancelling while the body
 * runs (from inside it) does nothing. If the awaited Deferred's canceller throws, the exception
 * propagates out of {@code cancel()} and the body stays suspended.
 *
 * <p>Difference from Twisted, observable only through {@link Deferred#isCalled()}: Twisted's
 * cancelled {@code inlineCallbacks} Deferred at once becomes "called", waiting on a fresh inner
 * Deferred that the generator fires later; Braid's stays unfired until the body ends. In both, its
 * callbacks run only when the body ends, and cancelling again reaches what the body awaits then.
 *
 * <h2>Ordering</h2>
 *
 * Coroutines that await each other keep Twisted's order: a coroutine started inside another runs at
 * once up to its first suspension, and when a body ends its Deferred fires on the spot, which
 * resumes the coroutine awaiting it before the firing call returns. Each body has its own stack, so
 * deeply nested coroutines start and suspend without deep stacks. When such a chain ends all at
 * once, each ending fires the next Deferred from inside the previous one's callback (Twisted
 * recurses there, and overflows at about 300 levels); Braid continues the cascade on a fresh
 * virtual thread every 128 levels while the thread below waits, in lock-step, so tens of thousands
 * of levels are fine. Callbacks that run in such a cascade may therefore run on one of those helper
 * threads, on behalf of the firing thread: {@link #ownerThread()} names that thread there too.
 *
 * <h2>Threads, {@code ThreadLocal}s and reactor-thread checks</h2>
 *
 * <ul>
 *   <li>{@link Thread#currentThread()} inside a body is the body's virtual thread, not the reactor
 *       thread, and it stays the same for the body's whole life.
 *   <li>{@link ThreadLocal}s: the body does not see values the reactor (or whichever thread resumes
 *       it) has set. {@link InheritableThreadLocal}s are copied from the thread that called {@link
 *       #run} when the body starts. Values the body sets are its own and survive its awaits: a
 *       per-coroutine context, like the context Twisted captures for a coroutine.
 *   <li>A check such as "am I on the reactor thread?" must accept a body running in lock-step on
 *       the reactor's behalf: compare {@link #ownerThread()} rather than {@link
 *       Thread#currentThread()}. {@link #isInCoroutine()} tells whether the caller is a body.
 *   <li>Like a Deferred, a coroutine belongs to one thread: fire the Deferreds it awaits and cancel
 *       its Deferred from that thread (or from a body running in lock-step with it).
 * </ul>
 *
 * <h2>Blocking</h2>
 *
 * A body that blocks on anything that is not a Braid {@code await} (a socket read, {@code
 * Thread.sleep}, a lock, {@code future.get()}) blocks the thread it runs for, the reactor included,
 * for as long as it blocks, exactly as a blocking call inside a Twisted generator does. In
 * {@linkplain Deferred#isDebugging() debug mode} a body that runs longer than {@link
 * #slowBodyThreshold()} (100 ms by default, system property {@code braid.async.slowBodyMillis})
 * without awaiting is reported once per run segment, at {@code WARNING} through {@link
 * System.Logger} (logger {@code dev.braid.defer.Async}), with the body's current stack.
 *
 * <h2>Cost and leaks</h2>
 *
 * Awaiting a Deferred that has a result costs a few nanoseconds. A suspension and resumption is a
 * hand-off between two threads: the body's virtual thread runs on a carrier thread of the JDK's
 * scheduler while the firing thread spins, then parks. That is under a microsecond while both stay
 * awake on idle cores, but a body resumed after the machine idled, or while its other cores are
 * busy, waits for the scheduler to wake a carrier thread, and the spin costs CPU: 5 to 10
 * microseconds per resumption on a small virtual machine, and a coroutine per connection used 7 to
 * 10 times the server CPU per request of the same protocol written with callbacks; a callback chain
 * does the same step in nanoseconds. Coroutines buy straight-line code, not speed ({@code
 * docs/benchmarks.md} and ADR 0019 have the figures, and why faster schedulers are not used).
 *
 * <p>A suspended coroutine holds no platform thread: its virtual thread is unmounted and its stack
 * lives in the heap (1.2 to 1.5 KB per suspended coroutine, all included). A coroutine whose
 * awaited Deferred never fires stays suspended for as long as that Deferred (or the coroutine's own
 * Deferred, through its canceller) is reachable. When neither is, the whole suspended coroutine,
 * virtual thread included, is garbage like any other object (checked on JDK 25): each body's thread
 * is started in a thread container of its own (a thread-per-task executor), not in the JDK's root
 * container, which with the default {@code jdk.trackAllThreads=true} would keep every virtual
 * thread reachable for thread dumps. While it is reachable, a suspended body still shows in {@code
 * jcmd Thread.dump_to_file} dumps, parked in {@code Async.await}. A collected body's {@code
 * finally} blocks and try-with-resources never run (a Python generator collected in the same state
 * gets {@code GeneratorExit}; a Java thread gets nothing), and its Deferred never fires. Release
 * resources through cancellation instead: cancel its Deferred and let the body's {@code
 * catch}/{@code finally} run.
 *
 * <p>Twisted equivalents: {@code inlineCallbacks}, {@code Deferred.fromCoroutine}, {@code
 * ensureDeferred}. JDK neighbours: {@link java.util.concurrent.CompletableFuture#thenCompose}
 * chains (what a body replaces) and plain virtual threads (which run in parallel, not in
 * lock-step).
 */
public final class Async {
  private Async() {}

  /**
   * Runs {@code body} as a coroutine and returns a Deferred of its return value. The body starts at
   * once and runs, while the caller waits, up to its first {@link #await} of a Deferred without a
   * result or to its end; so the returned Deferred may already have fired.
   *
   * <p>Threading: call it on the thread that owns the Deferreds involved (the reactor thread), or
   * from another body. The body then runs in lock-step with whichever thread fires the Deferreds it
   * awaits (see the class comment).
   *
   * @param body the code to run; it may throw any exception, which fails the returned Deferred
   * @param <T> what the body returns
   * @return a Deferred of the body's return value or exception; cancelling it cancels what the body
   *     awaits
   * @throws NullPointerException if {@code body} is null
   */
  public static <T> Deferred<T> run(Callable<? extends T> body) {
    return LockStepCoroutine.start(body);
  }

  /**
   * Waits, inside a coroutine body, for {@code deferred} and returns its result or throws its
   * failure's exception (the same object). A Deferred that already has a result returns at once and
   * keeps its result; otherwise the body suspends, the thread it runs for goes on, and the body
   * resumes inside the call that fires {@code deferred}, consuming the result.
   *
   * @param deferred the Deferred to wait for
   * @param <T> its result type
   * @return its result
   * @throws Exception the failure's exception, unwrapped: catch it by its own type. An {@link
   *     Error} or a bare {@link Throwable} is thrown as is too.
   * @throws IllegalStateException if the caller is not a coroutine body, or awaits its own
   *     coroutine's result
   * @throws NullPointerException if {@code deferred} is null
   */
  public static <T> T await(Deferred<? extends T> deferred) throws Exception {
    return LockStepCoroutine.await(deferred);
  }

  /**
   * {@return true if the calling code is a coroutine body started by {@link #run}, running in
   * lock-step on behalf of {@link #ownerThread()}}
   */
  public static boolean isInCoroutine() {
    return LockStepCoroutine.isInCoroutine();
  }

  /**
   * Returns the thread on whose behalf the calling code runs. Outside a coroutine that is the
   * calling thread. Inside a body it is the thread that resumed the body (or started it) and is
   * blocked until the body awaits or ends; when that thread is itself a body, this follows it to
   * the first thread that is not. In a callback that runs on a helper thread of a deep cascade (see
   * "Ordering" above) it is the thread the helper acts for. Reactor-only methods compare this with
   * their reactor thread, so that code running in lock-step with the reactor may call them.
   *
   * <p>The answer can change at each {@link #await}: the body resumes on behalf of whichever thread
   * fires the awaited Deferred.
   *
   * @return the thread that the caller acts for; never null
   */
  public static Thread ownerThread() {
    return LockStepCoroutine.ownerThread();
  }

  /**
   * Sets how long a body may run without awaiting before debug mode warns about it (see "Blocking"
   * in the class comment). The setting is global; it matters only while {@link
   * Deferred#isDebugging()} is true.
   *
   * @param threshold a positive duration
   * @throws IllegalArgumentException if {@code threshold} is zero or negative
   */
  public static void setSlowBodyThreshold(Duration threshold) {
    LockStepCoroutine.setSlowBodyThreshold(threshold);
  }

  /**
   * {@return how long a body may run without awaiting before debug mode warns about it: 100 ms
   * unless set with {@link #setSlowBodyThreshold} or the system property {@code
   * braid.async.slowBodyMillis}}
   */
  public static Duration slowBodyThreshold() {
    return LockStepCoroutine.slowBodyThreshold();
  }

  /** Throws any throwable without declaring it; {@code E} is inferred as an unchecked type. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
