package dev.braid.test;

import dev.braid.defer.DelayedCall;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A server protocol and a client protocol joined in memory, driven by a {@link VirtualClock}:
 * Twisted's {@code iosim.connectedServerAndClient} with its {@code IOPump}, plus the faults a
 * network has (chunking, latency, stalls, resets) and backpressure.
 *
 * <pre>{@code
 * ConnectedPair<PoetryServer, PoetryClient> pair =
 *     ConnectedPair.connect(new PoetryServer(poem), new PoetryClient());
 * pair.toClient().chunkSize(3);            // the poem arrives 3 bytes at a time
 * pair.flush();                            // deliver until nothing moves
 * assertThat(pair.client().poem()).succeedsWith(poem);
 * }</pre>
 *
 * <h2>How it runs</h2>
 *
 * Both protocols are given their {@link FakeTransport} at once (server first). Nothing moves by
 * itself: {@link #pump()} makes one round (deliveries to the server, then to the client, then
 * closes and producer wake-ups), {@link #flush()} pumps until a round moves nothing, and {@link
 * #advance(double)} moves the clock through every timer and every delayed delivery in time order,
 * flushing at each step. The pipes ({@link #toClient()}, {@link #toServer()}) hold the bytes in
 * flight and the test's controls over them. {@link #reset(Side)} and {@link #close(Side)} inject a
 * reset or a clean close.
 *
 * <p>Backpressure: a push producer registered on a transport is paused once more than the
 * high-water mark ({@value #DEFAULT_HIGH_WATER_MARK} bytes by default, as the reactor's) waits in
 * its outgoing pipe and resumed when that falls to the low-water mark ({@value
 * #DEFAULT_LOW_WATER_MARK} bytes by default); see {@link Builder}.
 *
 * <p>Threading: the test's thread only.
 *
 * @param <S> the server protocol's type
 * @param <C> the client protocol's type
 */
public final class ConnectedPair<S extends Protocol, C extends Protocol> {
  /** The default high-water mark: 64 KiB. */
  public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;

  /** The default low-water mark: 16 KiB. */
  public static final int DEFAULT_LOW_WATER_MARK = 16 * 1024;

  /** How many rounds {@link #flush()} makes before it decides the protocols never go quiet. */
  public static final int FLUSH_LIMIT = 100_000;

  /** One end of the connection. */
  public enum Side {
    /** The end that accepted the connection. */
    SERVER,
    /** The end that made it. */
    CLIENT;

    /** {@return the other end: CLIENT for SERVER and SERVER for CLIENT} */
    public Side other() {
      return this == SERVER ? CLIENT : SERVER;
    }
  }

  private final VirtualClock clock;
  private final S server;
  private final C client;
  private final FakeTransport serverTransport;
  private final FakeTransport clientTransport;
  private final Pipe toServer = new Pipe(this, "client -> server");
  private final Pipe toClient = new Pipe(this, "server -> client");
  private final int highWaterMark;
  private final int lowWaterMark;

  private ConnectedPair(Builder builder, S server, C client) {
    this.clock = builder.clock != null ? builder.clock : VirtualClock.create();
    this.server = Objects.requireNonNull(server, "server");
    this.client = Objects.requireNonNull(client, "client");
    this.highWaterMark = builder.highWaterMark;
    this.lowWaterMark = builder.lowWaterMark;
    this.serverTransport =
        new FakeTransport(this, Side.SERVER, builder.serverAddress, builder.clientAddress);
    this.clientTransport =
        new FakeTransport(this, Side.CLIENT, builder.clientAddress, builder.serverAddress);
    serverTransport.attach(server);
    clientTransport.attach(client);
    server.makeConnection(serverTransport);
    client.makeConnection(clientTransport);
  }

  /**
   * Connects {@code server} and {@code client} with the defaults and a new clock.
   *
   * @param server the server side's protocol
   * @param client the client side's protocol
   * @param <S> the server protocol's type
   * @param <C> the client protocol's type
   * @return the connected pair
   */
  public static <S extends Protocol, C extends Protocol> ConnectedPair<S, C> connect(
      S server, C client) {
    return builder().connect(server, client);
  }

  /**
   * Starts configuring a pair: clock, addresses, water marks.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link ConnectedPair}. */
  public static final class Builder {
    private VirtualClock clock;
    private InetSocketAddress serverAddress = address(10, 0, 0, 1, 10000);
    private InetSocketAddress clientAddress = address(10, 0, 0, 2, 50000);
    private int highWaterMark = DEFAULT_HIGH_WATER_MARK;
    private int lowWaterMark = DEFAULT_LOW_WATER_MARK;

    private Builder() {}

    /**
     * Uses {@code shared} as the pair's clock (default: a new one).
     *
     * @param shared the clock, e.g. the one a {@link MemoryReactor} or the test uses
     * @return this builder
     */
    public Builder clock(VirtualClock shared) {
      this.clock = Objects.requireNonNull(shared, "clock");
      return this;
    }

    /**
     * Sets the server's address (default 10.0.0.1:10000).
     *
     * @param address the server end's address
     * @return this builder
     */
    public Builder serverAddress(InetSocketAddress address) {
      this.serverAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the client's address (default 10.0.0.2:50000).
     *
     * @param address the client end's address
     * @return this builder
     */
    public Builder clientAddress(InetSocketAddress address) {
      this.clientAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the backpressure marks for push producers.
     *
     * @param high pause above this many bytes in flight
     * @param low resume at or below this many
     * @return this builder
     */
    public Builder waterMarks(int high, int low) {
      if (low < 0 || high < low) {
        throw new IllegalArgumentException(
            "water marks must satisfy 0 <= low <= high: low=" + low + ", high=" + high);
      }
      this.highWaterMark = high;
      this.lowWaterMark = low;
      return this;
    }

    /**
     * Connects the two protocols: each gets its transport ({@code makeConnection}), server first.
     *
     * @param server the server side's protocol
     * @param client the client side's protocol
     * @param <S> the server protocol's type
     * @param <C> the client protocol's type
     * @return the connected pair
     */
    public <S extends Protocol, C extends Protocol> ConnectedPair<S, C> connect(
        S server, C client) {
      return new ConnectedPair<>(this, server, client);
    }
  }

  /** {@return the server side's protocol} */
  public S server() {
    return server;
  }

  /** {@return the client side's protocol} */
  public C client() {
    return client;
  }

  /** {@return the server's transport, which the server protocol writes to} */
  public FakeTransport serverTransport() {
    return serverTransport;
  }

  /** {@return the client's transport, which the client protocol writes to} */
  public FakeTransport clientTransport() {
    return clientTransport;
  }

  /**
   * Returns the transport of one end.
   *
   * @param side which end
   * @return its transport
   */
  public FakeTransport transport(Side side) {
    return side == Side.SERVER ? serverTransport : clientTransport;
  }

  /**
   * {@return the pipe of the bytes the server wrote for the client (the server-to-client
   * direction)}
   */
  public Pipe toClient() {
    return toClient;
  }

  /**
   * {@return the pipe of the bytes the client wrote for the server (the client-to-server
   * direction)}
   */
  public Pipe toServer() {
    return toServer;
  }

  /** {@return the clock that times latency and that {@link #advance} moves} */
  public VirtualClock clock() {
    return clock;
  }

  /**
   * Makes one round: delivers what is due to the server, then to the client, then carries out
   * pending closes and wakes producers.
   *
   * @return true if anything was delivered, closed or asked of a producer
   */
  public boolean pump() {
    boolean moved = deliverDue(toServer);
    moved |= deliverDue(toClient);
    moved |= closeIfReady(Side.CLIENT);
    moved |= closeIfReady(Side.SERVER);
    moved |= pullIfDrained(clientTransport, toServer);
    moved |= pullIfDrained(serverTransport, toClient);
    return moved;
  }

  /**
   * Pumps until a round moves nothing.
   *
   * @throws IllegalStateException if the protocols keep talking for {@value #FLUSH_LIMIT} rounds
   */
  public void flush() {
    for (int round = 0; round < FLUSH_LIMIT; round++) {
      if (!pump()) {
        return;
      }
    }
    throw new IllegalStateException(
        "the connection did not go quiet after " + FLUSH_LIMIT + " rounds: " + this);
  }

  /**
   * Moves the clock forward by {@code seconds}, stopping at every timer and every delayed delivery
   * on the way (in time order) and flushing at each stop.
   *
   * @param seconds how far to move, not negative
   */
  public void advance(double seconds) {
    if (!(seconds >= 0)) {
      throw new IllegalArgumentException("cannot advance by " + seconds + " seconds");
    }
    double target = clock.seconds() + seconds;
    flush();
    for (int steps = 0; ; steps++) {
      if (steps > FLUSH_LIMIT) {
        throw new IllegalStateException("time did not move past " + clock.seconds() + ": " + this);
      }
      double now = clock.seconds();
      double next = Math.min(nextTimer(), Math.min(toServer.nextDue(now), toClient.nextDue(now)));
      if (next > target) {
        break;
      }
      clock.advance(Math.max(0, next - now));
      flush();
    }
    clock.advance(target - clock.seconds());
    flush();
  }

  /**
   * Moves the clock forward by {@code duration}; see {@link #advance(double)}.
   *
   * @param duration how far to move
   */
  public void advance(Duration duration) {
    advance(dev.braid.defer.Clock.toSeconds(duration));
  }

  /**
   * Resets the connection from {@code side}'s end, as a crash or a RST would: everything in flight
   * is dropped and both protocols are told {@link ConnectionLost} at once ({@code side} "Connection
   * reset", the other "Connection reset by peer"). Does nothing if both ends are already closed.
   *
   * @param side the end the reset comes from
   */
  public void reset(Side side) {
    toServer.clear();
    toClient.clear();
    transport(side).lose(new ConnectionLost("Connection reset", null));
    transport(side.other()).lose(new ConnectionLost("Connection reset by peer", null));
  }

  /**
   * Closes the connection cleanly from {@code side}'s end, as if its protocol had called {@code
   * loseConnection()}; it takes effect at the next pump.
   *
   * @param side the end that closes
   */
  public void close(Side side) {
    transport(side).loseConnection();
  }

  /** {@return true once both ends have been told {@code connectionLost}} */
  public boolean isClosed() {
    return serverTransport.isDisconnected() && clientTransport.isDisconnected();
  }

  // ---------------------------------------------------------------------------------------------
  // For FakeTransport and Pipe

  Pipe outgoing(Side side) {
    return side == Side.SERVER ? toClient : toServer;
  }

  Pipe incoming(Side side) {
    return side == Side.SERVER ? toServer : toClient;
  }

  private FakeTransport receiver(Pipe pipe) {
    return pipe == toServer ? serverTransport : clientTransport;
  }

  private FakeTransport writer(Pipe pipe) {
    return pipe == toServer ? clientTransport : serverTransport;
  }

  void checkHighWater(FakeTransport transport) {
    if (outgoing(transport.side()).pending() > highWaterMark) {
      transport.pauseProducer();
    }
  }

  void receive(Pipe pipe, byte[] data) {
    FakeTransport to = receiver(pipe);
    if (!to.isDisconnected()) {
      to.protocol().dataReceived(data);
    }
  }

  void afterDelivery(Pipe pipe) {
    writer(pipe).deliveredSome();
    if (pipe.pending() <= lowWaterMark) {
      writer(pipe).resumeProducer();
    }
  }

  private boolean deliverDue(Pipe pipe) {
    FakeTransport to = receiver(pipe);
    boolean moved = false;
    while (!pipe.held() && to.isReading()) {
      byte[] data = pipe.take(pipe.nextReadSize(), clock.seconds());
      if (data.length == 0) {
        break;
      }
      moved = true;
      to.protocol().dataReceived(data);
    }
    if (moved) {
      afterDelivery(pipe);
    }
    return moved;
  }

  private boolean closeIfReady(Side side) {
    FakeTransport transport = transport(side);
    FakeTransport peer = transport(side.other());
    if (transport.aborting()) {
      transport.lose(new ConnectionAborted());
      peer.lose(new ConnectionLost("Connection reset by peer", null));
      return true;
    }
    if (transport.readyToClose() && outgoing(side).pending() == 0) {
      outgoing(side.other()).clear();
      boolean moved = transport.lose(new ConnectionDone());
      moved |= peer.lose(new ConnectionDone());
      return moved;
    }
    return false;
  }

  private boolean pullIfDrained(FakeTransport writer, Pipe pipe) {
    return pipe.pending() == 0 && !writer.isDisconnecting() && writer.pullMore();
  }

  private double nextTimer() {
    List<DelayedCall> calls = clock.getDelayedCalls();
    return calls.isEmpty() ? Double.POSITIVE_INFINITY : calls.get(0).getTime();
  }

  @Override
  public String toString() {
    return "ConnectedPair{"
        + serverTransport
        + ", "
        + clientTransport
        + ", "
        + toServer
        + ", "
        + toClient
        + "}";
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
