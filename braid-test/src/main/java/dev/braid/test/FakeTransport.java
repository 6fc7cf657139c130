package dev.braid.test;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One end of a {@link ConnectedPair}: a {@link Transport} whose writes travel through a {@link
 * Pipe} to the other end's protocol when the pair is pumped (Twisted's {@code
 * iosim.FakeTransport}).
 *
 * <p>It follows the {@link Transport} contract: {@link #loseConnection()} closes once everything
 * written has been delivered and the producer (if any) is unregistered, and then both protocols get
 * {@link dev.braid.net.ConnectionDone}; {@link #abortConnection()} drops what is in flight, and at
 * the next pump this protocol gets {@link dev.braid.net.ConnectionAborted} and the peer a {@link
 * dev.braid.net.ConnectionLost}. A push producer is paused when more than the pair's high-water
 * mark is waiting in the pipe and resumed when it falls to the low-water mark; a pull producer is
 * asked for more each time the pipe is empty. {@link #pauseProducing()} stops deliveries to this
 * end. Writes after the connection closed or an abort began are ignored.
 *
 * <p>Threading: the test's thread only.
 */
public final class FakeTransport implements Transport {
  private final ConnectedPair<?, ?> pair;
  private final ConnectedPair.Side side;
  private final InetSocketAddress host;
  private final InetSocketAddress peer;
  private Protocol protocol;
  private final RegisteredProducer producer = new RegisteredProducer();
  private boolean producerPaused;
  private boolean pullRequested;
  private boolean readingPaused;
  private boolean readingStopped;
  private boolean disconnecting;
  private boolean aborting;
  private ConnectionEnd lostReason;
  private boolean tcpNoDelay;
  private boolean tcpKeepAlive;

  FakeTransport(
      ConnectedPair<?, ?> pair,
      ConnectedPair.Side side,
      InetSocketAddress host,
      InetSocketAddress peer) {
    this.pair = pair;
    this.side = side;
    this.host = host;
    this.peer = peer;
  }

  void attach(Protocol attached) {
    this.protocol = attached;
  }

  /** {@return which end this is} */
  public ConnectedPair.Side side() {
    return side;
  }

  @Override
  public void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (lostReason != null || aborting) {
      return;
    }
    pair.outgoing(side).write(data, pair.clock().seconds());
    pair.checkHighWater(this);
  }

  @Override
  public void writeSequence(List<byte[]> data) {
    for (byte[] piece : data) {
      write(piece);
    }
  }

  @Override
  public void loseConnection() {
    disconnecting = true;
  }

  @Override
  public void abortConnection() {
    if (lostReason != null || aborting) {
      return;
    }
    disconnecting = true;
    aborting = true;
    pair.outgoing(side).clear();
    pair.incoming(side).clear();
  }

  @Override
  public boolean isDisconnecting() {
    return disconnecting;
  }

  /** {@return true once this end's protocol has been told {@code connectionLost}} */
  public boolean isDisconnected() {
    return lostReason != null;
  }

  /**
   * {@return how the connection ended for this end: the reason given to its protocol, or null while
   * open}
   */
  public ConnectionEnd lostReason() {
    return lostReason;
  }

  @Override
  public InetSocketAddress getPeer() {
    return peer;
  }

  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  @Override
  public void registerProducer(Producer newProducer) {
    if (!producer.register(newProducer, lostReason != null)) {
      return;
    }
    producerPaused = false;
    if (newProducer instanceof PullProducer pull) {
      pullRequested = true;
      pull.resumeProducing();
    } else {
      pair.checkHighWater(this);
    }
  }

  @Override
  public void unregisterProducer() {
    producer.unregister();
    producerPaused = false;
  }

  /** {@return the registered producer, or null} */
  public Producer producer() {
    return producer.get();
  }

  /** {@return true while the registered push producer is paused by backpressure} */
  public boolean isProducerPaused() {
    return producerPaused;
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

  /** Stops deliveries to this end until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    readingPaused = true;
  }

  /** Lets deliveries to this end go on from the next pump. */
  @Override
  public void resumeProducing() {
    readingPaused = false;
  }

  /** Stops deliveries to this end for good. */
  @Override
  public void stopProducing() {
    readingStopped = true;
  }

  /**
   * {@return true if the pump may deliver to this end's protocol: not paused, stopped, closing or
   * closed}
   */
  public boolean isReading() {
    return !readingPaused && !readingStopped && !disconnecting && lostReason == null;
  }

  // ---------------------------------------------------------------------------------------------
  // For ConnectedPair

  Protocol protocol() {
    return protocol;
  }

  boolean aborting() {
    return aborting;
  }

  boolean readyToClose() {
    return disconnecting && !aborting && lostReason == null && producer.get() == null;
  }

  void pauseProducer() {
    if (producer.get() instanceof PushProducer push && !producerPaused) {
      producerPaused = true;
      push.pauseProducing();
    }
  }

  void resumeProducer() {
    if (producer.get() instanceof PushProducer push && producerPaused) {
      producerPaused = false;
      push.resumeProducing();
    }
  }

  /** Asks a pull producer for more, once per delivery; returns whether one was asked. */
  boolean pullMore() {
    if (producer.get() instanceof PullProducer pull && lostReason == null && !pullRequested) {
      pullRequested = true;
      pull.resumeProducing();
      return true;
    }
    return false;
  }

  /** Some of what this end wrote was delivered: a pull producer may be asked again. */
  void deliveredSome() {
    pullRequested = false;
  }

  /** Tells the protocol the connection ended, once; stops the producer. */
  boolean lose(ConnectionEnd reason) {
    if (lostReason != null) {
      return false;
    }
    lostReason = reason;
    disconnecting = true;
    aborting = false;
    producer.stop();
    protocol.connectionLost(reason);
    return true;
  }

  @Override
  public String toString() {
    return "FakeTransport{"
        + side
        + " "
        + host
        + " -> "
        + peer
        + (lostReason != null ? ", closed" : disconnecting ? ", disconnecting" : "")
        + "}";
  }
}
