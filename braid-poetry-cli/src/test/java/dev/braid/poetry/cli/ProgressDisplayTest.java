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
            "\u001b[?7l\r\u001b[2Kgot 10 bytes of poetry from 127.0.0.1:10000\n"
                + "\r\u001b[2Kgot 0 bytes of poetry from 127.0.0.1:10001\n\u001b[?7h");
    bytes.reset();
    clock.advance(1);
    p.update(1, 20);
    assertThat(text())
        .isEqualTo(
            "\u001b[?7l\u001b[2A\r\u001b[2Kgot 10 bytes of poetry from 127.0.0.1:10000\n"
                + "\r\u001b[2Kgot 20 bytes of poetry from 127.0.0.1:10001\n\u001b[?7h");
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
    assertThat(text())
        .endsWith("got 3 bytes of poetry from a:1\n\u001b[?7h")
        .containsOnlyOnce("got");
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
                + "\r\u001b[2Kb:2: connection refused\n\u001b[?7h");
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

  /**
   * A line as a terminal without wrapping shows it: the characters past the edge all land on the
   * last column, so the last one stays there.
   */
  static String cut(String line, int width) {
    return line.length() <= width
        ? line
        : line.substring(0, width - 1) + line.charAt(line.length() - 1);
  }

  /** Feeds the terminal what the display wrote since the last call. */
  List<String> screen(VirtualTerminal terminal) {
    terminal.write(text());
    bytes.reset();
    return terminal.screen();
  }

  @Test
  void aLineWiderThanTheTerminalTakesOneRowSoNoRowIsLeftStaleOrRepeated(VirtualClock clock) {
    VirtualTerminal terminal = new VirtualTerminal(40);
    ProgressDisplay p =
        ProgressDisplay.live(err, clock, List.of("127.0.0.1:10000", "127.0.0.1:10001"));
    String reason =
        "connection lost after 20 bytes of poetry (Connection lost: Connection reset by peer)";
    p.update(0, 10);
    p.update(1, 20);
    clock.advance(1);
    p.failed(1, reason);
    for (int i = 1; i <= 5; i++) {
      clock.advance(1);
      p.update(0, 10 + i * 10);
      List<String> screen = screen(terminal);
      assertThat(screen).as("one row per source, after redraw %d", i).hasSize(2);
      assertThat(screen.get(0))
          .isEqualTo(cut("got " + (10 + i * 10) + " bytes of poetry from 127.0.0.1:10000", 40));
      assertThat(screen.get(1))
          .as("cut at the edge, shown once")
          .isEqualTo(cut("127.0.0.1:10001: " + reason, 40));
    }
    p.done(0, 100);
    assertThat(screen(terminal))
        .first()
        .isEqualTo(cut("got 100 bytes of poetry from 127.0.0.1:10000, done", 40));
    p.close();
    assertThat(screen(terminal)).as("erased").isEmpty();
  }

  @Test
  void aSourceThatFinishesIsShownDoneAtOnceEvenWithinTheInterval(VirtualClock clock) {
    VirtualTerminal terminal = new VirtualTerminal(80);
    ProgressDisplay p = ProgressDisplay.live(err, clock, List.of("a:1", "b:2", "c:3"));
    p.update(0, 10); // drawn: the interval starts
    p.done(0, 20);
    p.failed(1, "connection refused");
    p.done(2, 30);
    assertThat(screen(terminal))
        .containsExactly(
            "got 20 bytes of poetry from a:1, done",
            "b:2: connection refused",
            "got 30 bytes of poetry from c:3, done");
    p.close();
    assertThat(screen(terminal)).isEmpty();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void aDoneSourceCancelsTheThrottledRedrawItMakesUseless(VirtualClock clock) {
    ProgressDisplay p = ProgressDisplay.live(err, clock, List.of("a:1"));
    p.update(0, 1);
    p.update(0, 2); // throttled: a redraw is scheduled
    assertThat(clock.getDelayedCalls()).hasSize(1);
    p.done(0, 3);
    assertThat(clock.getDelayedCalls()).as("drawn now instead").isEmpty();
    assertThat(text()).endsWith("got 3 bytes of poetry from a:1, done\n\u001b[?7h");
    p.close();
  }
}
