package dev.braid.reactor;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * A file descriptor owned by an {@link EpollPoller}, with what epoll knows of it: the one place
 * where a descriptor of the native backend is held and closed (see the poller's class comment).
 *
 * <p>Threading: reactor thread only.
 */
abstract sealed class EpollSocket permits EpollStreamSocket, EpollListenSocket {
  final EpollPoller poller;

  /** The descriptor; -1 once closed. */
  int fd;

  /** Where the poller's table holds this socket; -1 once closed. */
  int slot = -1;

  /** What epoll reports for this socket ({@code epoll_event.data}): slot and serial number. */
  long token;

  /** What the socket's handler wants to be told of ({@code SelectionKey} bits). */
  int interest;

  /** The epoll events the kernel's interest list holds for it; 0 if it is not in the list. */
  int registered;

  /** True while queued for {@link EpollPoller}'s next interest update. */
  boolean queued;

  /** Told of readiness. */
  IoHandler handler;

  /** Takes ownership of {@code fd}, entering it in {@code poller}'s table. */
  EpollSocket(EpollPoller poller, int fd) {
    this.poller = poller;
    this.fd = fd;
    poller.adopt(this);
  }

  /**
   * {@return the descriptor}
   *
   * @throws ClosedChannelException once closed: a descriptor is never used after its close
   */
  final int fd() throws ClosedChannelException {
    int f = fd;
    if (f < 0) {
      throw new ClosedChannelException();
    }
    return f;
  }

  /** Sets the interest; applied to epoll before the next wait. Ignored once closed. */
  final void setInterest(int ops) {
    if (fd < 0) {
      return;
    }
    interest = ops;
    if (!queued && EpollPoller.epollEvents(ops) != registered) {
      queued = true;
      poller.interestChanged(this);
    }
  }

  /** {@return false once closed} */
  public final boolean isOpen() {
    return fd >= 0;
  }

  /**
   * Closes the descriptor, once: leaves the poller's table, is marked closed, then {@code close}.
   *
   * @throws IOException if {@code close} reported an error (the descriptor is released anyway)
   */
  public final void close() throws IOException {
    int f = fd;
    if (f < 0) {
      return;
    }
    poller.forget(this);
    fd = -1;
    if (Libc.close(poller.errno, f) < 0) {
      int e = Libc.errno(poller.errno);
      if (e != Libc.EINTR) { // Linux releases the descriptor even then: never close it again
        throw NativeErrors.ioFailed(e);
      }
    }
  }

  /** Closes {@code fd}, which is not (or not yet) owned by any socket; errors are ignored. */
  static void closeUnowned(EpollPoller poller, int fd) {
    Libc.close(poller.errno, fd);
  }

  /**
   * Sets an int-valued option.
   *
   * @throws IOException as the JDK's {@code setOption}
   */
  final void setIntOption(int level, int name, int value) throws IOException {
    int f = fd();
    poller.scratch.set(java.lang.foreign.ValueLayout.JAVA_INT, EpollPoller.VALUE, value);
    if (Libc.setsockopt(
            poller.errno, f, level, name, poller.scratch.asSlice(EpollPoller.VALUE, 4), 4)
        < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
  }

  /** Sets an int-valued option on a descriptor not yet owned by a socket. */
  static void setIntOption(EpollPoller poller, int fd, int level, int name, int value)
      throws IOException {
    poller.scratch.set(java.lang.foreign.ValueLayout.JAVA_INT, EpollPoller.VALUE, value);
    if (Libc.setsockopt(
            poller.errno, fd, level, name, poller.scratch.asSlice(EpollPoller.VALUE, 4), 4)
        < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
  }
}
