package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.Addresses;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP port on a {@link SelectorReactor}: Twisted's {@code tcp.Port}. Accepts up to
 * {@value #MAX_ACCEPTS} connections per readiness event, builds a protocol for each with the
 * factory (closing the connection when it returns null or throws) and hands it a {@link
 * TcpTransport}.
 *
 * <p>When {@code accept} fails (out of file descriptors, typically: {@code EMFILE}/{@code ENFILE}),
 * the pending connection stays in the backlog and the socket stays ready, so retrying on the next
 * readiness event would spin the loop. Instead the port stops asking for accepts and tries again
 * after a pause that starts at {@value #FIRST_BACKOFF_MILLIS} ms and doubles with each failure in a
 * row up to {@value #MAX_BACKOFF_MILLIS} ms; a successful accept ends the streak (Netty turns
 * auto-read off for a second after such an error). Only the first failure of a streak is logged as
 * a warning.
 *
 * <p>Threading: reactor thread only.
 */
final class TcpListeningPort implements ListeningPort, IoHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TcpListeningPort.class);

  /** Connections accepted per readiness event at most (Twisted's {@code numberAccepts}). */
  static final int MAX_ACCEPTS = 100;

  /** The pause after the first failed accept of a streak. */
  static final long FIRST_BACKOFF_MILLIS = 10;

  /** The longest pause between two tries while accept keeps failing. */
  static final long MAX_BACKOFF_MILLIS = 500;

  /** Accepts one connection; the socket's own {@code accept}, replaced by some tests. */
  @FunctionalInterface
  interface Acceptor {
    StreamSocket accept() throws IOException;
  }

  /**
   * Where the connections this port accepts are served, when a {@link ReactorGroup} shares it among
   * its reactors by hand-off ({@link PortSharing#ACCEPTOR}).
   */
  @FunctionalInterface
  interface Dispatch {
    /**
     * Hands {@code accepted} to another reactor, or declines so that this port serves it here.
     *
     * @return true if it was handed over (or closed): this port must not touch it any more
     */
    boolean handOff(StreamSocket accepted);
  }

  private final SelectorReactor reactor;
  private final ListenSocket socket;
  private final Factory factory;
  private final InetSocketAddress host;
  private boolean closed;
  private final PortStop stop;
  private Acceptor acceptor;
  private Dispatch dispatch;
  private long backoffMillis;
  private long failedAccepts;
  private DelayedCall retry;

  private TcpListeningPort(
      SelectorReactor reactor, ListenSocket socket, Factory factory, InetSocketAddress host) {
    this.reactor = reactor;
    this.socket = socket;
    this.factory = factory;
    this.stop = new PortStop(factory);
    this.host = host;
    this.acceptor = socket::accept;
  }

  /**
   * Binds, starts the factory and registers for accepts. If registering fails, the factory is
   * stopped again and the socket closed before the exception propagates.
   */
  static TcpListeningPort open(
      SelectorReactor reactor, int port, Factory factory, int backlog, String iface) {
    return open(reactor, port, factory, backlog, iface, false);
  }

  /**
   * {@link #open(SelectorReactor, int, Factory, int, String)}, with {@code SO_REUSEPORT} set before
   * binding when {@code reusePort} is true, so that the ports of a {@link ReactorGroup}'s reactors
   * bind one port number and the kernel spreads the connections among them.
   */
  static TcpListeningPort open(
      SelectorReactor reactor,
      int port,
      Factory factory,
      int backlog,
      String iface,
      boolean reusePort) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(iface, "iface");
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (backlog < 1 && backlog != ReactorTcp.DEFAULT_BACKLOG) {
      throw new IllegalArgumentException(
          "backlog must be positive or DEFAULT_BACKLOG ("
              + ReactorTcp.DEFAULT_BACKLOG
              + "): "
              + backlog);
    }
    int effectiveBacklog = backlog == ReactorTcp.DEFAULT_BACKLOG ? SystemBacklog.VALUE : backlog;
    String where = Addresses.hostPort(iface.isEmpty() ? "*" : iface, port);
    InetSocketAddress bindAddress;
    try {
      bindAddress =
          iface.isEmpty()
              ? new InetSocketAddress(port)
              : new InetSocketAddress(InetAddress.getByName(iface), port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + where + ": unknown interface", e);
    }
    ListenSocket socket = null;
    try {
      socket = reactor.poller().listen(bindAddress, effectiveBacklog, reusePort);
      InetSocketAddress bound = socket.localAddress();
      TcpListeningPort listening = new TcpListeningPort(reactor, socket, factory, bound);
      FactoryStarts.doStart(factory);
      try {
        socket.register(listening);
        socket.interestOps(SelectionKey.OP_ACCEPT);
      } catch (IOException | RuntimeException | Error e) {
        stopAfterFailure(factory, e); // no port will ever stop it
        throw e;
      }
      reactor.portOpened(listening);
      LOG.debug("{} listening on {}", factory, Addresses.describe(bound));
      return listening;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException(
          "cannot listen on " + where + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
    } catch (RuntimeException | Error e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * Stops the factory that a port which failed to open had started; its failure joins {@code e}.
   */
  private static void stopAfterFailure(Factory factory, Throwable e) {
    try {
      FactoryStarts.doStop(factory);
    } catch (Throwable stopFailed) {
      e.addSuppressed(stopFailed);
    }
  }

  @Override
  public void handleReady(int readyOps) {
    for (int i = 0; i < MAX_ACCEPTS && !closed && retry == null; i++) {
      StreamSocket accepted;
      try {
        accepted = acceptor.accept();
      } catch (IOException e) {
        acceptFailed(e);
        return;
      }
      if (accepted == null) {
        return;
      }
      if (backoffMillis != 0) {
        LOG.info("accepting again on {} after {} failed accepts", this, failedAccepts);
        backoffMillis = 0;
      }
      if (dispatch == null || !dispatch.handOff(accepted)) {
        serve(reactor, factory, accepted, this);
      }
    }
  }

  /** Stops asking for accepts for a while: the error (EMFILE, say) would come back at once. */
  private void acceptFailed(IOException e) {
    failedAccepts++;
    if (backoffMillis == 0) {
      LOG.warn(
          "accept failed on {}: {}; pausing accepts, retrying with backoff up to {} ms",
          this,
          e.getMessage() == null ? e : e.getMessage(),
          MAX_BACKOFF_MILLIS);
      backoffMillis = FIRST_BACKOFF_MILLIS;
    } else {
      LOG.debug("accept failed again on {}", this, e);
      backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    }
    socket.interestOps(0);
    retry =
        reactor.callLater(
            Duration.ofMillis(backoffMillis),
            () -> {
              retry = null;
              if (!closed) {
                socket.interestOps(SelectionKey.OP_ACCEPT);
              }
            });
  }

  /** Whether the port asks the selector for accepts now (false while backing off). */
  boolean isAccepting() {
    return !closed && retry == null;
  }

  /** How many accepts have failed since the port opened. */
  long failedAccepts() {
    return failedAccepts;
  }

  /** For tests: replaces the channel's {@code accept}. */
  void setAcceptor(Acceptor acceptor) {
    this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
  }

  /** Makes this port hand the connections it accepts to {@code dispatch} first. */
  void setDispatch(Dispatch dispatch) {
    this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
  }

  /** The factory that builds this port's protocols. */
  Factory factory() {
    return factory;
  }

  /** The socket, for tests whose acceptor delegates to it. */
  ListenSocket socket() {
    return socket;
  }

  /**
   * Serves a connection accepted by {@code port} (or handed over to it) on {@code reactor}, whose
   * poller owns it: registers it, builds its protocol with {@code factory} and starts its
   * transport; closes it if any of that fails or the factory refuses it. Reactor thread only.
   */
  static void serve(
      SelectorReactor reactor, Factory factory, StreamSocket accepted, ListeningPort port) {
    InetSocketAddress local;
    InetSocketAddress peer;
    try {
      accepted.register();
      local = accepted.localAddress();
      peer = accepted.remoteAddress();
    } catch (IOException e) {
      LOG.debug("dropping a connection accepted on {}", port, e);
      closeQuietly(accepted);
      return;
    }
    Protocol protocol;
    try {
      protocol = factory.buildProtocol(peer);
    } catch (Throwable t) {
      LOG.error(
          "buildProtocol threw on {} for {}; closing that connection",
          port,
          Addresses.describe(peer),
          t);
      protocol = null;
    }
    if (protocol == null) {
      closeQuietly(accepted);
      return;
    }
    new TcpTransport(reactor, accepted, null, local, peer).start(protocol);
  }

  @Override
  public void handlerFailed(Throwable error) {
    stopListening();
  }

  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each call returns its own Deferred; they fire from the loop once the socket is released and
   * the factory's {@code stopFactory} (if this was its last user) has run.
   */
  @Override
  public Deferred<Void> stopListening() {
    reactor.checkReactorThread("ListeningPort.stopListening()");
    if (!closed) {
      closed = true;
      if (retry != null) {
        if (retry.active()) {
          retry.cancel();
        }
        retry = null;
      }
      closeQuietly(socket);
      reactor.portClosed(this);
      reactor.soon(() -> stop.finish(this));
    }
    return stop.whenFinished();
  }

  private static void closeQuietly(ListenSocket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing {} failed", socket, e);
      }
    }
  }

  private static void closeQuietly(StreamSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing {} failed", socket, e);
    }
  }

  @Override
  public String toString() {
    return "TCP port " + Addresses.describe(host) + " (" + factory + ")";
  }
}
