package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Protocol;
import dev.braid.test.BraidExtension;
import dev.braid.test.ConnectedPair;
import dev.braid.test.StringTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class PoetryServerProtocolTest {
  static final String POEM = Poems.named("cafe_at_midnight").text();
  static final byte[] BYTES = POEM.getBytes(StandardCharsets.UTF_8);

  private static Protocol server(Pacing pacing, VirtualClock clock) {
    return PoetryServerFactory.create(PoetryService.of(BYTES, pacing), clock).buildProtocol(null);
  }

  @Test
  void aFastServerWritesTheWholePoemAtOnceAndCloses(VirtualClock clock) {
    StringTransport t = StringTransport.create();
    t.connect(server(Pacing.atOnce(), clock));
    assertThat(t.value()).isEqualTo(BYTES);
    assertThat(t.writeCalls()).isEqualTo(1);
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void aSlowServerSendsNumBytesEveryDelayThenCloses(VirtualClock clock) {
    StringTransport t = StringTransport.create();
    t.connect(server(Pacing.chunks(100, Duration.ofSeconds(1)), clock));
    assertThat(t.value()).hasSize(100);
    assertThat(t.isDisconnecting()).isFalse();
    clock.advance(0.999);
    assertThat(t.value()).hasSize(100);
    clock.advance(0.001);
    assertThat(t.value()).hasSize(200);
    clock.advance(10);
    assertThat(t.value()).isEqualTo(BYTES);
    assertThat(t.writeCalls()).isEqualTo((BYTES.length + 99) / 100);
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void aClientThatLeavesStopsTheSlowServer(VirtualClock clock) {
    StringTransport t = StringTransport.create();
    Protocol p = t.connect(server(Pacing.chunks(10, Duration.ofSeconds(1)), clock));
    clock.advance(2);
    p.connectionLost(new ConnectionDone());
    assertThat(clock.getDelayedCalls()).as("nothing left scheduled").isEmpty();
    assertThat(t.value()).hasSize(30);
  }

  @Test
  void anEmptyPoemClosesAtOnceEvenWhenSlow(VirtualClock clock) {
    StringTransport t = StringTransport.create();
    t.connect(
        PoetryServerFactory.create(
                PoetryService.of(new byte[0], Pacing.chunks(10, Duration.ofSeconds(1))), clock)
            .buildProtocol(null));
    assertThat(t.value()).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void theFactoryCountsItsConnections(VirtualClock clock) {
    PoetryServerFactory f =
        PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), clock);
    f.buildProtocol(null);
    f.buildProtocol(null);
    assertThat(f.connectionCount()).isEqualTo(2);
  }

  @Test
  void theClientGetsTheSlowPoemWholeThroughATinyChunkedConnection() {
    VirtualClock clock = VirtualClock.create();
    List<Long> progress = new ArrayList<>();
    PoetryClientFactory factory = PoetryClientFactory.create(progress::add);
    ConnectedPair<Protocol, Protocol> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                server(Pacing.chunks(7, Duration.ofMillis(100)), clock),
                factory.buildProtocol(null));
    pair.toClient().chunkSize(3); // splits the multi-byte characters too
    pair.advance(60);
    assertThat(pair.isClosed()).isTrue();
    assertThat(new String(successResultOf(factory.deferred()), StandardCharsets.UTF_8))
        .isEqualTo(POEM)
        .contains("São Paulo", "你好", "—");
    assertThat(progress).isSorted().last().isEqualTo((long) BYTES.length);
    assertThat(progress.size()).isGreaterThan(BYTES.length / 7);
  }

  @Test
  void aLongPoemGoesOutThroughAProducerThatAClientWhoDoesNotReadHoldsAtTheHighWaterMark() {
    VirtualClock clock = VirtualClock.create();
    byte[] big = new byte[1024 * 1024 + 5];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    PoetryClientFactory factory = PoetryClientFactory.create();
    ConnectedPair<Protocol, Protocol> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                PoetryServerFactory.create(PoetryService.of(big, Pacing.atOnce()), clock)
                    .buildProtocol(null),
                factory.buildProtocol(null));
    pair.toClient().hold(); // the client reads nothing
    pair.flush();
    assertThat(pair.serverTransport().producer()).as("a producer writes the poem").isNotNull();
    assertThat(pair.serverTransport().isProducerPaused()).isTrue();
    assertThat(pair.toClient().pending())
        .as("bytes queued for a client that does not read")
        .isLessThanOrEqualTo(ConnectedPair.DEFAULT_HIGH_WATER_MARK + PoemStreamer.PIECE);
    pair.toClient().release();
    pair.flush();
    assertThat(pair.isClosed()).isTrue();
    assertThat(successResultOf(factory.deferred())).isEqualTo(big);
    assertThat(pair.serverTransport().producer()).as("unregistered when done").isNull();
  }

  @Test
  void aTransportThatNeverPushesBackGetsTheLongPoemInPiecesThenTheClose(VirtualClock clock) {
    byte[] big = new byte[200_000];
    StringTransport t = StringTransport.create();
    Protocol p =
        t.connect(
            PoetryServerFactory.create(PoetryService.of(big, Pacing.atOnce()), clock)
                .buildProtocol(null));
    // A StringTransport never pauses a producer: the whole poem is written in pieces at once.
    assertThat(t.value()).hasSize(big.length);
    assertThat(t.writeCalls())
        .isEqualTo((big.length + PoemStreamer.PIECE - 1) / PoemStreamer.PIECE);
    assertThat(t.producer()).isNull();
    assertThat(t.isDisconnecting()).isTrue();
    p.connectionLost(new ConnectionDone());
  }

  @Test
  void pacingRejectsNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Pacing.chunks(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numBytes must be at least 1: 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Pacing.chunks(10, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Pacing.atOnce().isAtOnce()).isTrue();
    assertThat(Pacing.chunks(5, Duration.ofMillis(1)).isAtOnce()).isFalse();
  }
}
