package dev.braid.reactor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The C library's socket, epoll and eventfd calls on Linux (x86-64 and aarch64), bound through the
 * foreign-function API: no JNI library. Every call returns what the C function returns (-1 on
 * failure) and leaves {@code errno} in the caller's {@link #errnoSegment() capture segment}, read
 * with {@link #errno(MemorySegment)}.
 *
 * <p>{@code read} and {@code write} are bound as <em>critical</em> functions that may read the Java
 * heap: the socket is non-blocking, so they return at once, and {@code write} takes a {@code
 * byte[]} as it is, pinned for the call, with no copy into native memory.
 *
 * <p>Loading this class calls the JDK's restricted methods: only {@link NativeIo} does it, once it
 * has checked that native access is enabled for this module (else the JDK would print a warning).
 *
 * <p>Threading: the calls are thread-safe; a capture segment belongs to one thread at a time.
 */
@SuppressWarnings("restricted") // the point of this class; NativeIo checks native access first
final class Libc {
  private Libc() {}

  // Linux's constants, the same on x86-64 and aarch64 (asm-generic).
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_STREAM = 1;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_REUSEADDR = 2;
  static final int SO_ERROR = 4;
  static final int SO_KEEPALIVE = 9;
  static final int SO_LINGER = 13;
  static final int SO_REUSEPORT = 15;
  static final int IPPROTO_TCP = 6;
  static final int TCP_NODELAY = 1;
  static final int IPPROTO_IPV6 = 41;
  static final int IPV6_V6ONLY = 26;
  static final int EPOLL_CLOEXEC = 0x80000;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLL_CTL_MOD = 3;
  static final int EPOLLIN = 0x1;
  static final int EPOLLOUT = 0x4;
  static final int EPOLLERR = 0x8;
  static final int EPOLLHUP = 0x10;
  static final int EFD_NONBLOCK = 0x800;
  static final int EFD_CLOEXEC = 0x80000;

  static final int EPERM = 1;
  static final int EINTR = 4;
  static final int EBADF = 9;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EPIPE = 32;
  static final int EPROTO = 71;
  static final int EAFNOSUPPORT = 97;
  static final int EADDRINUSE = 98;
  static final int EADDRNOTAVAIL = 99;
  static final int ECONNABORTED = 103;
  static final int ECONNRESET = 104;
  static final int ENOTCONN = 107;
  static final int ETIMEDOUT = 110;
  static final int ECONNREFUSED = 111;
  static final int EHOSTUNREACH = 113;
  static final int EINPROGRESS = 115;

  /** {@code struct epoll_event}: packed (12 bytes) on x86-64, 16 bytes on aarch64. */
  static final long EPOLL_EVENT_SIZE;

  /** Where {@code epoll_event.data} sits in the struct. */
  static final long EPOLL_DATA_OFFSET;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  private static final MethodHandle SOCKET;
  private static final MethodHandle BIND;
  private static final MethodHandle LISTEN;
  private static final MethodHandle ACCEPT4;
  private static final MethodHandle CONNECT;
  private static final MethodHandle GETSOCKOPT;
  private static final MethodHandle SETSOCKOPT;
  private static final MethodHandle GETSOCKNAME;
  private static final MethodHandle READ;
  private static final MethodHandle WRITE;
  private static final MethodHandle WRITE_UNCAPTURED;
  private static final MethodHandle CLOSE;
  private static final MethodHandle EPOLL_CREATE1;
  private static final MethodHandle EPOLL_CTL;
  private static final MethodHandle EPOLL_WAIT;
  private static final MethodHandle EVENTFD;
  private static final MethodHandle STRERROR;

  static {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      EPOLL_EVENT_SIZE = 12;
      EPOLL_DATA_OFFSET = 4;
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      EPOLL_EVENT_SIZE = 16;
      EPOLL_DATA_OFFSET = 8;
    } else {
      throw new UnsupportedOperationException("no epoll_event layout for " + arch);
    }
    Linker.Option errno = Linker.Option.captureCallState("errno");
    Linker.Option heap = Linker.Option.critical(true);
    SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
    BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
    LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
    ACCEPT4 =
        bind(
            "accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
            errno);
    CONNECT = bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
    GETSOCKOPT =
        bind(
            "getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            errno);
    SETSOCKOPT =
        bind(
            "setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
            errno);
    GETSOCKNAME =
        bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
    READ =
        bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno, heap);
    WRITE =
        bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno, heap);
    WRITE_UNCAPTURED =
        bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
    EPOLL_CREATE1 = bind("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
    EPOLL_CTL =
        bind(
            "epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
            errno);
    EPOLL_WAIT =
        bind(
            "epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            errno);
    EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
    STRERROR =
        bind(
            "strerror",
            FunctionDescriptor.of(
                ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(4096, JAVA_BYTE)), JAVA_INT));
  }

  private static MethodHandle bind(String name, FunctionDescriptor type, Linker.Option... options) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsupportedOperationException("no " + name + " in libc"));
    return LINKER.downcallHandle(symbol, type, options);
  }

  /** {@return a new segment for one thread's calls to leave {@code errno} in} */
  static MemorySegment errnoSegment() {
    return Arena.ofAuto().allocate(CAPTURE);
  }

  /** {@return the {@code errno} the last call made with {@code capture} left} */
  static int errno(MemorySegment capture) {
    return capture.get(JAVA_INT, ERRNO_OFFSET);
  }

  /** {@return the C library's text for {@code errno}, as the JDK's exceptions carry it} */
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.equals(MemorySegment.NULL) ? "errno " + errno : text.getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static int socket(MemorySegment capture, int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(capture, domain, type, protocol);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int bind(MemorySegment capture, int fd, MemorySegment address, int length) {
    try {
      return (int) BIND.invokeExact(capture, fd, address, length);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int listen(MemorySegment capture, int fd, int backlog) {
    try {
      return (int) LISTEN.invokeExact(capture, fd, backlog);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int accept4(
      MemorySegment capture, int fd, MemorySegment address, MemorySegment length, int flags) {
    try {
      return (int) ACCEPT4.invokeExact(capture, fd, address, length, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int connect(MemorySegment capture, int fd, MemorySegment address, int length) {
    try {
      return (int) CONNECT.invokeExact(capture, fd, address, length);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int getsockopt(
      MemorySegment capture,
      int fd,
      int level,
      int name,
      MemorySegment value,
      MemorySegment length) {
    try {
      return (int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, length);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int setsockopt(
      MemorySegment capture, int fd, int level, int name, MemorySegment value, int length) {
    try {
      return (int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, length);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int getsockname(
      MemorySegment capture, int fd, MemorySegment address, MemorySegment length) {
    try {
      return (int) GETSOCKNAME.invokeExact(capture, fd, address, length);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** {@code read}: {@code buffer} may be native or a heap array's (pinned for the call). */
  static long read(MemorySegment capture, int fd, MemorySegment buffer, long count) {
    try {
      return (long) READ.invokeExact(capture, fd, buffer, count);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** {@code write}: {@code buffer} may be native or a heap array's (pinned for the call). */
  static long write(MemorySegment capture, int fd, MemorySegment buffer, long count) {
    try {
      return (long) WRITE.invokeExact(capture, fd, buffer, count);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** {@code write} without {@code errno}, for any thread (an eventfd's wake-up). */
  static long writeUncaptured(int fd, MemorySegment buffer, long count) {
    try {
      return (long) WRITE_UNCAPTURED.invokeExact(fd, buffer, count);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int close(MemorySegment capture, int fd) {
    try {
      return (int) CLOSE.invokeExact(capture, fd);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int epollCreate1(MemorySegment capture, int flags) {
    try {
      return (int) EPOLL_CREATE1.invokeExact(capture, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int epollCtl(MemorySegment capture, int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, event);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int epollWait(
      MemorySegment capture, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    try {
      return (int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMillis);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int eventfd(MemorySegment capture, int initial, int flags) {
    try {
      return (int) EVENTFD.invokeExact(capture, initial, flags);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  private static RuntimeException unexpected(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("a native call failed: " + t, t);
  }
}
