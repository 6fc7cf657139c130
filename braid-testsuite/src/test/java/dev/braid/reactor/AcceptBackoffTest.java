package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * A listening port whose accept fails (out of file descriptors) stops asking for accepts and
 * retries after a growing pause, instead of spinning on a socket that stays ready.
 */
@Tag("loopback")
class AcceptBackoffTest {
  private static TcpListeningPort listen(RunningReactor r, CompletableFuture<Void> served) {
    return r.call(
        () ->
            (TcpListeningPort)
                r.reactor()
                    .listenTCP(
                        0,
                        address ->
                            new BaseProtocol() {
                              @Override
                              protected void connectionMade() {
                                served.complete(null);
                                transport().loseConnection();
                              }
                            },
                        ReactorTcp.DEFAULT_BACKLOG,
                        "127.0.0.1"));
  }

  @Test
  void aFailingAcceptIsRetriedAfterAGrowingPauseAndTheConnectionIsThenServed(LogCapture logs)
      throws Exception {
    int failures = 6;
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<Void> served = new CompletableFuture<>();
      TcpListeningPort port = listen(r, served);
      List<Long> attempts = new ArrayList<>(); // reactor thread only
      r.run(
          () ->
              port.setAcceptor(
                  () -> {
                    attempts.add(System.nanoTime());
                    if (attempts.size() <= failures) {
                      throw new IOException("Too many open files (injected by the test)");
                    }
                    SocketChannel accepted = port.channel().accept();
                    return accepted;
                  }));
      try (Socket client = new Socket("127.0.0.1", port.getHost().getPort())) {
        RunningReactor.get(served);
        assertThat(client.getInputStream().read()).as("served, then closed").isEqualTo(-1);
      }
      // One warning when the accepts pause, one line when they resume; not one per failure.
      assertThat(logs.take(Level.WARN, TcpListeningPort.class))
          .singleElement()
          .extracting(LogEvent::message)
          .asString()
          .startsWith("accept failed on TCP port 127.0.0.1:" + port.getHost().getPort())
          .contains("Too many open files (injected by the test); pausing accepts");
      assertThat(logs.take(Level.INFO, TcpListeningPort.class))
          .extracting(LogEvent::message)
          .singleElement()
          .asString()
          .contains("accepting again")
          .endsWith("after " + failures + " failed accepts");
      List<Long> seen = r.call(() -> List.copyOf(attempts));
      assertThat(r.call(port::failedAccepts)).isEqualTo(failures);
      assertThat(r.call(port::isAccepting)).isTrue();
      // One try per pause, not one per turn of the loop: 10, 20, 40, 80, 160, 320 ms.
      assertThat(seen).hasSizeGreaterThanOrEqualTo(failures + 1);
      long expected = TcpListeningPort.FIRST_BACKOFF_MILLIS;
      for (int i = 1; i <= failures; i++) {
        long gapMillis = (seen.get(i) - seen.get(i - 1)) / 1_000_000;
        assertThat(gapMillis).as("pause before try %d", i + 1).isGreaterThanOrEqualTo(expected - 1);
        expected = Math.min(TcpListeningPort.MAX_BACKOFF_MILLIS, expected * 2);
      }
      r.run(() -> port.stopListening());
    }
  }

  @Test
  void aPortThatStopsListeningWhilePausedLeavesNoTimerBehind(LogCapture logs) throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<Void> served = new CompletableFuture<>();
      TcpListeningPort port = listen(r, served);
      CompletableFuture<Void> failed = new CompletableFuture<>();
      r.run(
          () ->
              port.setAcceptor(
                  () -> {
                    failed.complete(null);
                    throw new IOException("Too many open files (injected by the test)");
                  }));
      try (Socket client = new Socket("127.0.0.1", port.getHost().getPort())) {
        RunningReactor.get(failed);
        assertThat(r.call(port::isAccepting)).as("paused").isFalse();
        assertThat(logs.take(Level.WARN, TcpListeningPort.class))
            .extracting(LogEvent::message)
            .singleElement()
            .asString()
            .contains("pausing accepts");
        assertThat(r.call(() -> r.reactor().getDelayedCalls())).hasSize(1);
        r.run(() -> port.stopListening());
        assertThat(r.call(() -> r.reactor().getDelayedCalls())).isEmpty();
        assertThat(served).isNotDone();
        assertThat(client.isConnected()).as("waiting in the backlog").isTrue();
      }
    }
  }

  @Test
  void theBackoffIsCappedBelowASecond() {
    assertThat(TcpListeningPort.MAX_BACKOFF_MILLIS).isLessThan(1000);
  }
}
