package dev.braid.examples.tutorial.part8;

import dev.braid.defer.Deferred;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;

/**
 * Client 4.0's factory: one download, whose Deferred it fires once, with the poem or with the
 * reason there is none. It makes that Deferred itself, so that nobody else can fire it (Part 13's
 * exercise 3, "you make it, you fire it"; the tutorial's 4.0 took it from {@code get_poetry}).
 * Cancelling the Deferred closes the connection, which is what a timeout needs (Part 8's exercise
 * 1). Reactor thread only.
 */
final class PoetryClientFactory implements ClientFactory {
  private final Deferred<String> poem;
  private Deferred<String> pending; // the poem's Deferred until it fires, then null
  private Connector connector;

  PoetryClientFactory() {
    poem = Deferred.create(cancelled -> cancel());
    pending = poem;
  }

  /** {@return the Deferred of the poem, fired by this factory} */
  Deferred<String> deferred() {
    return poem;
  }

  @Override
  public void startedConnecting(Connector connector) {
    this.connector = connector;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    return new PoetryProtocol(this);
  }

  @Override
  public void clientConnectionFailed(Connector connector, ConnectError reason) {
    poemFailed(reason);
  }

  void poemFinished(String text) {
    // The tutorial's "d, self.deferred = self.deferred, None": let go of the Deferred before firing
    // it, so that it cannot be fired twice.
    if (pending != null) {
      Deferred<String> d = pending;
      pending = null;
      d.callback(text);
    }
  }

  void poemFailed(Exception reason) {
    if (pending != null) {
      Deferred<String> d = pending;
      pending = null;
      d.errback(reason);
    }
  }

  /** The canceller: the Deferred fails with a CancelledException; the connection goes too. */
  private void cancel() {
    pending = null;
    if (connector != null) {
      connector.disconnect();
    }
  }
}
