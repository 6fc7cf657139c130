package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Producers and consumers: a writer with a producer to a peer that stops reading stays under the
 * high-water mark, and goes on when the peer reads again.
 */
@Tag("loopback")
class BackpressureTest {
  static final int CHUNK = 16 * 1024;

  static byte[] chunk(long offset) {
    byte[] data = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      data[i] = (byte) ((offset + i) * 31);
    }
    return data;
  }

  /** Writes {@code total} bytes as fast as the transport lets it; a push producer. */
  static final class PushWriter extends BaseProtocol implements PushProducer {
    final long total;
    long sent;
    boolean paused;
    int pauses;
    int resumes;
    long maxBuffered;
    boolean stopped;

    PushWriter(long total) {
      this.total = total;
    }

    TcpTransport tcp() {
      return (TcpTransport) transport();
    }

    @Override
    protected void connectionMade() {
      transport().registerProducer(this);
      produce();
    }

    private void produce() {
      while (!paused && sent < total) {
        transport().write(chunk(sent));
        sent += CHUNK;
        maxBuffered = Math.max(maxBuffered, ((TcpTransport) transport()).bufferedBytes());
      }
      if (sent >= total) {
        transport().unregisterProducer();
        transport().loseConnection();
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
      produce();
    }

    @Override
    public void stopProducing() {
      stopped = true;
    }
  }

  /** Writes one chunk each time the transport asks; a pull producer. */
  static final class PullWriter extends BaseProtocol implements PullProducer {
    final long total;
    long sent;
    final List<Long> bufferedWhenAsked = new ArrayList<>();

    PullWriter(long total) {
      this.total = total;
    }

    @Override
    protected void connectionMade() {
      transport().registerProducer(this); // asks for the first piece at once
    }

    @Override
    public void resumeProducing() {
      bufferedWhenAsked.add(((TcpTransport) transport()).bufferedBytes());
      if (sent < total) {
        transport().write(chunk(sent));
        sent += CHUNK;
      } else {
        transport().unregisterProducer();
        transport().loseConnection();
      }
    }

    @Override
    public void stopProducing() {}
  }

  /** Checks and counts what arrives, without keeping it. */
  static final class Reader extends BaseProtocol {
    final CompletableFuture<Transport> made = new CompletableFuture<>();
    final CompletableFuture<ConnectionEnd> lost = new CompletableFuture<>();
    final boolean startPaused;
    long received;
    boolean corrupt;

    Reader(boolean startPaused) {
      this.startPaused = startPaused;
    }

    @Override
    protected void connectionMade() {
      if (startPaused) {
        transport().pauseProducing();
      }
      made.complete(transport());
    }

    @Override
    public void dataReceived(byte[] data) {
      for (byte b : data) {
        if (b != (byte) (received * 31)) {
          corrupt = true;
        }
        received++;
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      lost.complete(reason);
    }
  }

  private static void connect(RunningReactor r, int port, Reader reader) {
    r.run(() -> r.reactor().connectTCP("127.0.0.1", port, (ClientFactory) a -> reader));
  }

  @Test
  void aPushProducerIsPausedAboveTheMarkAndResumedWhenThePeerReadsAgain() {
    long total = 64L * 1024 * 1024; // far more than the kernel's socket buffers hold
    try (RunningReactor r = RunningReactor.start()) {
      PushWriter writer = new PushWriter(total);
      int port = r.listen(a -> writer);
      Reader reader = new Reader(true);
      connect(r, port, reader);
      Transport readerTransport = RunningReactor.get(reader.made);

      // Loopback hands data over within the write call, so once the writer is paused with more than
      // the low mark queued, nothing moves until the reader reads.
      long deadline = System.nanoTime() + RunningReactor.TIMEOUT.toNanos();
      while (!r.call(
          () ->
              writer.paused
                  && writer.pauses > 0
                  && writer.tcp().bufferedBytes() > TcpTransport.LOW_WATER_MARK)) {
        assertThat(System.nanoTime())
            .as("writer paused by the stalled reader")
            .isLessThan(deadline);
      }
      long sentWhileStalled = r.call(() -> writer.sent);
      for (int i = 0; i < 20; i++) {
        assertThat(r.call(() -> writer.paused)).isTrue();
      }
      assertThat(r.call(() -> writer.sent)).isEqualTo(sentWhileStalled).isLessThan(total);
      assertThat(r.call(() -> writer.maxBuffered))
          .isLessThanOrEqualTo(TcpTransport.HIGH_WATER_MARK + CHUNK);

      r.run(readerTransport::resumeProducing);
      assertThat(RunningReactor.get(reader.lost)).isInstanceOf(ConnectionDone.class);
      assertThat(r.call(() -> reader.received)).isEqualTo(total);
      assertThat(r.call(() -> reader.corrupt)).isFalse();
      assertThat(r.call(() -> writer.resumes)).isPositive();
      assertThat(r.call(() -> writer.maxBuffered))
          .isLessThanOrEqualTo(TcpTransport.HIGH_WATER_MARK + CHUNK);
    }
  }

  @Test
  void aPullProducerIsAskedForMoreOnlyWhenTheBufferHasDrained() {
    long total = 8L * 1024 * 1024;
    try (RunningReactor r = RunningReactor.start()) {
      PullWriter writer = new PullWriter(total);
      int port = r.listen(a -> writer);
      Reader reader = new Reader(false);
      connect(r, port, reader);
      assertThat(RunningReactor.get(reader.lost)).isInstanceOf(ConnectionDone.class);
      assertThat(r.call(() -> reader.received)).isEqualTo(total);
      assertThat(r.call(() -> reader.corrupt)).isFalse();
      assertThat(r.call(() -> List.copyOf(writer.bufferedWhenAsked))).containsOnly(0L);
    }
  }

  @Test
  void loseConnectionWaitsForTheProducerToBeUnregistered() {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<Transport> serverTransport = new CompletableFuture<>();
      PushProducer idle =
          new PushProducer() {
            @Override
            public void pauseProducing() {}

            @Override
            public void resumeProducing() {}

            @Override
            public void stopProducing() {}
          };
      int port =
          r.listen(
              a ->
                  new BaseProtocol() {
                    @Override
                    protected void connectionMade() {
                      transport().registerProducer(idle);
                      transport().write(chunk(0));
                      transport().loseConnection();
                      serverTransport.complete(transport());
                    }
                  });
      Reader reader = new Reader(false);
      connect(r, port, reader);
      Transport server = RunningReactor.get(serverTransport);
      // Still open: a write after loseConnection still goes out (Twisted accepts it too).
      r.run(() -> server.write(chunk(CHUNK)));
      r.run(server::unregisterProducer);
      assertThat(RunningReactor.get(reader.lost)).isInstanceOf(ConnectionDone.class);
      assertThat(r.call(() -> reader.received)).isEqualTo(2L * CHUNK);
      assertThat(r.call(() -> reader.corrupt)).isFalse();
    }
  }

  @Test
  void oneProducerAtATimeAndTheProducerIsStoppedWhenTheConnectionEnds() {
    try (RunningReactor r = RunningReactor.start()) {
      PushWriter writer = new PushWriter(0); // registers itself, writes nothing, closes
      CompletableFuture<Transport> made = new CompletableFuture<>();
      int port =
          r.listen(
              a ->
                  new BaseProtocol() {
                    @Override
                    protected void connectionMade() {
                      transport().registerProducer(writer);
                      assertThatThrownBy(() -> transport().registerProducer(writer))
                          .isInstanceOf(IllegalStateException.class)
                          .hasMessageStartingWith("a producer is already registered");
                      made.complete(transport());
                    }
                  });
      Reader reader = new Reader(false);
      connect(r, port, reader);
      Transport server = RunningReactor.get(made);
      r.run(server::abortConnection);
      RunningReactor.get(reader.lost);
      assertThat(r.call(() -> writer.stopped)).isTrue();
      PushWriter late = new PushWriter(0);
      r.run(() -> server.registerProducer(late));
      assertThat(r.call(() -> late.stopped)).as("registered on a closed transport").isTrue();
    }
  }
}
