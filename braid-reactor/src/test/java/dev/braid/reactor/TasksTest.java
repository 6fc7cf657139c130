package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** react, on a real reactor run on the test thread (on a MemoryReactor: braid-test). */
class TasksTest {
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
              return Deferreds.deferLater(
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
                Deferreds.deferLater(
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
