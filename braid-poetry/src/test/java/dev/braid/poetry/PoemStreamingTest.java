package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.protocols.Policies;
import dev.braid.test.BraidExtension;
import dev.braid.test.ConnectedPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poetry server and the caching proxy send a long poem through a {@link PoemStreamer}: a client
 * that reads it slowly but steadily, for much longer than the servers' idle timeout, still gets the
 * whole of it, since every piece written is progress; one that stops reading is reset at the
 * timeout. In memory, on the virtual clock.
 */
@ExtendWith(BraidExtension.class)
class PoemStreamingTest {
  static final byte[] POEM = poem(1024 * 1024);
  static final Duration IDLE = Duration.ofSeconds(1);

  static byte[] poem(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static ConnectedPair<Protocol, Protocol> connect(
      Factory server, PoetryClientFactory client, VirtualClock clock) {
    ConnectedPair<Protocol, Protocol> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                Policies.idleReset(server, clock, IDLE).buildProtocol(null),
                client.buildProtocol(null));
    pair.toClient().hold(); // the client reads only when the test says
    return pair;
  }

  /** Reads 64 KiB every 0.3 s: 1 MiB takes about 5 s, five idle periods. */
  private static void readSlowlyButSteadily(ConnectedPair<Protocol, Protocol> pair) {
    for (int i = 0; i < 1000 && !pair.isClosed(); i++) {
      pair.advance(0.3);
      pair.toClient().deliver(64 * 1024);
      pair.flush();
    }
  }

  private static Factory proxyWithTheCachedPoem(VirtualClock clock) {
    ProxyService service =
        ProxyService.create(clock, () -> Deferred.succeed(POEM), Duration.ofHours(2));
    successResultOf(service.getPoem()); // now cached
    return PoetryProxyFactory.create(service);
  }

  @Test
  void aSteadySlowReaderOfTheServerGetsTheWholePoemDespiteTheIdleTimeout(VirtualClock clock) {
    PoetryClientFactory client = PoetryClientFactory.create();
    ConnectedPair<Protocol, Protocol> pair =
        connect(
            PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), clock),
            client,
            clock);
    readSlowlyButSteadily(pair);
    assertThat(clock.seconds()).as("longer than the idle timeout").isGreaterThan(4);
    assertThat(successResultOf(client.deferred())).isEqualTo(POEM);
  }

  @Test
  void aSteadySlowReaderOfTheProxyGetsTheWholePoemDespiteTheIdleTimeout(VirtualClock clock) {
    PoetryClientFactory client = PoetryClientFactory.create();
    ConnectedPair<Protocol, Protocol> pair = connect(proxyWithTheCachedPoem(clock), client, clock);
    readSlowlyButSteadily(pair);
    assertThat(clock.seconds()).isGreaterThan(4);
    assertThat(successResultOf(client.deferred())).isEqualTo(POEM);
  }

  @Test
  void aProxyClientThatStopsReadingIsResetAtTheIdleTimeout(VirtualClock clock) {
    PoetryClientFactory client = PoetryClientFactory.create();
    ConnectedPair<Protocol, Protocol> pair = connect(proxyWithTheCachedPoem(clock), client, clock);
    pair.advance(0.999);
    assertThat(pair.isClosed()).isFalse();
    assertThat(pair.toClient().pending())
        .as("the proxy holds the high-water mark, not the poem")
        .isLessThanOrEqualTo(ConnectedPair.DEFAULT_HIGH_WATER_MARK + PoemStreamer.PIECE);
    pair.advance(0.001);
    assertThat(pair.isClosed()).isTrue();
    dev.braid.test.DeferredAssertions.failureResultOf(
        client.deferred(), dev.braid.net.ConnectionLost.class);
  }
}
