package dev.braid.reactor;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link SelectorReactor} does its I/O: Linux's epoll and socket calls made directly through
 * the JDK's foreign-function API ({@link #NATIVE}), or the JDK's channels ({@link #NIO}). Protocols
 * see no difference: the same transports, the same errors with the same messages, the same order of
 * events.
 *
 * <p>The native backend is the default where it loads: on Linux (x86-64 or aarch64) with native
 * access enabled for Braid's reactor module. The JVM enables it with a launcher flag:
 *
 * <pre>
 * java --enable-native-access=dev.braid.reactor ...   # on the module path
 * java --enable-native-access=ALL-UNNAMED ...         # on the class path
 * </pre>
 *
 * Elsewhere, and without the flag (then the JDK would print a warning at the first native call,
 * which Braid does not make), {@link SelectorReactor#create()} falls back to {@link #NIO} and says
 * why in one log line (INFO, once per JVM). The system property {@value #PROPERTY} ({@code nio} or
 * {@code native}) overrides the default: {@code nio} always, {@code native} fails where it cannot
 * load instead of falling back.
 */
public enum IoBackend {
  /** Linux's epoll and socket system calls, through the foreign-function API. */
  NATIVE,

  /** The JDK's {@link java.nio.channels.Selector} and channels: everywhere. */
  NIO;

  /** The system property that chooses the default backend: {@code nio} or {@code native}. */
  public static final String PROPERTY = "braid.transport";

  private static final Logger LOG = LoggerFactory.getLogger(IoBackend.class);

  /** {@return the name used on command lines and in {@value #PROPERTY}: "native" or "nio"} */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return why this backend cannot run in this JVM, or empty if it can} {@link #NIO} always can;
   * {@link #NATIVE} is checked once (operating system, architecture, native access) and then loads
   * its bindings and opens and closes one epoll instance.
   */
  public Optional<String> unavailableReason() {
    return this == NIO ? Optional.empty() : NativeIo.unavailableReason();
  }

  /** {@return true if this backend can run in this JVM} */
  public boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  /**
   * Parses a backend's name as {@link #cliName()} gives it, in any case.
   *
   * @param name "native" or "nio"
   * @return the backend
   * @throws IllegalArgumentException for any other name, saying which are known
   */
  public static IoBackend parse(String name) {
    for (IoBackend backend : values()) {
      if (backend.cliName().equalsIgnoreCase(name.trim())) {
        return backend;
      }
    }
    throw new IllegalArgumentException("unknown transport '" + name + "': expected native or nio");
  }

  /**
   * The backend a reactor uses unless told: the one {@value #PROPERTY} names, otherwise {@link
   * #NATIVE} where it is available, otherwise {@link #NIO}, with one INFO line per JVM saying why.
   *
   * @return the default backend
   * @throws IllegalArgumentException if {@value #PROPERTY} names no backend
   * @throws UnsupportedOperationException if {@value #PROPERTY} is {@code native} and it cannot run
   *     here
   */
  public static IoBackend preferred() {
    String chosen = System.getProperty(PROPERTY);
    if (chosen != null && !chosen.isBlank()) {
      return parse(chosen).require();
    }
    Optional<String> why = NATIVE.unavailableReason();
    if (why.isEmpty()) {
      return NATIVE;
    }
    NativeIo.logFallbackOnce(LOG, why.get());
    return NIO;
  }

  /**
   * {@return this backend}
   *
   * @throws UnsupportedOperationException if it cannot run here, saying why
   */
  IoBackend require() {
    Optional<String> why = unavailableReason();
    if (why.isPresent()) {
      throw new UnsupportedOperationException(
          "the " + cliName() + " transport is not available here: " + why.get());
    }
    return this;
  }
}
