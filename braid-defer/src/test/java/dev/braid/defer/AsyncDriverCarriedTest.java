package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver-carried mode: where bodies run. These tests need the mode ({@code
 * -Dbraid.async.carrier=driver} and {@code java.lang} opened), which the build's second test run of
 * {@code braid-defer} sets (the {@code async-driver-carried} execution); in the plain run they are
 * skipped, except the two about turning the mode on. Every other {@code Async*Test} runs in both
 * modes.
 */
@ExtendWith(AsyncHygiene.class)
class AsyncDriverCarriedTest {
  private DriverCarrier carrier;

  @BeforeEach
  void needsTheMode() {
    carrier = DriverCarrier.INSTANCE;
  }

  private void assumeDriverCarried() {
    assumeTrue(carrier != null, "run with -Dbraid.async.carrier=driver and java.lang opened");
  }

  @Test
  void aBodyRunsOnTheOsThreadThatStartsItAndOnTheOneThatResumesIt() {
    assumeDriverCarried();
    Thread me = Thread.currentThread();
    List<Object> seen = new ArrayList<>();
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> r =
        Async.run(
            () -> {
              seen.add(Thread.currentThread().isVirtual());
              seen.add(carrier.currentCarrier());
              int v = Async.await(d);
              seen.add(carrier.currentCarrier());
              return v;
            });
    assertNoResult(r);

    d.callback(7);

    assertThat(successResultOf(r)).isEqualTo(7);
    assertThat(seen).containsExactly(true, me, me);
  }

  @Test
  void coroutinesNestedInsideABodyRunOnTheSameOsThread() {
    assumeDriverCarried();
    Thread me = Thread.currentThread();
    List<Thread> carriers = new ArrayList<>();
    Deferred<Integer> leaf = Deferred.create();
    Deferred<Integer> top = nest(50, leaf, carriers);
    assertNoResult(top);

    leaf.callback(0);

    assertThat(successResultOf(top)).isEqualTo(50);
    assertThat(carriers).hasSize(51).containsOnly(me);
  }

  private Deferred<Integer> nest(int depth, Deferred<Integer> leaf, List<Thread> carriers) {
    return Async.run(
        () -> {
          carriers.add(carrier.currentCarrier());
          return depth == 0 ? Async.await(leaf) : Async.await(nest(depth - 1, leaf, carriers)) + 1;
        });
  }

  @Test
  void aBodyThatBlocksOnSomethingElseContinuesOnTheJdkSchedulerStillInLockStep() throws Exception {
    assumeDriverCarried();
    Thread me = Thread.currentThread();
    CountDownLatch release = new CountDownLatch(1);
    List<Object> seen = new ArrayList<>();
    Deferred<Void> d = Deferred.create();
    AtomicReference<Thread> body = new AtomicReference<>();
    // Counts down once the body is parked in its wait, so that it surely parked.
    Thread releaser =
        Thread.ofPlatform()
            .start(
                () -> {
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                  while (body.get() == null
                      || body.get().getState() != Thread.State.TIMED_WAITING) {
                    if (System.nanoTime() > deadline) {
                      return;
                    }
                    Thread.onSpinWait();
                  }
                  release.countDown();
                });
    Deferred<String> r =
        Async.run(
            () -> {
              body.set(Thread.currentThread());
              // Not an await: the body parks; another thread wakes it.
              seen.add(release.await(30, TimeUnit.SECONDS));
              seen.add(carrier.currentCarrier() != me);
              Async.await(d); // the next resumption comes from this thread again
              seen.add(carrier.currentCarrier() == me);
              return "done";
            });
    // Lock-step: run() returned only once the body suspended in its await.
    assertThat(seen).containsExactly(true, true);
    releaser.join();
    // Its thread may still be parking over there; once it has, the next hand-off brings it back.
    waitForState(body.get(), Thread.State.WAITING);

    d.callback(null);

    assertThat(successResultOf(r)).isEqualTo("done");
    assertThat(seen).containsExactly(true, true, true);
  }

  @Test
  void aThreadStartedByABodyRunsBesideItOnTheJdkScheduler() throws Exception {
    assumeDriverCarried();
    Thread me = Thread.currentThread();
    Deferred<Object> r =
        Async.run(
            () -> {
              CountDownLatch ran = new CountDownLatch(1);
              Thread[] carrierOfChild = new Thread[1];
              // It inherits the body's scheduler; it must still run at once, not wait for a turn.
              Thread.ofVirtual()
                  .start(
                      () -> {
                        carrierOfChild[0] = carrier.currentCarrier();
                        ran.countDown();
                      });
              return ran.await(30, TimeUnit.SECONDS) && carrierOfChild[0] != me;
            });
    assertThat(successResultOf(r)).isEqualTo(true);
  }

  @Test
  void inDebugModeBodiesRunOnTheJdkSchedulerSoThatSlowOnesAreTimed() {
    assumeDriverCarried();
    Thread me = Thread.currentThread();
    boolean was = Deferred.isDebugging();
    Deferred.setDebugging(true);
    try {
      Deferred<Boolean> r = Async.run(() -> carrier.currentCarrier() != me);
      assertThat(successResultOf(r)).isTrue();
    } finally {
      Deferred.setDebugging(was);
    }
  }

  @Test
  void theJdkModeAndAnUnknownModeHaveNoCarrierAndAnUnknownOneIsReported() {
    List<LogRecord> records = new ArrayList<>();
    Handler handler = recordInto(records);
    Logger logger = Logger.getLogger(Async.class.getName());
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
    try {
      assertThat(DriverCarrier.create("jdk")).isNull();
      assertThat(records).isEmpty();
      assertThat(DriverCarrier.create("fast")).isNull();
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(true);
    }
    assertThat(records)
        .singleElement()
        .satisfies(record -> assertThat(record.getMessage()).contains("braid.async.carrier=fast"));
  }

  @Test
  void theDriverModeWithoutJavaLangOpenedIsReportedAndLeftOff() {
    assumeTrue(
        !Thread.class.getModule().isOpen("java.lang", DriverCarrier.class.getModule()),
        "java.lang is opened in this run");
    List<LogRecord> records = new ArrayList<>();
    Handler handler = recordInto(records);
    Logger logger = Logger.getLogger(Async.class.getName());
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
    try {
      assertThat(DriverCarrier.create("driver")).isNull();
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(true);
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            record ->
                assertThat(record.getMessage())
                    .contains("--add-opens java.base/java.lang=dev.braid.defer"));
  }

  @Test
  void aFreshCarrierServesBodiesAsTheSharedOneDoes() throws Exception {
    assumeDriverCarried();
    DriverCarrier fresh = DriverCarrier.create("driver");
    assertThat(fresh).isNotNull();
    Thread me = Thread.currentThread();
    Thread[] ran = new Thread[1];
    Thread body = fresh.bodyThreads().newThread(() -> ran[0] = fresh.currentCarrier());
    body.start(); // not a hand-off: the JDK's scheduler runs it
    assertThat(body.join(Duration.ofSeconds(30))).isTrue();
    assertThat(ran[0]).isNotNull().isNotSameAs(me);
  }

  private static void waitForState(Thread thread, Thread.State state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (thread.getState() != state && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(thread.getState()).isEqualTo(state);
  }

  private static Handler recordInto(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
