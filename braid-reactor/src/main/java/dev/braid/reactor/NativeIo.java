package dev.braid.reactor;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Whether the native backend can run in this JVM, decided once: Linux, x86-64 or aarch64, native
 * access enabled for this module (checked with {@link Module#isNativeAccessEnabled()} before any
 * restricted method is called, so that a JVM without the flag prints no warning), then the C
 * library's functions bound ({@link Libc}) and one epoll instance opened and closed.
 */
final class NativeIo {
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private NativeIo() {}

  /** {@return why the native backend cannot run here, or empty} */
  static Optional<String> unavailableReason() {
    return Check.REASON;
  }

  /** Logs, the first time only in this JVM, that reactors fall back to {@code java.nio}. */
  static void logFallbackOnce(Logger log, String why) {
    if (LOGGED.compareAndSet(false, true)) {
      log.info("the native transport is not available ({}); reactors use java.nio", why);
    }
  }

  /** The flag a launcher passes to enable native access for this module, as it is loaded. */
  static String flag() {
    Module module = NativeIo.class.getModule();
    return "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
  }

  private static final class Check {
    static final Optional<String> REASON = Optional.ofNullable(check());

    private static String check() {
      String os = System.getProperty("os.name", "?");
      if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
        return "it runs on Linux only, not on " + os;
      }
      String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
      if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
        return "it runs on x86-64 and aarch64 only, not on " + arch;
      }
      if (!NativeIo.class.getModule().isNativeAccessEnabled()) {
        return "native access is not enabled: run java with " + flag();
      }
      try {
        MemorySegment errno = Libc.errnoSegment();
        int epfd = Libc.epollCreate1(errno, Libc.EPOLL_CLOEXEC);
        if (epfd < 0) {
          return "epoll_create1 failed: " + Libc.strerror(Libc.errno(errno));
        }
        Libc.close(errno, epfd);
        return null;
      } catch (Throwable t) {
        return "its system calls cannot be bound: " + t;
      }
    }
  }
}
