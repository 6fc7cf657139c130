package dev.braid.defer;

import java.util.LinkedHashSet;

/**
 * The Deferreds waiting for a lock, a semaphore token or a queue item, first come first served.
 * Cancelling a waiting Deferred removes it (and then fails it with {@link CancelledException}).
 */
final class WaitQueue<T> {
  private final LinkedHashSet<Deferred<T>> waiting = new LinkedHashSet<>();

  /** Adds a new unfired Deferred at the back and returns it. */
  Deferred<T> add() {
    Deferred<T> d = Deferred.create(waiting::remove);
    waiting.add(d);
    return d;
  }

  /** Removes and returns the Deferred at the front, or null when none waits. */
  Deferred<T> poll() {
    return waiting.isEmpty() ? null : waiting.removeFirst();
  }

  int size() {
    return waiting.size();
  }
}
