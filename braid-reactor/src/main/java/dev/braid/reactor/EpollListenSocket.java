package dev.braid.reactor;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A listening TCP socket's descriptor on an {@link EpollPoller}, accepting with {@code
 * accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)}: each connection arrives non-blocking and closed on exec,
 * with its peer's address, in one system call. As the JDK does, a wildcard address listens on an
 * IPv6 socket that also accepts IPv4 (unless {@code java.net.preferIPv4Stack} is set or the system
 * has no IPv6), and IPv4 peers of such a socket are reported as IPv4 addresses.
 *
 * <p>Threading: reactor thread only.
 */
final class EpollListenSocket extends EpollSocket implements ListenSocket {
  private static final int ACCEPT_FLAGS = Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;

  private final int family;
  private final InetSocketAddress local;

  /** This end's address for every connection accepted, unless bound to a wildcard address. */
  private final InetSocketAddress acceptedLocal;

  private EpollListenSocket(EpollPoller poller, int fd, int family, InetSocketAddress local) {
    super(poller, fd);
    this.family = family;
    this.local = local;
    this.acceptedLocal = local.getAddress().isAnyLocalAddress() ? null : local;
  }

  /**
   * Opens, binds ({@code SO_REUSEADDR}, and {@code SO_REUSEPORT} if {@code reusePort}) and listens.
   *
   * @throws IOException as the JDK's {@code ServerSocketChannel.bind} (a {@link
   *     java.net.BindException} for an address in use)
   */
  static EpollListenSocket open(
      EpollPoller poller, InetSocketAddress address, int backlog, boolean reusePort)
      throws IOException {
    InetAddress ip = address.getAddress();
    boolean wildcard = ip.isAnyLocalAddress();
    boolean dualStack = wildcard && !Boolean.getBoolean("java.net.preferIPv4Stack");
    int family = dualStack ? Libc.AF_INET6 : SockAddr.family(ip);
    int fd = socket(poller, family);
    if (fd < 0 && dualStack && Libc.errno(poller.errno) == Libc.EAFNOSUPPORT) {
      family = Libc.AF_INET; // no IPv6 here
      fd = socket(poller, family);
    }
    if (fd < 0) {
      throw NativeErrors.socketFailed(Libc.errno(poller.errno));
    }
    try {
      setIntOption(poller, fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
      if (reusePort) {
        setIntOption(poller, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1);
      }
      InetSocketAddress bindTo = address;
      if (wildcard && family == Libc.AF_INET6) {
        setIntOption(poller, fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 0);
        bindTo = new InetSocketAddress(anyIpv6(), address.getPort());
      } else if (wildcard) {
        bindTo = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), address.getPort());
      }
      int length = SockAddr.encode(bindTo, family, poller.scratch);
      if (Libc.bind(poller.errno, fd, poller.scratch, length) < 0
          || Libc.listen(poller.errno, fd, backlog) < 0) {
        throw NativeErrors.socketFailed(Libc.errno(poller.errno));
      }
      MemorySegment scratch = poller.scratch;
      scratch.set(JAVA_INT, EpollPoller.LENGTH, SockAddr.STORAGE);
      if (Libc.getsockname(poller.errno, fd, scratch, scratch.asSlice(EpollPoller.LENGTH, 4)) < 0) {
        throw NativeErrors.socketFailed(Libc.errno(poller.errno));
      }
      InetSocketAddress bound = SockAddr.decode(scratch);
      return new EpollListenSocket(poller, fd, family, bound);
    } catch (IOException | RuntimeException | Error e) {
      closeUnowned(poller, fd);
      throw e;
    }
  }

  private static int socket(EpollPoller poller, int family) {
    return Libc.socket(
        poller.errno, family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
  }

  private static InetAddress anyIpv6() throws UnknownHostException {
    return Inet6Address.getByAddress(null, new byte[16], 0);
  }

  @Override
  public void register(IoHandler handler) {
    this.handler = handler;
  }

  @Override
  public void interestOps(int ops) {
    setInterest(ops);
  }

  @Override
  public StreamSocket accept() throws IOException {
    int f = fd();
    MemorySegment scratch = poller.scratch;
    MemorySegment length = scratch.asSlice(EpollPoller.LENGTH, 4);
    while (true) {
      scratch.set(JAVA_INT, EpollPoller.LENGTH, SockAddr.STORAGE);
      int accepted = Libc.accept4(poller.errno, f, scratch, length, ACCEPT_FLAGS);
      if (accepted >= 0) {
        InetSocketAddress peer;
        try {
          peer = SockAddr.decode(scratch);
        } catch (RuntimeException e) {
          closeUnowned(poller, accepted);
          throw e;
        }
        return EpollStreamSocket.accepted(poller, accepted, family, acceptedLocal, peer);
      }
      int e = Libc.errno(poller.errno);
      if (e == Libc.EAGAIN) {
        return null;
      }
      if (e != Libc.EINTR && e != Libc.ECONNABORTED) { // the JDK retries these too
        throw NativeErrors.ioFailed(e);
      }
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public String toString() {
    return "native listening socket fd " + fd + " on " + local;
  }
}
