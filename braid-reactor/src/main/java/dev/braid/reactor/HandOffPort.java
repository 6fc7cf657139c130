package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.net.Addresses;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reactor's share of a port that another reactor of its {@link ReactorGroup} accepts on ({@link
 * PortSharing#ACCEPTOR}): the acceptor hands it accepted connections, which it serves on its own
 * reactor with its own factory. It is listed among its reactor's listening ports, and stopping it
 * (as a server's drain or the reactor's shutdown does) makes it close the connections still handed
 * to it. A connection crosses between the two reactors' pollers as a {@link DetachedSocket}, owned
 * by neither on the way, so it works on both transports (both reactors on the same one).
 *
 * <p>Threading: {@link #offer} from any thread (the acceptor's); everything else on its reactor's
 * thread.
 */
final class HandOffPort implements ListeningPort {
  private static final Logger LOG = LoggerFactory.getLogger(HandOffPort.class);

  private final SelectorReactor reactor;
  private final Factory factory;
  private final InetSocketAddress host;
  private final String acceptor;

  /** Handed over and not yet served; the acceptor adds, this port's reactor takes. */
  private final ConcurrentLinkedQueue<DetachedSocket> inbox = new ConcurrentLinkedQueue<>();

  private volatile boolean closed;

  // Reactor thread only.
  private final PortStop stop;

  private HandOffPort(
      SelectorReactor reactor, Factory factory, InetSocketAddress host, String acceptor) {
    this.reactor = reactor;
    this.factory = factory;
    this.stop = new PortStop(factory);
    this.host = host;
    this.acceptor = acceptor;
  }

  /**
   * Opens the share of {@code reactor}: starts the factory and lists the port among the reactor's.
   * On the reactor's thread (or before it runs).
   */
  static HandOffPort open(
      SelectorReactor reactor, Factory factory, InetSocketAddress host, String acceptor) {
    reactor.checkReactorThread("listenTCP()");
    HandOffPort port = new HandOffPort(reactor, factory, host, acceptor);
    FactoryStarts.doStart(factory);
    reactor.portOpened(port);
    return port;
  }

  /**
   * Hands {@code accepted} over, to be served on this port's reactor. On the thread of the reactor
   * that accepted it, whose poller releases it here ({@link StreamSocket#detach()}).
   *
   * @param accepted just accepted, not yet registered
   * @return false if this port has stopped listening: the caller keeps the connection
   */
  boolean offer(StreamSocket accepted) {
    if (closed) {
      return false;
    }
    inbox.add(accepted.detach());
    if (closed) {
      closeInbox(); // stopped meanwhile: whoever drains first closes it
    } else {
      reactor.callFromThread(this::serveInbox);
    }
    return true;
  }

  private void serveInbox() {
    for (DetachedSocket handed; (handed = inbox.poll()) != null; ) {
      if (closed) {
        handed.close();
        continue;
      }
      StreamSocket accepted;
      try {
        accepted = handed.attachTo(reactor.poller());
      } catch (IOException e) {
        LOG.debug("dropping a connection handed over to {}", this, e);
        continue;
      }
      TcpListeningPort.serve(reactor, factory, accepted, this);
    }
  }

  private void closeInbox() {
    for (DetachedSocket handed; (handed = inbox.poll()) != null; ) {
      handed.close();
    }
  }

  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Connections handed over afterwards are refused (the acceptor serves them elsewhere or closes
   * them); those handed over and not yet served are closed. The Deferred fires from the loop once
   * the factory's {@code stopFactory} (if this was its last user) has run.
   */
  @Override
  public Deferred<Void> stopListening() {
    reactor.checkReactorThread("ListeningPort.stopListening()");
    if (!closed) {
      closed = true;
      closeInbox();
      reactor.portClosed(this);
      reactor.soon(() -> stop.finish(this));
    }
    return stop.whenFinished();
  }

  @Override
  public String toString() {
    return "TCP port "
        + Addresses.describe(host)
        + " (accepted by "
        + acceptor
        + ", served here by "
        + factory
        + ")";
  }
}
