package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debug mode's warnings about callbacks that keep the reactor's loop busy. */
class SlowCallbackTest {
  private boolean debuggingBefore;
  private PrintStream err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void captureStandardError() {
    debuggingBefore = Deferred.isDebugging();
    err = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(err);
    Deferred.setDebugging(debuggingBefore);
  }

  private List<String> warnings() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
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
  void inDebugModeASlowDelayedCallIsLoggedWithWhereItWasScheduledAndHowLongItTook() {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      CompletableFuture<Void> ran = new CompletableFuture<>();
      running.run(
          () ->
              running.reactor.callLater(
                  0,
                  () -> {
                    takeSixtyMilliseconds();
                    ran.complete(null);
                  }));
      RunningReactor.get(ran);
    }

    assertThat(warnings())
        .anyMatch(
            line ->
                line.matches(
                    ".*WARN SelectorReactor - Slow callback on the reactor thread test-reactor:"
                        + " delayed call a lambda in dev\\.braid\\.reactor\\.SlowCallbackTest,"
                        + " scheduled at dev\\.braid\\.reactor\\.SlowCallbackTest\\.lambda\\$.*"
                        + " took \\d+\\.\\d ms \\(threshold 30 ms\\); nothing else ran on this"
                        + " reactor meanwhile"));
  }

  @Test
  void inDebugModeSlowIoIsLoggedNamingTheConnection() {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      CompletableFuture<Void> received = new CompletableFuture<>();
      int port =
          running.call(
              () ->
                  running
                      .reactor
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
              running.reactor.connectTCP(
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

    assertThat(warnings())
        .anyMatch(
            line ->
                line.matches(
                    ".*Slow callback on the reactor thread test-reactor: I/O on"
                        + " dev\\.braid\\.reactor\\.SlowCallbackTest\\S* \\[server 127\\.0\\.0\\.1:\\d+"
                        + " <- 127\\.0\\.0\\.1:\\d+\\] \\(ready to read\\) took \\d+\\.\\d ms.*"));
  }

  @Test
  void inDebugModeASlowCallFromThreadIsLogged() {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      running.run(SlowCallbackTest::takeSixtyMilliseconds);
    }

    assertThat(warnings())
        .anyMatch(
            line ->
                line.contains(
                    "Slow callback on the reactor thread test-reactor: callFromThread call"));
  }

  @Test
  void aDumpTakenOnTheReactorThreadIsNotReportedAsSlow() {
    Deferred.setDebugging(true);
    try (RunningReactor running = start(Duration.ofNanos(1))) { // every callback is slow
      running.run(() -> {});
      assertThat(running.reactor.dumpPending()).startsWith("Reactor ");
    }

    assertThat(warnings())
        .anyMatch(
            line ->
                line.contains("callFromThread call a lambda in dev.braid.reactor.RunningReactor"))
        .noneMatch(line -> line.contains("ReactorDump"));
  }

  @Test
  void outsideDebugModeASlowCallbackIsNotLogged() {
    Deferred.setDebugging(false);
    try (RunningReactor running = start(Duration.ofMillis(30))) {
      running.run(SlowCallbackTest::takeSixtyMilliseconds);
    }

    assertThat(warnings()).noneMatch(line -> line.contains("Slow callback"));
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
