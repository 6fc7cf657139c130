package dev.braid.reactor;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;

/**
 * How the reactors of a {@link ReactorGroup} share one listening port (ADR 0080). Either way, a
 * connection is served from beginning to end by the one reactor it was given to.
 */
public enum PortSharing {
  /**
   * Every reactor opens its own listening socket on the port, with {@code SO_REUSEPORT}, and the
   * kernel spreads incoming connections among the sockets: on Linux by a hash of each connection's
   * addresses and ports, so evenly over many connections but not over a handful. Nothing is handed
   * between threads. Linux only: elsewhere {@code SO_REUSEPORT} either is missing or does not
   * spread connections.
   */
  KERNEL,

  /**
   * The group's first reactor accepts every connection and hands them to the reactors in turn
   * (itself included), each served from then on by the reactor it was handed to. Works on every
   * operating system; costs the first reactor every accept and the others a wake-up per connection.
   */
  ACCEPTOR;

  /**
   * {@return {@link #KERNEL} on Linux when the JDK offers {@code SO_REUSEPORT} for server sockets,
   * otherwise {@link #ACCEPTOR}}
   */
  public static PortSharing best() {
    return Best.VALUE;
  }

  /** Computed once: asking the JDK opens a socket. */
  private static final class Best {
    static final PortSharing VALUE = compute();

    private static PortSharing compute() {
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
        return ACCEPTOR;
      }
      try (ServerSocketChannel probe = ServerSocketChannel.open()) {
        return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)
            ? KERNEL
            : ACCEPTOR;
      } catch (IOException | UnsupportedOperationException e) {
        return ACCEPTOR;
      }
    }
  }
}
