package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.VirtualClock;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.test.ConnectedPair;
import org.junit.jupiter.api.Test;

/**
 * Backpressure through the engine: a producer on the TLS transport is paused by the buffer of the
 * transport below, and pausing the TLS transport pauses the reads of the transport below.
 */
class TlsBackpressureTest {
  private final VirtualClock clock = VirtualClock.create();
  private final Peer server = new Peer();
  private final Peer client = new Peer();
  private final ConnectedPair<TlsProtocol, TlsProtocol> pair =
      ConnectedPair.builder()
          .clock(clock)
          .connect(
              Tls.server(clock, Certs.server(), server), Tls.client(clock, Certs.client(), client));

  /** Writes 16 KiB each time it is resumed, until paused. */
  private final class Pusher implements PushProducer {
    int pauses;
    int resumes;
    int stops;
    boolean paused;
    long written;

    void pushUntilPaused(int maxChunks) {
      for (int i = 0; i < maxChunks && !paused; i++) {
        server.rawTransport().write(new byte[16 * 1024]);
        written += 16 * 1024;
      }
    }

    @Override
    public void pauseProducing() {
      pauses++;
      paused = true;
    }

    @Override
    public void resumeProducing() {
      resumes++;
      paused = false;
    }

    @Override
    public void stopProducing() {
      stops++;
    }
  }

  @Test
  void aPushProducerIsPausedByTheBufferBelowAndResumedWhenItDrains() {
    pair.flush();
    Pusher pusher = new Pusher();
    server.rawTransport().registerProducer(pusher);
    pair.toClient().hold();
    pusher.pushUntilPaused(100);
    assertThat(pusher.paused).isTrue();
    assertThat(pusher.written).isLessThanOrEqualTo(96 * 1024);
    assertThat(pair.toClient().pending()).isGreaterThan(64 * 1024);
    pair.toClient().release();
    pair.flush();
    assertThat(pusher.paused).isFalse();
    assertThat(pusher.resumes).isEqualTo(1);
    assertThat(client.received.size()).isEqualTo(pusher.written);
  }

  @Test
  void theProducerIsStoppedOnceWhenTheConnectionEnds() {
    pair.flush();
    Pusher pusher = new Pusher();
    server.rawTransport().registerProducer(pusher);
    pair.reset(ConnectedPair.Side.CLIENT);
    assertThat(pusher.stops).isEqualTo(1);
  }

  @Test
  void loseConnectionWaitsForTheProducerToBeUnregistered() {
    pair.flush();
    Pusher pusher = new Pusher();
    server.rawTransport().registerProducer(pusher);
    server.send("first ");
    server.rawTransport().loseConnection();
    server.send("and last");
    pair.flush();
    assertThat(client.lost).isEmpty();
    server.rawTransport().unregisterProducer();
    pair.flush();
    assertThat(client.text()).isEqualTo("first and last");
    assertThat(client.lost).singleElement().isInstanceOf(dev.braid.net.ConnectionDone.class);
    assertThat(pusher.stops).isZero();
  }

  @Test
  void aPullProducerIsAskedForMoreEachTimeTheBufferDrains() {
    pair.flush();
    int[] asked = {0};
    server
        .rawTransport()
        .registerProducer(
            new PullProducer() {
              @Override
              public void resumeProducing() {
                asked[0]++;
                if (asked[0] <= 3) {
                  server.send("piece " + asked[0] + "\n");
                } else {
                  server.rawTransport().unregisterProducer();
                  server.rawTransport().loseConnection();
                }
              }

              @Override
              public void stopProducing() {}
            });
    pair.flush();
    assertThat(client.text()).isEqualTo("piece 1\npiece 2\npiece 3\n");
    assertThat(client.lost).singleElement().isInstanceOf(dev.braid.net.ConnectionDone.class);
  }

  @Test
  void pausingTheTlsTransportPausesTheReadsBelowAndResumingDeliversTheRest() {
    pair.flush();
    client.rawTransport().pauseProducing();
    assertThat(pair.clientTransport().isReading()).isFalse();
    server.send("held back");
    pair.flush();
    assertThat(client.text()).isEmpty();
    assertThat(pair.toClient().pending()).isPositive();
    client.rawTransport().resumeProducing();
    assertThat(pair.clientTransport().isReading()).isTrue();
    pair.flush();
    assertThat(client.text()).isEqualTo("held back");
  }

  @Test
  void aProtocolThatPausesInsideDataReceivedGetsTheRestOnlyAfterResuming() {
    Peer pausing =
        new Peer() {
          @Override
          public void dataReceived(byte[] data) {
            super.dataReceived(data);
            rawTransport().pauseProducing();
          }
        };
    ConnectedPair<TlsProtocol, TlsProtocol> p =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                Tls.server(clock, Certs.server(), server),
                Tls.client(clock, Certs.client(), pausing));
    p.flush();
    server.send("one");
    server.send("two");
    server.send("three");
    p.flush();
    assertThat(pausing.text()).isEqualTo("one");
    pausing.rawTransport().resumeProducing();
    assertThat(pausing.text()).isEqualTo("onetwo");
    pausing.rawTransport().resumeProducing();
    p.flush();
    assertThat(pausing.text()).isEqualTo("onetwothree");
  }
}
