package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.protocols.Policies;
import dev.braid.sim.Faults;
import dev.braid.sim.SimHost;
import dev.braid.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slowloris defence of the transform server, simulated: the server as {@code poetry
 * transform-server --frame-timeout 2 --idle-timeout 1} builds it (the frame deadline inside the
 * idle timeout) on a host of its own; 200 peers on 200 other hosts trickle a request a byte at a
 * time, every 50 to 500 ms (never idle for 1 s); a normal client sends a whole request every 100 ms
 * meanwhile. On virtual time every figure is exact: each peer is reset exactly 2 s after its first
 * byte reached the server, and each normal request is answered in exactly two round trips.
 * (SlowlorisTest runs the real server on real sockets, for the figures on this machine.)
 */
class SlowlorisSimulationTest {
  static final int PEERS = 200;
  static final double FRAME_TIMEOUT = 2.0;
  static final double IDLE_TIMEOUT = 1.0;
  static final double LATENCY = 0.005;

  /** A peer that sends "99999:" and then 'a's, one byte every {@code interval}, until it is cut. */
  static final class Trickler extends BaseProtocol {
    static final byte[] HEADER = "99999:".getBytes(StandardCharsets.US_ASCII);
    final SimHost host;
    final double interval;
    double firstByte = -1;
    double cutAt = -1;
    ConnectionEnd reason;
    int sent;

    Trickler(SimHost host, double interval) {
      this.host = host;
      this.interval = interval;
    }

    @Override
    protected void connectionMade() {
      trickle();
    }

    private void trickle() {
      if (!isConnected()) {
        return;
      }
      if (firstByte < 0) {
        firstByte = host.seconds();
      }
      transport().write(new byte[] {sent < HEADER.length ? HEADER[sent] : (byte) 'a'});
      sent++;
      host.callLater(interval, this::trickle);
    }

    @Override
    public void connectionLost(ConnectionEnd r) {
      super.connectionLost(r);
      reason = r;
      cutAt = host.seconds();
    }
  }

  /** Sends one whole request at once and reads the reply to the end. */
  static final class Requester extends BaseProtocol {
    final SimHost host;
    final double start;
    final ByteArrayOutputStream reply = new ByteArrayOutputStream();
    double answeredAt = -1;
    ConnectionEnd reason;

    Requester(SimHost host) {
      this.host = host;
      this.start = host.seconds();
    }

    @Override
    protected void connectionMade() {
      transport().write("15:cummingsify.HEY,".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void dataReceived(byte[] data) {
      reply.writeBytes(data);
    }

    @Override
    public void connectionLost(ConnectionEnd r) {
      super.connectionLost(r);
      reason = r;
      answeredAt = host.seconds();
    }
  }

  @Test
  void tricklingPeersAreResetExactlyAtTheFrameTimeoutWhileWholeRequestsAreAnsweredAtOnce() {
    Simulation sim =
        Simulation.builder(1)
            .faults(Faults.none().withLatency(secs(LATENCY), secs(LATENCY)))
            .build();
    sim.addHost("xform")
        .boot(
            h ->
                h.listenTCP(
                    10001,
                    Policies.idleTimeout(
                        Policies.frameDeadline(
                            TransformServerFactory.create(TransformService.standard()),
                            h,
                            secs(FRAME_TIMEOUT)),
                        h,
                        secs(IDLE_TIMEOUT))));
    List<Trickler> peers = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      SimHost peer = sim.addHost("peer-" + i);
      Trickler t = new Trickler(peer, 0.05 * (1 + i % 10));
      peers.add(t);
      peer.callLater(0.01 * i, () -> peer.connectTCP("xform", 10001, address -> t));
    }
    SimHost client = sim.addHost("client");
    List<Requester> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      client.callLater(
          0.1 * i,
          () -> {
            Requester r = new Requester(client);
            requests.add(r);
            client.connectTCP("xform", 10001, address -> r);
          });
    }

    sim.run().assertPassed();

    for (Trickler t : peers) {
      // The first byte reaches the server one latency after it is sent; the reset comes back
      // one latency after the deadline.
      assertThat(t.cutAt - t.firstByte)
          .as("a peer trickling every %.2f s", t.interval)
          .isCloseTo(FRAME_TIMEOUT + 2 * LATENCY, within(1e-9));
      assertThat(t.reason).isInstanceOf(ConnectionLost.class);
    }
    assertThat(requests).hasSize(40);
    for (Requester r : requests) {
      assertThat(r.reply.toString(StandardCharsets.UTF_8)).isEqualTo("3:hey,");
      assertThat(r.reason).isInstanceOf(ConnectionDone.class);
      assertThat(r.answeredAt - r.start)
          .as("connect, request, reply: two round trips")
          .isCloseTo(4 * LATENCY, within(1e-9));
    }
  }

  static Duration secs(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
