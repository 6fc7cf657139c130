package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.reactor.Tasks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tasks#react} asks only for the event loop ({@code ReactorCore}), so a program runs on the
 * test kit's {@link MemoryReactor}, on virtual time, with no fake of a whole reactor: the program
 * is given the memory reactor itself and may use its clock.
 */
class ReactOnMemoryReactorTest {
  private final MemoryReactor reactor = MemoryReactor.create();
  private final List<String> log = new ArrayList<>();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aProgramOnVirtualTimeRunsUntilItsDeferredFiresAndExitsWithZero() {
    int status =
        Tasks.react(
            reactor,
            r -> {
              log.add("main at " + r.seconds() + ", running: " + r.isRunning());
              r.callWhenRunning(() -> r.advance(5)); // the test moves time once the loop runs
              return Deferreds.deferLater(
                  r, 5, () -> log.add("done at " + r.seconds() + ", running: " + r.isRunning()));
            },
            err);
    assertThat(status).isZero();
    assertThat(log).containsExactly("main at 0.0, running: false", "done at 5.0, running: true");
    assertThat(reactor.hasStopped()).isTrue();
    assertThat(reactor.leftovers()).isEmpty();
    assertThat(err()).isEmpty();
  }

  @Test
  void aProgramAlreadyDoneStopsTheReactorOnceItRuns() {
    int status = Tasks.react(reactor, r -> Deferred.succeed("done"), err);
    assertThat(status).isZero();
    assertThat(reactor.hasRun()).isTrue();
    assertThat(reactor.hasStopped()).isTrue();
  }

  @Test
  void aFailedProgramIsPrintedAndExitsWithOne() {
    int status =
        Tasks.react(
            reactor, r -> Deferred.fail(new IOException("expected by the test: no poem")), err);
    assertThat(status).isEqualTo(1);
    assertThat(err())
        .contains("main function encountered error")
        .contains("IOException: expected by the test: no poem");
    assertThat(reactor.hasStopped()).isTrue();
  }
}
