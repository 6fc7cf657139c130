package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.SystemEventPhase;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The drain on a real reactor and loopback sockets, as a server's shutdown runs it: {@code stop()}
 * runs the drain's BEFORE trigger, and the reactor closes what is left only after the drain fired.
 * Clients are blocking {@link Socket}s, so a reset shows as an exception and a clean close as the
 * end of the stream.
 */
@Tag("loopback")
class ConnectionDrainLoopbackTest {
  static final byte[] FIRST = b("first half, ");
  static final byte[] SECOND = b("second half");

  /** Writes the first half at once and the second when the client sends a byte, then closes. */
  static final class Reply extends BaseProtocol {
    final CopyOnWriteArrayList<ConnectionEnd> lost;

    Reply(CopyOnWriteArrayList<ConnectionEnd> lost) {
      this.lost = lost;
    }

    @Override
    protected void connectionMade() {
      transport().write(FIRST);
    }

    @Override
    public void dataReceived(byte[] data) {
      transport().write(SECOND);
      transport().loseConnection();
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      lost.add(reason);
    }
  }

  private final CopyOnWriteArrayList<ConnectionEnd> lost = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> duringPhaseSaw = new CopyOnWriteArrayList<>();
  private final Factory factory = address -> new Reply(lost);
  private ListeningPort listening;

  /** Listens with the drain installed; a DURING trigger records what had been lost by then. */
  private int listen(RunningReactor r, ConnectionDrain drain, Duration grace) {
    return r.call(
        () -> {
          SelectorReactor reactor = r.reactor();
          listening = drain.addPort(reactor.listenTCP(0, drain.track(factory), 50, "127.0.0.1"));
          int port = listening.getHost().getPort();
          drain.installOn(reactor, grace);
          reactor.addSystemEventTrigger(
              SystemEventPhase.DURING,
              () -> {
                duringPhaseSaw.add("lost before DURING: " + lost);
                return null;
              });
          return port;
        });
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    assertThat(bytes).hasSize(n);
    return bytes;
  }

  private void beginShutdown(RunningReactor r, ConnectionDrain drain) {
    r.run(() -> r.reactor().stop());
    // callFromThread calls run in order: this one runs after stop()'s BEFORE triggers.
    assertThat(r.call(drain::isDraining)).isTrue();
    // The drain has closed the port; its Deferred fires once a select has released the socket.
    r.await(listening::stopListening);
  }

  @Test
  void aReplyInFlightFinishesWithinTheGraceWhileNewClientsAreRefused() throws IOException {
    ConnectionDrain drain;
    try (RunningReactor r = RunningReactor.start()) {
      drain = r.call(() -> ConnectionDrain.create(r.reactor()));
      int port = listen(r, drain, Duration.ofSeconds(60));
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        InputStream in = client.getInputStream();
        assertThat(readExactly(in, FIRST.length)).isEqualTo(FIRST);
        beginShutdown(r, drain);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
            .as("the port is closed: new clients are refused")
            .isInstanceOf(ConnectException.class);
        assertThat(r.reactor().isRunning()).isFalse();
        client.getOutputStream().write('!');
        assertThat(readExactly(in, SECOND.length)).isEqualTo(SECOND);
        assertThat(in.read()).as("a clean end of stream").isEqualTo(-1);
      }
      r.awaitExit();
    }
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0)).isInstanceOf(dev.braid.net.ConnectionDone.class);
    assertThat(duringPhaseSaw).hasSize(1);
  }

  @Test
  void whenTheGraceExpiresTheClientIsResetBeforeTheReactorClosesTheRest() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      ConnectionDrain drain = r.call(() -> ConnectionDrain.create(r.reactor()));
      int port = listen(r, drain, Duration.ZERO);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        InputStream in = client.getInputStream();
        assertThat(readExactly(in, FIRST.length)).isEqualTo(FIRST);
        // The drain resets at once and the shutdown goes on: nothing more runs on the reactor.
        r.run(() -> r.reactor().stop());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        assertThatThrownBy(() -> in.transferTo(rest))
            .as("a reset, not an end of stream")
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
        assertThat(rest.toString(StandardCharsets.UTF_8)).isEmpty();
      }
      r.awaitExit();
      assertThat(drain.isDraining()).isTrue();
    }
    assertThat(lost).singleElement().isInstanceOf(ConnectionAborted.class);
    assertThat(duringPhaseSaw)
        .as("the reactor went on to DURING only after the drain had reset the connection")
        .singleElement()
        .asString()
        .contains("ConnectionAborted");
  }
}
