package dev.braid.net;

import dev.braid.defer.Deferred;
import java.util.concurrent.Callable;

/**
 * How other threads talk to the reactor and how blocking work is kept off it: Twisted's {@code
 * IReactorThreads} and {@code twisted.internet.threads}.
 */
public interface ReactorThreads {
  /**
   * Runs {@code call} on the reactor thread soon. The one method of the reactor that is safe to
   * call from any thread; calls from one thread run in the order made.
   *
   * @param call what to run on the reactor thread
   */
  void callFromThread(Runnable call);

  /**
   * Runs {@code call} on the reactor's thread pool. Reactor thread only.
   *
   * @param call blocking work
   */
  void callInThread(Runnable call);

  /**
   * Runs blocking work on the reactor's thread pool and returns a Deferred fired, on the reactor
   * thread, with its result or exception. Reactor thread only.
   *
   * @param work blocking work
   * @param <T> its result type
   * @return a Deferred of the result
   */
  <T> Deferred<T> deferToThread(Callable<? extends T> work);

  /** {@return true when the caller runs on this reactor's thread (or in lock-step with it)} */
  boolean isReactorThread();
}
