package dev.braid.defer;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Asking another thread for a Deferred and getting its outcome back on one's own: how work moves
 * between the reactors of a group while each Deferred stays on the thread that made it.
 *
 * <pre>{@code
 * // On reactor B: ask the cache owned by reactor A; the answer arrives on B.
 * Deferred<byte[]> poem = Handoff.call(a::callFromThread, () -> cache.get(name), b::callFromThread);
 * }</pre>
 *
 * <p>Twisted has one reactor and needs no such thing; its {@code blockingCallFromThread} is the
 * blocking cousin for a plain thread. Here nothing blocks: the call is handed to the owner's
 * thread, the Deferred it returns is given a last callback there, and that callback hands the
 * outcome to the caller's thread, where the caller's own Deferred fires.
 *
 * <p>Threading: {@link #call} is called on the thread that {@code home} runs its tasks on (a
 * reactor's thread, with the reactor's {@code callFromThread}); the work runs on {@code owner}'s.
 */
public final class Handoff {
  private Handoff() {}

  /**
   * Runs {@code work} on {@code owner}'s thread and returns, to the calling thread, a Deferred of
   * the outcome of the Deferred it returns, fired through {@code home}: a Deferred fired on the
   * owner's thread whose waiter lives on the caller's gets its callbacks on the caller's.
   *
   * <ul>
   *   <li>The outcome is handed over whole: a value, or the same {@link Failure}. The owner's
   *       Deferred is consumed by the hand-over (its chain goes on with null, and its failure
   *       counts as handled there: it is the caller's to handle now).
   *   <li>If {@code work} throws, or returns null, the returned Deferred fails with the exception
   *       (a {@link NullPointerException} for null).
   *   <li>Cancelling the returned Deferred fails it at once, on the caller's thread, with {@link
   *       CancelledException}, and hands the cancellation to the owner, after the work: the
   *       Deferred that {@code work} returned is cancelled there if it has not fired yet. Whatever
   *       its outcome, it is then dropped.
   *   <li>If {@code owner} never runs the work (its reactor has stopped), the returned Deferred
   *       never fires; if {@code home} never runs the hand-back, likewise.
   * </ul>
   *
   * @param owner runs tasks on the thread that owns what {@code work} uses (a reactor's {@code
   *     callFromThread})
   * @param work called on the owner's thread; returns a Deferred of that thread
   * @param home runs tasks on the calling thread (the caller's reactor's {@code callFromThread})
   * @param <T> the result type
   * @return a Deferred of the calling thread, fired there with the outcome
   */
  public static <T> Deferred<T> call(
      Executor owner, Callable<? extends Deferred<? extends T>> work, Executor home) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(home, "home");
    Request<T> request = new Request<>();
    Deferred<T> here = Deferred.create(self -> owner.execute(request::cancel));
    owner.execute(() -> request.run(work, here, home));
    return here;
  }

  /** One call's state on the owner's thread. */
  private static final class Request<T> {
    // Owner's thread only.
    private Deferred<? extends T> there;
    private boolean cancelled;

    void run(Callable<? extends Deferred<? extends T>> work, Deferred<T> here, Executor home) {
      if (cancelled) {
        return;
      }
      Deferred<? extends T> d = Deferred.maybeDeferredDeferred(work);
      there = d;
      d.addBoth(
          outcome -> {
            home.execute(() -> deliver(outcome, here));
            return null;
          });
    }

    void cancel() {
      cancelled = true;
      Deferred<? extends T> d = there;
      if (d != null && !d.isCalled()) {
        d.cancel();
      }
    }

    /** On the caller's thread. */
    private void deliver(Outcome<? extends T> outcome, Deferred<T> here) {
      if (here.isCalled()) {
        return; // cancelled meanwhile: its CancelledException was its outcome
      }
      switch (outcome) {
        case Outcome.Success<? extends T> success -> here.callback(success.value());
        case Outcome.Failed<? extends T> failed -> here.errback(failed.failure());
      }
    }
  }
}
