package dev.braid.defer;

import java.util.function.Supplier;

/** The {@code run} helper of {@link DeferredLock} and {@link DeferredSemaphore}. */
final class RunWhileHeld {
  private RunWhileHeld() {}

  /**
   * Once {@code acquisition} fires, starts the work and releases when the work's Deferred fires,
   * passing its outcome (the same value or {@link Failure}) through. Returns {@code acquisition}
   * itself, so cancelling it before the acquisition removes the waiter and cancelling it later
   * cancels the work's Deferred.
   */
  static <R> Deferred<R> run(
      Deferred<?> acquisition, Runnable release, Supplier<? extends Deferred<?>> work) {
    return Deferred.retype(
        acquisition.addCallbackDeferred(
            ignored ->
                work.get()
                    .addRawBoth(
                        outcome -> {
                          release.run();
                          return outcome;
                        })));
  }
}
