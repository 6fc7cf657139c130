package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Wraps a factory to watch its connections: how many were made, how many have ended, and hooks run
 * after each {@code makeConnection} and {@code connectionLost}. Test helper; reactor thread only.
 */
public final class Observed implements Factory {
  private final Factory inner;
  private final List<Transport> transports = new ArrayList<>();
  private final List<ConnectionEnd> ends = new ArrayList<>();
  private Consumer<Transport> afterMade = t -> {};
  private Runnable afterLost = () -> {};
  private Deferred<Void> lostWaiter;
  private int lostTarget;

  private Observed(Factory inner) {
    this.inner = inner;
  }

  public static Observed wrap(Factory inner) {
    return new Observed(inner);
  }

  public Observed afterMade(Consumer<Transport> hook) {
    this.afterMade = hook;
    return this;
  }

  public Observed afterLost(Runnable hook) {
    this.afterLost = hook;
    return this;
  }

  public int made() {
    return transports.size();
  }

  public int lost() {
    return ends.size();
  }

  public List<ConnectionEnd> ends() {
    return List.copyOf(ends);
  }

  public List<Transport> transports() {
    return List.copyOf(transports);
  }

  /** A Deferred fired once {@code n} connections have ended. */
  public Deferred<Void> whenLost(int n) {
    if (ends.size() >= n) {
      return Deferred.succeed(null);
    }
    lostTarget = n;
    lostWaiter = Deferred.create();
    return lostWaiter;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    Protocol p = inner.buildProtocol(address);
    if (p == null) {
      return null;
    }
    return new Protocol() {
      @Override
      public void makeConnection(Transport transport) {
        transports.add(transport);
        p.makeConnection(transport);
        afterMade.accept(transport);
      }

      @Override
      public void dataReceived(byte[] data) {
        p.dataReceived(data);
      }

      @Override
      public void connectionLost(ConnectionEnd reason) {
        ends.add(reason);
        p.connectionLost(reason);
        afterLost.run();
        if (lostWaiter != null && ends.size() >= lostTarget) {
          Deferred<Void> d = lostWaiter;
          lostWaiter = null;
          d.callback(null);
        }
      }
    };
  }

  @Override
  public void startFactory() {
    inner.startFactory();
  }

  @Override
  public void stopFactory() {
    inner.stopFactory();
  }
}
