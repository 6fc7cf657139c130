package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.test.BraidExtension;
import dev.braid.test.MemoryPort;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poetry servers drained as {@code poetry serve} and {@code poetry proxy} drain them at
 * shutdown, on a MemoryReactor's virtual clock: a poem in flight finishes within the grace; one
 * still in flight when the grace expires is reset, never closed cleanly; the proxy's waiting
 * clients are reset (not handed an empty poem) and nothing is cached.
 */
@ExtendWith(BraidExtension.class)
class DrainOnShutdownTest {
  static final byte[] POEM =
      Poems.named("cafe_at_midnight").text().getBytes(StandardCharsets.UTF_8);
  static final Duration GRACE = Duration.ofSeconds(5);

  private MemoryPort slowServer(MemoryReactor reactor, ConnectionDrain drain, Pacing pacing) {
    PoetryServerFactory factory =
        PoetryServerFactory.create(PoetryService.of(POEM, pacing), reactor);
    return (MemoryPort) drain.addPort(reactor.listenTCP(10000, drain.track(factory)));
  }

  @Test
  void aPoemThatFinishesWithinTheGraceArrivesWholeAndClosesCleanly(MemoryReactor reactor) {
    ConnectionDrain drain = ConnectionDrain.create(reactor);
    // 100 bytes a second: the whole poem takes (POEM.length / 100) seconds.
    MemoryPort port = slowServer(reactor, drain, Pacing.chunks(100, Duration.ofSeconds(1)));
    StringTransport client = port.accept();
    Deferred<Integer> done = drain.drain(Duration.ofSeconds(POEM.length / 100 + 1));
    assertThat(port.isListening()).isFalse();
    reactor.advance(POEM.length / 100);
    assertThat(client.value()).isEqualTo(POEM);
    assertThat(client.lostReason()).isInstanceOf(ConnectionDone.class);
    assertThat(successResultOf(done)).as("nothing reset").isZero();
    assertThat(reactor.getDelayedCalls()).isEmpty();
  }

  @Test
  void aPoemStillInFlightWhenTheGraceExpiresIsResetNotClosedCleanly(MemoryReactor reactor) {
    ConnectionDrain drain = ConnectionDrain.create(reactor);
    MemoryPort port = slowServer(reactor, drain, Pacing.chunks(10, Duration.ofSeconds(1)));
    StringTransport client = port.accept();
    reactor.advance(2);
    Deferred<Integer> done = drain.drain(GRACE);
    reactor.advance(GRACE);
    // Pieces at 0 to 6 s; the grace timer, scheduled first, runs before the piece due at 7 s.
    assertThat(client.value()).as("a fragment").hasSize(70);
    assertThat(client.lostReason()).as("reset").isInstanceOf(ConnectionAborted.class);
    assertThat(client.loseConnectionCalls()).as("never closed cleanly").isZero();
    assertThat(successResultOf(done)).isEqualTo(1);
    assertThat(reactor.getDelayedCalls()).as("the next piece is not scheduled").isEmpty();
  }

  /** An upstream whose fetches the test fires, and whose canceller still delivers the poem. */
  static final class StubbornUpstream implements ProxyService.Upstream {
    final List<Deferred<byte[]>> fetches = new ArrayList<>();

    @Override
    public Deferred<byte[]> fetch() {
      Deferred<byte[]> d = Deferred.create(self -> self.callback(POEM));
      fetches.add(d);
      return d;
    }
  }

  private static MemoryPort proxy(
      MemoryReactor reactor, ConnectionDrain drain, ProxyService service) {
    drain.whenGraceExpires(service::shutDown);
    return (MemoryPort)
        drain.addPort(reactor.listenTCP(10000, drain.track(PoetryProxyFactory.create(service))));
  }

  @Test
  void aProxyClientWhoseFetchFinishesWithinTheGraceGetsThePoem(MemoryReactor reactor) {
    ConnectionDrain drain = ConnectionDrain.create(reactor);
    StubbornUpstream upstream = new StubbornUpstream();
    ProxyService service = ProxyService.create(reactor, upstream, ProxyService.DEFAULT_TTL);
    StringTransport client = proxy(reactor, drain, service).accept();
    Deferred<Integer> done = drain.drain(GRACE);
    reactor.advance(4);
    assertNoResult(done);
    upstream.fetches.get(0).callback(POEM);
    assertThat(client.value()).isEqualTo(POEM);
    assertThat(client.lostReason()).isInstanceOf(ConnectionDone.class);
    assertThat(successResultOf(done)).isZero();
    assertThat(service.isShutDown()).as("no client was left to reset").isFalse();
  }

  @Test
  void aProxyResetsTheClientsStillWaitingWhenTheGraceExpiresAndCachesNothing(
      MemoryReactor reactor) {
    ConnectionDrain drain = ConnectionDrain.create(reactor);
    StubbornUpstream upstream = new StubbornUpstream();
    ProxyService service = ProxyService.create(reactor, upstream, ProxyService.DEFAULT_TTL);
    MemoryPort port = proxy(reactor, drain, service);
    StringTransport a = port.accept();
    StringTransport b = port.accept();
    Deferred<Integer> done = drain.drain(GRACE);
    reactor.advance(GRACE);
    for (StringTransport client : List.of(a, b)) {
      assertThat(client.value()).as("not an empty poem").isEmpty();
      assertThat(client.lostReason()).as("reset").isInstanceOf(ConnectionAborted.class);
      assertThat(client.loseConnectionCalls()).isZero();
    }
    assertThat(upstream.fetches.get(0).isCalled()).as("the fetch was cancelled").isTrue();
    assertThat(service.isShutDown()).isTrue();
    assertThat(service.isCached())
        .as("the poem the cancelled fetch still delivered is not cached")
        .isFalse();
    assertThat(successResultOf(done)).isEqualTo(2);
  }
}
