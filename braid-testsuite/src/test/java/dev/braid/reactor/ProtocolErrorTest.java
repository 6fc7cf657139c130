package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * An exception from user code in a protocol hook is logged, naming the connection, and drops that
 * connection; the reactor keeps running.
 */
@Tag("loopback")
class ProtocolErrorTest {

  static final class FailingOnData extends RecordingProtocol {
    @Override
    public void dataReceived(byte[] data) {
      throw new IllegalStateException("expected by the test: dataReceived failed");
    }
  }

  static final class FailingOnConnect extends RecordingProtocol {
    @Override
    protected void connectionMade() {
      super.connectionMade();
      throw new IllegalStateException("expected by the test: connectionMade failed");
    }
  }

  /** The reactor still serves: a fresh connection gets its protocol and is closed by it. */
  private static void assertStillServing(RunningReactor r) throws IOException {
    CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
    int port =
        r.listen(
            a -> {
              RecordingProtocol p = new RecordingProtocol();
              accepted.complete(p);
              return p;
            });
    try (Socket peer = new Socket("127.0.0.1", port)) {
      RecordingProtocol p = RunningReactor.get(accepted);
      r.run(() -> p.awaitTransport().loseConnection());
      assertThat(peer.getInputStream().read()).isEqualTo(-1);
    }
  }

  /**
   * The one error the test provoked: logged once, naming the connection, with the exception. Called
   * once the reactor has stopped, so the event has certainly been logged.
   */
  private static void assertLogged(
      LogCapture logs, Class<?> logger, String messageStart, String exceptionMessage) {
    assertThat(logs.take(Level.ERROR, logger))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).startsWith(messageStart);
              assertThat(e.thrown()).hasMessage(exceptionMessage);
            });
  }

  @Test
  void anExceptionInDataReceivedDropsThatConnectionOnly(LogCapture logs) throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      FailingOnData failing = new FailingOnData();
      int port = r.listen(a -> failing);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        peer.getOutputStream().write(1);
        assertThat(peer.getInputStream().read()).isEqualTo(-1); // closed by the reactor
      }
      ConnectionEnd reason = failing.awaitLost();
      assertThat(reason)
          .isExactlyInstanceOf(ConnectionLost.class)
          .hasMessageContaining("dataReceived threw")
          .hasRootCauseMessage("expected by the test: dataReceived failed");
      assertStillServing(r);
    }
    assertLogged(
        logs,
        TcpTransport.class,
        "dataReceived threw on " + FailingOnData.class.getName(),
        "expected by the test: dataReceived failed");
  }

  @Test
  void anExceptionInConnectionMadeDropsThatConnection(LogCapture logs) throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      FailingOnConnect failing = new FailingOnConnect();
      int port = r.listen(a -> failing);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(failing.awaitLost()).hasMessageContaining("makeConnection threw");
      assertStillServing(r);
    }
    assertLogged(
        logs,
        TcpTransport.class,
        "makeConnection threw on " + FailingOnConnect.class.getName(),
        "expected by the test: connectionMade failed");
  }

  @Test
  void anExceptionInBuildProtocolClosesThatConnection(LogCapture logs) throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          r.listen(
              a -> {
                throw new IllegalStateException("expected by the test: buildProtocol failed");
              });
      try (Socket peer = new Socket("127.0.0.1", port)) {
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
      }
      assertStillServing(r);
    }
    assertLogged(
        logs,
        TcpListeningPort.class,
        "buildProtocol threw on TCP port 127.0.0.1:",
        "expected by the test: buildProtocol failed");
  }

  @Test
  void anExceptionInConnectionLostIsOnlyLogged(LogCapture logs) throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<Boolean> called = new CompletableFuture<>();
      RecordingProtocol failing =
          new RecordingProtocol() {
            @Override
            public void connectionLost(ConnectionEnd reason) {
              called.complete(true);
              throw new IllegalStateException("expected by the test: connectionLost failed");
            }
          };
      int port = r.listen(a -> failing);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        failing.awaitTransport();
        peer.shutdownOutput(); // end of stream: the reactor closes, connectionLost throws
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(RunningReactor.get(called)).isTrue();
      assertStillServing(r);
    }
    assertLogged(
        logs,
        TcpTransport.class,
        "connectionLost threw on ",
        "expected by the test: connectionLost failed");
  }

  @Test
  void aConnectionIsNamedByItsProtocolAndAddresses() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      RecordingProtocol p = new RecordingProtocol();
      int port = r.listen(a -> p);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        String name = p.awaitTransport().toString();
        assertThat(name)
            .isEqualTo(
                RecordingProtocol.class.getName()
                    + " [server 127.0.0.1:"
                    + port
                    + " <- 127.0.0.1:"
                    + peer.getLocalPort()
                    + "]");
      }
    }
  }
}
