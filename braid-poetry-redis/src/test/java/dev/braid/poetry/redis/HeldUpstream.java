package dev.braid.poetry.redis;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An upstream poetry server for tests that holds every connection until the test says what happens:
 * {@link #release} sends the poem and closes cleanly, {@link #reset} sends part of it and resets.
 * Counts the connections made, which is the number of upstream fetches. Reactor thread only.
 */
final class HeldUpstream implements Factory {
  private final List<Held> open = new ArrayList<>();
  private final List<Deferred<Void>> connectionWaiters = new ArrayList<>();
  private final List<Integer> connectionTargets = new ArrayList<>();
  private int made;
  private byte[] atOnce;

  /** From now on, sends {@code poem} on every new connection at once and closes it cleanly. */
  void serveAtOnce(byte[] poem) {
    atOnce = poem;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    made++;
    Held h = new Held();
    open.add(h);
    return h;
  }

  int made() {
    return made;
  }

  int open() {
    return open.size();
  }

  /** {@return a Deferred that fires once {@code n} connections in all have been made} */
  Deferred<Void> whenMade(int n) {
    Deferred<Void> d = Deferred.create();
    if (made >= n) {
      d.callback(null);
    } else {
      connectionWaiters.add(d);
      connectionTargets.add(n);
    }
    return d;
  }

  void release(byte[] poem) {
    for (Held h : List.copyOf(open)) {
      h.out().write(poem);
      h.out().loseConnection();
    }
  }

  void reset(byte[] poem, int bytes) {
    for (Held h : List.copyOf(open)) {
      h.out().write(Arrays.copyOf(poem, bytes));
      h.out().abortConnection();
    }
  }

  private final class Held extends BaseProtocol {
    Transport out() {
      return transport();
    }

    @Override
    protected void connectionMade() {
      if (atOnce != null) {
        transport().write(atOnce);
        transport().loseConnection();
      }
      for (int i = connectionWaiters.size() - 1; i >= 0; i--) {
        if (made >= connectionTargets.get(i)) {
          connectionTargets.remove(i);
          connectionWaiters.remove(i).callback(null);
        }
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      open.remove(this);
    }
  }
}
