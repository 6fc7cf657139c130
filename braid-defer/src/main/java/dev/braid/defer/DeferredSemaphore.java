package dev.braid.defer;

import java.util.concurrent.Callable;

/**
 * A semaphore for code that runs on one thread but waits between steps: Twisted's {@code
 * DeferredSemaphore}. It lets at most {@link #limit()} holders run at once; {@link #acquire()}
 * returns a Deferred that fires with the semaphore when a token is free, first come, first served.
 *
 * <pre>{@code
 * DeferredSemaphore downloads = DeferredSemaphore.create(3);
 * for (String url : urls) {
 *   downloads.runDeferred(() -> fetch(url)); // at most 3 fetches in flight
 * }
 * }</pre>
 *
 * <p>Threading: not thread-safe; use it on the thread that owns its Deferreds (the reactor thread).
 * Acquiring never blocks the thread. Handing a token to the next waiter runs that waiter's
 * callbacks inside {@link #release()}.
 */
public final class DeferredSemaphore {
  private final Tokens<DeferredSemaphore> tokens;

  private DeferredSemaphore(int limit) {
    this.tokens = new Tokens<>(this, limit, "Someone released me too many times: too many tokens!");
  }

  /**
   * Creates a semaphore with {@code tokens} free tokens.
   *
   * @param tokens how many holders may run at once
   * @return a new semaphore
   * @throws IllegalArgumentException "DeferredSemaphore requires tokens >= 1" if {@code tokens} is
   *     less than 1
   */
  public static DeferredSemaphore create(int tokens) {
    if (tokens < 1) {
      throw new IllegalArgumentException("DeferredSemaphore requires tokens >= 1");
    }
    return new DeferredSemaphore(tokens);
  }

  /**
   * Asks for a token. If one is free, the returned Deferred has already fired with this semaphore
   * (its callbacks run inside this call); otherwise it fires when a {@link #release()} hands a
   * token over. Cancelling a Deferred that is still waiting withdraws it and fails it with {@link
   * CancelledException}; cancelling one that has fired does nothing (the token stays taken).
   *
   * @return a Deferred that fires with this semaphore once a token is held
   */
  public Deferred<DeferredSemaphore> acquire() {
    return tokens.acquire();
  }

  /**
   * Gives a token back: if someone is waiting, the first waiter gets it at once (its callbacks run
   * inside this call).
   *
   * @throws IllegalStateException "Someone released me too many times: too many tokens!" if every
   *     token is already free
   */
  public void release() {
    tokens.release();
  }

  /** {@return how many tokens are free now, between 0 and {@link #limit()}} */
  public int tokens() {
    return tokens.free();
  }

  /**
   * {@return how many tokens the semaphore was created with: the most holders that may run at once}
   */
  public int limit() {
    return tokens.limit();
  }

  /**
   * Runs {@code function} while holding a token (Twisted's {@code run}): acquires, calls it as
   * {@link Deferred#maybeDeferred} does, and releases when its result is known, whether a value or
   * a failure. If it returns a Deferred, the token is held until that Deferred fires. Extra
   * arguments are captured by the lambda.
   *
   * <p>The returned Deferred fires with the function's outcome. Cancelling it while it waits for a
   * token withdraws it; cancelling it later cancels the Deferred the function returned.
   *
   * @param function the work to do while holding a token
   * @param <R> the type of its result
   * @return a Deferred of the function's outcome
   */
  public <R> Deferred<R> run(Callable<? extends R> function) {
    return tokens.run(function);
  }

  /**
   * {@link #run} for a function typed to return a Deferred; the token is held until it fires.
   *
   * @param function the work to do while holding a token
   * @param <R> the type of its Deferred's result
   * @return a Deferred of that Deferred's outcome
   */
  public <R> Deferred<R> runDeferred(Callable<? extends Deferred<? extends R>> function) {
    return tokens.runDeferred(function);
  }

  /** {@return a short description of the semaphore: free tokens, limit, and how many wait} */
  @Override
  public String toString() {
    return "DeferredSemaphore{tokens="
        + tokens.free()
        + "/"
        + tokens.limit()
        + ", waiting="
        + tokens.waiting()
        + "}";
  }
}
