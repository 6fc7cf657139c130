package dev.braid.defer;

import java.util.concurrent.Callable;

/**
 * A lock for code that runs on one thread but waits between steps: Twisted's {@code DeferredLock}.
 * Instead of blocking, {@link #acquire()} returns a Deferred that fires with the lock when it is
 * this caller's turn; waiters are served first come, first served.
 *
 * <pre>{@code
 * DeferredLock lock = DeferredLock.create();
 * lock.runDeferred(() -> writeRecord(record)); // at most one writeRecord in flight at a time
 * }</pre>
 *
 * <p>Threading: not thread-safe; use it on the thread that owns its Deferreds (the reactor thread).
 * Acquiring never blocks the thread. Handing the lock to the next waiter runs that waiter's
 * callbacks inside {@link #release()}.
 */
public final class DeferredLock {
  // A lock is a semaphore of one token.
  private final Tokens<DeferredLock> token =
      new Tokens<>(this, 1, "Tried to release an unlocked lock");

  private DeferredLock() {}

  /**
   * Creates an unlocked lock.
   *
   * @return a new lock
   */
  public static DeferredLock create() {
    return new DeferredLock();
  }

  /**
   * Asks for the lock. If it is free, the returned Deferred has already fired with this lock (its
   * callbacks run inside this call); otherwise it fires when a {@link #release()} hands the lock
   * over. Cancelling a Deferred that is still waiting withdraws it from the queue and fails it with
   * {@link CancelledException}; cancelling one that has fired does nothing (the lock stays held).
   *
   * @return a Deferred that fires with this lock once it is held
   */
  public Deferred<DeferredLock> acquire() {
    return token.acquire();
  }

  /**
   * Releases the lock: if someone is waiting, the first waiter gets it at once (its callbacks run
   * inside this call) and the lock stays locked; otherwise it becomes free.
   *
   * @throws IllegalStateException "Tried to release an unlocked lock" if the lock is not held
   */
  public void release() {
    token.release();
  }

  /** {@return true while someone holds the lock} */
  public boolean isLocked() {
    return token.free() == 0;
  }

  /**
   * Runs {@code function} while holding the lock (Twisted's {@code run}): acquires, calls it as
   * {@link Deferred#maybeDeferred} does, and releases when its result is known, whether a value or
   * a failure. If it returns a Deferred, the lock is held until that Deferred fires. Extra
   * arguments are captured by the lambda: {@code lock.run(() -> save(name, data))}.
   *
   * <p>The returned Deferred fires with the function's outcome. Cancelling it while it waits for
   * the lock withdraws it; cancelling it later cancels the Deferred the function returned.
   *
   * @param function the work to do under the lock
   * @param <R> the type of its result
   * @return a Deferred of the function's outcome
   */
  public <R> Deferred<R> run(Callable<? extends R> function) {
    return token.run(function);
  }

  /**
   * {@link #run} for a function typed to return a Deferred; the lock is held until it fires.
   *
   * @param function the work to do under the lock
   * @param <R> the type of its Deferred's result
   * @return a Deferred of that Deferred's outcome
   */
  public <R> Deferred<R> runDeferred(Callable<? extends Deferred<? extends R>> function) {
    return token.runDeferred(function);
  }

  /** {@return a short description of the lock: locked or not, and how many wait} */
  @Override
  public String toString() {
    return "DeferredLock{"
        + (isLocked() ? "locked" : "unlocked")
        + ", waiting="
        + token.waiting()
        + "}";
  }
}
