package dev.braid.sim;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One end of a simulated connection, as its protocol sees it. It follows the {@link Transport}
 * contract as the reactor's TCP transport does: writes are buffered and sent as the window allows;
 * a push producer is paused above {@value #HIGH_WATER_MARK} bytes waiting to be sent and resumed at
 * {@value #LOW_WATER_MARK}; {@code loseConnection} stops reading and closes once everything is sent
 * and the producer is gone; {@code abortConnection} resets; {@code connectionLost} comes once, from
 * an event, never from inside a call. A protocol whose hook throws is a violation, and its
 * connection is closed as the reactor closes it (the peer sees a clean close).
 *
 * <p>Threading: the simulation's thread.
 */
final class SimTransport implements Transport {
  static final int HIGH_WATER_MARK = 64 * 1024;
  static final int LOW_WATER_MARK = 16 * 1024;

  /** The protocol of a connection whose factory built none. */
  private static final Protocol NO_PROTOCOL =
      new Protocol() {
        @Override
        public void makeConnection(Transport transport) {}

        @Override
        public void dataReceived(byte[] data) {}

        @Override
        public void connectionLost(ConnectionEnd reason) {}
      };

  private final Connection conn;
  private final SimHost host;
  private final int incarnation;
  private final InetSocketAddress local;
  private final InetSocketAddress peer;
  private final SimConnector connector;
  private Flow out;
  private Flow in;
  private Protocol protocol;
  private Producer producer;
  private boolean producerPaused;
  private boolean pullRequested;
  private boolean readingPaused;
  private boolean disconnecting;
  private ConnectionEnd reason;
  private boolean notified;
  private Throwable startFailure;

  SimTransport(
      Connection conn,
      SimHost host,
      int localPort,
      SimHost peerHost,
      int peerPort,
      SimConnector connector) {
    this.conn = conn;
    this.host = host;
    this.incarnation = host.incarnation();
    this.local = new InetSocketAddress(host.address(), localPort);
    this.peer = new InetSocketAddress(peerHost.address(), peerPort);
    this.connector = connector;
  }

  void attach(Flow outgoing, Flow incoming) {
    this.out = outgoing;
    this.in = incoming;
  }

  SimHost host() {
    return host;
  }

  String connectionLabel() {
    return conn.label();
  }

  /** Its host crashed since this end was made: nobody is there. */
  boolean isDead() {
    return host.incarnation() != incarnation;
  }

  boolean isClosed() {
    return reason != null || isDead();
  }

  boolean isReading() {
    return protocol != null && !readingPaused && !disconnecting && reason == null && !isDead();
  }

  boolean producerGone() {
    return producer == null;
  }

  // ---------------------------------------------------------------------------------------------
  // Opening

  /** Gives the end its protocol: {@code makeConnection}. */
  void start(Protocol p) {
    protocol = p == null ? NO_PROTOCOL : p;
    host.opened(this);
    Throwable failed = conn.sim.guard(host, "makeConnection", () -> protocol.makeConnection(this));
    if (failed != null) {
      startFailure = failed;
      closeLater(new ConnectionLost("Connection lost: makeConnection threw " + failed, failed));
    } else if (p == null) {
      loseConnection();
    }
  }

  /** The SYN-ACK reached the client's end: the attempt, if still wanted, becomes a connection. */
  void synAckArrived() {
    if (!connector.established(this)) {
      out.sendReset(); // nobody wants it any more
      in.stop();
      reason = new ConnectionAborted();
      notified = true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  @Override
  public void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (reason != null || isDead() || data.length == 0) {
      return;
    }
    out.write(data);
    if (producer instanceof PullProducer) {
      pullRequested = false;
      out.windowOpened();
    } else if (producer instanceof PushProducer push
        && !producerPaused
        && out.outBytes() > HIGH_WATER_MARK) {
      producerPaused = true;
      push.pauseProducing();
    }
  }

  @Override
  public void writeSequence(List<byte[]> data) {
    for (byte[] piece : data) {
      write(piece);
    }
  }

  @Override
  public void loseConnection() {
    if (reason != null || disconnecting || isDead()) {
      return;
    }
    disconnecting = true;
    out.closeWhenDrained();
  }

  @Override
  public void abortConnection() {
    if (reason != null || isDead()) {
      return;
    }
    out.sendReset();
    in.stop();
    closeLater(new ConnectionAborted());
  }

  @Override
  public boolean isDisconnecting() {
    return disconnecting || reason != null;
  }

  @Override
  public InetSocketAddress getPeer() {
    return peer;
  }

  @Override
  public InetSocketAddress getHost() {
    return local;
  }

  @Override
  public void registerProducer(Producer p) {
    Objects.requireNonNull(p, "producer");
    if (producer != null) {
      throw new IllegalStateException(
          "a producer is already registered: " + producer + "; unregister it first");
    }
    if (reason != null || isDead()) {
      p.stopProducing();
      return;
    }
    producer = p;
    producerPaused = false;
    if (p instanceof PullProducer pull) {
      pullRequested = true;
      pull.resumeProducing();
    } else if (out.outBytes() > HIGH_WATER_MARK) {
      producerPaused = true;
      ((PushProducer) p).pauseProducing();
    }
  }

  @Override
  public void unregisterProducer() {
    producer = null;
    producerPaused = false;
    if (disconnecting && reason == null) {
      out.transmit(); // the FIN waited for the producer
    }
  }

  @Override
  public void setTcpNoDelay(boolean noDelay) {}

  @Override
  public void setTcpKeepAlive(boolean keepAlive) {}

  /** Stops reading: the peer's bytes wait, then fill the window and push back on it. */
  @Override
  public void pauseProducing() {
    readingPaused = true;
  }

  /** Reads again; what waits is delivered in an event of its own. */
  @Override
  public void resumeProducing() {
    readingPaused = false;
    if (reason == null && !isDead()) {
      in.scheduleDelivery();
    }
  }

  /** Closes the connection, as the reactor's transport does. */
  @Override
  public void stopProducing() {
    loseConnection();
  }

  // ---------------------------------------------------------------------------------------------
  // From the network

  /** Bytes to read. */
  void received(byte[] data) {
    conn.sim.note(host.name(), conn.label() + " received " + data.length + " bytes");
    Throwable failed = conn.sim.guard(host, "dataReceived", () -> protocol.dataReceived(data));
    if (failed != null) {
      closeAfterError("dataReceived", failed);
    }
  }

  /** Everything written went out and the FIN with it: this end has closed cleanly. */
  void finishedClosing() {
    closeLater(new ConnectionDone());
  }

  /** The sender's buffer drained some: resume a paused push producer, ask a pull producer. */
  void drained() {
    if (reason != null || isDead() || producer == null) {
      return;
    }
    if (producer instanceof PullProducer pull) {
      if (out.outBytes() == 0 && !pullRequested) {
        pullRequested = true;
        Throwable failed = conn.sim.guard(host, "resumeProducing", pull::resumeProducing);
        if (failed != null) {
          closeAfterError("the producer's resumeProducing", failed);
        }
      }
    } else if (producerPaused && out.outBytes() <= LOW_WATER_MARK) {
      producerPaused = false;
      PushProducer push = (PushProducer) producer;
      Throwable failed = conn.sim.guard(host, "resumeProducing", push::resumeProducing);
      if (failed != null) {
        closeAfterError("the producer's resumeProducing", failed);
      }
    }
  }

  /** Closes now and tells the protocol now: the network ended the connection (in an event). */
  void closeNow(ConnectionEnd why) {
    if (reason != null || isDead()) {
      return;
    }
    close(why);
    notifyLost();
  }

  /** The reactor shuts down: closes at once, the peer sees a clean close. */
  void closeForShutdown() {
    if (reason != null || isDead()) {
      return;
    }
    out.sendFinNow();
    in.stop();
    closeLater(new ConnectionLost("Connection lost: the reactor is shutting down.", null));
  }

  /** Its host crashed: its peer is reset, its protocol told nothing. */
  void vanish() {
    if (reason == null) {
      reason = new ConnectionLost("the host crashed", null);
      notified = true;
      out.sendReset();
      in.stop();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void closeAfterError(String hook, Throwable t) {
    if (reason != null || isDead()) {
      return;
    }
    out.sendFinNow(); // the reactor closes the socket: the peer sees a clean close
    in.stop();
    closeLater(new ConnectionLost("Connection lost: " + hook + " threw " + t, t));
  }

  private void closeLater(ConnectionEnd why) {
    if (reason != null) {
      return;
    }
    close(why);
    host.soon(this::notifyLost);
  }

  private void close(ConnectionEnd why) {
    reason = why;
    disconnecting = true;
    host.closed(this);
  }

  private void notifyLost() {
    if (notified || isDead() || protocol == null) {
      return; // protocol null: a client's end before the SYN-ACK; its attempt times out
    }
    notified = true;
    conn.sim.note(host.name(), conn.label() + " lost: " + Simulation.describe(reason));
    Producer p = producer;
    producer = null;
    if (p != null) {
      conn.sim.guard(host, "stopProducing", p::stopProducing);
    }
    conn.sim.guard(host, "connectionLost", () -> protocol.connectionLost(reason));
    if (connector != null) {
      if (startFailure != null) {
        connector.protocolFailedToStart(startFailure);
      } else {
        connector.connectionLost(reason);
      }
    }
  }

  @Override
  public String toString() {
    return "SimTransport{"
        + conn.label()
        + ", "
        + host.name()
        + ":"
        + local.getPort()
        + " -> "
        + peer.getAddress().getHostName()
        + ":"
        + peer.getPort()
        + (reason != null ? ", closed" : disconnecting ? ", disconnecting" : "")
        + "}";
  }
}
