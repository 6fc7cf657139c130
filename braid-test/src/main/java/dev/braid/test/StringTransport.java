package dev.braid.test;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Transport} that records what is written to it and does no I/O: Twisted's {@code
 * twisted.internet.testing.StringTransport}.
 *
 * <pre>{@code
 * StringTransport t = StringTransport.create();
 * Echo p = t.connect(new Echo());       // p.makeConnection(t)
 * p.dataReceived(bytes("hello"));
 * assertThat(t.valueUtf8()).isEqualTo("hello");
 * }</pre>
 *
 * <h2>Two kinds</h2>
 *
 * <ul>
 *   <li>{@link #create()}: as Twisted's {@code StringTransport}, {@link #loseConnection()} only
 *       sets {@link #isDisconnecting()} (it is idempotent and never calls {@code connectionLost});
 *       {@link #abortConnection()} also sets {@link #isDisconnected()}. Tests that want to see the
 *       protocol told call {@link #connectionLost(ConnectionEnd)} themselves.
 *   <li>{@link #withDisconnection()}: as Twisted's {@code StringTransportWithDisconnection}, the
 *       first {@code loseConnection()} also tells the {@linkplain #connect connected} protocol
 *       {@code connectionLost(ConnectionDone)} (an abort: {@code ConnectionAborted}), once.
 * </ul>
 *
 * <h2>Recorded</h2>
 *
 * Written bytes ({@link #value()}, {@link #clear()}), every {@code write} (also after closing, as
 * in Twisted), how many times {@link #loseConnection()} was called, the registered producer, the
 * transport's own producer state (a protocol that pauses reading: {@link #producerState()}) and the
 * TCP options.
 *
 * <h2>Producers</h2>
 *
 * A second {@link #registerProducer} throws {@link IllegalStateException} (Twisted: {@code
 * RuntimeError}). {@link #pauseProducing()} and {@link #resumeProducing()} throw {@link
 * IllegalStateException} once {@link #loseConnection()} has been called, unless the transport was
 * made {@link #lenient()}.
 *
 * <p>Threading: not thread-safe; use it from the test's thread. Ownership: written arrays are
 * copied when written.
 */
public final class StringTransport implements Transport {
  /** The default address of this end: 10.0.0.1:12345, as Twisted's StringTransport. */
  public static final InetSocketAddress DEFAULT_HOST = address(10, 0, 0, 1, 12345);

  /** The default address of the peer: 10.0.0.2:12345, as Twisted's StringTransport. */
  public static final InetSocketAddress DEFAULT_PEER = address(10, 0, 0, 2, 12345);

  /** What the transport itself is doing as a producer of received data (Twisted's states). */
  public enum ProducerState {
    /** Reading, the initial state. */
    PRODUCING,
    /** {@link #pauseProducing()} was called. */
    PAUSED,
    /** {@link #stopProducing()} was called. */
    STOPPED
  }

  private enum Kind {
    PLAIN,
    WITH_DISCONNECTION
  }

  private final Kind kind;
  private final boolean lenient;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private InetSocketAddress host = DEFAULT_HOST;
  private InetSocketAddress peer = DEFAULT_PEER;
  private Protocol protocol;
  private final RegisteredProducer producer = new RegisteredProducer();
  private ProducerState producerState = ProducerState.PRODUCING;
  private boolean disconnecting;
  private boolean disconnected;
  private int loseConnectionCalls;
  private int writeCalls;
  private ConnectionEnd lostReason;
  private boolean tcpNoDelay;
  private boolean tcpKeepAlive;
  private Consumer<ConnectionEnd> onConnectionLost = reason -> {};

  private StringTransport(Kind kind, boolean lenient) {
    this.kind = kind;
    this.lenient = lenient;
  }

  /**
   * Creates a transport whose {@code loseConnection()} only records the call (Twisted's {@code
   * StringTransport}).
   *
   * @return a new transport at {@link #DEFAULT_HOST} talking to {@link #DEFAULT_PEER}
   */
  public static StringTransport create() {
    return new StringTransport(Kind.PLAIN, false);
  }

  /**
   * Creates a transport like {@link #create()} whose {@code pauseProducing}/{@code resumeProducing}
   * are also allowed after {@code loseConnection()} (Twisted's {@code lenient=True}).
   *
   * @return a new lenient transport
   */
  public static StringTransport lenient() {
    return new StringTransport(Kind.PLAIN, true);
  }

  /**
   * Creates a transport whose first {@code loseConnection()} or {@code abortConnection()} tells the
   * connected protocol {@code connectionLost} once (Twisted's {@code
   * StringTransportWithDisconnection}).
   *
   * @return a new transport; give it its protocol with {@link #connect}
   */
  public static StringTransport withDisconnection() {
    return new StringTransport(Kind.WITH_DISCONNECTION, false);
  }

  /**
   * Sets the addresses {@link #getHost()} and {@link #getPeer()} report.
   *
   * @param hostAddress this end's address
   * @param peerAddress the other end's address
   * @return this transport
   */
  public StringTransport withAddresses(
      InetSocketAddress hostAddress, InetSocketAddress peerAddress) {
    this.host = Objects.requireNonNull(hostAddress, "hostAddress");
    this.peer = Objects.requireNonNull(peerAddress, "peerAddress");
    return this;
  }

  /**
   * Attaches {@code protocol} and calls its {@code makeConnection(this)}, as a reactor would.
   *
   * @param protocol the protocol for this connection
   * @param <P> its type
   * @return {@code protocol}, for chaining
   * @throws IllegalStateException if a protocol is already connected
   */
  public <P extends Protocol> P connect(P protocol) {
    Objects.requireNonNull(protocol, "protocol");
    if (this.protocol != null) {
      throw new IllegalStateException("a protocol is already connected: " + this.protocol);
    }
    this.protocol = protocol;
    protocol.makeConnection(this);
    return protocol;
  }

  /** {@return the protocol given to {@link #connect}, or null} */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * Tells the connected protocol that the connection ended, as a reactor would when the peer closes
   * or resets it; later calls (and a later {@code loseConnection} of a {@link #withDisconnection()}
   * transport) do nothing. Marks the transport disconnected. A registered producer is told {@code
   * stopProducing()}.
   *
   * @param reason how it ended
   * @throws IllegalStateException if no protocol is connected
   */
  public void connectionLost(ConnectionEnd reason) {
    Objects.requireNonNull(reason, "reason");
    if (protocol == null) {
      throw new IllegalStateException("no protocol connected: call connect(protocol) first");
    }
    if (lostReason != null) {
      return;
    }
    lostReason = reason;
    disconnecting = true;
    disconnected = true;
    producer.stop();
    protocol.connectionLost(reason);
    onConnectionLost.accept(reason);
  }

  /** Called after the protocol has been told connectionLost; used by MemoryReactor. */
  void onConnectionLost(Consumer<ConnectionEnd> listener) {
    this.onConnectionLost = Objects.requireNonNull(listener, "listener");
  }

  /**
   * {@return how the connection ended: the reason given to the protocol's {@code connectionLost},
   * or null while it has not}
   */
  public ConnectionEnd lostReason() {
    return lostReason;
  }

  // ---------------------------------------------------------------------------------------------
  // What was written

  /** {@return a copy of every byte written since creation or the last {@link #clear()}} */
  public byte[] value() {
    return written.toByteArray();
  }

  /** {@return the written text: {@link #value()} decoded as UTF-8} */
  public String valueUtf8() {
    return written.toString(StandardCharsets.UTF_8);
  }

  /** Forgets the bytes written so far. */
  public void clear() {
    written.reset();
  }

  /** {@return how many times {@code write} (or an element of {@code writeSequence}) was called} */
  public int writeCalls() {
    return writeCalls;
  }

  @Override
  public void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    writeCalls++;
    written.writeBytes(data);
  }

  @Override
  public void writeSequence(List<byte[]> data) {
    for (byte[] piece : data) {
      write(piece);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Closing

  @Override
  public void loseConnection() {
    loseConnectionCalls++;
    disconnecting = true;
    if (kind == Kind.WITH_DISCONNECTION && protocol != null) {
      connectionLost(new ConnectionDone());
    }
  }

  @Override
  public void abortConnection() {
    disconnecting = true;
    disconnected = true;
    if (kind == Kind.WITH_DISCONNECTION && protocol != null) {
      connectionLost(new ConnectionAborted());
    }
  }

  /** {@return how many times {@link #loseConnection()} was called} */
  public int loseConnectionCalls() {
    return loseConnectionCalls;
  }

  @Override
  public boolean isDisconnecting() {
    return disconnecting;
  }

  /**
   * {@return true once the connection is gone: {@link #abortConnection()} was called or the
   * protocol was told {@code connectionLost} (Twisted's {@code disconnected})}
   */
  public boolean isDisconnected() {
    return disconnected;
  }

  // ---------------------------------------------------------------------------------------------
  // Addresses and options

  @Override
  public InetSocketAddress getPeer() {
    return peer;
  }

  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  @Override
  public void setTcpNoDelay(boolean noDelay) {
    tcpNoDelay = noDelay;
  }

  @Override
  public void setTcpKeepAlive(boolean keepAlive) {
    tcpKeepAlive = keepAlive;
  }

  /** {@return the last value given to {@link #setTcpNoDelay}; false until set} */
  public boolean tcpNoDelay() {
    return tcpNoDelay;
  }

  /** {@return the last value given to {@link #setTcpKeepAlive}; false until set} */
  public boolean tcpKeepAlive() {
    return tcpKeepAlive;
  }

  // ---------------------------------------------------------------------------------------------
  // Producers: the one registered here, and this transport as a producer of received data

  @Override
  public void registerProducer(Producer newProducer) {
    producer.register(newProducer, disconnected);
  }

  @Override
  public void unregisterProducer() {
    producer.unregister();
  }

  /** {@return the producer given to {@link #registerProducer}, or null} */
  public Producer producer() {
    return producer.get();
  }

  /**
   * {@return true if the registered producer is a {@link PushProducer} (Twisted's {@code
   * streaming}), false for a pull producer or none}
   */
  public boolean streaming() {
    return producer.get() instanceof PushProducer;
  }

  /**
   * Asks a registered {@link PullProducer} for one more piece, as a transport does when its buffer
   * drains.
   *
   * @throws IllegalStateException if no pull producer is registered
   */
  public void pullMore() {
    if (!(producer.get() instanceof PullProducer pull)) {
      throw new IllegalStateException("no pull producer registered: " + producer.get());
    }
    pull.resumeProducing();
  }

  /**
   * {@return whether this transport's reading is paused, going on or stopped: the state set by
   * {@link #pauseProducing()}, {@link #resumeProducing()}, {@link #stopProducing()}}
   */
  public ProducerState producerState() {
    return producerState;
  }

  @Override
  public void pauseProducing() {
    checkProducing("pauseProducing");
    producerState = ProducerState.PAUSED;
  }

  @Override
  public void resumeProducing() {
    checkProducing("resumeProducing");
    producerState = ProducerState.PRODUCING;
  }

  @Override
  public void stopProducing() {
    producerState = ProducerState.STOPPED;
  }

  private void checkProducing(String what) {
    if (disconnecting && !lenient) {
      throw new IllegalStateException(what + "() called on a transport that is disconnecting");
    }
    if (producerState == ProducerState.STOPPED) {
      throw new IllegalStateException(what + "() called on a transport that was stopped");
    }
  }

  @Override
  public String toString() {
    return "StringTransport{"
        + peer
        + (disconnected ? ", disconnected" : disconnecting ? ", disconnecting" : "")
        + ", "
        + written.size()
        + " bytes written}";
  }

  private static InetSocketAddress address(int a, int b, int c, int d, int port) {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
