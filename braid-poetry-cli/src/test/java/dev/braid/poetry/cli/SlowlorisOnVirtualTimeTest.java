package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.braid.defer.DelayedCall;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Factory;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.test.StringTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slowloris defence of {@code poetry transform-server} on the virtual clock, built as the
 * command builds it: the command's own {@link FrameTimeout} and {@link Listen} options (here with
 * {@code --frame-timeout 2 --idle-timeout 1}) around the transform server's factory. Every peer
 * that trickles a request is reset exactly at the frame timeout after its first byte, however its
 * bytes are spaced, though it is never idle for the idle timeout; whole requests arriving meanwhile
 * are answered at once. {@link SlowlorisTest} runs the real server on real sockets, where the
 * machine's load can only make the cut later.
 */
class SlowlorisOnVirtualTimeTest {
  static final int PEERS = 200;
  static final double FRAME_TIMEOUT = 2.0;
  static final double IDLE_TIMEOUT = 1.0;

  /** A peer that sends "99999:" and then 'a's, a byte every {@code interval}, until it is cut. */
  static final class Trickler {
    static final byte[] HEADER = "99999:".getBytes(StandardCharsets.US_ASCII);
    final StringTransport transport = StringTransport.withDisconnection();
    final VirtualClock clock;
    final Factory server;
    final int index;
    final double interval;
    double firstByte = -1;
    double cutAt = -1;
    int sent;

    Trickler(VirtualClock clock, Factory server, int index, double interval) {
      this.clock = clock;
      this.server = server;
      this.index = index;
      this.interval = interval;
    }

    /** Connects and sends the first byte at once. */
    void start() {
      transport.connect(server.buildProtocol(new InetSocketAddress("10.0.1.1", 40000 + index)));
      trickle();
    }

    void trickle() {
      if (transport.isDisconnected()) {
        return;
      }
      if (firstByte < 0) {
        firstByte = clock.seconds();
      }
      byte b = sent < HEADER.length ? HEADER[sent] : (byte) 'a';
      sent++;
      transport.protocol().dataReceived(new byte[] {b});
      clock.callLater(interval, this::trickle);
    }
  }

  private static Factory transformServer(VirtualClock clock) {
    FrameTimeout frames = new FrameTimeout();
    frames.frameTimeout = Duration.ofMillis((long) (FRAME_TIMEOUT * 1000));
    Listen listen = new Listen();
    listen.idleTimeout = Duration.ofMillis((long) (IDLE_TIMEOUT * 1000));
    return listen.guard(
        frames.guard(TransformServerFactory.create(TransformService.standard()), clock), clock);
  }

  @Test
  void tricklingPeersAreResetExactlyAtTheFrameTimeoutWhileWholeRequestsAreAnswered() {
    VirtualClock clock = VirtualClock.create();
    Factory server = transformServer(clock);
    List<Trickler> peers = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      // Peers start 10 ms apart and trickle a byte every 50 to 500 ms: never idle for 1 s.
      Trickler t = new Trickler(clock, server, i, 0.05 * (1 + i % 10));
      peers.add(t);
      clock.callLater(0.01 * i, t::start);
    }
    List<StringTransport> normal = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      clock.callLater(0.1 * i + 0.005, () -> normal.add(request(server, "cummingsify.HEY")));
    }
    // Step from one timer to the next, so that every cut is seen at the time it happens.
    for (int steps = 0; !clock.getDelayedCalls().isEmpty(); steps++) {
      assertThat(steps).as("the peers are never all cut").isLessThan(100_000);
      double next =
          clock.getDelayedCalls().stream().mapToDouble(DelayedCall::getTime).min().orElseThrow();
      clock.advance(next - clock.seconds());
      for (Trickler t : peers) {
        if (t.cutAt < 0 && t.transport.isDisconnected()) {
          t.cutAt = clock.seconds();
        }
      }
    }
    for (Trickler t : peers) {
      assertThat(t.firstByte).as("peer %d started", t.index).isGreaterThanOrEqualTo(0);
      assertThat(t.cutAt)
          .as("peer trickling every %.2f s from %.2f s", t.interval, t.firstByte)
          .isCloseTo(t.firstByte + FRAME_TIMEOUT, within(1e-9));
      assertThat(t.transport.lostReason()).isInstanceOf(ConnectionAborted.class);
      assertThat(t.transport.value()).as("no reply").isEmpty();
    }
    assertThat(normal).hasSize(40);
    for (StringTransport t : normal) {
      assertThat(t.valueUtf8()).isEqualTo("3:hey,");
      assertThat(t.lostReason()).isInstanceOf(ConnectionDone.class);
    }
  }

  /** A client that sends a whole request at once; answered and closed at the same instant. */
  private static StringTransport request(Factory server, String request) {
    StringTransport t = StringTransport.withDisconnection();
    t.connect(server.buildProtocol(new InetSocketAddress("10.0.2.1", 50000)));
    byte[] b = request.getBytes(StandardCharsets.UTF_8);
    t.protocol().dataReceived((b.length + ":" + request + ",").getBytes(StandardCharsets.UTF_8));
    assertThat(t.valueUtf8()).as("answered at once").isEqualTo("3:hey,");
    assertThat(t.isDisconnected()).as("closed at once").isTrue();
    return t;
  }
}
