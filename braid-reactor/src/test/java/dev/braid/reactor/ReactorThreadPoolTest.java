package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The pool behind {@code callInThread} and {@code deferToThread}, without a reactor: the test's
 * thread plays the reactor thread, running what the pool hands back.
 */
class ReactorThreadPoolTest {
  private static final long WAIT_SECONDS = 30;

  /** What the pool handed back to the "reactor thread", in order. */
  private final BlockingQueue<Runnable> handedBack = new LinkedBlockingQueue<>();

  private final Set<Thread> poolThreads = new LinkedHashSet<>();
  private final ReactorThreadPool pool = new ReactorThreadPool("test", 1, handedBack::add);

  @AfterEach
  void shutDownAndJoinThePoolsThreads() throws InterruptedException {
    pool.shutdown();
    for (Thread t : poolThreads) {
      t.join(Duration.ofSeconds(WAIT_SECONDS));
      assertThat(t.isAlive()).as("%s ended after shutdown", t.getName()).isFalse();
    }
  }

  /** Runs on the test's thread the next call the pool hands back. */
  private void runNextHandedBack() throws InterruptedException {
    Runnable call = handedBack.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(call).as("a call handed back to the reactor thread").isNotNull();
    call.run();
  }

  @Test
  void startsNoThreadUntilWorkArrives() {
    assertThat(pool.hasStarted()).isFalse();
  }

  @Test
  void deferToThreadRunsTheWorkOnAPoolThreadAndFiresTheDeferredThroughTheReactor()
      throws Exception {
    Thread test = Thread.currentThread();
    AtomicReference<Thread> firedOn = new AtomicReference<>();
    Deferred<String> result =
        pool.deferToThread(
            () -> {
              synchronized (poolThreads) {
                poolThreads.add(Thread.currentThread());
              }
              return Thread.currentThread().getName();
            });
    result.addCallback(
        name -> {
          firedOn.set(Thread.currentThread());
          return name;
        });
    assertThat(pool.hasStarted()).isTrue();

    runNextHandedBack();

    assertThat(result.isCalled()).isTrue();
    assertThat(Deferreds.resultOf(result)).isEqualTo("test-pool-1");
    assertThat(firedOn.get()).isSameAs(test);
  }

  @Test
  void deferToThreadFailsTheDeferredWithWhatTheWorkThrew() throws Exception {
    IOException thrown = new IOException("expected by the test");
    Deferred<String> result =
        pool.deferToThread(
            () -> {
              synchronized (poolThreads) {
                poolThreads.add(Thread.currentThread());
              }
              throw thrown;
            });

    runNextHandedBack();

    assertThat(Deferreds.failureOf(result).value()).isSameAs(thrown);
  }

  @Test
  void callInThreadRunsOnAPoolThreadAndLogsWhatItThrows(LogCapture logs) throws Exception {
    IllegalStateException thrown = new IllegalStateException("expected by the test: logged");
    pool.callInThread(
        () -> {
          synchronized (poolThreads) {
            poolThreads.add(Thread.currentThread());
          }
          throw thrown;
        });
    CompletableFuture<String> next = new CompletableFuture<>();
    // One thread: this runs after the first call has returned and its failure was logged.
    pool.callInThread(() -> next.complete(Thread.currentThread().getName()));

    assertThat(next.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("test-pool-1");
    assertThat(logs.take(Level.ERROR, ReactorThreadPool.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("callInThread call failed");
              assertThat(e.thrown()).isSameAs(thrown);
            });
  }

  @Test
  void afterShutdownWorkIsRefused() {
    pool.shutdown();

    assertThatThrownBy(() -> pool.callInThread(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("the reactor has stopped");
    Deferred<Integer> refused = pool.deferToThread(() -> 1);
    assertThat(Deferreds.failureOf(refused).value())
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("the reactor has stopped");
    assertThat(pool.hasStarted()).isFalse();
    assertThat(handedBack).isEmpty();
  }

  @Test
  void aPoolOfNoThreadsIsRefused() {
    assertThatThrownBy(() -> new ReactorThreadPool("none", 0, Runnable::run))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive: 0");
  }

  /** The outcome of a fired Deferred, for these tests. */
  private static final class Deferreds {
    static <T> T resultOf(Deferred<T> d) throws Exception {
      return outcomeOf(d).get();
    }

    static Failure failureOf(Deferred<?> d) {
      return ((Outcome.Failed<?>) outcomeOf(d)).failure();
    }

    private static <T> Outcome<T> outcomeOf(Deferred<T> d) {
      AtomicReference<Outcome<T>> seen = new AtomicReference<>();
      d.addBoth(
          outcome -> {
            seen.set(outcome);
            return null;
          });
      assertThat(seen.get()).as("the Deferred has fired").isNotNull();
      return seen.get();
    }
  }
}
