package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link Transport} contract as tests, shared by every implementation so that the fakes cannot
 * drift from the real thing: {@link StringTransport#withDisconnection()} and {@link FakeTransport}
 * run it on virtual time, and braid-test's own tests run it over real TCP on loopback with a real
 * {@code SelectorReactor}, once with the local protocol on the connecting side and once on the
 * accepting side.
 *
 * <p>The tests are written the way trial's tests for a real reactor are: asynchronously. Each
 * connects with {@link #connect(Protocol)}, acts on the transport, and hands the Deferred of its
 * checks to {@link AfterTest}; {@link BraidExtension} (registered here, so subclasses inherit it)
 * awaits it. With a real reactor the test methods run on the reactor thread (a subclass gets the
 * reactor with a {@code @BeforeEach} method that asks for it), and the subclass cleans up in an
 * {@code @AfterEach} method, which may hand the Deferred of its cleanup to {@link AfterTest} too.
 *
 * <p>A subclass provides {@link #connect(Protocol)}: connect the protocol to a transport of the
 * kind under test, with a peer that records what it receives.
 */
@ExtendWith(BraidExtension.class)
public abstract class TransportContract {
  /** For subclasses. */
  protected TransportContract() {}

  /** One connection under test, seen from the local protocol's side. */
  protected interface Harness {
    /**
     * Delivers what is pending, for transports driven by hand (pumps a fake); a real reactor's
     * harness does nothing, since its loop delivers by itself.
     */
    void settle();

    /**
     * Returns every byte the peer has received, once it has received at least {@code count} bytes
     * or its end of the connection has ended (so that a short delivery fails the caller's checks
     * instead of hanging). A fake's harness, which delivers everything in {@link #settle()}, may
     * fire at once with what the peer has.
     *
     * @param count how many bytes to wait for
     * @return a Deferred of the bytes, in order
     */
    Deferred<byte[]> peerReceived(int count);
  }

  /**
   * Connects {@code protocol} to a new transport of the kind under test. Called on the thread that
   * runs the test (the reactor thread with a real reactor).
   *
   * @param protocol the local protocol
   * @return a Deferred of the harness for that connection, fired once {@code makeConnection} has
   *     been called on {@code protocol} and the peer is connected
   */
  protected abstract Deferred<Harness> connect(Protocol protocol);

  /** A protocol that keeps its transport and records how the connection ended. */
  protected static final class Recorder implements Protocol {
    /** The transport given to {@link #makeConnection}. */
    public Transport transport;

    /** Every reason given to {@link #connectionLost}, in order. */
    public final List<ConnectionEnd> lost = new ArrayList<>();

    private final List<Deferred<ConnectionEnd>> lostWaiters = new ArrayList<>();

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
      List<Deferred<ConnectionEnd>> waiters = List.copyOf(lostWaiters);
      lostWaiters.clear();
      for (Deferred<ConnectionEnd> waiter : waiters) {
        waiter.callback(reason);
      }
    }

    /**
     * {@return a new Deferred that fires with the first reason given to {@link #connectionLost}: at
     * once if it has been called}
     */
    public Deferred<ConnectionEnd> whenLost() {
      if (!lost.isEmpty()) {
        return Deferred.succeed(lost.get(0));
      }
      Deferred<ConnectionEnd> waiter = Deferred.create();
      lostWaiters.add(waiter);
      return waiter;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Writes arrive at the peer in order, {@code writeSequence} as consecutive writes.
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void writesArriveAtThePeerInOrder(AfterTest afterTest) {
    Recorder local = new Recorder();
    afterTest.await(
        connect(local)
            .addCallbackDeferred(
                harness -> {
                  local.transport.write(bytes("one "));
                  local.transport.writeSequence(List.of(bytes("two "), bytes("three")));
                  harness.settle();
                  return harness.peerReceived(13);
                })
            .addCallback(
                received -> {
                  assertThat(text(received)).isEqualTo("one two three");
                  return null;
                }));
  }

  /**
   * loseConnection sets disconnecting, is idempotent, sends what was written, and ends the
   * connection once, cleanly.
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void loseConnectionEndsTheConnectionOnceWithConnectionDone(AfterTest afterTest) {
    Recorder local = new Recorder();
    afterTest.await(
        connect(local)
            .addCallbackDeferred(
                harness -> {
                  local.transport.write(bytes("last words"));
                  local.transport.loseConnection();
                  local.transport.loseConnection();
                  assertThat(local.transport.isDisconnecting()).isTrue();
                  harness.settle();
                  return local.whenLost().addCallbackDeferred(end -> harness.peerReceived(10));
                })
            .addCallback(
                received -> {
                  assertThat(text(received)).isEqualTo("last words");
                  assertThat(local.lost).hasSize(1);
                  assertThat(local.lost.get(0)).isInstanceOf(ConnectionDone.class);
                  return null;
                }));
  }

  /**
   * abortConnection ends the connection once with ConnectionAborted.
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void abortConnectionEndsTheConnectionOnceWithConnectionAborted(AfterTest afterTest) {
    Recorder local = new Recorder();
    afterTest.await(
        connect(local)
            .addCallbackDeferred(
                harness -> {
                  local.transport.abortConnection();
                  local.transport.abortConnection();
                  harness.settle();
                  return local.whenLost();
                })
            .addCallback(
                end -> {
                  assertThat(local.transport.isDisconnecting()).isTrue();
                  assertThat(local.lost).hasSize(1);
                  assertThat(end).isInstanceOf(ConnectionAborted.class);
                  return null;
                }));
  }

  /**
   * Only one producer at a time: a second registration throws IllegalStateException.
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void aSecondProducerIsRejected(AfterTest afterTest) {
    Recorder local = new Recorder();
    afterTest.await(
        connect(local)
            .addCallback(
                harness -> {
                  local.transport.registerProducer(new CountingProducer());
                  assertThatThrownBy(() -> local.transport.registerProducer(new CountingProducer()))
                      .isInstanceOf(IllegalStateException.class);
                  local.transport.unregisterProducer();
                  local.transport.registerProducer(new CountingProducer());
                  return null;
                }));
  }

  /**
   * A registered producer is told stopProducing, once, when the connection ends, before the
   * protocol's connectionLost (as Twisted's {@code FileDescriptor.connectionLost} does).
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void aRegisteredProducerIsStoppedWhenTheConnectionEnds(AfterTest afterTest) {
    Recorder local = new Recorder();
    CountingProducer producer = new CountingProducer();
    afterTest.await(
        connect(local)
            .addCallbackDeferred(
                harness -> {
                  local.transport.registerProducer(producer);
                  local.transport.abortConnection();
                  harness.settle();
                  return local.whenLost();
                })
            .addCallback(
                end -> {
                  assertThat(producer.stops).isEqualTo(1);
                  return null;
                }));
  }

  /**
   * The transport reports addresses for both ends.
   *
   * @param afterTest awaits the checks
   */
  @Test
  public void bothAddressesAreKnown(AfterTest afterTest) {
    Recorder local = new Recorder();
    afterTest.await(
        connect(local)
            .addCallback(
                harness -> {
                  assertThat(local.transport.getHost()).isNotNull();
                  assertThat(local.transport.getPeer()).isNotNull();
                  return null;
                }));
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
