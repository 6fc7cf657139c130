package dev.braid.defer;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Counted tokens with a first-come, first-served queue of waiters: what {@link DeferredSemaphore}
 * and {@link DeferredLock} do, the lock being a semaphore of one token (Twisted's {@code
 * _ConcurrencyPrimitive} and its two subclasses). Each holds one of these.
 *
 * @param <P> the primitive, which acquisitions fire with
 */
final class Tokens<P> {
  private final P primitive;
  private final int limit;
  private final String tooManyReleases;
  private final WaitQueue<P> waiting = new WaitQueue<>();
  private int free;

  /**
   * @param primitive what acquisitions fire with
   * @param limit how many tokens there are, all free at first
   * @param tooManyReleases the message of the {@link IllegalStateException} thrown by a release
   *     when every token is free
   */
  Tokens(P primitive, int limit, String tooManyReleases) {
    this.primitive = primitive;
    this.limit = limit;
    this.tooManyReleases = tooManyReleases;
    this.free = limit;
  }

  /** Takes a token: fired already when one is free, else queued until a release hands one over. */
  Deferred<P> acquire() {
    if (free == 0) {
      return waiting.add();
    }
    free--;
    return Deferred.succeed(primitive);
  }

  /** Hands the token to the first waiter (its callbacks run inside this call), or frees it. */
  void release() {
    if (free >= limit) {
      throw new IllegalStateException(tooManyReleases);
    }
    Deferred<P> next = waiting.poll();
    if (next == null) {
      free++;
    } else {
      next.callback(primitive);
    }
  }

  int free() {
    return free;
  }

  int limit() {
    return limit;
  }

  int waiting() {
    return waiting.size();
  }

  /** Twisted's {@code run}: see {@link DeferredSemaphore#run}. */
  <R> Deferred<R> run(Callable<? extends R> function) {
    Objects.requireNonNull(function, "function");
    return whileHeld(() -> Deferred.maybeDeferred(function));
  }

  /** {@link #run} for a function typed to return a Deferred. */
  <R> Deferred<R> runDeferred(Callable<? extends Deferred<? extends R>> function) {
    Objects.requireNonNull(function, "function");
    return whileHeld(() -> Deferred.maybeDeferredDeferred(function));
  }

  /**
   * Once a token is held, starts the work and releases when the work's Deferred fires, passing its
   * outcome (the same value or {@link Failure}) through. Returns the acquisition itself, so
   * cancelling it before the acquisition removes the waiter and cancelling it later cancels the
   * work's Deferred.
   */
  private <R> Deferred<R> whileHeld(Supplier<? extends Deferred<?>> work) {
    return Deferred.retype(
        acquire()
            .addCallbackDeferred(
                ignored ->
                    work.get()
                        .addRawBoth(
                            outcome -> {
                              release();
                              return outcome;
                            })));
  }
}
