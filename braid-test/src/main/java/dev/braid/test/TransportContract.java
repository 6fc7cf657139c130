package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link Transport} contract as tests, shared by every implementation so that the fakes cannot
 * drift from the real thing: {@link StringTransport#withDisconnection()} and {@link FakeTransport}
 * run it in this module's tests; a real reactor's TCP transport is meant to run it too, by
 * subclassing with a loopback {@link Harness}.
 *
 * <p>A subclass provides {@link #connect(Protocol)}: connect the protocol to a transport of the
 * kind under test, with a peer that records what it receives.
 */
public abstract class TransportContract {
  /** For subclasses. */
  protected TransportContract() {}

  /** One connection under test, seen from the local protocol's side. */
  protected interface Harness {
    /**
     * Lets pending I/O happen until nothing moves: pump a fake, run a real reactor's loop briefly.
     */
    void settle();

    /**
     * Returns every byte the peer has received so far.
     *
     * @return the bytes, in order
     */
    byte[] peerReceived();
  }

  /**
   * Connects {@code protocol} to a new transport of the kind under test ({@code makeConnection} has
   * been called when this returns).
   *
   * @param protocol the local protocol
   * @return the harness for that connection
   */
  protected abstract Harness connect(Protocol protocol);

  /** A protocol that keeps its transport and records how the connection ended. */
  protected static final class Recorder implements Protocol {
    /** The transport given to {@link #makeConnection}. */
    public Transport transport;

    /** Every reason given to {@link #connectionLost}, in order. */
    public final List<ConnectionEnd> lost = new ArrayList<>();

    /** Creates the recorder. */
    public Recorder() {}

    @Override
    public void makeConnection(Transport t) {
      this.transport = t;
    }

    @Override
    public void dataReceived(byte[] data) {}

    @Override
    public void connectionLost(ConnectionEnd reason) {
      lost.add(reason);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes arrive at the peer in order, {@code writeSequence} as consecutive writes. */
  @Test
  public void writesArriveAtThePeerInOrder() {
    Recorder local = new Recorder();
    Harness harness = connect(local);
    local.transport.write(bytes("one "));
    local.transport.writeSequence(List.of(bytes("two "), bytes("three")));
    harness.settle();
    assertThat(new String(harness.peerReceived(), StandardCharsets.UTF_8))
        .isEqualTo("one two three");
  }

  /** loseConnection sets disconnecting, is idempotent, and ends the connection once, cleanly. */
  @Test
  public void loseConnectionEndsTheConnectionOnceWithConnectionDone() {
    Recorder local = new Recorder();
    Harness harness = connect(local);
    local.transport.write(bytes("last words"));
    local.transport.loseConnection();
    local.transport.loseConnection();
    assertThat(local.transport.isDisconnecting()).isTrue();
    harness.settle();
    assertThat(new String(harness.peerReceived(), StandardCharsets.UTF_8)).isEqualTo("last words");
    assertThat(local.lost).hasSize(1);
    assertThat(local.lost.get(0)).isInstanceOf(ConnectionDone.class);
  }

  /** abortConnection ends the connection once with ConnectionAborted. */
  @Test
  public void abortConnectionEndsTheConnectionOnceWithConnectionAborted() {
    Recorder local = new Recorder();
    Harness harness = connect(local);
    local.transport.abortConnection();
    local.transport.abortConnection();
    harness.settle();
    assertThat(local.transport.isDisconnecting()).isTrue();
    assertThat(local.lost).hasSize(1);
    assertThat(local.lost.get(0)).isInstanceOf(ConnectionAborted.class);
  }

  /** Only one producer at a time: a second registration throws IllegalStateException. */
  @Test
  public void aSecondProducerIsRejected() {
    Recorder local = new Recorder();
    connect(local);
    local.transport.registerProducer(new CountingProducer());
    assertThatThrownBy(() -> local.transport.registerProducer(new CountingProducer()))
        .isInstanceOf(IllegalStateException.class);
    local.transport.unregisterProducer();
    local.transport.registerProducer(new CountingProducer());
  }

  /** A registered producer is told stopProducing when the connection ends. */
  @Test
  public void aRegisteredProducerIsStoppedWhenTheConnectionEnds() {
    Recorder local = new Recorder();
    Harness harness = connect(local);
    CountingProducer producer = new CountingProducer();
    local.transport.registerProducer(producer);
    local.transport.abortConnection();
    harness.settle();
    assertThat(producer.stops).isEqualTo(1);
  }

  /** The transport reports addresses for both ends. */
  @Test
  public void bothAddressesAreKnown() {
    Recorder local = new Recorder();
    connect(local);
    assertThat(local.transport.getHost()).isNotNull();
    assertThat(local.transport.getPeer()).isNotNull();
  }

  private static final class CountingProducer implements PushProducer {
    int stops;

    @Override
    public void pauseProducing() {}

    @Override
    public void resumeProducing() {}

    @Override
    public void stopProducing() {
      stops++;
    }
  }
}
