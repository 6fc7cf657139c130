package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.defer.Handoff;
import dev.braid.net.Factory;
import dev.braid.net.ReactorThreads;
import java.util.Objects;

/**
 * The caching proxy served from several reactors (a {@code ReactorGroup}) with its guarantees kept:
 * one {@link PoemCache} (the in-memory {@link ProxyService}, or a cache shared with a fleet through
 * Redis), owned by one reactor, and a front through which the clients of every reactor ask it. A
 * client on the owner's reactor asks the cache directly; a client on another reactor has its
 * request handed to the owner ({@link Handoff#call}) and its poem, or failure, handed back to its
 * own reactor. So there is one cache and one fetch in flight per poem however many clients wait on
 * however many reactors; each client gets its poem on its own reactor; a client that leaves cancels
 * its own wait only (its cancellation goes to the owner, which detaches that one waiter); the TTL
 * and failures are the service's, as with one reactor.
 *
 * <pre>{@code
 * SelectorReactor owner = group.reactor(0);
 * ProxyService service = ProxyService.create(owner, PoetryClient.upstream(owner, host, port), ttl);
 * ProxyFront front = ProxyFront.create(owner, service);
 * group.listenTCP(10000, front::factory);
 * }</pre>
 *
 * <p>This is the first of the two ways to share state across reactors (docs/design.md): an owner
 * reactor that the others message. The cache itself stays reactor-confined and unchanged.
 *
 * <p>Threading: {@link #getPoem} and the factories' protocols on the asking reactor's thread; the
 * service on its owner's. Ownership: every client receives the same cached array, across threads;
 * it must not be changed (it is published to other reactors through their {@code callFromThread}).
 */
public final class ProxyFront {
  private final ReactorThreads owner;
  private final PoemCache service;

  private ProxyFront(ReactorThreads owner, PoemCache service) {
    this.owner = owner;
    this.service = service;
  }

  /**
   * Makes a front for {@code service}.
   *
   * @param owner the reactor whose thread owns the cache (the clock, upstream and reactor it was
   *     made with must be that reactor's)
   * @param service the cache; used on the owner's thread only from now on
   * @return the front
   */
  public static ProxyFront create(ReactorThreads owner, PoemCache service) {
    return new ProxyFront(
        Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(service, "service"));
  }

  /**
   * Asks the service for the poem on behalf of a client of {@code home}. On {@code home}'s thread.
   *
   * @param home the reactor the asking client lives on
   * @return a Deferred of {@code home}'s thread, fired there with the poem or the failure; cancel
   *     it to stop waiting (the owner detaches this waiter only)
   */
  public Deferred<byte[]> getPoem(ReactorThreads home) {
    if (home == owner) {
      return service.getPoem();
    }
    return Handoff.call(owner::callFromThread, service::getPoem, home::callFromThread);
  }

  /**
   * Builds the proxy's factory for the clients of one reactor: what a group's {@code listenTCP} is
   * given, once per reactor.
   *
   * @param home the reactor whose connections the factory serves
   * @return a factory for {@code home}'s thread
   */
  public Factory factory(ReactorThreads home) {
    Objects.requireNonNull(home, "home");
    return address -> new PoetryProxyProtocol(() -> getPoem(home));
  }

  /**
   * Shuts the cache down ({@link PoemCache#shutDown()}: its waiters, on every reactor, fail with
   * {@link ProxyShutdownException}), on the owner's thread: at once when called there, else handed
   * over. From any reactor's thread, so that whichever reactor's drain finds clients still waiting
   * when its grace expires can call it; the cache ignores all calls but the first.
   */
  public void shutDown() {
    if (owner.isReactorThread()) {
      service.shutDown();
    } else {
      owner.callFromThread(service::shutDown);
    }
  }

  /** {@return the reactor that owns the service} */
  public ReactorThreads owner() {
    return owner;
  }

  /** {@return the cache, to be used on its owner's thread only} */
  public PoemCache service() {
    return service;
  }
}
