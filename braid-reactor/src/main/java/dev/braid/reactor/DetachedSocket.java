package dev.braid.reactor;

import java.io.IOException;

/**
 * A connection accepted by one reactor of a {@link ReactorGroup} and handed to another ({@link
 * PortSharing#ACCEPTOR}): released by the poller that accepted it ({@link StreamSocket#detach()})
 * and not yet owned by the poller of the reactor that will serve it. On {@code java.nio} it is the
 * accepted channel, not yet registered with any selector; on the native transport it is the bare
 * descriptor with the addresses {@code accept4} gave, out of every poller's table, so that neither
 * poller's close can close it behind the other's back.
 *
 * <p>Threading: made on the acceptor's thread and then used by one thread at a time (it is passed
 * through a concurrent queue): {@link #attachTo} on the serving reactor's thread, {@link #close()}
 * on whichever thread drops it. Ownership: it owns the connection until exactly one of {@link
 * #attachTo} or {@link #close()} is called, once.
 */
interface DetachedSocket {
  /**
   * Makes {@code poller} the connection's owner, on that poller's thread.
   *
   * @param poller the serving reactor's poller, of the same transport as the one that accepted
   * @return the socket, owned by {@code poller}, not yet registered
   * @throws IOException if {@code poller} is of another transport (the connection is closed)
   */
  StreamSocket attachTo(Poller poller) throws IOException;

  /** Closes the connection, which no poller owns. Any thread; never throws. */
  void close();
}
