package dev.braid.reactor;

import dev.braid.net.Addresses;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection on a {@link SelectorReactor}, over either I/O backend's {@link StreamSocket}:
 * reads into the reactor's direct buffer and hands the protocol exactly the bytes read; writes at
 * once when nothing is queued and queues (without copying) only what the socket does not take,
 * registering for {@code OP_WRITE} only then.
 *
 * <p>Backpressure: a registered {@link PushProducer} is paused when the queue exceeds {@value
 * #HIGH_WATER_MARK} bytes and resumed when it falls to {@value #LOW_WATER_MARK}; a {@link
 * PullProducer} is asked for more each time the queue is empty.
 *
 * <p>Closing: {@link #loseConnection()} stops reading, sends what is queued, waits for the producer
 * to be unregistered, then closes (FIN) with {@link ConnectionDone}; {@link #abortConnection()}
 * closes at once with {@code SO_LINGER} 0, so the peer sees a reset, with {@link
 * ConnectionAborted}. End of stream from the peer is {@link ConnectionDone}; a read or write error
 * (a reset) is {@link ConnectionLost}. The protocol's {@code connectionLost} (and the connector's
 * {@code clientConnectionLost}) are called from the loop after the socket is released, never from
 * inside the call that closed it.
 *
 * <p>Threading: reactor thread only.
 */
final class TcpTransport implements Transport, IoHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

  /** Above this many queued bytes a push producer is paused. */
  static final int HIGH_WATER_MARK = 64 * 1024;

  /** At or below this many queued bytes a paused push producer is resumed. */
  static final int LOW_WATER_MARK = 16 * 1024;

  /** Reads per readiness event while each fills the buffer (the peer is sending fast). */
  private static final int MAX_READS_PER_EVENT = 16;

  private final SelectorReactor reactor;
  private final StreamSocket socket;
  private final TcpConnector connector;
  private final InetSocketAddress host;
  private final InetSocketAddress peer;
  private Protocol protocol;
  private WriteQueue queue;
  private int interest;
  private Producer producer;
  private boolean producerPaused;
  private boolean readingPaused;
  private boolean disconnecting;
  private boolean closed;
  private Throwable startFailure;

  // What a dump and the flight recorder report (reactor thread writes; any thread may read).
  private long openedNanos;
  private long lastReceivedNanos;
  private long bytesReceived;
  private long bytesSent;

  /**
   * Wraps a connected socket already registered (with no interest).
   *
   * @param connector the connector on the client side, null on the server side
   */
  TcpTransport(
      SelectorReactor reactor,
      StreamSocket socket,
      TcpConnector connector,
      InetSocketAddress host,
      InetSocketAddress peer) {
    this.reactor = reactor;
    this.socket = socket;
    this.connector = connector;
    this.host = host;
    this.peer = peer;
  }

  /**
   * Attaches the protocol, starts reading and calls {@code makeConnection}. If that throws, the
   * connection is dropped; on the client side the connector then reports a failed attempt instead
   * of a lost connection.
   */
  void start(Protocol protocol) {
    this.protocol = protocol;
    socket.attach(this);
    openedNanos = reactor.nanoTime();
    reactor.connectionOpened(this);
    ReactorEvents.connectionOpened(reactor, this);
    setInterest(SelectionKey.OP_READ);
    try {
      protocol.makeConnection(this);
    } catch (Throwable t) {
      startFailure = t;
      protocolFailed("makeConnection", t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events from the loop

  @Override
  public void handleReady(int readyOps) {
    if ((readyOps & SelectionKey.OP_WRITE) != 0) {
      flush();
    }
    // Reading may have been paused since the select (by another connection's handler, say).
    if ((readyOps & SelectionKey.OP_READ) != 0 && !closed && !disconnecting && !readingPaused) {
      read();
    }
  }

  @Override
  public void handlerFailed(Throwable error) {
    closeWith(new ConnectionLost("Connection lost: reactor error: " + error, error), false);
  }

  private void read() {
    ByteBuffer buffer = reactor.ioBuffer();
    for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
      buffer.clear();
      int n;
      try {
        n = socket.read(buffer);
      } catch (IOException e) {
        closeWith(lost(e), false);
        return;
      }
      if (n < 0) {
        closeWith(new ConnectionDone(), false);
        return;
      }
      if (n == 0) {
        return;
      }
      bytesReceived += n;
      lastReceivedNanos = reactor.nanoTime();
      byte[] data = new byte[n];
      buffer.flip();
      buffer.get(data);
      try {
        protocol.dataReceived(data);
      } catch (Throwable t) {
        protocolFailed("dataReceived", t);
        return;
      }
      if (n < buffer.capacity() || closed || disconnecting || readingPaused) {
        return;
      }
    }
  }

  /** Writes what is queued until the socket pushes back; then deals with producers and closing. */
  private void flush() {
    WriteQueue q = queue;
    if (q != null && !q.isEmpty()) {
      ByteBuffer buffer = reactor.ioBuffer();
      while (!q.isEmpty()) {
        buffer.clear();
        q.fill(buffer);
        buffer.flip();
        int filled = buffer.remaining();
        int n;
        try {
          n = socket.write(buffer);
        } catch (IOException e) {
          closeWith(lost(e), false);
          return;
        }
        q.consume(n);
        bytesSent += n;
        if (n < filled) {
          break;
        }
      }
      if (!q.isEmpty()) {
        setInterest(SelectionKey.OP_WRITE);
        if (producerPaused && q.bytes() <= LOW_WATER_MARK) {
          resumeProducer();
        }
        return;
      }
    }
    clearInterest(SelectionKey.OP_WRITE);
    drained();
  }

  /** The queue is empty: Twisted's end of {@code doWrite}. */
  private void drained() {
    Producer p = producer;
    if (p instanceof PullProducer pull) {
      try {
        pull.resumeProducing();
      } catch (Throwable t) {
        protocolFailed("the producer's resumeProducing", t);
      }
    } else if (p != null) {
      if (producerPaused) {
        resumeProducer();
      }
    } else if (disconnecting) {
      closeWith(new ConnectionDone(), false);
    }
  }

  private void resumeProducer() {
    producerPaused = false;
    try {
      ((PushProducer) producer).resumeProducing();
    } catch (Throwable t) {
      protocolFailed("the producer's resumeProducing", t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  @Override
  public void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    reactor.checkReactorThread("Transport.write()");
    if (closed || data.length == 0) {
      return;
    }
    if (queue == null || queue.isEmpty()) {
      int sent = writeNow(data);
      if (sent < 0) {
        return;
      }
      if (sent == data.length) {
        if (producer instanceof PullProducer) {
          setInterest(SelectionKey.OP_WRITE); // ask it for more on the next writable event
        }
        return;
      }
      queue().add(data, sent);
      setInterest(SelectionKey.OP_WRITE);
    } else {
      queue.add(data, 0);
    }
    pauseProducerIfFull();
  }

  /**
   * {@inheritDoc}
   *
   * <p>When nothing is queued, the arrays that fit in the reactor's buffer together are gathered
   * into it and sent with one system call instead of one each.
   */
  @Override
  public void writeSequence(List<byte[]> data) {
    Objects.requireNonNull(data, "data");
    reactor.checkReactorThread("Transport.writeSequence()");
    int size = data.size();
    if (size > 1 && !closed && (queue == null || queue.isEmpty())) {
      ByteBuffer buffer = reactor.ioBuffer();
      long total = 0;
      for (int i = 0; i < size && total <= buffer.capacity(); i++) {
        total += data.get(i).length;
      }
      if (total <= buffer.capacity()) {
        writeGathered(data, buffer);
        return;
      }
    }
    for (byte[] piece : data) {
      write(piece);
    }
  }

  /** Sends arrays that fit in {@code buffer} together with one write; queues what is left. */
  private void writeGathered(List<byte[]> data, ByteBuffer buffer) {
    buffer.clear();
    for (byte[] piece : data) {
      buffer.put(piece);
    }
    buffer.flip();
    int total = buffer.remaining();
    int sent;
    try {
      sent = total == 0 ? 0 : socket.write(buffer);
    } catch (IOException e) {
      closeWith(lost(e), false);
      return;
    }
    bytesSent += sent;
    if (sent == total) {
      if (producer instanceof PullProducer) {
        setInterest(SelectionKey.OP_WRITE);
      }
      return;
    }
    int skip = sent;
    for (byte[] piece : data) {
      if (skip >= piece.length) {
        skip -= piece.length;
        continue;
      }
      queue().add(piece, skip);
      skip = 0;
    }
    setInterest(SelectionKey.OP_WRITE);
    pauseProducerIfFull();
  }

  /**
   * Sends {@code data} now: straight from the array on the native backend, through the reactor's
   * direct buffer on {@code java.nio}. Returns how many bytes the socket took, or -1 if the
   * connection broke (it is then closing).
   */
  private int writeNow(byte[] data) {
    int written;
    try {
      written = socket.write(data, 0, data.length, reactor.ioBuffer());
    } catch (IOException e) {
      closeWith(lost(e), false);
      return -1;
    }
    bytesSent += written;
    return written;
  }

  private WriteQueue queue() {
    if (queue == null) {
      queue = new WriteQueue();
    }
    return queue;
  }

  private void pauseProducerIfFull() {
    if (producer instanceof PushProducer push
        && !producerPaused
        && queue.bytes() > HIGH_WATER_MARK) {
      producerPaused = true;
      push.pauseProducing();
    }
  }

  @Override
  public void loseConnection() {
    reactor.checkReactorThread("Transport.loseConnection()");
    if (closed || disconnecting) {
      return;
    }
    disconnecting = true;
    clearInterest(SelectionKey.OP_READ);
    if (bufferedBytes() == 0 && producer == null) {
      closeWith(new ConnectionDone(), false);
    } else {
      setInterest(SelectionKey.OP_WRITE);
    }
  }

  @Override
  public void abortConnection() {
    reactor.checkReactorThread("Transport.abortConnection()");
    closeWith(new ConnectionAborted(), true);
  }

  @Override
  public boolean isDisconnecting() {
    return disconnecting;
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
  public void registerProducer(Producer producer) {
    Objects.requireNonNull(producer, "producer");
    reactor.checkReactorThread("Transport.registerProducer()");
    if (this.producer != null) {
      throw new IllegalStateException(
          "a producer is already registered: " + this.producer + "; unregister it first");
    }
    if (closed) {
      producer.stopProducing();
      return;
    }
    this.producer = producer;
    producerPaused = false;
    if (producer instanceof PullProducer pull) {
      pull.resumeProducing();
    }
  }

  @Override
  public void unregisterProducer() {
    reactor.checkReactorThread("Transport.unregisterProducer()");
    producer = null;
    producerPaused = false;
    if (disconnecting && !closed && bufferedBytes() == 0) {
      closeWith(new ConnectionDone(), false);
    }
  }

  @Override
  public void setTcpNoDelay(boolean noDelay) {
    setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
  }

  @Override
  public void setTcpKeepAlive(boolean keepAlive) {
    setOption(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
  }

  private <V> void setOption(SocketOption<V> option, V value) {
    reactor.checkReactorThread("Transport.setTcp*()");
    if (closed) {
      return;
    }
    try {
      socket.setOption(option, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set " + option + " on " + this, e);
    }
  }

  /** Stops reading from the socket until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    reactor.checkReactorThread("Transport.pauseProducing()");
    readingPaused = true;
    clearInterest(SelectionKey.OP_READ);
  }

  /** Reads from the socket again, unless the connection is closing. */
  @Override
  public void resumeProducing() {
    reactor.checkReactorThread("Transport.resumeProducing()");
    readingPaused = false;
    if (!disconnecting) {
      setInterest(SelectionKey.OP_READ);
    }
  }

  /** Twisted: the same as {@link #loseConnection()}. */
  @Override
  public void stopProducing() {
    loseConnection();
  }

  // ---------------------------------------------------------------------------------------------
  // Closing

  /**
   * Closes now, discarding unsent data; {@code reset} sets {@code SO_LINGER} 0 first so the peer
   * gets a RST. Notifications follow from the loop. Does nothing if already closed.
   */
  void closeWith(ConnectionEnd reason, boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    disconnecting = true;
    if (queue != null) {
      queue.clear();
    }
    try {
      if (reset) {
        socket.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException e) {
      LOG.debug("cannot set SO_LINGER on {}", this, e);
    }
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing {} failed", this, e);
    }
    reactor.connectionClosed(this);
    ReactorEvents.connectionClosed(reactor, this, reason);
    reactor.soon(() -> notifyLost(reason));
  }

  private void notifyLost(ConnectionEnd reason) {
    Producer p = producer;
    producer = null;
    if (p != null) {
      try {
        p.stopProducing();
      } catch (Throwable t) {
        LOG.error("the producer's stopProducing threw on {}", this, t);
      }
    }
    try {
      protocol.connectionLost(reason);
    } catch (Throwable t) {
      LOG.error("connectionLost threw on {}", this, t);
    }
    if (connector != null) {
      if (startFailure != null) {
        connector.protocolFailedToStart(startFailure);
      } else {
        connector.connectionLost(reason);
      }
    }
  }

  private void protocolFailed(String hook, Throwable t) {
    LOG.error("{} threw on {}; dropping the connection", hook, this, t);
    closeWith(new ConnectionLost("Connection lost: " + hook + " threw " + t, t), false);
  }

  private static ConnectionLost lost(IOException e) {
    String message = e.getMessage();
    return new ConnectionLost(
        "Connection lost: " + (message == null ? e.getClass().getSimpleName() : message), e);
  }

  // ---------------------------------------------------------------------------------------------

  private void setInterest(int op) {
    int ops = interest | op;
    if (ops != interest && !closed) {
      interest = ops;
      socket.interestOps(ops);
    }
  }

  private void clearInterest(int op) {
    int ops = interest & ~op;
    if (ops != interest && !closed) {
      interest = ops;
      socket.interestOps(ops);
    }
  }

  /** Bytes written but not yet taken by the socket. */
  long bufferedBytes() {
    return queue == null ? 0 : queue.bytes();
  }

  boolean isClosed() {
    return closed;
  }

  Protocol protocol() {
    return protocol;
  }

  /** True on the client side (connected out), false on the server side (accepted). */
  boolean isClient() {
    return connector != null;
  }

  /** When the protocol was attached, on the reactor's clock (nanoseconds). */
  long openedNanos() {
    return openedNanos;
  }

  /** When bytes last arrived, on the reactor's clock; 0 if none have. */
  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long bytesSent() {
    return bytesSent;
  }

  boolean isReadingPaused() {
    return readingPaused;
  }

  /** The protocol's class name, the one a user wrote (not the endpoint's wrapper). */
  String protocolName() {
    Protocol p = protocol instanceof TcpClientEndpoint.NotifyingProtocol n ? n.wrapped : protocol;
    return p == null ? "?" : p.getClass().getName();
  }

  @Override
  public String toString() {
    return protocolName()
        + (connector == null ? " [server " : " [client ")
        + Addresses.describe(host)
        + (connector == null ? " <- " : " -> ")
        + Addresses.describe(peer)
        + "]";
  }
}
