package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.PendingDeferreds;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads behind a reactor's {@code callInThread} and {@code deferToThread}: Twisted's {@code
 * ThreadPool} with {@code deferToThread}'s hand-back of the result.
 *
 * <p>A fixed number of daemon threads, started on demand and let go after a minute idle, share an
 * unbounded queue. Each result goes back to the reactor thread through the {@code toReactor}
 * executor the pool was made with (the reactor's {@code callFromThread}), which fires the Deferred.
 * After {@link #shutdown()}, new work is refused with {@link RejectedExecutionException}; work
 * already running finishes, and its Deferred fires only if the reactor still runs calls.
 *
 * <p>Threading: {@link #callInThread} and {@link #deferToThread} are called on the reactor thread;
 * the work runs on the pool's threads.
 */
final class ReactorThreadPool {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorThreadPool.class);

  /** What a {@code deferToThread} Deferred waits on, for pending-Deferred dumps. */
  private static final String POOL_TASK =
      "its work on the reactor's thread pool (deferToThread), queued or running";

  private final String name;
  private final int size;
  private final Executor toReactor;
  private ThreadPoolExecutor executor;
  private boolean shutDown;

  /**
   * A pool that starts no thread until work arrives.
   *
   * @param name begins its threads' names ({@code name-pool-1}, {@code name-pool-2}, …)
   * @param size how many threads at most
   * @param toReactor hands a result back to the reactor thread; safe from any thread
   */
  ReactorThreadPool(String name, int size, Executor toReactor) {
    this.name = Objects.requireNonNull(name, "name");
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive: " + size);
    }
    this.size = size;
    this.toReactor = Objects.requireNonNull(toReactor, "toReactor");
  }

  /**
   * Runs {@code call} on a pool thread; what it throws is logged.
   *
   * @param call blocking work
   * @throws RejectedExecutionException if the pool has been shut down
   */
  void callInThread(Runnable call) {
    Objects.requireNonNull(call, "call");
    executor()
        .execute(
            () -> {
              try {
                call.run();
              } catch (Throwable t) {
                LOG.error("callInThread call failed", t);
              }
            });
  }

  /**
   * Runs {@code work} on a pool thread and fires the returned Deferred with its result or exception
   * through {@code toReactor}.
   *
   * @param <T> the result type
   * @param work blocking work
   * @return a Deferred fired on the reactor thread; failed at once with {@link
   *     RejectedExecutionException} if the pool has been shut down
   */
  <T> Deferred<T> deferToThread(Callable<? extends T> work) {
    Objects.requireNonNull(work, "work");
    Deferred<T> result = Deferred.create();
    PendingDeferreds.noteWaitingOn(result, POOL_TASK);
    try {
      executor()
          .execute(
              () -> {
                T value;
                try {
                  value = work.call();
                } catch (Throwable t) {
                  toReactor.execute(() -> result.errback(t));
                  return;
                }
                toReactor.execute(() -> result.callback(value));
              });
    } catch (RejectedExecutionException e) {
      result.errback(e);
    }
    return result;
  }

  /** Refuses new work from now on and lets the threads end once their work is done. */
  void shutdown() {
    shutDown = true;
    if (executor != null) {
      executor.shutdown();
    }
  }

  /** {@return true once work has been handed to the pool (and a thread started)} */
  boolean hasStarted() {
    return executor != null;
  }

  private ThreadPoolExecutor executor() {
    if (shutDown) {
      throw new RejectedExecutionException("the reactor has stopped");
    }
    if (executor == null) {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor p =
          new ThreadPoolExecutor(
              size,
              size,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, name + "-pool-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      p.allowCoreThreadTimeOut(true);
      executor = p;
    }
    return executor;
  }

  @Override
  public String toString() {
    return "ReactorThreadPool{" + name + ", " + size + " threads}";
  }
}
