package dev.braid.reactor;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;

/**
 * A TCP connection's descriptor on an {@link EpollPoller}: {@code read} into the reactor's direct
 * buffer, {@code write} from it or straight from a {@code byte[]} (pinned, no copy), non-blocking
 * {@code connect} finished with {@code SO_ERROR}. Its addresses are known without a system call
 * where possible: the peer's from {@code accept4} or {@code connect}, this end's from the listening
 * socket when that is bound to one address; otherwise {@code getsockname} is asked once.
 *
 * <p>Threading: reactor thread only.
 */
final class EpollStreamSocket extends EpollSocket implements StreamSocket {
  private final int family;
  private InetSocketAddress local;
  private InetSocketAddress remote;
  private boolean connecting;
  private boolean connected;

  private EpollStreamSocket(
      EpollPoller poller, int fd, int family, InetSocketAddress local, InetSocketAddress remote) {
    super(poller, fd);
    this.family = family;
    this.local = local;
    this.remote = remote;
    this.connected = remote != null;
  }

  /** Wraps a descriptor just accepted; the socket owns it from now on. */
  static EpollStreamSocket accepted(
      EpollPoller poller, int fd, int family, InetSocketAddress local, InetSocketAddress remote) {
    return new EpollStreamSocket(poller, fd, family, local, remote);
  }

  /**
   * Opens a non-blocking socket of {@code family} for an outgoing connection.
   *
   * @throws IOException as the JDK's {@code SocketChannel.open} (out of descriptors, say)
   */
  static EpollStreamSocket open(EpollPoller poller, int family) throws IOException {
    int fd =
        Libc.socket(
            poller.errno, family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
    return new EpollStreamSocket(poller, fd, family, null, null);
  }

  @Override
  public void register() {
    // entered in the poller's table when opened; epoll hears of it when it first wants an event
  }

  @Override
  public void attach(IoHandler handler) {
    this.handler = handler;
  }

  @Override
  public void interestOps(int ops) {
    setInterest(ops);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int f = fd();
    MemorySegment into = MemorySegment.ofBuffer(dst);
    long n;
    do {
      n = Libc.read(poller.errno, f, into, into.byteSize());
    } while (n < 0 && Libc.errno(poller.errno) == Libc.EINTR);
    if (n > 0) {
      dst.position(dst.position() + (int) n);
      return (int) n;
    }
    if (n == 0) {
      return into.byteSize() == 0 ? 0 : -1;
    }
    int e = Libc.errno(poller.errno);
    if (e == Libc.EAGAIN) {
      return 0;
    }
    throw NativeErrors.readFailed(e);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int f = fd();
    int n = write(f, MemorySegment.ofBuffer(src));
    src.position(src.position() + n);
    return n;
  }

  @Override
  public int write(byte[] data, int offset, int length, ByteBuffer scratch) throws IOException {
    int f = fd();
    return write(f, MemorySegment.ofArray(data).asSlice(offset, length));
  }

  private int write(int f, MemorySegment from) throws IOException {
    long n;
    do {
      n = Libc.write(poller.errno, f, from, from.byteSize());
    } while (n < 0 && Libc.errno(poller.errno) == Libc.EINTR);
    if (n >= 0) {
      return (int) n;
    }
    int e = Libc.errno(poller.errno);
    if (e == Libc.EAGAIN) {
      return 0;
    }
    throw NativeErrors.ioFailed(e);
  }

  @Override
  public void bind(InetSocketAddress address) throws IOException {
    int f = fd();
    int length = SockAddr.encode(address, family, poller.scratch);
    if (Libc.bind(poller.errno, f, poller.scratch, length) < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
  }

  @Override
  public boolean connect(InetSocketAddress address) throws IOException {
    int f = fd();
    if (connected) {
      throw new AlreadyConnectedException();
    }
    if (connecting) {
      throw new ConnectionPendingException();
    }
    int length = SockAddr.encode(address, family, poller.scratch);
    if (Libc.connect(poller.errno, f, poller.scratch, length) == 0) {
      remote = address;
      connected = true;
      return true;
    }
    int e = Libc.errno(poller.errno);
    if (e == Libc.EINPROGRESS || e == Libc.EINTR) { // EINTR: it goes on in the background
      remote = address;
      connecting = true;
      return false;
    }
    throw NativeErrors.socketFailed(e);
  }

  @Override
  public boolean finishConnect() throws IOException {
    int f = fd();
    if (connected) {
      return true;
    }
    if (!connecting) {
      throw new NoConnectionPendingException();
    }
    MemorySegment scratch = poller.scratch;
    scratch.set(JAVA_INT, EpollPoller.LENGTH, 4);
    if (Libc.getsockopt(
            poller.errno,
            f,
            Libc.SOL_SOCKET,
            Libc.SO_ERROR,
            scratch.asSlice(EpollPoller.VALUE, 4),
            scratch.asSlice(EpollPoller.LENGTH, 4))
        < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
    int error = scratch.get(JAVA_INT, EpollPoller.VALUE);
    if (error != 0) {
      throw NativeErrors.socketFailed(error);
    }
    connecting = false;
    connected = true;
    return true;
  }

  @Override
  public InetSocketAddress localAddress() throws IOException {
    InetSocketAddress a = local;
    if (a == null) {
      int f = fd();
      MemorySegment scratch = poller.scratch;
      scratch.set(JAVA_INT, EpollPoller.LENGTH, SockAddr.STORAGE);
      if (Libc.getsockname(poller.errno, f, scratch, scratch.asSlice(EpollPoller.LENGTH, 4)) < 0) {
        throw NativeErrors.socketFailed(Libc.errno(poller.errno));
      }
      a = SockAddr.decode(scratch);
      local = a;
    }
    return a;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return connected ? remote : null;
  }

  @Override
  public <T> void setOption(SocketOption<T> option, T value) throws IOException {
    if (option == StandardSocketOptions.TCP_NODELAY) {
      setIntOption(Libc.IPPROTO_TCP, Libc.TCP_NODELAY, (Boolean) value ? 1 : 0);
    } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
      setIntOption(Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, (Boolean) value ? 1 : 0);
    } else if (option == StandardSocketOptions.SO_LINGER) {
      int f = fd();
      int seconds = (Integer) value;
      MemorySegment linger = poller.scratch.asSlice(EpollPoller.VALUE, 8);
      linger.set(JAVA_INT, 0, seconds < 0 ? 0 : 1);
      linger.set(JAVA_INT, 4, Math.max(seconds, 0));
      if (Libc.setsockopt(poller.errno, f, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 8) < 0) {
        throw NativeErrors.socketFailed(Libc.errno(poller.errno));
      }
    } else {
      throw new UnsupportedOperationException("'" + option + "' not supported");
    }
  }

  @Override
  public DetachedSocket detach() {
    if (fd < 0 || registered != 0 || queued || handler != null) {
      throw new IllegalStateException("only a socket just accepted can be handed over: " + this);
    }
    int f = fd;
    poller.forget(this);
    fd = -1; // this object is closed; the descriptor belongs to the answer
    return new Detached(f, family, local, remote);
  }

  /**
   * An accepted descriptor between two reactors, in no poller's table: the serving reactor's poller
   * adopts it, or it is closed here.
   */
  private static final class Detached implements DetachedSocket {
    private final int family;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private int fd;

    Detached(int fd, int family, InetSocketAddress local, InetSocketAddress remote) {
      this.fd = fd;
      this.family = family;
      this.local = local;
      this.remote = remote;
    }

    @Override
    public StreamSocket attachTo(Poller poller) throws IOException {
      if (poller instanceof EpollPoller epoll && fd >= 0) {
        int f = fd;
        fd = -1;
        return EpollStreamSocket.accepted(epoll, f, family, local, remote);
      }
      close();
      throw new IOException(
          "a connection accepted on the native transport cannot be served on "
              + poller.backend().cliName());
    }

    @Override
    public void close() {
      int f = fd;
      if (f >= 0) {
        fd = -1;
        Libc.close(Libc.errnoSegment(), f); // any thread: its own errno segment
      }
    }

    @Override
    public String toString() {
      return "native socket fd " + fd + " -> " + remote + " (between reactors)";
    }
  }

  @Override
  public String toString() {
    return "native socket fd " + fd + " -> " + remote;
  }
}
