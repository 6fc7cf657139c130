package dev.braid.sim;

import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import java.net.InetSocketAddress;

/** A port a simulated host listens on. Threading: the simulation's thread. */
final class SimPort implements ListeningPort {
  private final SimHost host;
  private final int port;
  private final Factory factory;
  private boolean listening = true;

  SimPort(SimHost host, int port, Factory factory) {
    this.host = host;
    this.port = port;
    this.factory = factory;
  }

  int port() {
    return port;
  }

  Factory factory() {
    return factory;
  }

  boolean isListening() {
    return listening;
  }

  @Override
  public InetSocketAddress getHost() {
    return new InetSocketAddress(host.address(), port);
  }

  @Override
  public Deferred<Void> stopListening() {
    if (listening) {
      listening = false;
      host.portClosed(this);
      host.factoryStopped(factory);
    }
    return Deferred.succeed(null);
  }

  /** The host crashed: the port is gone, its factory told nothing. */
  void vanish() {
    listening = false;
  }

  @Override
  public String toString() {
    return "SimPort{" + host.name() + ":" + port + (listening ? "" : ", closed") + "}";
  }
}
