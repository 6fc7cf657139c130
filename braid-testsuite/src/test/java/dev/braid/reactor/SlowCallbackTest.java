package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Debug mode's warnings about callbacks that keep the reactor's loop busy. */
class SlowCallbackTest {
  private boolean debuggingBefore;

  @BeforeEach
  void rememberDebugMode() {
    debuggingBefore = Deferred.isDebugging();
  }

  @AfterEach
  void restoreDebugMode() {
    Deferred.setDebugging(debuggingBefore);
  }

  /** Takes the reactor's warnings logged so far: the test accounts for them. */
  private static List<String> warnings(LogCapture logs) {
    return logs.take(Level.WARN, SelectorReactor.class).stream().map(LogEvent::message).toList();
  }

  /** The slow callback under test: 60 ms of the loop's time. */
  private static void takeSixtyMilliseconds() {
    try {
      Thread.sleep(60);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static RunningReactor start(Duration threshold) {
    SelectorReactor reactor = SelectorReactor.create();
    reactor.setSlowCallbackThreshold(threshold);
    return RunningReactor.start(reactor);
  }

  @Test
  void inDebugModeASlowDelayedCallIsLoggedWithWhereItWasScheduledAndHowLongItTook(LogCapture logs) {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      CompletableFuture<Void> ran = new CompletableFuture<>();
      running.run(
          () ->
              running
                  .reactor()
                  .callLater(
                      0,
                      () -> {
                        takeSixtyMilliseconds();
                        ran.complete(null);
                      }));
      RunningReactor.get(ran);
    }

    assertThat(warnings(logs))
        .anyMatch(
            line ->
                line.matches(
                    "Slow callback on the reactor thread braid-test-reactor-\\d+:"
                        + " delayed call a lambda in dev\\.braid\\.reactor\\.SlowCallbackTest,"
                        + " scheduled at dev\\.braid\\.reactor\\.SlowCallbackTest\\.lambda\\$.*"
                        + " took \\d+\\.\\d ms \\(threshold 30 ms\\); nothing else ran on this"
                        + " reactor meanwhile"));
  }

  @Test
  @Tag("loopback")
  void inDebugModeSlowIoIsLoggedNamingTheConnection(LogCapture logs) {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      CompletableFuture<Void> received = new CompletableFuture<>();
      int port =
          running.call(
              () ->
                  running
                      .reactor()
                      .listenTCP(
                          0,
                          address ->
                              new BaseProtocol() {
                                @Override
                                public void dataReceived(byte[] data) {
                                  takeSixtyMilliseconds();
                                  received.complete(null);
                                }
                              },
                          50,
                          "127.0.0.1")
                      .getHost()
                      .getPort());
      running.run(
          () ->
              running
                  .reactor()
                  .connectTCP(
                      "127.0.0.1",
                      port,
                      new ClientFactory() {
                        @Override
                        public Protocol buildProtocol(InetSocketAddress address) {
                          return new BaseProtocol() {
                            @Override
                            public void makeConnection(Transport transport) {
                              super.makeConnection(transport);
                              transport.write("hello".getBytes(StandardCharsets.US_ASCII));
                            }
                          };
                        }
                      }));
      RunningReactor.get(received);
    }

    assertThat(warnings(logs))
        .anyMatch(
            line ->
                line.matches(
                    "Slow callback on the reactor thread braid-test-reactor-\\d+: I/O on"
                        + " dev\\.braid\\.reactor\\.SlowCallbackTest\\S* \\[server 127\\.0\\.0\\.1:\\d+"
                        + " <- 127\\.0\\.0\\.1:\\d+\\] \\(ready to read\\) took \\d+\\.\\d ms.*"));
  }

  @Test
  void inDebugModeASlowCallFromThreadIsLogged(LogCapture logs) {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      running.run(SlowCallbackTest::takeSixtyMilliseconds);
    }

    assertThat(warnings(logs)).anyMatch(line -> line.contains(": callFromThread call"));
  }

  @Test
  void aDumpTakenOnTheReactorThreadIsNotReportedAsSlow(LogCapture logs) {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofNanos(1))) { // every callback is slow
      running.run(() -> {});
      assertThat(running.reactor().dumpPending()).startsWith("Reactor ");
    }

    assertThat(warnings(logs))
        .anyMatch(
            line -> line.contains("callFromThread call a lambda in dev.braid.test.RunningReactor"))
        .noneMatch(line -> line.contains("ReactorDump"));
  }

  @Test
  void outsideDebugModeASlowCallbackIsNotLogged(LogCapture logs) {
    Deferred.setDebugging(false);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      running.run(SlowCallbackTest::takeSixtyMilliseconds);
    }

    assertThat(warnings(logs)).noneMatch(line -> line.contains("Slow callback"));
  }

  @Test
  void theThresholdIsOneHundredMillisecondsUnlessSetAndMustBePositive() {
    SelectorReactor reactor = SelectorReactor.create();

    assertThat(reactor.slowCallbackThreshold()).isEqualTo(Duration.ofMillis(100));
    reactor.setSlowCallbackThreshold(Duration.ofMillis(250));
    assertThat(reactor.slowCallbackThreshold()).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> reactor.setSlowCallbackThreshold(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slow-callback threshold must be positive: PT0S");
  }
}
