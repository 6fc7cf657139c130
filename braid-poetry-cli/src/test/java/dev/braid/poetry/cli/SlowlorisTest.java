package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.defer.DelayedCall;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Reactor;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.poetry.testing.Slack;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.DeferredTimeout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability item 4 (docs/reliability.md): slowloris peers trickling one byte at a time into
 * {@code poetry transform-server} are cut at {@code --frame-timeout} after their first byte (not
 * before it; later only by the machine's load, {@link Slack}), while normal clients sending whole
 * requests meanwhile are served without delay. The exact time is checked on the virtual clock
 * ({@link SlowlorisOnVirtualTimeTest}); this test is the real thing: a running server, real
 * sockets, many peers at once, and the figures {@code bench/run-reliability} records (on a quiet
 * machine every peer is cut within a few tens of milliseconds of the timeout).
 *
 * <p>In the build: 200 peers, one byte every 0.5 s, {@code --frame-timeout 2}. The full
 * figure (2,000 peers, one byte per second, {@code --frame-timeout 5}) runs with {@code
 * bench/run-reliability}, which sets {@code -Dbraid.slowloris.peers=2000
 * -Dbraid.slowloris.interval=1 -Dbraid.slowloris.frameTimeout=5}.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class SlowlorisTest {
  static final int PEERS = Integer.getInteger("braid.slowloris.peers", 200);
  static final double INTERVAL =
      Double.parseDouble(System.getProperty("braid.slowloris.interval", "0.5"));
  static final double FRAME_TIMEOUT =
      Double.parseDouble(System.getProperty("braid.slowloris.frameTimeout", "2"));

  /** A peer that sends "99999:" and then 'a's, one byte every INTERVAL, until it is cut. */
  static final class Trickler extends BaseProtocol {
    static final byte[] HEADER = "99999:".getBytes(StandardCharsets.US_ASCII);
    final Reactor reactor;
    final Deferred<Double> cutAfter = Deferred.create();
    double firstByte = -1;
    int sent;
    DelayedCall next;

    Trickler(Reactor reactor) {
      this.reactor = reactor;
    }

    @Override
    protected void connectionMade() {
      trickle();
    }

    private void trickle() {
      next = null;
      if (firstByte < 0) {
        firstByte = reactor.seconds();
      }
      byte b = sent < HEADER.length ? HEADER[sent] : (byte) 'a';
      sent++;
      transport().write(new byte[] {b});
      next = reactor.callLater(INTERVAL, this::trickle);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      if (next != null && next.active()) {
        next.cancel();
      }
      cutAfter.callback(reactor.seconds() - firstByte);
    }
  }

  @Test
  @DeferredTimeout(120)
  void tricklingPeersAreCutAtTheFrameTimeoutWhileNormalClientsAreServedAtOnce(
      Reactor reactor, AfterTest afterTest) {
    TestEnv.Server server =
        TestEnv.redirected()
            .start("transform-server", "--frame-timeout", Double.toString(FRAME_TIMEOUT));
    int port =
        ServerCommandsTest.port(server.banner(), "Transforming poems on 127\\.0\\.0\\.1:(\\d+) .*");
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    afterTest.await(
        Async.run(
                () -> {
                  List<Trickler> peers = new ArrayList<>();
                  for (int i = 0; i < PEERS; i++) {
                    Trickler t = new Trickler(reactor);
                    peers.add(t);
                    ClientFactory f = address -> t;
                    reactor.connectTCP("127.0.0.1", port, f, null, null);
                  }
                  // Normal clients, one every 100 ms, for as long as the peers are connected.
                  double until = reactor.seconds() + FRAME_TIMEOUT + 1;
                  while (reactor.seconds() < until) {
                    double start = reactor.seconds();
                    byte[] request = TransformServerIllegalInputTest.netstring("cummingsify.HEY");
                    RawClient c = RawClient.connect(reactor, port, request);
                    assertThat(Async.await(c.ended)).isInstanceOf(ConnectionDone.class);
                    assertThat(c.received.toString(StandardCharsets.UTF_8)).isEqualTo("3:hey,");
                    latencies.add(reactor.seconds() - start);
                    Async.await(Deferreds.deferLater(reactor, 0.1, () -> null));
                  }
                  List<Double> cuts = new ArrayList<>();
                  for (Trickler t : peers) {
                    cuts.add(Async.await(t.cutAfter));
                  }
                  Collections.sort(cuts);
                  List<Double> lat = new ArrayList<>(latencies);
                  Collections.sort(lat);
                  System.out.printf(
                      "SlowlorisTest: %d peers, a byte every %.1f s, --frame-timeout %.1f: cut"
                          + " after %.3f s (min) %.3f s (median) %.3f s (max) from their first"
                          + " byte; %d normal requests meanwhile: %.1f ms (median) %.1f ms"
                          + " (max)%n",
                      PEERS,
                      INTERVAL,
                      FRAME_TIMEOUT,
                      cuts.get(0),
                      cuts.get(cuts.size() / 2),
                      cuts.get(cuts.size() - 1),
                      lat.size(),
                      lat.get(lat.size() / 2) * 1000,
                      lat.get(lat.size() - 1) * 1000);
                  assertThat(cuts.get(0))
                      .as("no peer is cut before the frame timeout")
                      .isGreaterThanOrEqualTo(FRAME_TIMEOUT - 0.05);
                  // Late only by the load (SlowlorisOnVirtualTimeTest checks the exact time);
                  // a peer the deadline missed would trickle on for hours.
                  assertThat(cuts.get(cuts.size() - 1))
                      .as("every peer is cut at the frame timeout")
                      .isLessThanOrEqualTo(FRAME_TIMEOUT + Slack.SECONDS);
                  assertThat(lat.get(lat.size() / 2))
                      .as("normal clients are served without delay (median)")
                      .isLessThan(0.5);
                  assertThat(lat.get(lat.size() - 1))
                      .as("normal clients are served while the peers trickle (slowest)")
                      .isLessThan(Slack.SECONDS);
                  return null;
                })
            .addBoth(
                outcome -> {
                  assertThat(server.stop()).isZero();
                  return outcome.get();
                }));
  }
}
