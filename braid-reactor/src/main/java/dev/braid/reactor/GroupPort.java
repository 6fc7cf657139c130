package dev.braid.reactor;

import dev.braid.net.Addresses;
import dev.braid.net.ListeningPort;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One port served by every reactor of a {@link ReactorGroup}: {@link ReactorGroup#listenTCP}'s
 * answer. Each reactor has a {@link ListeningPort} of its own ({@link #portOf}), which belongs to
 * that reactor's thread like anything else of it: a server that drains at shutdown stops its
 * reactor's port there.
 *
 * <p>Threading: {@link #getHost()}, {@link #sharing()}, {@link #ports()} and {@link
 * #stopListening()} from any thread; the ports themselves on their reactors' threads.
 */
public final class GroupPort {
  private final ReactorGroup group;
  private final InetSocketAddress host;
  private final PortSharing sharing;
  private final List<ListeningPort> ports;

  GroupPort(
      ReactorGroup group, InetSocketAddress host, PortSharing sharing, List<ListeningPort> ports) {
    this.group = group;
    this.host = host;
    this.sharing = sharing;
    this.ports = List.copyOf(ports);
  }

  /** {@return the address served, with the real port number when port 0 was asked for} */
  public InetSocketAddress getHost() {
    return host;
  }

  /** {@return how the reactors share the port} */
  public PortSharing sharing() {
    return sharing;
  }

  /**
   * {@return the reactors' ports, in the order of {@link ReactorGroup#reactors()}: with {@link
   * PortSharing#ACCEPTOR} the first one accepts and the others are served connections handed over}
   */
  public List<ListeningPort> ports() {
    return ports;
  }

  /**
   * Returns the port of one reactor of the group.
   *
   * @param reactor a reactor of the group
   * @return its port, to be used on its thread
   * @throws IllegalArgumentException if {@code reactor} is not in the group
   */
  public ListeningPort portOf(SelectorReactor reactor) {
    return ports.get(group.indexOf(reactor));
  }

  /**
   * Stops listening on every reactor, each on its own thread. Any thread.
   *
   * @return completed once every reactor's port is closed (never, for a reactor that has stopped
   *     meanwhile: its shutdown closed the port anyway)
   */
  public CompletableFuture<Void> stopListening() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      ListeningPort port = ports.get(i);
      group.onMemberLater(
          i,
          () ->
              port.stopListening()
                  .addCallback(
                      ignored -> {
                        if (left.decrementAndGet() == 0) {
                          done.complete(null);
                        }
                        return null;
                      }));
    }
    return done;
  }

  @Override
  public String toString() {
    return "port "
        + Addresses.describe(host)
        + " on "
        + ports.size()
        + (ports.size() == 1 ? " reactor" : " reactors")
        + " ("
        + sharing
        + ")";
  }
}
