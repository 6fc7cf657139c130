package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.VirtualClock;
import dev.braid.test.BraidExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class ProgressDisplayTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void drawsOneLinePerServerAndRedrawsInPlace(VirtualClock clock) {
    ProgressDisplay p =
        ProgressDisplay.live(err, clock, List.of("127.0.0.1:10000", "127.0.0.1:10001"));
    p.update(0, 10);
    assertThat(text())
        .isEqualTo(
            "\r\u001b[2Kgot 10 bytes of poetry from 127.0.0.1:10000\n"
                + "\r\u001b[2Kgot 0 bytes of poetry from 127.0.0.1:10001\n");
    bytes.reset();
    clock.advance(1);
    p.update(1, 20);
    assertThat(text())
        .isEqualTo(
            "\u001b[2A\r\u001b[2Kgot 10 bytes of poetry from 127.0.0.1:10000\n"
                + "\r\u001b[2Kgot 20 bytes of poetry from 127.0.0.1:10001\n");
    p.close();
  }

  @Test
  void redrawsAtMostOncePerInterval(VirtualClock clock) {
    ProgressDisplay p = ProgressDisplay.live(err, clock, List.of("a:1"));
    p.update(0, 1);
    bytes.reset();
    p.update(0, 2);
    p.update(0, 3);
    assertThat(text()).as("throttled").isEmpty();
    clock.advance(ProgressDisplay.INTERVAL_SECONDS);
    assertThat(text()).endsWith("got 3 bytes of poetry from a:1\n").containsOnlyOnce("got");
    p.close();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void showsDoneAndFailedThenErasesItselfOnClose(VirtualClock clock) {
    ProgressDisplay p = ProgressDisplay.live(err, clock, List.of("a:1", "b:2"));
    p.done(0, 42);
    clock.advance(1);
    p.failed(1, "connection refused");
    assertThat(text())
        .endsWith(
            "\u001b[2A\r\u001b[2Kgot 42 bytes of poetry from a:1, done\n"
                + "\r\u001b[2Kb:2: connection refused\n");
    bytes.reset();
    p.close();
    assertThat(text()).isEqualTo("\u001b[2A\r\u001b[J");
    assertThat(clock.getDelayedCalls()).isEmpty();
    bytes.reset();
    p.update(0, 50);
    p.close();
    assertThat(text()).as("nothing after close").isEmpty();
  }

  @Test
  void closingBeforeAnythingWasDrawnPrintsNothing(VirtualClock clock) {
    ProgressDisplay p = ProgressDisplay.live(err, clock, List.of("a:1"));
    p.close();
    assertThat(text()).isEmpty();
  }

  @Test
  void aDisabledDisplayDrawsNothing() {
    ProgressDisplay p = ProgressDisplay.disabled();
    p.update(0, 10);
    p.done(0, 10);
    p.failed(0, "x");
    p.close();
    assertThat(text()).isEmpty();
  }
}
