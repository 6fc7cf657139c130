package dev.braid.defer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A result that has not come yet: Twisted's {@code Deferred}. It fires once, with a value ({@link
 * #callback}) or a {@link Failure} ({@link #errback}), and then runs its chain of callbacks and
 * errbacks.
 *
 * <h2>The chain</h2>
 *
 * Callbacks and errbacks form one chain of pairs. A callback's return value is the next callback's
 * input; an exception switches to the errback side; an errback that returns normally switches back.
 * An exception thrown by a pair's callback goes to the <em>next</em> pair's errback, never to the
 * errback of its own pair, which is why {@code addCallbacks(cb, eb)} differs from {@code
 * addCallback(cb).addErrback(eb)}. Callbacks added after the Deferred fired run at once, inside the
 * {@code add} call.
 *
 * <pre>{@code
 * Deferred<String> poem = getPoetry("127.0.0.1", 10000);
 * poem.addCallback(String::toUpperCase)
 *     .addErrback(failure -> "no poem: " + failure.getErrorMessage())
 *     .addCallback(text -> { System.out.println(text); return null; });
 * }</pre>
 *
 * <p>Twisted passes extra arguments to callbacks; in Java a lambda captures them instead.
 *
 * <h2>Typing</h2>
 *
 * Every {@code add} method returns <em>this same Deferred</em>, re-typed to what its chain now
 * produces: {@code addCallback(Function<T, R>)} gives a {@code Deferred<R>}. Keep using the
 * returned reference; an older reference still sees the old type. A callback that returns another
 * Deferred pauses this chain until that <em>inner</em> Deferred fires and then goes on with its
 * result; the {@code ...Deferred} variants ({@link #addCallbackDeferred}, {@link
 * #addErrbackDeferred}, {@link #addCallbacksDeferred}, {@link #addBothDeferred}) give such
 * callbacks the right static type. As in Twisted, the chaining happens whenever a callback returns
 * a Deferred, whichever method added it. A callback may also return a {@link Failure} (when its
 * declared type allows it), which switches the chain to its errback side with that very Failure.
 *
 * <h2>Chaining is iterative</h2>
 *
 * Resuming an outer Deferred when its inner one fires does not recurse: the run loop keeps the
 * Deferreds it is resuming on an explicit stack, exactly as Twisted's {@code _runCallbacks} does,
 * so a million nested Deferreds resolve in any firing order without {@link StackOverflowError}.
 * After handing its result to the outer Deferred, the inner one holds {@code null}; the outer's
 * remaining callbacks run before the inner's later ones.
 *
 * <h2>Where Braid differs from Twisted (spec "Braid's decisions")</h2>
 *
 * <ol>
 *   <li>{@code callback(aDeferred)} throws {@link IllegalArgumentException}; the Deferred stays
 *       unfired.
 *   <li>A callback that returns the Deferred it is attached to does not stall the chain: the chain
 *       goes on with an {@link IllegalStateException} failure.
 *   <li>{@link #unpause()} without a matching {@link #pause()} throws {@link IllegalStateException}
 *       and changes nothing.
 *   <li>When an inner Deferred hands its result to an outer one that has been paused again, the
 *       inner's own later callbacks still run at once (with null).
 *   <li>Two outers waiting on one inner: as in Twisted the second gets null; in debug mode a
 *       warning is logged when it happens.
 *   <li>Failures nobody handled are also reported deterministically: see {@link UnhandledFailures}.
 *       A Deferred paused while it holds a failure counts as unhandled too (Twisted misses a
 *       failure that arrives while its Deferred is paused).
 *   <li>{@link #chainDeferred} is iterative too.
 *   <li>{@link #errback} always takes a {@code Throwable} or a {@link Failure}.
 * </ol>
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, by design: a Deferred belongs to one thread, normally the reactor thread, and
 * every method must be called there. Other threads hand results over with the reactor's {@code
 * callFromThread} or with {@link #fromFuture}; a Deferred-returning call on another reactor's
 * thread is made with {@link Handoff#call}, which delivers the outcome back on the caller's.
 * Callbacks run on the thread that fires the Deferred or adds the callback. In debug mode ({@link
 * #setDebugging}) a Deferred remembers the thread that made it, and firing it or adding callbacks
 * on another thread throws {@link WrongThreadException} naming both threads and where it was
 * created; outside debug mode nothing is checked or recorded.
 *
 * <h2>Errors</h2>
 *
 * Firing twice throws {@link AlreadyCalledException} (in debug mode naming where the Deferred was
 * created and first fired). A chain that ends in a failure nobody handles is never lost: see {@link
 * UnhandledFailures}.
 *
 * @param <T> the type of the result the chain currently produces
 */
public final class Deferred<T> {
  private static final System.Logger LOG = System.getLogger(Deferred.class.getName());

  /** The result field before the Deferred fires. */
  private static final Object NO_RESULT =
      new Object() {
        @Override
        public String toString() {
          return "<no result>";
        }
      };

  private static volatile boolean debugging = Boolean.getBoolean("braid.debug");

  /**
   * Whether debug mode has ever been on in this JVM, as a call site the JIT treats as a constant
   * (as it does an {@code invokedynamic}): until debug mode is first turned on, the checks for a
   * Deferred's debug records fold away and cost nothing; turning it on recompiles the code that
   * made them. Only ever goes from false to true.
   */
  private static final MutableCallSite EVER_DEBUGGING =
      new MutableCallSite(MethodHandles.constant(boolean.class, debugging));

  private static final MethodHandle EVER_DEBUGGING_NOW = EVER_DEBUGGING.dynamicInvoker();

  // The whole state of a Deferred: see spec section 1.
  private Object result = NO_RESULT;
  private Link head;
  private Link tail;
  private Consumer<? super Deferred<T>> canceller;
  private UnhandledFailures.Tracker unhandled;
  private DebugInfo debug;
  private int paused;
  private boolean called;
  private boolean runningCallbacks;

  /** Bits for the rarely set states below, kept in one byte so a Deferred stays 48 bytes. */
  private byte flags;

  /** Cancelled without a canceller: the next callback or errback is silently ignored. */
  private static final byte SUPPRESS_ALREADY_CALLED = 1;

  /**
   * Set by DeferredList: cancel() only calls the canceller, never errbacks itself, and does nothing
   * once fired (not even forward to an inner Deferred), as Twisted's {@code DeferredList.cancel}.
   */
  private static final byte CANCEL_ONLY_FORWARDS = 2;

  /** Set while this Deferred's result is being handed to a {@link #chainDeferred} target. */
  private static final byte HANDING_TO_CHAINED = 4;

  /**
   * The Deferred whose {@link #chainDeferred} will fire this one (Twisted's {@code _chainedTo}),
   * for {@link #toString()}; cleared when this one's callbacks run.
   */
  private Deferred<?> chainedTo;

  private Deferred(Consumer<? super Deferred<T>> canceller) {
    this.canceller = canceller;
    if (debugging) {
      startTracking();
    }
  }

  /** Debug mode, at creation: record the site and track this Deferred (kept out of line). */
  private void startTracking() {
    debug = new DebugInfo(DebugInfo.here(), System.nanoTime(), Async.ownerThread());
    PendingDeferreds.track(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Creating

  /**
   * Creates an unfired Deferred without a canceller. Cancelling it fails it with {@link
   * CancelledException} and then silently ignores the next attempt to fire it.
   *
   * @param <T> the type of its eventual result
   * @return a new Deferred
   */
  public static <T> Deferred<T> create() {
    return new Deferred<>(null);
  }

  /**
   * Creates an unfired Deferred whose {@link #cancel()} calls {@code canceller} first. The
   * canceller receives this Deferred and may fire it itself (with a value or a failure); if it does
   * not, the Deferred then fails with {@link CancelledException}. An exception thrown by the
   * canceller propagates out of {@code cancel()} and leaves the Deferred unfired.
   *
   * @param canceller what to do to stop the work behind this Deferred; null for none
   * @param <T> the type of its eventual result
   * @return a new Deferred
   */
  public static <T> Deferred<T> create(Consumer<? super Deferred<T>> canceller) {
    return new Deferred<>(canceller);
  }

  /**
   * Returns a Deferred that has already fired with {@code value}; the same as {@code create()}
   * followed by {@code callback(value)}.
   *
   * @param value the result; may be null, must not be a Deferred
   * @param <T> its type
   * @return a fired Deferred
   */
  public static <T> Deferred<T> succeed(T value) {
    Deferred<T> d = new Deferred<>(null);
    d.callback(value);
    return d;
  }

  /**
   * Returns a Deferred that has already failed with {@code error}.
   *
   * @param error the exception
   * @param <T> the type a success would have had
   * @return a failed Deferred
   */
  public static <T> Deferred<T> fail(Throwable error) {
    return fail(Failure.of(error));
  }

  /**
   * Returns a Deferred that has already failed with {@code failure} (the same Failure object).
   *
   * @param failure the failure
   * @param <T> the type a success would have had
   * @return a failed Deferred
   */
  public static <T> Deferred<T> fail(Failure failure) {
    Deferred<T> d = new Deferred<>(null);
    d.errback(failure);
    return d;
  }

  /**
   * Calls {@code function} now and always returns a Deferred, whatever it does (Twisted's {@code
   * maybeDeferred}):
   *
   * <ol>
   *   <li>if it returns a Deferred, that same Deferred is returned;
   *   <li>if it returns a {@link Failure}, a Deferred failed with that same Failure;
   *   <li>if it returns any other value, a Deferred fired with it;
   *   <li>if it throws, a Deferred failed with the exception.
   * </ol>
   *
   * <p>This lets a caller treat a synchronous function, even one that throws, like one that returns
   * a Deferred. When {@code function} is typed to return a {@code Deferred<T>}, use {@link
   * #maybeDeferredDeferred} so the result is typed {@code Deferred<T>}.
   *
   * @param function the function to call; may return a plain value, a Deferred or a Failure
   * @param <T> the type of its result
   * @return a Deferred of its outcome
   */
  @SuppressWarnings("unchecked")
  public static <T> Deferred<T> maybeDeferred(Callable<? extends T> function) {
    Object outcome;
    try {
      outcome = function.call();
    } catch (Throwable t) {
      return fail(t);
    }
    if (outcome instanceof Deferred<?> d) {
      return (Deferred<T>) d;
    }
    if (outcome instanceof Failure f) {
      return fail(f);
    }
    return succeed((T) outcome);
  }

  /**
   * {@link #maybeDeferred} for a function typed to return a Deferred: returns the same Deferred, or
   * a failed one if the function throws or returns null.
   *
   * @param function the function to call
   * @param <T> the type of the Deferred's result
   * @return the function's Deferred, or a failed Deferred
   */
  public static <T> Deferred<T> maybeDeferredDeferred(
      Callable<? extends Deferred<? extends T>> function) {
    Deferred<? extends T> d;
    try {
      d = function.call();
    } catch (Throwable t) {
      return fail(t);
    }
    if (d == null) {
      return fail(new NullPointerException("function returned null instead of a Deferred"));
    }
    return narrow(d);
  }

  // ---------------------------------------------------------------------------------------------
  // Adding callbacks

  /**
   * Adds a callback; failures pass it by. Returns this Deferred, re-typed.
   *
   * @param callback receives the current result; its return value becomes the new result
   * @param <R> the type the callback returns
   * @return this Deferred
   */
  public <R> Deferred<R> addCallback(Callback<? super T, ? extends R> callback) {
    Objects.requireNonNull(callback, "callback");
    return add(Link.CALLBACK, erase(callback), null);
  }

  /**
   * Adds a callback that returns a Deferred; the chain waits for it and goes on with its result.
   *
   * @param callback receives the current result and returns a Deferred of the new result
   * @param <R> the type of that Deferred's result
   * @return this Deferred
   */
  public <R> Deferred<R> addCallbackDeferred(
      Callback<? super T, ? extends Deferred<? extends R>> callback) {
    Objects.requireNonNull(callback, "callback");
    return add(Link.CALLBACK, erase(callback), null);
  }

  /**
   * Adds an errback; values pass it by. An errback that returns normally handles the failure and
   * the chain goes on with its return value; to pass the failure on, throw (for example with {@link
   * Failure#trap} or {@link Failure#raiseException}).
   *
   * @param errback receives the current failure
   * @return this Deferred
   */
  public Deferred<T> addErrback(Callback<? super Failure, ? extends T> errback) {
    Objects.requireNonNull(errback, "errback");
    return add(Link.ERRBACK, null, erase(errback));
  }

  /**
   * Adds an errback that returns a Deferred; the chain waits for it and goes on with its outcome.
   *
   * @param errback receives the current failure and returns a Deferred
   * @return this Deferred
   */
  public Deferred<T> addErrbackDeferred(
      Callback<? super Failure, ? extends Deferred<? extends T>> errback) {
    Objects.requireNonNull(errback, "errback");
    return add(Link.ERRBACK, null, erase(errback));
  }

  /**
   * Adds a callback and an errback as one pair: exactly one of them runs, and an exception thrown
   * by {@code callback} goes to the next pair's errback, not to {@code errback}.
   *
   * @param callback runs on a value; null passes values through
   * @param errback runs on a failure; null passes failures through
   * @param <R> the type both return
   * @return this Deferred
   */
  public <R> Deferred<R> addCallbacks(
      Callback<? super T, ? extends R> callback, Callback<? super Failure, ? extends R> errback) {
    return add(Link.PAIR, erase(callback), erase(errback));
  }

  /**
   * {@link #addCallbacks} for functions that return Deferreds.
   *
   * @param callback runs on a value; null passes values through
   * @param errback runs on a failure; null passes failures through
   * @param <R> the type of the returned Deferreds' results
   * @return this Deferred
   */
  public <R> Deferred<R> addCallbacksDeferred(
      Callback<? super T, ? extends Deferred<? extends R>> callback,
      Callback<? super Failure, ? extends Deferred<? extends R>> errback) {
    return add(Link.PAIR, erase(callback), erase(errback));
  }

  /**
   * Adds one function for both outcomes, given as an {@link Outcome}; it runs whatever happened.
   * What it returns becomes the result, so it handles a failure unless it throws. To run something
   * whatever happened and pass the outcome on unchanged (the value, or the very same {@link
   * Failure}, as Twisted's {@code return result} does), use {@link #addFinally}; to pass it on
   * after waiting for something else, return {@link Outcome#toDeferred()} from {@link
   * #addBothDeferred}.
   *
   * @param function receives a {@link Outcome.Success} or an {@link Outcome.Failed}
   * @param <R> what it returns
   * @return this Deferred
   */
  public <R> Deferred<R> addBoth(Callback<? super Outcome<T>, ? extends R> function) {
    Objects.requireNonNull(function, "function");
    return add(Link.BOTH, erase(function), null);
  }

  /**
   * {@link #addBoth} for a function that returns a Deferred. To do asynchronous clean-up and then
   * pass the outcome on unchanged, return {@link Outcome#toDeferred()} once the clean-up is done:
   *
   * <pre>{@code
   * d.addBothDeferred(outcome -> port.stopListening().addCallbackDeferred(v -> outcome.toDeferred()))
   * }</pre>
   *
   * @param function receives the outcome and returns a Deferred
   * @param <R> the type of that Deferred's result
   * @return this Deferred
   */
  public <R> Deferred<R> addBothDeferred(
      Callback<? super Outcome<T>, ? extends Deferred<? extends R>> function) {
    Objects.requireNonNull(function, "function");
    return add(Link.BOTH, erase(function), null);
  }

  /**
   * Adds an action that runs whatever happened and then lets the outcome go on down the chain as it
   * came: the same value, or the same {@link Failure} object, still unhandled. It is Twisted's
   * {@code addBoth} with a function that ends in {@code return result}, and Java's {@code finally}:
   *
   * <pre>{@code
   * d.addFinally(outcome -> log.info("poem fetched: {}", outcome))  // log and pass on
   *  .addFinally(outcome -> socket.close());                        // clean up, whatever happened
   * }</pre>
   *
   * <p>If the action throws, the chain goes on with that exception as its failure instead, as after
   * any callback that throws.
   *
   * @param action sees the outcome; its Failure is the one the chain holds
   * @return this Deferred, with the same result type
   */
  public Deferred<T> addFinally(OutcomeAction<T> action) {
    Objects.requireNonNull(action, "action");
    Callback<Object, Object> step =
        raw -> {
          action.run(outcomeOf(raw));
          return raw;
        };
    return add(Link.PAIR, step, step);
  }

  /**
   * Adds a function that receives the raw current result, a value or a {@link Failure}, and whose
   * return value (a value, a Failure or a Deferred) becomes the result: Twisted's {@code addBoth}
   * with no typing. For Braid's own combinators.
   */
  Deferred<Object> addRawBoth(Callback<Object, Object> function) {
    return add(Link.PAIR, function, erase(function));
  }

  /**
   * Fires {@code other} with this Deferred's result when it arrives, value or failure (Twisted's
   * {@code chainDeferred}); this Deferred then holds null, so its later callbacks get null. Firing
   * {@code other} first does not affect this one. Handing the result over does not recurse, so long
   * chains of {@code chainDeferred} links are safe. Until it fires, {@code other}'s {@link
   * #toString()} says that it waits on this Deferred (Twisted's {@code _chainedTo}).
   *
   * <p>If {@code other} has already fired when the result arrives, this chain continues with an
   * {@link AlreadyCalledException} failure (unless {@code other} was cancelled without a canceller,
   * which swallows that one late result).
   *
   * @param other the Deferred to fire
   * @return this Deferred, now producing null
   */
  public Deferred<Void> chainDeferred(Deferred<? super T> other) {
    Objects.requireNonNull(other, "other");
    if (everDebugging() && debug != null) {
      checkOwner("chained to another Deferred");
    }
    if (!other.called) {
      other.chainedTo = this;
    }
    if (debug != null) {
      return appendDebugLink(Link.CHAIN, null, null, erase(other));
    }
    return append(new Link(Link.CHAIN, null, null, erase(other)));
  }

  // ---------------------------------------------------------------------------------------------
  // Firing

  /**
   * Fires this Deferred with a value and runs its chain. A {@link Failure} passed here is treated
   * exactly like {@link #errback(Failure)}.
   *
   * @param value the result; may be null
   * @throws AlreadyCalledException if this Deferred has already fired (but see {@link #cancel()})
   * @throws IllegalArgumentException if {@code value} is a Deferred (Braid's decision 1; return a
   *     Deferred from a callback to chain it instead)
   */
  public void callback(T value) {
    if (value instanceof Deferred) {
      throw new IllegalArgumentException(
          "callback() was given a Deferred; return it from a callback to chain it instead");
    }
    startRunCallbacks(value);
  }

  /**
   * Fails this Deferred with an exception and runs its chain.
   *
   * @param error the exception; wrapped in a new {@link Failure}
   * @throws AlreadyCalledException if this Deferred has already fired (but see {@link #cancel()})
   */
  public void errback(Throwable error) {
    startRunCallbacks(Failure.of(error));
  }

  /**
   * Fails this Deferred with a failure (the same object) and runs its chain.
   *
   * @param failure the failure
   * @throws AlreadyCalledException if this Deferred has already fired (but see {@link #cancel()})
   */
  public void errback(Failure failure) {
    startRunCallbacks(Objects.requireNonNull(failure, "failure"));
  }

  private void startRunCallbacks(Object value) {
    if (everDebugging() && debug != null) {
      checkOwner("fired");
    }
    if (called) {
      if ((flags & SUPPRESS_ALREADY_CALLED) != 0) {
        flags &= ~SUPPRESS_ALREADY_CALLED;
        return;
      }
      throw alreadyCalled();
    }
    markFired(value);
    runCallbacks(this);
  }

  /** Records the first firing: spec section 3, {@code _startRunCallbacks}. */
  private void markFired(Object value) {
    if (debugging) {
      recordFiring(value);
    }
    called = true;
    canceller = null;
    result = value;
  }

  /** Debug mode, at the first firing (kept out of line). */
  private void recordFiring(Object value) {
    if (debug == null) {
      debug = new DebugInfo(CallSite.Stack.NONE, 0, null);
    }
    debug.invoker = DebugInfo.here();
    debug.firedWith = ChainPicture.describeValue(value);
  }

  private AlreadyCalledException alreadyCalled() {
    if (debug == null) {
      return new AlreadyCalledException(
          "Deferred has already been fired; with -Dbraid.debug=true the message shows where");
    }
    return new AlreadyCalledException(debug.describeCalls());
  }

  // ---------------------------------------------------------------------------------------------
  // Pausing and cancelling

  /**
   * Stops running callbacks until the matching {@link #unpause()}. A paused Deferred still accepts
   * its result and new callbacks; they run on unpause. Pauses nest.
   */
  public void pause() {
    paused++;
  }

  /**
   * Undoes one {@link #pause()}; when none remain and the Deferred has fired, runs the callbacks
   * that were held back.
   *
   * @throws IllegalStateException if there is no pause to undo (Braid's decision 3); waiting on an
   *     inner Deferred is not a pause that {@code unpause()} may undo
   */
  public void unpause() {
    // A Deferred waiting on an inner one holds one pause of its own (spec section 4); only
    // pauses made by pause() may be undone here.
    int explicitPauses = result instanceof Deferred ? paused - 1 : paused;
    if (explicitPauses <= 0) {
      throw new IllegalStateException("unpause() without a matching pause()");
    }
    paused--;
    if (paused == 0 && called) {
      runCallbacks(this);
    }
  }

  /**
   * Cancels the work behind this Deferred (Twisted's {@code cancel}):
   *
   * <ul>
   *   <li>unfired, with a canceller: calls it once; if it did not fire the Deferred, fails it with
   *       {@link CancelledException}, and a later attempt to fire it throws {@link
   *       AlreadyCalledException};
   *   <li>unfired, without a canceller: fails it with {@link CancelledException} and silently
   *       ignores exactly one later {@code callback} or {@code errback};
   *   <li>waiting on an inner Deferred: cancels the inner one, whose outcome then flows back here;
   *   <li>fired: does nothing.
   * </ul>
   *
   * @throws RuntimeException whatever the canceller throws; the Deferred then stays unfired
   */
  public void cancel() {
    if (everDebugging() && debug != null) {
      checkOwner("cancelled");
    }
    if (!called) {
      Consumer<? super Deferred<T>> c = canceller;
      if (c != null) {
        c.accept(this);
      } else {
        flags |= SUPPRESS_ALREADY_CALLED;
      }
      if (!called && (flags & CANCEL_ONLY_FORWARDS) == 0) {
        errback(new CancelledException());
      }
    } else if (result instanceof Deferred<?> inner && (flags & CANCEL_ONLY_FORWARDS) == 0) {
      inner.cancel();
    }
  }

  /**
   * DeferredList: cancelling only cancels the inputs (through the canceller); the list fires
   * through them, and cancelling a fired list does nothing.
   */
  void cancelOnlyForwards() {
    flags |= CANCEL_ONLY_FORWARDS;
  }

  /**
   * Fails this Deferred with a {@link DeferredTimeoutException} if it has not fired {@code timeout}
   * from now on {@code clock} (Twisted's {@code addTimeout}): on expiry it is {@link #cancel()
   * cancelled}, and a resulting {@link CancelledException} becomes a {@link
   * DeferredTimeoutException}; any other outcome of the cancellation (a canceller that fires a
   * value or another error) is kept. Only callbacks added before this call are covered by the
   * timeout. Firing in time cancels the timer.
   *
   * @param timeout how long to wait
   * @param clock where the time comes from (the reactor, or a virtual clock in tests)
   * @return this Deferred
   */
  public Deferred<T> addTimeout(Duration timeout, Clock clock) {
    return addTimeout(timeout, clock, null);
  }

  /**
   * Like {@link #addTimeout(Duration, Clock)}, but on expiry the outcome of the cancellation,
   * whatever it is, is replaced by what {@code onTimeoutCancel} returns.
   *
   * @param timeout how long to wait
   * @param clock where the time comes from
   * @param onTimeoutCancel receives the cancellation's outcome and the timeout; null for the
   *     default translation
   * @return this Deferred
   */
  public Deferred<T> addTimeout(Duration timeout, Clock clock, OnTimeoutCancel<T> onTimeoutCancel) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    boolean[] timedOut = {false};
    DelayedCall timer =
        clock.callLater(
            timeout,
            () -> {
              timedOut[0] = true;
              cancel();
            });
    if (debug != null && debug.createdNanos != 0) {
      debug.noteDescription(new TimeoutNote(timeout, timer, clock));
    }
    addRawBoth(
        raw -> {
          if (!timedOut[0]) {
            return raw;
          }
          if (onTimeoutCancel != null) {
            return onTimeoutCancel.apply(outcomeOf(raw), timeout);
          }
          if (raw instanceof Failure f && f.check(CancelledException.class) != null) {
            throw new DeferredTimeoutException(timeout);
          }
          return raw;
        });
    addRawBoth(
        raw -> {
          if (timer.active()) {
            timer.cancel();
          }
          return raw;
        });
    return this;
  }

  /**
   * What a timed-out Deferred's result becomes: see {@link #addTimeout(Duration, Clock,
   * OnTimeoutCancel)}.
   *
   * @param <T> the Deferred's result type
   */
  @FunctionalInterface
  public interface OnTimeoutCancel<T> {
    /**
     * Translates the outcome of the cancellation that the timeout caused.
     *
     * @param outcome what the cancellation produced
     * @param timeout the timeout that expired
     * @return the Deferred's new result
     * @throws Exception to fail the Deferred instead
     */
    T apply(Outcome<T> outcome, Duration timeout) throws Exception;
  }

  // ---------------------------------------------------------------------------------------------
  // CompletionStage bridges

  /**
   * Returns a future completed with this Deferred's outcome (Twisted's {@code asFuture}). The
   * callbacks that complete it consume the result: this Deferred then holds null. Cancelling the
   * future cancels this Deferred, by handing {@link #cancel()} to {@code owner} (the thread that
   * owns this Deferred, such as the reactor's {@code callFromThread}); a value its canceller
   * produces then is ignored, since the future is already cancelled.
   *
   * @param owner runs this Deferred's {@code cancel()} on its own thread
   * @return a future of the same outcome
   */
  public CompletableFuture<T> asFuture(Executor owner) {
    Objects.requireNonNull(owner, "owner");
    CompletableFuture<T> future =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
              owner.execute(Deferred.this::cancel);
            }
            return cancelled;
          }
        };
    addRawBoth(
        raw -> {
          if (raw instanceof Failure f) {
            future.completeExceptionally(f.value());
          } else {
            @SuppressWarnings("unchecked")
            T value = (T) raw;
            future.complete(value);
          }
          return null;
        });
    return future;
  }

  /**
   * Returns a Deferred that fires with {@code stage}'s outcome (Twisted's {@code fromFuture}). Its
   * callbacks run on {@code owner}, never on the thread that completes the stage: pass the
   * reactor's {@code callFromThread}. A {@link CompletionException} wrapper is removed from
   * failures.
   *
   * <p>Cancelling the Deferred cancels the stage's future with {@code cancel(true)}, so work behind
   * it that honours interruption is interrupted (the JDK's {@code HttpClient}, for one, aborts its
   * exchange only then); the Deferred then fails, on {@code owner}, with the future's own {@link
   * java.util.concurrent.CancellationException}.
   *
   * @param stage the stage to follow
   * @param owner the thread that owns the Deferred
   * @param <T> the result type
   * @return a Deferred of the stage's outcome
   */
  public static <T> Deferred<T> fromFuture(CompletionStage<? extends T> stage, Executor owner) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(owner, "owner");
    Deferred<Object> later = create();
    Object cancelledMarker = new Object();
    Deferred<Object> d =
        create(
            self -> {
              stage.toCompletableFuture().cancel(true);
              // An owner that runs tasks at once has already failed d with the cancellation.
              if (!self.called) {
                self.callback(cancelledMarker);
              }
            });
    d.addRawBoth(raw -> raw == cancelledMarker ? later : raw);
    stage.whenComplete(
        (value, error) ->
            owner.execute(
                () -> {
                  Deferred<Object> target = d.called ? later : d;
                  if (target.called) {
                    return;
                  }
                  if (error != null) {
                    target.errback(unwrap(error));
                  } else {
                    target.callback(value);
                  }
                }));
    return retype(d);
  }

  private static Throwable unwrap(Throwable error) {
    if (error instanceof CompletionException && error.getCause() != null) {
      return error.getCause();
    }
    return error;
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /**
   * {@return true once {@code callback} or {@code errback} has been called} This is Twisted's
   * {@code called}; it stays true.
   */
  public boolean isCalled() {
    return called;
  }

  /**
   * {@return true if a result is available now, so a callback added now would run at once} The
   * Deferred has then fired, is not paused, and is not waiting on an inner Deferred. Reading it
   * does not disturb the Deferred.
   */
  public boolean hasResult() {
    return called && paused == 0 && !(result instanceof Deferred);
  }

  /**
   * Hook for {@link Async#await}: the current raw result (a value or a {@link Failure}), read
   * without consuming it. Meaningful only when {@link #hasResult()} is true.
   */
  Object peekResult() {
    return result;
  }

  /**
   * Hook for {@link Async#await}: the failure this Deferred holds was raised at an await, so it no
   * longer counts as unhandled; the Deferred keeps it as its result (spec section 10).
   */
  void markFailureHandled() {
    clearUnhandled();
  }

  /**
   * {@return true if this Deferred's callbacks are held back: it is paused, explicitly or because
   * it waits on an inner Deferred}
   */
  public boolean isPaused() {
    return paused > 0;
  }

  /**
   * {@return a short description of this Deferred: which Deferred it waits on, or whether it has a
   * result and what it is} As in Twisted, a Deferred waits on another when a callback of its
   * returned that other one, and also when that other one will fire it through {@link
   * #chainDeferred}: after {@code b.chainDeferred(a)}, {@code a} is described as {@code
   * Deferred@<a's hash>{waiting on Deferred@<b's hash>}} until it fires. In debug mode the
   * description ends with where the Deferred was created: {@code Deferred@<hash>{no result; created
   * at com.example.Poems.fetch(Poems.java:42)}}. {@link ChainPicture} draws the whole chain.
   */
  @Override
  public String toString() {
    String id = "Deferred@" + Integer.toHexString(System.identityHashCode(this));
    String created = "";
    DebugInfo info = debug;
    if (info != null && info.creationFrame() != null) {
      created = "; created at " + CallSite.format(info.creationFrame());
    }
    Object waitingOn = chainedTo != null ? chainedTo : result;
    if (waitingOn instanceof Deferred<?> other) {
      return id
          + "{waiting on Deferred@"
          + Integer.toHexString(System.identityHashCode(other))
          + created
          + "}";
    }
    if (result == NO_RESULT) {
      return id + "{no result" + created + "}";
    }
    return id + "{current result: " + result + created + "}";
  }

  // ---------------------------------------------------------------------------------------------
  // Debug mode

  /** What debug mode recorded about this Deferred; null outside debug mode. */
  DebugInfo debugInfo() {
    return debug;
  }

  /**
   * {@return the Deferred this one waits on: the inner Deferred a callback returned, or the one
   * whose {@link #chainDeferred} will fire it; null if none}
   */
  Deferred<?> waitingOn() {
    Object current = result;
    if (current instanceof Deferred<?> inner) {
      return inner;
    }
    return chainedTo;
  }

  /** {@return how many pauses hold this Deferred back, waiting on an inner Deferred included} */
  int pauseCount() {
    return paused;
  }

  /** {@return true while this Deferred is running a step of its chain} */
  boolean isRunningCallbacks() {
    return runningCallbacks;
  }

  /**
   * {@return true if this Deferred is still to deliver something: unfired, paused, or waiting on
   * another Deferred}
   */
  boolean isPending() {
    return !called || paused != 0 || result instanceof Deferred;
  }

  /** One entry still in the chain, for pictures. */
  record PendingLink(String kind, CallSite site, Deferred<?> target) {}

  /**
   * {@return the entries still in the chain, in order; at most {@code limit}} Read without locks:
   * from another thread than the owner's the list may be out of date, never broken.
   */
  List<PendingLink> pendingLinks(int limit) {
    List<PendingLink> links = new ArrayList<>();
    for (Link link = head; link != null && links.size() < limit; link = link.next) {
      links.add(new PendingLink(kindName(link.kind), siteOf(link), link.target));
    }
    return links;
  }

  /** {@return how many entries are still in the chain} */
  int pendingLinkCount() {
    int n = 0;
    for (Link link = head; link != null && n < Integer.MAX_VALUE; link = link.next) {
      n++;
    }
    return n;
  }

  /**
   * Turns debug mode on or off for Deferreds created or fired from now on: they record the stacks
   * at which they were created and first fired, which then appear in {@link AlreadyCalledException}
   * messages, in {@link Failure#getTraceback()} and in unhandled-failure reports; they also record
   * the thread that made them, and fail with {@link WrongThreadException} when fired or given
   * callbacks on another (see the class comment's Threading). Initially on when the system property
   * {@code braid.debug} is {@code true}.
   *
   * <p>A Deferred created in debug mode is also {@linkplain PendingDeferreds tracked} (weakly: it
   * can still be collected) until it is collected, remembers where each callback was added and
   * which steps of its chain ran with what, so that {@link PendingDeferreds#dump()} and {@link
   * ChainPicture} can say what it waits on; a failure it leaves unhandled carries the {@linkplain
   * Failure#chainPicture() picture of its chain}. It costs a recorded stack per Deferred and per
   * callback added: see {@code docs/benchmarks.md}. A Deferred created outside debug mode costs
   * nothing of this, and stays untracked even if debug mode is turned on later.
   *
   * @param on whether to record sites
   */
  public static void setDebugging(boolean on) {
    if (on && !everDebugging()) {
      synchronized (EVER_DEBUGGING) {
        EVER_DEBUGGING.setTarget(MethodHandles.constant(boolean.class, true));
        MutableCallSite.syncAll(new MutableCallSite[] {EVER_DEBUGGING});
      }
    }
    debugging = on;
  }

  /** {@return true once debug mode has been on in this JVM}: see {@link #EVER_DEBUGGING}. */
  private static boolean everDebugging() {
    try {
      return (boolean) EVER_DEBUGGING_NOW.invokeExact();
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
    }
  }

  /** {@return true if debug mode is on} See {@link #setDebugging}. */
  public static boolean isDebugging() {
    return debugging;
  }

  // ---------------------------------------------------------------------------------------------
  // The run loop: spec section 4, iterative.

  /**
   * Adds a callback, an errback, a pair or a both-function. When this Deferred has a result now and
   * nothing else is queued or running, the function runs at once without a {@link Link}: a callback
   * added after firing costs no allocation of its own (the same step the loop would run).
   */
  @SuppressWarnings("unchecked")
  private <R> Deferred<R> add(
      byte kind, Callback<Object, Object> onSuccess, Callback<Object, Object> onFailure) {
    if (everDebugging() && debug != null) {
      return addInDebugMode(kind, onSuccess, onFailure);
    }
    if (called && head == null && paused == 0 && !runningCallbacks) {
      runAddedNow(kind, onSuccess, onFailure);
      return (Deferred<R>) this;
    }
    return append(new Link(kind, onSuccess, onFailure, null));
  }

  /**
   * Debug mode: every step goes through the loop, which records it in the history, and the link
   * knows where it was added (kept out of line, so that {@link #add} stays small).
   */
  private <R> Deferred<R> appendDebugLink(
      byte kind,
      Callback<Object, Object> onSuccess,
      Callback<Object, Object> onFailure,
      Deferred<Object> target) {
    return append(new DebugLink(kind, onSuccess, onFailure, target, CallSite.here()));
  }

  /** {@link #add} in debug mode: checks the thread, then appends a link that knows its site. */
  private <R> Deferred<R> addInDebugMode(
      byte kind, Callback<Object, Object> onSuccess, Callback<Object, Object> onFailure) {
    checkOwner("given a callback");
    return appendDebugLink(kind, onSuccess, onFailure, null);
  }

  /** {@link #add} on an idle fired Deferred: runs the one step, then what the step itself added. */
  @SuppressWarnings("unchecked")
  private void runAddedNow(
      byte kind, Callback<Object, Object> onSuccess, Callback<Object, Object> onFailure) {
    Deferred<Object> self = (Deferred<Object>) this;
    Object value = result;
    Callback<Object, Object> function;
    Object argument = value;
    if (kind == Link.BOTH) {
      function = onSuccess;
      argument = outcomeOf(value);
    } else {
      function = value instanceof Failure ? onFailure : onSuccess;
      if (function == null) {
        return; // pass-through side of the pair: nothing changes
      }
    }
    if (runStep(self, function, argument) && head != null) {
      runCallbacks(self); // the function added callbacks to this Deferred while it ran
    } else {
      endOfChain(self); // as the loop does, also when the step now waits on an inner Deferred
    }
  }

  @SuppressWarnings("unchecked")
  private <R> Deferred<R> append(Link link) {
    appendQuietly(link);
    if (called) {
      runCallbacks(this);
    }
    return (Deferred<R>) this;
  }

  /** Appends without running: used for the CONTINUE entry of a waiting outer Deferred. */
  private void appendQuietly(Link link) {
    if (tail == null) {
      head = link;
    } else {
      tail.next = link;
    }
    tail = link;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void runCallbacks(Deferred<?> start) {
    if (start.runningCallbacks) {
      return; // re-entrant add: the running loop picks the new entry up
    }
    Deferred<Object> current = (Deferred<Object>) start;
    // The Deferreds to resume, innermost last: the first one in `bottom`, deeper ones in `stack`,
    // so that the common single level of nesting allocates no array.
    Deferred<Object> bottom = null;
    Deferred<Object>[] stack = null;
    int depth = 0;
    while (true) {
      // A paused Deferred is skipped here; unpause() resumes it (decision 4: the others go on).
      if (current.paused == 0) {
        current.chainedTo = null;
        Deferred<Object> handedTo = null;
        boolean recording = everDebugging() && current.debug != null; // debug mode: record steps
        Link link;
        chain:
        while ((link = current.head) != null) {
          current.head = link.next;
          if (current.head == null) {
            current.tail = null;
          }
          Object value = current.result;
          Callback<Object, Object> function;
          Object argument = value;
          switch (link.kind) {
            case Link.CONTINUE -> {
              // Hand our result to the outer Deferred waiting on us; our later callbacks run after
              // its chain, with null.
              Deferred<Object> outer = link.target;
              if (recording || (everDebugging() && outer.debug != null)) {
                recordHandOver(current, link, outer, value, "resumed");
              }
              outer.result = value;
              current.result = null;
              current.clearUnhandled();
              outer.paused--;
              handedTo = outer;
              break chain;
            }
            case Link.CHAIN -> {
              Deferred<Object> target = link.target;
              if (target.called) {
                if ((target.flags & SUPPRESS_ALREADY_CALLED) != 0) {
                  target.flags &= ~SUPPRESS_ALREADY_CALLED;
                  current.result = null;
                } else {
                  current.result = Failure.of(target.alreadyCalled());
                }
                continue;
              }
              if (recording) {
                recordHandOver(current, link, target, value, "fired");
              }
              target.markFired(value);
              current.runningCallbacks = true;
              current.flags |= HANDING_TO_CHAINED;
              handedTo = target;
              break chain;
            }
            case Link.BOTH -> {
              function = link.onSuccess;
              argument = outcomeOf(value);
            }
            default -> {
              function = value instanceof Failure ? link.onFailure : link.onSuccess;
              if (function == null) {
                if (recording) {
                  recordPassedOver(current, link, value);
                }
                continue; // pass-through side of the pair
              }
            }
          }
          if (!recording) {
            if (!runStep(current, function, argument)) {
              break; // waiting on an inner Deferred
            }
          } else if (!runRecordedStep(current, link, function, argument, value)) {
            break;
          }
        }
        if (handedTo != null) {
          // Run the Deferred we just handed a result to; we resume afterwards.
          if (depth == 0) {
            bottom = current;
          } else {
            if (stack == null) {
              stack = new Deferred[8];
            } else if (depth - 1 == stack.length) {
              stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[depth - 1] = current;
          }
          depth++;
          current = handedTo;
          continue;
        }
        endOfChain(current);
      } else if (current.result instanceof Failure f) {
        // Paused while holding a failure: if it is never unpaused, the failure must not be lost.
        current.trackUnhandled(f);
      }
      if (depth == 0) {
        return;
      }
      depth--;
      if (depth == 0) {
        current = bottom;
        bottom = null;
      } else {
        current = stack[depth - 1];
        stack[depth - 1] = null;
      }
      if ((current.flags & HANDING_TO_CHAINED) != 0) {
        // chainDeferred's callback returned: the result is now null (spec 6.5).
        current.flags &= ~HANDING_TO_CHAINED;
        current.runningCallbacks = false;
        current.result = null;
      }
    }
  }

  /**
   * Runs one function of {@code current}'s chain on {@code argument} and makes its outcome the
   * current result (spec section 4). Returns false when the function returned an inner Deferred
   * without a result yet: {@code current} then waits on it, paused.
   */
  @SuppressWarnings("unchecked")
  private static boolean runStep(
      Deferred<Object> current, Callback<Object, Object> function, Object argument) {
    Object outcome;
    boolean threw = false;
    current.runningCallbacks = true;
    try {
      outcome = function.call(argument);
    } catch (Throwable t) {
      outcome = Failure.of(t);
      threw = true;
    } finally {
      current.runningCallbacks = false;
    }
    if (!threw && outcome instanceof Deferred<?> returned) {
      if (returned == current) {
        outcome =
            Failure.of(
                new IllegalStateException(
                    "a callback returned the Deferred it was attached to, which would stall"
                        + " its chain forever"));
      } else {
        Deferred<Object> inner = (Deferred<Object>) returned;
        Object innerResult = inner.result;
        if (debugging) {
          inner.noteOuter();
        }
        if (innerResult == NO_RESULT || innerResult instanceof Deferred || inner.paused != 0) {
          // No usable result yet: wait for the inner Deferred.
          current.result = inner;
          current.paused++;
          inner.appendQuietly(new Link(Link.CONTINUE, null, null, current));
          return false;
        }
        // The inner Deferred has a result: take it and go on.
        inner.result = null;
        inner.clearUnhandled();
        outcome = innerResult;
      }
    }
    current.result = outcome;
    return true;
  }

  /** Debug mode: {@link #runStep}, timed and written into the history of {@code current}. */
  private static boolean runRecordedStep(
      Deferred<Object> current,
      Link link,
      Callback<Object, Object> function,
      Object argument,
      Object value) {
    long start = System.nanoTime();
    boolean goOn = runStep(current, function, argument);
    long nanos = System.nanoTime() - start;
    DebugInfo info = current.debug;
    Object now = current.result;
    WeakReference<Deferred<?>> inner = null;
    String output;
    if (goOn) {
      output = ChainPicture.describeValue(now);
    } else {
      inner = new WeakReference<>((Deferred<?>) now);
      output = ChainPicture.name((Deferred<?>) now);
    }
    String ran =
        link.kind != Link.PAIR ? "ran" : value instanceof Failure ? "errback ran" : "callback ran";
    info.addStep(
        new DebugInfo.Step(
            siteOf(link),
            kindName(link.kind),
            ran,
            ChainPicture.describeValue(value),
            output,
            inner,
            nanos));
    return goOn;
  }

  /** Debug mode: a pair whose side for this result is empty let it pass. */
  private static void recordPassedOver(Deferred<Object> current, Link link, Object value) {
    String described = ChainPicture.describeValue(value);
    current.debug.addStep(
        new DebugInfo.Step(
            siteOf(link), kindName(link.kind), "passed over", described, described, null, 0));
  }

  /**
   * Debug mode: {@code current} hands its result to {@code other}, the outer Deferred it resumes
   * ({@code how} is "resumed") or the {@link #chainDeferred} target it fires ("fired").
   */
  private static void recordHandOver(
      Deferred<Object> current, Link link, Deferred<Object> other, Object value, String how) {
    String described = ChainPicture.describeValue(value);
    if (current.debug != null) {
      current.debug.addStep(
          new DebugInfo.Step(
              siteOf(link),
              kindName(link.kind),
              how + " " + ChainPicture.name(other),
              described,
              "null",
              null,
              0));
    }
    if (other.debug != null && link.kind == Link.CONTINUE) {
      other.debug.innerFired(current, described);
    }
  }

  private static CallSite siteOf(Link link) {
    return link instanceof DebugLink debugLink ? debugLink.site : CallSite.UNKNOWN;
  }

  /** The kind of a link in words, for chain pictures. */
  private static String kindName(byte kind) {
    return switch (kind) {
      case Link.CALLBACK -> "callback";
      case Link.ERRBACK -> "errback";
      case Link.PAIR -> "callback/errback";
      case Link.BOTH -> "both";
      case Link.CONTINUE -> "resume";
      default -> "chainDeferred";
    };
  }

  /** The chain has run to its end: a failure it ends with is unhandled (spec section 10). */
  private static void endOfChain(Deferred<Object> current) {
    if (current.result instanceof Failure f) {
      current.trackUnhandled(f);
    } else {
      current.clearUnhandled();
    }
  }

  private void trackUnhandled(Failure failure) {
    if (debug != null) {
      recordUnhandled(failure);
    }
    if (unhandled == null) {
      unhandled = UnhandledFailures.track(this, failure);
    } else {
      unhandled.update(failure);
    }
  }

  /** Debug mode: the failure carries the sites and the picture of this chain (out of line). */
  private void recordUnhandled(Failure failure) {
    failure.recordSites(debug.creator.frames(), debug.invoker.frames());
    failure.recordChain(ChainPicture.text(this));
  }

  private void clearUnhandled() {
    UnhandledFailures.Tracker tracker = unhandled;
    if (tracker != null) {
      unhandled = null;
      tracker.clear();
    }
  }

  /**
   * Debug mode: a Deferred belongs to the thread that made it (the one a coroutine body acts for,
   * inside one), so being fired or given callbacks on another thread fails with a {@link
   * WrongThreadException} naming both and the creation site. Deferreds made outside debug mode
   * record no owner and are never checked, so this costs nothing then.
   */
  private void checkOwner(String what) {
    Thread owner = debug.owner;
    if (owner == null) {
      return;
    }
    Thread current = Async.ownerThread();
    if (current != owner) {
      throw new WrongThreadException(
          this
              + " belongs to thread "
              + owner.getName()
              + ", which made it, but was "
              + what
              + " on thread "
              + current.getName()
              + ": a Deferred is used on one thread only (hand the work to its thread with"
              + " callFromThread, or get the outcome on yours with Handoff.call)"
              + debug.describeCreation());
    }
  }

  /** Debug mode, decision 5: warn when a second outer Deferred waits on this one. */
  private void noteOuter() {
    if (debug == null) {
      debug = new DebugInfo(CallSite.Stack.NONE, 0, null);
    }
    if (++debug.outers == 2) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} was returned by callbacks of two Deferreds; the second one gets null (as in"
              + " Twisted)\n{1}",
          this,
          debug.describeCalls());
    }
  }

  @SuppressWarnings("unchecked")
  private static <A, R> Callback<Object, Object> erase(Callback<A, R> function) {
    return (Callback<Object, Object>) (Callback<?, ?>) function;
  }

  @SuppressWarnings("unchecked")
  private static Deferred<Object> erase(Deferred<?> d) {
    return (Deferred<Object>) d;
  }

  /** Wraps a raw result, a value or a {@link Failure}, as an {@link Outcome}. */
  @SuppressWarnings("unchecked")
  static <T> Outcome<T> outcomeOf(Object raw) {
    if (raw instanceof Failure f) {
      return new Outcome.Failed<T>(f);
    }
    return new Outcome.Success<T>((T) raw);
  }

  /** Changes the static type only; for chains whose runtime results are known to fit. */
  @SuppressWarnings("unchecked")
  static <T> Deferred<T> retype(Deferred<?> d) {
    return (Deferred<T>) d;
  }

  @SuppressWarnings("unchecked")
  static <T> Deferred<T> narrow(Deferred<? extends T> d) {
    return (Deferred<T>) d;
  }

  /** One entry of the chain. One small object per callback added. */
  private static class Link {
    static final byte CALLBACK = 0;
    static final byte ERRBACK = 1;
    static final byte PAIR = 2;
    static final byte BOTH = 3;
    static final byte CONTINUE = 4;
    static final byte CHAIN = 5;

    final byte kind;
    final Callback<Object, Object> onSuccess;
    final Callback<Object, Object> onFailure;
    final Deferred<Object> target;
    Link next;

    Link(
        byte kind,
        Callback<Object, Object> onSuccess,
        Callback<Object, Object> onFailure,
        Deferred<Object> target) {
      this.kind = kind;
      this.onSuccess = onSuccess;
      this.onFailure = onFailure;
      this.target = target;
    }
  }

  /** A {@link Link} added in debug mode: it knows where it was added. */
  private static final class DebugLink extends Link {
    final CallSite site;

    DebugLink(
        byte kind,
        Callback<Object, Object> onSuccess,
        Callback<Object, Object> onFailure,
        Deferred<Object> target,
        CallSite site) {
      super(kind, onSuccess, onFailure, target);
      this.site = site;
    }
  }
}
