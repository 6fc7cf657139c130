package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.protocols.Policies;
import dev.braid.sim.Faults;
import dev.braid.sim.SimHost;
import dev.braid.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle timeouts on the servers, simulated on virtual time, each server built as its command builds
 * it with {@code --idle-timeout 0.5}. A netstring server closes a client that sends nothing cleanly
 * after the period. The poetry servers reset instead, since a clean close would end the poem: a
 * client that stops reading a long poem is reset rather than held forever; a slow server whose
 * pieces come less often than the timeout resets rather than truncating the poem; a proxy waiting
 * on a silent upstream resets its clients rather than handing them an empty poem, and cancels the
 * fetch. Every time is exact. (IdleTimeoutCommandTest runs the commands themselves on loopback.)
 */
class IdleTimeoutSimulationTest {
  static final Duration IDLE = Duration.ofMillis(500);
  static final double LATENCY = 0.005;

  static Simulation simulation() {
    Duration l = Duration.ofMillis(5);
    return Simulation.builder(1).faults(Faults.none().withLatency(l, l)).build();
  }

  /** A client that reads to the end, and can stop reading. */
  static final class Client extends BaseProtocol {
    final SimHost host;
    final double start;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    double endedAt = -1;
    ConnectionEnd reason;

    Client(SimHost host) {
      this.host = host;
      this.start = host.seconds();
    }

    @Override
    public void dataReceived(byte[] data) {
      received.writeBytes(data);
    }

    @Override
    public void connectionLost(ConnectionEnd r) {
      super.connectionLost(r);
      reason = r;
      endedAt = host.seconds();
    }

    double took() {
      return endedAt - start;
    }

    void pauseReading() {
      transport().pauseProducing();
    }
  }

  @Test
  void anIdleClientOfTheTransformServerIsClosedCleanlyAtTheIdleTimeout() {
    Simulation sim = simulation();
    sim.addHost("xform")
        .listenTCP(
            10001,
            Policies.idleTimeout(
                TransformServerFactory.create(TransformService.standard()),
                sim.host("xform"),
                IDLE));
    SimHost c = sim.addHost("client");
    Client idle = new Client(c);
    c.connectTCP("xform", 10001, address -> idle);
    sim.run().assertPassed();
    assertThat(idle.reason).isInstanceOf(ConnectionDone.class);
    // Accepted after one latency; closed 0.5 s later; the FIN arrives one latency after that.
    assertThat(idle.took()).isCloseTo(0.5 + 2 * LATENCY, within(1e-9));
  }

  @Test
  void aClientThatStopsReadingALongPoemIsResetInsteadOfHeldForever() {
    byte[] poem = new byte[10 * 1024 * 1024];
    Arrays.fill(poem, (byte) 'x');
    Simulation sim = simulation();
    SimHost server = sim.addHost("server");
    server.listenTCP(
        10000,
        Policies.idleReset(
            PoetryServerFactory.create(PoetryService.of(poem, Pacing.atOnce()), server),
            server,
            IDLE));
    SimHost c = sim.addHost("client");
    Client reader = new Client(c);
    c.connectTCP("server", 10000, address -> reader);
    c.callLater(0.02, () -> reader.pauseReading());
    sim.run().assertPassed();
    assertThat(reader.reason)
        .as("reset, not held until it reads")
        .isInstanceOf(ConnectionLost.class);
    assertThat(reader.received.size()).isPositive().isLessThan(poem.length);
    assertThat(reader.took()).as("the idle timeout after the buffers filled").isLessThan(1.0);
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aSlowServerWhosePiecesComeLessOftenThanTheTimeoutResetsRatherThanTruncates() {
    byte[] poem =
        "forty bytes of a poem, then a pause ...\n"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Simulation sim = simulation();
    SimHost server = sim.addHost("server");
    server.listenTCP(
        10000,
        Policies.idleReset(
            PoetryServerFactory.create(
                PoetryService.of(poem, Pacing.chunks(10, Duration.ofSeconds(2))), server),
            server,
            IDLE));
    SimHost c = sim.addHost("client");
    List<Outcome<byte[]>> got = new ArrayList<>();
    c.track("poem", PoetryClient.fetch(c, "server", 10000, null))
        .addBoth(
            o -> {
              got.add(o);
              return null;
            });
    sim.run().assertPassed();
    assertThat(got.get(0))
        .as("a failure, not 10 bytes as a whole poem")
        .isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed<byte[]>) got.get(0)).failure().value())
        .isInstanceOf(ConnectionLost.class)
        .hasMessageContaining("after 10 bytes");
  }

  @Test
  void aProxyWaitingOnASilentUpstreamResetsItsIdleClientsAndCancelsTheFetch() {
    Simulation sim = simulation();
    SimHost upstream = sim.addHost("upstream");
    Deferred<ConnectionEnd> upstreamEnded = Deferred.create();
    upstream.listenTCP(
        10000,
        address ->
            new BaseProtocol() {
              @Override
              public void connectionLost(ConnectionEnd reason) {
                upstreamEnded.callback(reason);
              }
            });
    SimHost proxy = sim.addHost("proxy");
    ProxyService service =
        ProxyService.create(
            proxy,
            PoetryClient.upstream(proxy, "upstream", 10000)
                .withTimeout(Duration.ofSeconds(20), proxy),
            ProxyService.DEFAULT_TTL);
    proxy.listenTCP(10000, Policies.idleReset(PoetryProxyFactory.create(service), proxy, IDLE));
    SimHost c = sim.addHost("client");
    Client client = new Client(c);
    c.connectTCP("proxy", 10000, address -> client);
    sim.run().assertPassed();
    assertThat(client.reason).as("a failure, not an empty poem").isInstanceOf(ConnectionLost.class);
    assertThat(client.took())
        .as("at the 0.5 s idle timeout, not the 20 s upstream timeout")
        .isCloseTo(0.5 + 2 * LATENCY, within(1e-9));
    assertThat(upstreamEnded.isCalled())
        .as("its only client gone, the fetch is cancelled")
        .isTrue();
    assertThat(service.isFetching()).isFalse();
  }
}
