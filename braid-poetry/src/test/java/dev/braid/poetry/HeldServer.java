package dev.braid.poetry;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A poetry server for tests that holds every connection until the test says what happens: {@link
 * #release} sends the poem and closes cleanly, {@link #reset} sends part of it and resets. Reactor
 * thread only.
 */
public final class HeldServer implements Factory {
  private final List<Held> open = new ArrayList<>();
  private int made;

  /** A server with no connection yet. */
  public HeldServer() {}

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    made++;
    Held h = new Held();
    open.add(h);
    return h;
  }

  /** How many connections were made. */
  public int made() {
    return made;
  }

  /** How many connections are still open. */
  public int open() {
    return open.size();
  }

  /** Sends {@code poem} on every open connection and closes them cleanly. */
  public void release(byte[] poem) {
    for (Held h : List.copyOf(open)) {
      h.out().write(poem);
      h.out().loseConnection();
    }
  }

  /** Sends the first {@code bytes} of {@code poem} on every open connection, then resets it. */
  public void reset(byte[] poem, int bytes) {
    for (Held h : List.copyOf(open)) {
      h.out().write(java.util.Arrays.copyOf(poem, bytes));
      h.out().abortConnection();
    }
  }

  private final class Held extends BaseProtocol {
    dev.braid.net.Transport out() {
      return transport();
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      open.remove(this);
    }
  }
}
