package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a listening port's life, shared by the ports of this package: once the port has closed
 * its socket, {@link #finish} stops the factory (if the port was its last user) and fires every
 * Deferred that {@link #whenFinished} handed out. Reactor thread only.
 */
final class PortStop {
  private static final Logger LOG = LoggerFactory.getLogger(PortStop.class);

  private final Factory factory;
  private final List<Deferred<Void>> waiters = new ArrayList<>();
  private boolean finished;

  PortStop(Factory factory) {
    this.factory = factory;
  }

  /**
   * Stops the factory and fires the waiters; a {@code stopFactory} that throws is logged, naming
   * {@code port}, and the waiters fire all the same.
   */
  void finish(Object port) {
    finished = true;
    try {
      FactoryStarts.doStop(factory);
    } catch (Throwable t) {
      LOG.error("stopFactory threw for {}", port, t);
    }
    for (Deferred<Void> d : waiters) {
      if (!d.isCalled()) {
        d.callback(null);
      }
    }
    waiters.clear();
  }

  /** {@return a Deferred of its own that fires once {@link #finish} has run (at once if it has)} */
  Deferred<Void> whenFinished() {
    if (finished) {
      return Deferred.succeed(null);
    }
    Deferred<Void> d = Deferred.create();
    waiters.add(d);
    return d;
  }
}
