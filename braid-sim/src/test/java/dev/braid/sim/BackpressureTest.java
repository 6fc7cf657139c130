package dev.braid.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The simulated transport pushes back on a writer whose reader stops reading. */
class BackpressureTest {
  static final int TOTAL = 1 << 20;

  /** Writes TOTAL bytes in 8 KiB pieces as a push producer, then closes. */
  static final class Streamer extends BaseProtocol implements PushProducer {
    int sent;
    int pauses;
    boolean paused;

    @Override
    protected void connectionMade() {
      transport().registerProducer(this);
      resumeProducing();
    }

    @Override
    public void pauseProducing() {
      paused = true;
      pauses++;
    }

    @Override
    public void resumeProducing() {
      paused = false;
      while (!paused && sent < TOTAL) {
        byte[] piece = new byte[8192];
        Arrays.fill(piece, (byte) (sent / 8192));
        sent += piece.length;
        transport().write(piece);
      }
      if (sent >= TOTAL && isConnected()) {
        transport().unregisterProducer();
        transport().loseConnection();
      }
    }

    @Override
    public void stopProducing() {
      paused = true;
    }
  }

  @Test
  void aPushProducerIsPausedWhileItsReaderDoesNotReadAndEveryByteArrivesInOrder() {
    Simulation sim = Simulation.create(1);
    Streamer[] streamer = {null};
    sim.addHost("server")
        .listenTCP(
            7000,
            address -> {
              streamer[0] = new Streamer();
              return streamer[0];
            });
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    client.connectTCP("server", 7000, reader);
    // The reader stops reading for 10 s, twice.
    client.callLater(0.01, () -> reader.pause());
    client.callLater(10, () -> reader.resume());
    client.callLater(10.02, () -> reader.pause());
    client.callLater(20, () -> reader.resume());
    sim.run().assertPassed();
    byte[] got = reader.value();
    assertThat(got).hasSize(TOTAL);
    for (int i = 0; i < TOTAL; i += 8192) {
      assertThat(got[i]).as("piece %d in order", i / 8192).isEqualTo((byte) (i / 8192));
    }
    assertThat(streamer[0].pauses)
        .as("paused at each stop, and as the window filled")
        .isGreaterThanOrEqualTo(2);
  }

  /** A pull producer is asked for the next piece each time the last has gone. */
  @Test
  void aPullProducerIsAskedForMoreAsTheBufferDrains() {
    Simulation sim = Simulation.create(1);
    int[] asked = {0};
    sim.addHost("server")
        .listenTCP(
            7000,
            address ->
                new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport()
                        .registerProducer(
                            new PullProducer() {
                              @Override
                              public void resumeProducing() {
                                asked[0]++;
                                if (asked[0] <= 10) {
                                  transport().write(new byte[] {(byte) asked[0]});
                                } else {
                                  transport().unregisterProducer();
                                  transport().loseConnection();
                                }
                              }

                              @Override
                              public void stopProducing() {}
                            });
                  }
                });
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    client.connectTCP("server", 7000, reader);
    sim.run().assertPassed();
    assertThat(reader.value()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(asked[0]).isEqualTo(11);
  }
}
