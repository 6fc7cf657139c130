package dev.braid.defer;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A thread that runs tasks in order, standing in for a reactor's thread in the tests of this module
 * (which has no reactor): its {@link #execute} is a reactor's {@code callFromThread}.
 */
final class OneThread implements java.util.concurrent.Executor, AutoCloseable {
  private final ExecutorService executor;
  final Thread thread;

  OneThread(String name) {
    CompletableFuture<Thread> made = new CompletableFuture<>();
    executor =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, name);
              t.setDaemon(true);
              made.complete(t);
              return t;
            });
    executor.execute(() -> {});
    thread = made.join();
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  /** Runs {@code work} on this thread and waits for its result (or rethrows what it threw). */
  <T> T call(Callable<T> work) throws Exception {
    try {
      return executor.submit(work).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Waits until every task handed over so far has run. */
  void settle() throws Exception {
    call(() -> null);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new AssertionError(thread.getName() + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
