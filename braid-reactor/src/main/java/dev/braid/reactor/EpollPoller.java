package dev.braid.reactor;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Poller} on Linux's epoll, called directly through the foreign-function API ({@link
 * Libc}): the native backend.
 *
 * <h2>Level-triggered, registered lazily</h2>
 *
 * Sockets are in epoll's interest list level-triggered, as the JDK's selector has them: a socket
 * that still holds data after a read (the read limit per event was reached, or its protocol paused
 * reading) is reported again by the next {@code epoll_wait}, with no list of its own to keep, and
 * pausing a transport is just dropping {@code EPOLLIN}. Edge-triggered registration would save the
 * {@code epoll_ctl} that turns {@code EPOLLOUT} on and off around a full socket buffer, at the
 * price of reading every socket until {@code EAGAIN} (one more {@code read} per event) and of
 * remembering which paused sockets still hold data.
 *
 * <p>Interest changes are not made at once: a socket whose interest changes is queued, and the
 * queue is applied ({@code EPOLL_CTL_ADD}, {@code MOD} or {@code DEL}) just before the next {@code
 * epoll_wait}. A connection accepted, written to and closed in one turn of the loop (a poetry
 * server's) thus never reaches epoll at all, and a socket whose interest becomes empty is removed
 * from the list ({@code EPOLLHUP} and {@code EPOLLERR} would otherwise be reported for it at every
 * wait).
 *
 * <h2>Ownership of descriptors</h2>
 *
 * Every descriptor this poller opens or accepts is an {@link EpollSocket} entered in its table at
 * once, under a token ({@code epoll_event.data}) made of its slot in the table and a number never
 * used before. Only {@link EpollSocket#close()} closes a descriptor: it leaves the table first (so
 * an event already returned for it by the same {@code epoll_wait} finds a stale token and is
 * dropped, even if the kernel has given the same number to a new socket meanwhile), then marks the
 * socket closed (every later call on it throws {@link java.nio.channels.ClosedChannelException}),
 * then calls {@code close} once. The kernel removes a closed descriptor from epoll by itself (none
 * is ever duplicated), so no {@code EPOLL_CTL_DEL} precedes a close. {@link #close()} closes what
 * the table still holds.
 *
 * <p>Wake-ups go through an eventfd: {@link #wakeup()} writes to it from any thread, under a lock
 * that {@link #close()} takes too, so that a late wake-up can never write into a descriptor number
 * the kernel has given to something else.
 *
 * <p>Threading: reactor thread only, except {@link #wakeup()}.
 */
final class EpollPoller implements Poller {
  private static final Logger LOG = LoggerFactory.getLogger(EpollPoller.class);

  /** Events read per {@code epoll_wait}; the rest stay ready for the next (level-triggered). */
  static final int MAX_EVENTS = 1024;

  private static final long WAKE_TOKEN = 0;
  private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);

  static {
    ONE.set(JAVA_LONG, 0, 1L);
  }

  /** {@code errno} of the reactor thread's calls. */
  final MemorySegment errno = Libc.errnoSegment();

  /** The reactor thread's room for a socket address (and its length, at {@link #LENGTH}). */
  final MemorySegment scratch;

  /** Where in {@link #scratch} a {@code socklen_t} goes. */
  static final long LENGTH = SockAddr.STORAGE;

  /** Where in {@link #scratch} an option's value goes (8 bytes: an int, or a struct linger). */
  static final long VALUE = SockAddr.STORAGE + 8;

  private final int epfd;
  private final int eventFd;
  private final MemorySegment events;
  private final MemorySegment drain;
  private final Object wakeLock = new Object();
  private boolean closed; // guarded by wakeLock for the eventfd; reactor thread otherwise

  private EpollSocket[] table = new EpollSocket[64];
  private int[] freeSlots = new int[64];
  private int freeCount;
  private int nextSlot;
  private int sockets;
  private long nextSerial = 1;
  private final List<EpollSocket> changed = new ArrayList<>();

  private EpollPoller(int epfd, int eventFd) {
    this.epfd = epfd;
    this.eventFd = eventFd;
    Arena arena = Arena.ofAuto();
    this.scratch = arena.allocate(SockAddr.STORAGE + 16, 8);
    this.events = arena.allocate(MAX_EVENTS * Libc.EPOLL_EVENT_SIZE, 8);
    this.drain = arena.allocate(JAVA_LONG);
  }

  /**
   * Opens an epoll instance and its eventfd.
   *
   * @throws IOException if either cannot be made (out of descriptors, say)
   */
  static EpollPoller open() throws IOException {
    MemorySegment errno = Libc.errnoSegment();
    int epfd = Libc.epollCreate1(errno, Libc.EPOLL_CLOEXEC);
    if (epfd < 0) {
      throw new IOException("epoll_create1 failed: " + Libc.strerror(Libc.errno(errno)));
    }
    int eventFd = Libc.eventfd(errno, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (eventFd < 0) {
      int e = Libc.errno(errno);
      Libc.close(errno, epfd);
      throw new IOException("eventfd failed: " + Libc.strerror(e));
    }
    EpollPoller poller = new EpollPoller(epfd, eventFd);
    MemorySegment event = poller.scratch;
    event.set(JAVA_INT, 0, Libc.EPOLLIN);
    event.set(JAVA_LONG_UNALIGNED, Libc.EPOLL_DATA_OFFSET, WAKE_TOKEN);
    if (Libc.epollCtl(errno, epfd, Libc.EPOLL_CTL_ADD, eventFd, event) < 0) {
      int e = Libc.errno(errno);
      Libc.close(errno, eventFd);
      Libc.close(errno, epfd);
      throw new IOException("epoll_ctl failed: " + Libc.strerror(e));
    }
    return poller;
  }

  @Override
  public IoBackend backend() {
    return IoBackend.NATIVE;
  }

  // ---------------------------------------------------------------------------------------------
  // Sockets

  @Override
  public StreamSocket openStream(InetAddress destination) throws IOException {
    return EpollStreamSocket.open(this, SockAddr.family(destination));
  }

  @Override
  public ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort)
      throws IOException {
    return EpollListenSocket.open(this, address, backlog, reusePort);
  }

  /** Enters a socket whose descriptor was just opened or accepted in the table. */
  void adopt(EpollSocket socket) {
    int slot;
    if (freeCount > 0) {
      slot = freeSlots[--freeCount];
    } else {
      slot = nextSlot++;
      if (slot == table.length) {
        table = Arrays.copyOf(table, slot * 2);
        freeSlots = Arrays.copyOf(freeSlots, slot * 2);
      }
    }
    table[slot] = socket;
    socket.slot = slot;
    socket.token = (nextSerial++ << 32) | slot;
    sockets++;
  }

  /** Takes a socket that is being closed out of the table; its token is stale from now on. */
  void forget(EpollSocket socket) {
    int slot = socket.slot;
    if (slot >= 0 && table[slot] == socket) {
      table[slot] = null;
      freeSlots[freeCount++] = slot;
      sockets--;
    }
    socket.slot = -1;
  }

  /** Queues a socket whose interest changed, to be applied before the next wait. */
  void interestChanged(EpollSocket socket) {
    changed.add(socket);
  }

  /** {@return how many descriptors of sockets this poller holds open} */
  int openSockets() {
    return sockets;
  }

  // ---------------------------------------------------------------------------------------------
  // The wait

  @Override
  public void poll(long timeoutMillis, Dispatcher dispatcher) throws IOException {
    if (closed) {
      throw new IOException("the epoll poller is closed");
    }
    applyInterest();
    int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
    int n = Libc.epollWait(errno, epfd, events, MAX_EVENTS, timeout);
    if (n < 0) {
      int e = Libc.errno(errno);
      if (e == Libc.EINTR) {
        return;
      }
      throw new IOException("epoll_wait failed: " + Libc.strerror(e));
    }
    for (int i = 0; i < n; i++) {
      long at = i * Libc.EPOLL_EVENT_SIZE;
      long token = events.get(JAVA_LONG_UNALIGNED, at + Libc.EPOLL_DATA_OFFSET);
      if (token == WAKE_TOKEN) {
        Libc.read(errno, eventFd, drain, 8); // resets the counter; EAGAIN if already drained
        continue;
      }
      EpollSocket socket = table[(int) token];
      if (socket == null || socket.token != token) {
        continue; // closed since: the event is for a descriptor that is gone
      }
      int ready = readyOps(events.get(JAVA_INT, at), socket.interest);
      if (ready != 0) {
        dispatcher.dispatch(socket.handler, ready);
      }
    }
  }

  /** epoll's events as {@code SelectionKey} bits within {@code interest}, as the JDK has them. */
  static int readyOps(int events, int interest) {
    if ((events & (Libc.EPOLLERR | Libc.EPOLLHUP)) != 0) {
      return interest;
    }
    int ready = 0;
    if ((events & Libc.EPOLLIN) != 0) {
      ready |= interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
    }
    if ((events & Libc.EPOLLOUT) != 0) {
      ready |= interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
    }
    return ready;
  }

  /** {@return the epoll events that {@code interest} (SelectionKey bits) asks for} */
  static int epollEvents(int interest) {
    int events = 0;
    if ((interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
      events |= Libc.EPOLLIN;
    }
    if ((interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
      events |= Libc.EPOLLOUT;
    }
    return events;
  }

  private void applyInterest() {
    int count = changed.size();
    if (count == 0) {
      return;
    }
    for (int i = 0; i < count; i++) {
      EpollSocket socket = changed.get(i);
      socket.queued = false;
      if (socket.fd < 0) {
        continue; // closed meanwhile: the kernel has dropped it from the list already
      }
      int want = epollEvents(socket.interest);
      if (want == socket.registered) {
        continue;
      }
      int op =
          want == 0
              ? Libc.EPOLL_CTL_DEL
              : socket.registered == 0 ? Libc.EPOLL_CTL_ADD : Libc.EPOLL_CTL_MOD;
      scratch.set(JAVA_INT, 0, want);
      scratch.set(JAVA_LONG_UNALIGNED, Libc.EPOLL_DATA_OFFSET, socket.token);
      if (Libc.epollCtl(errno, epfd, op, socket.fd, scratch) < 0) {
        IOException e = new IOException("epoll_ctl failed: " + Libc.strerror(Libc.errno(errno)));
        failHandler(socket, e);
        continue;
      }
      socket.registered = want;
    }
    changed.subList(0, count).clear(); // a failed handler may have queued more: they stay
  }

  private static void failHandler(EpollSocket socket, IOException e) {
    LOG.error("cannot watch {}; closing it", socket.handler, e);
    try {
      if (socket.handler != null) {
        socket.handler.handlerFailed(e);
      } else {
        socket.close();
      }
    } catch (Throwable t) {
      LOG.error("closing {} failed", socket.handler, t);
    }
  }

  @Override
  public void wakeup() {
    synchronized (wakeLock) {
      if (!closed) {
        Libc.writeUncaptured(eventFd, ONE, 8);
      }
    }
  }

  @Override
  public void releaseClosed() {
    // nothing is deferred: a descriptor is closed when its socket is
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    for (int slot = 0; slot < nextSlot; slot++) {
      EpollSocket socket = table[slot];
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          LOG.debug("closing {} failed", socket, e);
        }
      }
    }
    changed.clear();
    synchronized (wakeLock) {
      closed = true;
      Libc.close(errno, eventFd);
      Libc.close(errno, epfd);
    }
  }

  @Override
  public String toString() {
    return "epoll poller (" + sockets + " sockets)";
  }
}
