package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.poetry.testing.LoopbackPorts;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code poetry get} against real servers on loopback, run in-process. */
@Tag("loopback")
class GetCommandTest {
  static final String FAST = Poems.named("the_reactor").text();
  static final String SLOW = Poems.named("cafe_at_midnight").text();

  RunningReactor servers;
  int fast;
  int slow;
  int transform;

  int listen(Factory factory) {
    return servers.call(
        () ->
            servers
                .reactor()
                .listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                .getHost()
                .getPort());
  }

  int poetry(String poem, Pacing pacing) {
    return listen(PoetryServerFactory.create(PoetryService.of(poem, pacing), servers.reactor()));
  }

  int poetry(byte[] poem) {
    return listen(
        PoetryServerFactory.create(PoetryService.of(poem, Pacing.atOnce()), servers.reactor()));
  }

  static final byte[] LATIN1 = "Café à minuit\nLà-bas".getBytes(StandardCharsets.ISO_8859_1);

  @BeforeEach
  void startServers() {
    servers = RunningReactor.start();
    fast = poetry(FAST, Pacing.atOnce());
    slow = poetry(SLOW, Pacing.chunks(40, Duration.ofMillis(20)));
    transform = listen(TransformServerFactory.create(TransformService.standard()));
  }

  @AfterEach
  void stopServers() {
    servers.close();
  }

  @Test
  void printsThePoemsInArgumentOrderWhateverOrderTheyArriveIn() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", String.valueOf(slow), "127.0.0.1:" + fast)).isZero();
    assertThat(t.out.text()).isEqualTo(SLOW + "\n" + FAST);
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void aSinglePoemIsPrintedExactly() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "localhost:" + fast)).isZero();
    assertThat(t.out.text()).isEqualTo(FAST);
  }

  @Test
  void aFailedDownloadIsReportedOnStderrWhileTheOthersStillPrint() {
    int down = LoopbackPorts.unusedPort();
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", String.valueOf(fast), String.valueOf(down), String.valueOf(slow)))
        .isEqualTo(1);
    assertThat(t.err.text()).isEqualTo("127.0.0.1:" + down + ": connection refused\n");
    assertThat(t.out.text()).isEqualTo(FAST + "\n" + SLOW);
  }

  @Test
  void transformsEachPoemThroughTheTransformServer() {
    TestEnv t = TestEnv.redirected();
    int status =
        t.run("get", "--xform", "shout", "--xform-server", "" + transform, "" + fast, "" + slow);
    assertThat(status).isZero();
    assertThat(t.out.text())
        .isEqualTo(FAST.toUpperCase(Locale.ROOT) + "\n" + SLOW.toUpperCase(Locale.ROOT));
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void whenTheTransformFailsTheOriginalIsPrintedWithANote() {
    TestEnv t = TestEnv.redirected();
    int status = t.run("get", "--xform", "fail", "--xform-server", "" + transform, "" + fast);
    assertThat(status).isZero();
    assertThat(t.out.text()).isEqualTo(FAST);
    assertThat(t.err.text())
        .isEqualTo(
            "127.0.0.1:"
                + fast
                + ": transform 'fail' failed (127.0.0.1:"
                + transform
                + " closed the connection without a reply (unknown transform, or the transform"
                + " failed)); printing the original poem\n");
  }

  @Test
  void anUnknownTransformFallsBackToo() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "--xform", "sonnetify", "--xform-server", "" + transform, "" + fast))
        .isZero();
    assertThat(t.out.text()).isEqualTo(FAST);
    assertThat(t.err.text()).contains("transform 'sonnetify' failed");
  }

  @Test
  void whenTheTransformServerIsDownTheOriginalIsPrintedWithANote() {
    int down = LoopbackPorts.unusedPort();
    TestEnv t = TestEnv.redirected();
    int status = t.run("get", "--xform", "cummingsify", "--xform-server", "" + down, "" + fast);
    assertThat(status).isZero();
    assertThat(t.out.text()).isEqualTo(FAST);
    assertThat(t.err.text())
        .isEqualTo(
            "127.0.0.1:"
                + fast
                + ": transform 'cummingsify' failed (transform server 127.0.0.1:"
                + down
                + ": connection refused); printing the original poem\n");
  }

  @Test
  void whenTheTransformServerCrashesMidRequestTheClientFallsBack() {
    int crashing =
        listen(
            address ->
                new BaseProtocol() {
                  @Override
                  public void dataReceived(byte[] data) {
                    transport().write("40:partial".getBytes(StandardCharsets.UTF_8));
                    transport().abortConnection();
                  }
                });
    TestEnv t = TestEnv.redirected();
    int status = t.run("get", "--xform", "cummingsify", "--xform-server", "" + crashing, "" + fast);
    assertThat(status).isZero();
    assertThat(t.out.text()).isEqualTo(FAST);
    assertThat(t.err.text()).contains("was lost before the reply", "printing the original poem");
  }

  @Test
  void xformWithoutAServerIsAUsageErrorAndNothingIsDownloaded() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "--xform", "cummingsify", "" + fast)).isEqualTo(Cli.USAGE);
    assertThat(t.out.text()).isEmpty();
    assertThat(t.reactors).as("no reactor, no download").isEmpty();
  }

  @Test
  void aTimeoutOfZeroMeansNoLimit() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "--timeout", "0", "" + slow, "" + fast)).isZero();
    assertThat(t.out.text()).isEqualTo(SLOW + "\n" + FAST);
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void aTimeoutFailsTheSlowDownloadAndTheOthersStillPrint() {
    int verySlow = poetry(SLOW, Pacing.chunks(10, Duration.ofSeconds(30)));
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "--timeout", "0.3", "" + verySlow, "" + fast)).isEqualTo(1);
    assertThat(t.err.text()).isEqualTo("127.0.0.1:" + verySlow + ": timed out after 0.3 seconds\n");
    assertThat(t.out.text()).isEqualTo(FAST);
  }

  @Test
  void redirectedOutputNeverShowsProgress() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "" + slow, "" + fast)).isZero();
    assertThat(t.err.text()).isEmpty();
    assertThat(t.out.text()).doesNotContain("got ").doesNotContain("\u001b[");
  }

  @Test
  void aTerminalShowsLiveProgressPerServerOnStderrOnly() {
    // Slow enough that a redraw (every 50 ms at most) always catches it mid-poem.
    int slow = poetry(SLOW, Pacing.chunks(40, Duration.ofMillis(100)));
    TestEnv t = TestEnv.terminal();
    assertThat(t.run("get", "" + slow, "" + fast)).isZero();
    String err = t.err.text();
    assertThat(err)
        .containsPattern("got [1-9][0-9]* bytes of poetry from 127\\.0\\.0\\.1:" + slow + "\n")
        .contains("\u001b[2A") // redrawn in place: two lines up
        .endsWith("\u001b[2A\r\u001b[J"); // and erased at the end
    assertThat(t.out.text()).isEqualTo(SLOW + "\n" + FAST);
  }

  @Test
  void aSinglePoemIsPrintedAsItsBytesWithNothingAdded() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "" + poetry(LATIN1))).isZero();
    assertThat(t.out.bytes()).as("Latin-1, no final newline").isEqualTo(LATIN1);
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void severalPoemsKeepTheirBytesBetweenTheSeparators() {
    int latin1 = poetry(LATIN1);
    byte[] utf8 = "Été\n".getBytes(StandardCharsets.UTF_8);
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "" + latin1, "" + poetry(utf8), "" + latin1)).isZero();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(LATIN1);
    expected.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII)); // ends it, then a blank line
    expected.writeBytes(utf8);
    expected.writeBytes("\n".getBytes(StandardCharsets.US_ASCII)); // the blank line
    expected.writeBytes(LATIN1);
    expected.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(t.out.bytes()).isEqualTo(expected.toByteArray());
  }

  @Test
  void aPoemThatIsNotUtf8IsNotTransformedButPrintedAsItCameWithANote() {
    int latin1 = poetry(LATIN1);
    TestEnv t = TestEnv.redirected();
    int status =
        t.run("get", "--xform", "shout", "--xform-server", "" + transform, "" + latin1, "" + fast);
    assertThat(status).isZero();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(LATIN1);
    expected.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(FAST.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    assertThat(t.out.bytes()).isEqualTo(expected.toByteArray());
    assertThat(t.err.text())
        .isEqualTo(
            "127.0.0.1:"
                + latin1
                + ": not transformed: the poem is not UTF-8 text (transforms work on UTF-8 text"
                + " only); printing the original poem\n");
  }

  @Test
  void aPoemTooLongToTransformIsPrintedAsItCameWithANoteNamingTheLimit() {
    String poem = "a".repeat(100_000);
    int longPoem = poetry(poem, Pacing.atOnce());
    TestEnv t = TestEnv.redirected();
    int status = t.run("get", "--xform", "shout", "--xform-server", "" + transform, "" + longPoem);
    assertThat(status).isZero();
    assertThat(t.out.text()).isEqualTo(poem);
    assertThat(t.err.text())
        .isEqualTo(
            "127.0.0.1:"
                + longPoem
                + ": transform 'shout' failed (the poem is too long to transform: the request"
                + " (NAME.POEM, in UTF-8) would be 100,006 bytes, over the transform protocol's"
                + " limit of 99,999 bytes); printing the original poem\n");
  }

  @Test
  void aPoemLargerThanMaxPoemSizeFailsInOneLineNamingTheLimit() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "--max-poem-size", "100", "" + fast, "" + slow)).isEqualTo(1);
    assertThat(t.out.text()).isEmpty();
    assertThat(t.err.text())
        .isEqualTo(
            "127.0.0.1:"
                + fast
                + ": the poem is larger than --max-poem-size (100 bytes); the download was"
                + " stopped\n127.0.0.1:"
                + slow
                + ": the poem is larger than --max-poem-size (100 bytes); the download was"
                + " stopped\n");
    TestEnv big = TestEnv.redirected();
    assertThat(big.run("get", "--max-poem-size", "1K", "" + fast)).isZero();
    assertThat(big.out.text()).isEqualTo(FAST);
  }

  @Test
  void onATerminalEveryFinishedSourceIsShownDoneAndAFailedOneOnce() {
    int refused = LoopbackPorts.unusedPort();
    int cut =
        listen(
            address ->
                new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport().write(FAST.substring(0, 40).getBytes(StandardCharsets.UTF_8));
                    servers.reactor().callLater(0.05, () -> transport().abortConnection());
                  }
                });
    int slow = poetry(SLOW, Pacing.chunks(40, Duration.ofMillis(100)));
    TestEnv t = TestEnv.terminal();
    assertThat(t.run("get", "" + fast, "" + slow, "" + refused, "" + cut)).isEqualTo(1);
    VirtualTerminal terminal = new VirtualTerminal(60).write(t.err.text());
    List<List<String>> frames = terminal.frames();
    assertThat(frames).isNotEmpty();
    for (List<String> frame : frames) {
      assertThat(frame).as("one row per source, none stale: %s", frame).hasSize(4);
    }
    assertThat(frames.get(frames.size() - 1))
        .as("the last frame before the display is erased")
        .satisfiesExactly(
            row ->
                assertThat(row)
                    .isEqualTo("got 357 bytes of poetry from 127.0.0.1:" + fast + ", done"),
            row ->
                assertThat(row)
                    .isEqualTo("got 371 bytes of poetry from 127.0.0.1:" + slow + ", done"),
            row -> assertThat(row).isEqualTo("127.0.0.1:" + refused + ": connection refused"),
            row -> assertThat(row).startsWith("127.0.0.1:" + cut + ": connection lost after "));
    String screen = String.join("", terminal.screen());
    assertThat(screen)
        .as("after the poems, each failure is printed once")
        .containsOnlyOnce("127.0.0.1:" + refused + ": connection refused")
        .containsOnlyOnce("127.0.0.1:" + cut + ": connection lost after ")
        .doesNotContain("got ");
    assertThat(t.out.text()).isEqualTo(FAST + "\n" + SLOW);
  }
}
