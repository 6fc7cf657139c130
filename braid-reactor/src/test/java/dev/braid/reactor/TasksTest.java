package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.defer.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** deferLater (on VirtualClock) and react (on a real reactor, run on the test thread). */
class TasksTest {
  private final VirtualClock clock = VirtualClock.create();

  private static <T> Outcome<T> outcome(Deferred<T> d) {
    List<Outcome<T>> box = new ArrayList<>();
    d.addBoth(
        o -> {
          box.add(o);
          return null;
        });
    return box.isEmpty() ? null : box.get(0);
  }

  // --- deferLater -------------------------------------------------------------------------------

  @Test
  void deferLaterFiresWithTheCallablesResultAfterTheDelay() {
    Deferred<String> d = Tasks.deferLater(clock, 1.0, () -> "later at " + clock.seconds());
    clock.advance(0.5);
    assertThat(d.isCalled()).isFalse();
    clock.advance(0.5);
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>("later at 1.0"));
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void deferLaterWithoutACallableFiresWithNull() {
    Deferred<Object> d = Tasks.deferLater(clock, Duration.ofSeconds(2), null);
    clock.advance(2);
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>(null));
  }

  @Test
  void aDeferredReturnedByTheCallableIsWaitedFor() {
    Deferred<String> inner = Deferred.create();
    Deferred<Object> d = Tasks.deferLater(clock, 1, () -> inner);
    clock.advance(1);
    assertThat(d.hasResult()).isFalse();
    inner.callback("inner");
    assertThat(outcome(d)).isEqualTo(new Outcome.Success<>("inner"));
  }

  @Test
  void anExceptionFromTheCallableFailsTheDeferred() {
    Deferred<String> d =
        Tasks.deferLater(
            clock,
            1,
            () -> {
              throw new IllegalStateException("boom");
            });
    clock.advance(1);
    Outcome<String> o = outcome(d);
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed<String>) o).failure().value()).hasMessage("boom");
  }

  @Test
  void cancellingBeforeTheCallCancelsTheDelayedCall() {
    List<String> ran = new ArrayList<>();
    Deferred<String> d =
        Tasks.deferLater(
            clock,
            1,
            () -> {
              ran.add("ran");
              return "x";
            });
    d.cancel();
    Outcome<String> o = outcome(d);
    assertThat(((Outcome.Failed<String>) o).failure().value())
        .isInstanceOf(CancelledException.class);
    assertThat(clock.getDelayedCalls()).isEmpty();
    clock.advance(2);
    assertThat(ran).isEmpty();
  }

  @Test
  void deferLaterOnTheReactor() {
    try (RunningReactor r = RunningReactor.start()) {
      String result =
          r.await(() -> Tasks.deferLater(r.reactor, Duration.ofMillis(5), () -> "on time"));
      assertThat(result).isEqualTo("on time");
    }
  }

  // --- react -------------------------------------------------------------------------------------

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void reactRunsUntilMainsDeferredFiresAndExitsWithZero() {
    SelectorReactor reactor = SelectorReactor.create();
    List<String> log = new ArrayList<>();
    int status =
        Tasks.react(
            reactor,
            x -> {
              log.add("main, running: " + x.isRunning());
              return Tasks.deferLater(
                  reactor, 0.01, () -> log.add("done, running: " + x.isRunning()));
            },
            err);
    assertThat(status).isZero();
    assertThat(log).containsExactly("main, running: false", "done, running: true");
    assertThat(reactor.isRunning()).isFalse();
    assertThat(err()).isEmpty();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFailureIsPrintedAndExitsWithOne() {
    SelectorReactor reactor = SelectorReactor.create();
    int status =
        Tasks.react(
            reactor,
            x ->
                Tasks.deferLater(
                    x,
                    0.001,
                    () -> {
                      throw new IllegalStateException("expected by the test: main failed");
                    }),
            err);
    assertThat(status).isEqualTo(1);
    assertThat(err())
        .contains("main function encountered error")
        .contains("IllegalStateException: expected by the test: main failed");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aMainThatThrowsExitsWithOne() {
    int status =
        Tasks.react(
            SelectorReactor.create(),
            x -> {
              throw new java.io.IOException("expected by the test: no config");
            },
            err);
    assertThat(status).isEqualTo(1);
    assertThat(err()).contains("IOException: expected by the test: no config");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aReactorStoppedBeforeMainFinishesExitsWithZero() {
    SelectorReactor reactor = SelectorReactor.create();
    int status =
        Tasks.react(
            reactor,
            x -> {
              x.callWhenRunning(x::stop); // as a SIGINT would
              return Deferred.create(); // never fires
            },
            err);
    assertThat(status).isZero();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aMainAlreadyDoneStopsTheReactorOnceItRuns() {
    int status = Tasks.react(SelectorReactor.create(), x -> Deferred.succeed("done"), err);
    assertThat(status).isZero();
  }
}
