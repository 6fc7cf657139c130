package dev.braid.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory pair: delivery, chunking, latency, stalls, closes, resets and backpressure. */
class ConnectedPairTest {
  /** Records reads and the end; echoes if asked. */
  static class Peer extends BaseProtocol {
    final List<String> reads = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<ConnectionEnd> lost = new ArrayList<>();
    boolean echo;

    @Override
    public void dataReceived(byte[] data) {
      reads.add(new String(data, UTF_8));
      received.writeBytes(data);
      if (echo) {
        transport().write(data);
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      lost.add(reason);
    }

    String text() {
      return received.toString(UTF_8);
    }

    void send(String s) {
      transport().write(s.getBytes(UTF_8));
    }
  }

  private static ConnectedPair<Peer, Peer> pair() {
    Peer server = new Peer();
    server.echo = true;
    return ConnectedPair.connect(server, new Peer());
  }

  @Test
  void bothSidesAreConnectedAndDataMovesOnlyWhenPumped() {
    ConnectedPair<Peer, Peer> pair = pair();
    assertThat(pair.server().isConnected()).isTrue();
    assertThat(pair.client().isConnected()).isTrue();
    pair.client().send("ping");
    assertThat(pair.server().reads).isEmpty();
    assertThat(pair.toServer().pending()).isEqualTo(4);
    pair.flush();
    assertThat(pair.server().text()).isEqualTo("ping");
    assertThat(pair.client().text()).isEqualTo("ping");
  }

  @Test
  void writesAreCoalescedAndSplitByTheChunkSize() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.toClient().chunkSize(3);
    pair.server().send("abcd");
    pair.server().send("efg");
    pair.flush();
    assertThat(pair.client().reads).containsExactly("abc", "def", "g");
  }

  @Test
  void randomChunksAreReplayableFromTheSeed() {
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ConnectedPair<Peer, Peer> pair = pair();
      pair.toClient().randomChunks(42, 5);
      pair.server().send("the quick brown fox");
      pair.flush();
      assertThat(pair.client().text()).isEqualTo("the quick brown fox");
      runs.add(pair.client().reads);
    }
    assertThat(runs.get(0)).isEqualTo(runs.get(1));
  }

  @Test
  void latencyDelaysDeliveryOnTheClock() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.toClient().latency(Duration.ofMillis(100));
    pair.server().send("late");
    pair.flush();
    assertThat(pair.client().reads).isEmpty();
    pair.advance(0.099);
    assertThat(pair.client().reads).isEmpty();
    pair.advance(0.001);
    assertThat(pair.client().reads).containsExactly("late");
  }

  @Test
  void advanceInterleavesTimersAndDeliveries() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.toClient().latency(Duration.ofSeconds(1));
    for (int i = 1; i <= 3; i++) {
      String line = "tick " + i + ";";
      pair.clock().callLater(i, () -> pair.server().send(line));
    }
    pair.advance(3.5);
    assertThat(pair.client().text()).isEqualTo("tick 1;tick 2;");
    pair.advance(0.5);
    assertThat(pair.client().text()).isEqualTo("tick 1;tick 2;tick 3;");
  }

  @Test
  void aHeldPipeDeliversNothingUntilReleasedOrDeliveredByHand() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.toClient().hold();
    pair.server().send("abcdef");
    pair.flush();
    assertThat(pair.client().reads).isEmpty();
    assertThat(pair.toClient().deliver(2)).isEqualTo(2);
    assertThat(pair.client().reads).containsExactly("ab");
    pair.toClient().release();
    pair.flush();
    assertThat(pair.client().text()).isEqualTo("abcdef");
  }

  @Test
  void aReceiverThatPausesReadingGetsNothingUntilItResumes() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.clientTransport().pauseProducing();
    pair.server().send("wait");
    pair.flush();
    assertThat(pair.client().reads).isEmpty();
    pair.clientTransport().resumeProducing();
    pair.flush();
    assertThat(pair.client().text()).isEqualTo("wait");
  }

  @Test
  void loseConnectionDeliversPendingDataThenConnectionDoneToBoth() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.server().send("last");
    pair.close(ConnectedPair.Side.SERVER);
    pair.flush();
    assertThat(pair.client().text()).isEqualTo("last");
    assertThat(pair.client().lost).hasSize(1).first().isInstanceOf(ConnectionDone.class);
    assertThat(pair.server().lost).hasSize(1).first().isInstanceOf(ConnectionDone.class);
    assertThat(pair.isClosed()).isTrue();
    pair.server().send("ignored");
    assertThat(pair.toClient().pending()).isZero();
  }

  @Test
  void abortDropsDataInFlightAndResetsThePeer() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.server().send("never");
    pair.serverTransport().abortConnection();
    pair.flush();
    assertThat(pair.client().reads).isEmpty();
    assertThat(pair.server().lost).hasSize(1).first().isInstanceOf(ConnectionAborted.class);
    assertThat(pair.client().lost).hasSize(1).first().isExactlyInstanceOf(ConnectionLost.class);
  }

  @Test
  void anInjectedResetLosesTheConnectionAtBothEndsAtOnce() {
    ConnectedPair<Peer, Peer> pair = pair();
    pair.server().send("half a po");
    pair.reset(ConnectedPair.Side.SERVER);
    assertThat(pair.client().lost).hasSize(1);
    assertThat(pair.client().lost.get(0))
        .isExactlyInstanceOf(ConnectionLost.class)
        .hasMessage("Connection reset by peer");
    assertThat(pair.server().lost.get(0)).hasMessage("Connection reset");
    assertThat(pair.client().reads).isEmpty();
  }

  /** Writes 1 KiB per resume until paused; counts pauses. */
  static final class Streamer implements PushProducer {
    final Peer writer;
    boolean paused;
    int pauses;
    int resumes;
    boolean stopped;

    Streamer(Peer writer) {
      this.writer = writer;
    }

    void pumpOut(int kib) {
      for (int i = 0; i < kib && !paused; i++) {
        writer.send("x".repeat(1024));
      }
    }

    @Override
    public void pauseProducing() {
      paused = true;
      pauses++;
    }

    @Override
    public void resumeProducing() {
      paused = false;
      resumes++;
    }

    @Override
    public void stopProducing() {
      stopped = true;
    }
  }

  @Test
  void aPushProducerIsPausedAboveTheHighWaterMarkAndResumedAtTheLowOne() {
    ConnectedPair<Peer, Peer> pair =
        ConnectedPair.builder().waterMarks(8 * 1024, 2 * 1024).connect(new Peer(), new Peer());
    Streamer streamer = new Streamer(pair.server());
    pair.serverTransport().registerProducer(streamer);
    pair.toClient().hold();
    streamer.pumpOut(100);
    assertThat(streamer.paused).isTrue();
    assertThat(pair.toClient().pending()).isEqualTo(9 * 1024);
    assertThat(pair.serverTransport().isProducerPaused()).isTrue();

    pair.toClient().deliver(6 * 1024);
    assertThat(streamer.paused).isTrue();
    pair.toClient().deliver(1024);
    assertThat(streamer.paused).isFalse();
    assertThat(streamer.resumes).isEqualTo(1);

    pair.serverTransport().abortConnection();
    pair.flush();
    assertThat(streamer.stopped).isTrue();
  }

  @Test
  void aPullProducerIsAskedForMoreEachTimeThePipeDrains() {
    ConnectedPair<Peer, Peer> pair = pair();
    List<String> pieces = new ArrayList<>(List.of("one ", "two ", "three"));
    pair.serverTransport()
        .registerProducer(
            new PullProducer() {
              @Override
              public void resumeProducing() {
                if (pieces.isEmpty()) {
                  pair.serverTransport().unregisterProducer();
                  pair.serverTransport().loseConnection();
                } else {
                  pair.server().send(pieces.remove(0));
                }
              }

              @Override
              public void stopProducing() {}
            });
    pair.flush();
    assertThat(pair.client().reads).containsExactly("one ", "two ", "three");
    assertThat(pair.isClosed()).isTrue();
  }

  @Test
  void loseConnectionWaitsForTheProducerToUnregister() {
    ConnectedPair<Peer, Peer> pair = pair();
    Streamer streamer = new Streamer(pair.server());
    pair.serverTransport().registerProducer(streamer);
    pair.serverTransport().loseConnection();
    pair.flush();
    assertThat(pair.isClosed()).isFalse();
    pair.serverTransport().unregisterProducer();
    pair.flush();
    assertThat(pair.isClosed()).isTrue();
  }
}
