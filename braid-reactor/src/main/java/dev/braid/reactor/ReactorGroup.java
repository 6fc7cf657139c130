package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorCore;
import dev.braid.net.ReactorFailedException;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@link SelectorReactor}s, one thread each, run and stopped as one, serving one port
 * together: how a Braid server uses every core while each connection, each Deferred and each
 * protocol still lives on exactly one reactor thread, so that user code never locks.
 *
 * <pre>{@code
 * ReactorGroup group = ReactorGroup.create(Runtime.getRuntime().availableProcessors());
 * group.listenTCP(10000, reactor -> PoetryServerFactory.create(service, reactor));
 * group.installShutdownHook(Duration.ofSeconds(10));
 * group.run();   // threads braid-reactor-1 ... braid-reactor-N, until stop()
 * }</pre>
 *
 * <h2>Confinement</h2>
 *
 * <ul>
 *   <li>{@link #listenTCP} gives every reactor a factory of its own (built by the function it is
 *       given, once per reactor) and a port of its own; a connection is served from beginning to
 *       end by the reactor that accepted it (or was handed it: {@link PortSharing}).
 *   <li>{@code connectTCP} on a reactor makes a connection of that reactor: a protocol that
 *       connects out from its own reactor stays on it.
 *   <li>Work moves between reactors only explicitly: {@link SelectorReactor#callFromThread} on the
 *       target reactor, and {@link dev.braid.defer.Handoff#call Handoff.call} to run a
 *       Deferred-returning call on one reactor and receive its outcome on another. Debug mode
 *       ({@link Deferred#setDebugging}) fails a Deferred fired or given callbacks off the thread
 *       that made it, naming both threads.
 * </ul>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #run()} starts the threads {@code braid-reactor-1} to {@code braid-reactor-N} (daemon
 * threads: the caller of {@code run()} keeps the JVM alive), each running its reactor, and returns
 * once all have stopped. {@link #stop()}, or any reactor of the group stopping (its own {@code
 * stop()}, or its selector failing), stops them all. Shutdown spans the group: every reactor runs
 * its {@link SystemEventPhase#BEFORE BEFORE} triggers, and no reactor closes anything until every
 * one of them has finished them, their Deferreds included (so a server's grace period, such as
 * braid-protocols' {@code ConnectionDrain} on each reactor, runs on all at once, and a reactor that
 * others wait on keeps serving them meanwhile). Then each closes its ports and connections and runs
 * its {@code DURING} triggers, and, once every one has, its {@code AFTER} triggers. The group's own
 * triggers ({@link #addSystemEventTrigger}) are those of its first reactor.
 *
 * <p>Threading: {@link #listenTCP} before {@link #run()} from the thread that sets the group up, or
 * while it runs from any thread but the group's own; {@link #stop()}, {@link #isRunning()}, {@link
 * #current()} and the getters from any thread; the trigger methods and {@link #callWhenRunning} as
 * on the first reactor (its thread, or any thread before {@code run()}).
 */
public final class ReactorGroup implements ReactorCore {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorGroup.class);

  /** How long {@link #listenTCP} on a running group waits for each reactor to open its port. */
  static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final List<SelectorReactor> reactors;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final Barriers barriers;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile List<Thread> threads = List.of();
  private Thread shutdownHook; // guarded by this

  private ReactorGroup(List<SelectorReactor> reactors) {
    this.reactors = List.copyOf(reactors);
    this.barriers = new Barriers();
    for (SelectorReactor reactor : this.reactors) {
      reactor.joinGroup(barriers);
    }
  }

  /**
   * Creates a group of {@code size} new reactors, not yet running.
   *
   * @param size how many reactors (threads); at least 1
   * @return the group
   * @throws IllegalArgumentException if {@code size} is less than 1
   */
  public static ReactorGroup create(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a reactor group needs at least 1 reactor: " + size);
    }
    List<SelectorReactor> reactors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      reactors.add(SelectorReactor.create());
    }
    return new ReactorGroup(reactors);
  }

  /**
   * Makes a group of reactors created elsewhere (and perhaps already set up), which the group runs
   * from now on: they must not have run, nor belong to another group.
   *
   * @param reactors at least one; each once
   * @return the group
   * @throws IllegalArgumentException if the list is empty or names a reactor twice
   * @throws IllegalStateException if a reactor has run, or belongs to another group
   */
  public static ReactorGroup of(List<SelectorReactor> reactors) {
    if (reactors.isEmpty()) {
      throw new IllegalArgumentException("a reactor group needs at least 1 reactor");
    }
    Set<SelectorReactor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SelectorReactor reactor : reactors) {
      if (!seen.add(Objects.requireNonNull(reactor, "reactor"))) {
        throw new IllegalArgumentException("a reactor appears twice in the group: " + reactor);
      }
      if (reactor.hasStarted()) {
        throw new IllegalStateException("a reactor joins a group before it runs: " + reactor);
      }
    }
    return new ReactorGroup(reactors);
  }

  // ---------------------------------------------------------------------------------------------
  // The reactors

  /** {@return how many reactors the group has} */
  public int size() {
    return reactors.size();
  }

  /** {@return the reactors, in the order of their threads' numbers} */
  public List<SelectorReactor> reactors() {
    return reactors;
  }

  /**
   * Returns one reactor of the group.
   *
   * @param index from 0; the reactor's thread is {@code braid-reactor-(index + 1)}
   * @return the reactor
   * @throws IndexOutOfBoundsException if there is no such reactor
   */
  public SelectorReactor reactor(int index) {
    return reactors.get(index);
  }

  /**
   * {@return the reactor of the group whose thread calls (or runs in lock-step with the caller, as
   * a coroutine body does), or null when the caller is on none of them}
   */
  public SelectorReactor current() {
    for (SelectorReactor reactor : reactors) {
      if (reactor.isReactorThread()) {
        return reactor;
      }
    }
    return null;
  }

  /**
   * {@return the threads running the reactors, in the same order: empty before {@link #run()}} They
   * have all ended once {@code run()} has returned.
   */
  public List<Thread> threads() {
    return threads;
  }

  int indexOf(SelectorReactor reactor) {
    for (int i = 0; i < reactors.size(); i++) {
      if (reactors.get(i) == reactor) {
        return i;
      }
    }
    throw new IllegalArgumentException(reactor + " is not in this group");
  }

  // ---------------------------------------------------------------------------------------------
  // Listening

  /**
   * Listens on {@code port} of every interface from every reactor, sharing it the best way this
   * operating system allows ({@link PortSharing#best()}).
   *
   * @param port the port, or 0 for any free port (the same one for every reactor)
   * @param factories called once per reactor, with that reactor, to build its own factory
   * @return the port
   * @see #listenTCP(int, Function, int, String, PortSharing)
   */
  public GroupPort listenTCP(
      int port, Function<? super SelectorReactor, ? extends Factory> factories) {
    return listenTCP(port, factories, ReactorTcp.DEFAULT_BACKLOG, "", PortSharing.best());
  }

  /**
   * Listens on {@code port} of one interface from every reactor, sharing it the best way this
   * operating system allows ({@link PortSharing#best()}).
   *
   * @param port the port, or 0 for any free port (the same one for every reactor)
   * @param factories called once per reactor, with that reactor, to build its own factory
   * @param backlog the accept queue length (of each reactor's socket), or {@link
   *     ReactorTcp#DEFAULT_BACKLOG} for the system's maximum
   * @param iface the interface's address or host name, or "" for all interfaces
   * @return the port
   * @see #listenTCP(int, Function, int, String, PortSharing)
   */
  public GroupPort listenTCP(
      int port,
      Function<? super SelectorReactor, ? extends Factory> factories,
      int backlog,
      String iface) {
    return listenTCP(port, factories, backlog, iface, PortSharing.best());
  }

  /**
   * Listens on {@code port} from every reactor of the group, each with a factory of its own, built
   * by {@code factories} for that reactor (on the reactor's thread while the group runs, else on
   * the calling thread), so that no factory is ever used by two threads. A group of one reactor
   * listens exactly as that reactor's own {@code listenTCP} does (no {@code SO_REUSEPORT}).
   *
   * <p>Threading: before {@link #run()}, from the thread that sets the group up; while the group
   * runs, from any thread but its reactors' (each reactor opens its port on its own thread, and
   * this call waits for them, up to 30 seconds each).
   *
   * @param port the port, or 0 for any free port (the same one for every reactor)
   * @param factories called once per reactor, with that reactor, to build its own factory
   * @param backlog the accept queue length (of each listening socket), or {@link
   *     ReactorTcp#DEFAULT_BACKLOG} for the system's maximum
   * @param iface the interface's address or host name, or "" for all interfaces
   * @param sharing how the reactors share the port
   * @return the port; every reactor's port is open when this returns
   * @throws java.io.UncheckedIOException if the port cannot be bound (the reactors' ports opened so
   *     far are closed again)
   * @throws IllegalStateException on a thread of the group while it runs, or once it has stopped
   */
  public GroupPort listenTCP(
      int port,
      Function<? super SelectorReactor, ? extends Factory> factories,
      int backlog,
      String iface,
      PortSharing sharing) {
    Objects.requireNonNull(factories, "factories");
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(sharing, "sharing");
    if (state.get() != State.NEW) {
      if (state.get() == State.STOPPED) {
        throw new IllegalStateException("the reactor group has stopped");
      }
      SelectorReactor here = current();
      if (here != null) {
        throw new IllegalStateException(
            "ReactorGroup.listenTCP() waits for every reactor of the group, so it cannot be called"
                + " on one of them ("
                + Thread.currentThread().getName()
                + "): call it before run(), or from another thread");
      }
    }
    List<ListeningPort> opened = new ArrayList<>();
    try {
      if (reactors.size() == 1 || sharing == PortSharing.KERNEL) {
        return listenEach(port, factories, backlog, iface, sharing, opened);
      }
      return listenWithAcceptor(port, factories, backlog, iface, opened);
    } catch (RuntimeException | Error e) {
      for (int i = 0; i < opened.size(); i++) {
        ListeningPort p = opened.get(i);
        try {
          onMember(i, p::stopListening);
        } catch (RuntimeException | Error closeFailed) {
          e.addSuppressed(closeFailed);
        }
      }
      throw e;
    }
  }

  private GroupPort listenEach(
      int port,
      Function<? super SelectorReactor, ? extends Factory> factories,
      int backlog,
      String iface,
      PortSharing sharing,
      List<ListeningPort> opened) {
    boolean reusePort = reactors.size() > 1;
    int number = port;
    for (int i = 0; i < reactors.size(); i++) {
      SelectorReactor reactor = reactors.get(i);
      int bind = number;
      ListeningPort p =
          onMember(
              i,
              () ->
                  reactor.listenTCP(
                      bind, factoryFor(factories, reactor), backlog, iface, reusePort));
      opened.add(p);
      number = p.getHost().getPort();
    }
    // With one reactor, either way of sharing is the reactor's own port: the one asked for is kept.
    return new GroupPort(this, opened.get(0).getHost(), sharing, opened);
  }

  private GroupPort listenWithAcceptor(
      int port,
      Function<? super SelectorReactor, ? extends Factory> factories,
      int backlog,
      String iface,
      List<ListeningPort> opened) {
    SelectorReactor first = reactors.get(0);
    TcpListeningPort acceptor =
        onMember(0, () -> first.listenTcpPort(port, factoryFor(factories, first), backlog, iface));
    opened.add(acceptor);
    InetSocketAddress host = acceptor.getHost();
    List<HandOffPort> shares = new ArrayList<>();
    for (int i = 1; i < reactors.size(); i++) {
      SelectorReactor reactor = reactors.get(i);
      HandOffPort share =
          onMember(
              i,
              () ->
                  HandOffPort.open(
                      reactor,
                      factoryFor(factories, reactor),
                      host,
                      "braid-reactor-1 of its group"));
      shares.add(share);
      opened.add(share);
    }
    RoundRobin dispatch = new RoundRobin(shares);
    onMember(
        0,
        () -> {
          acceptor.setDispatch(dispatch);
          return null;
        });
    return new GroupPort(this, host, PortSharing.ACCEPTOR, opened);
  }

  private static Factory factoryFor(
      Function<? super SelectorReactor, ? extends Factory> factories, SelectorReactor reactor) {
    return Objects.requireNonNull(
        factories.apply(reactor), "the factories function returned null for " + reactor);
  }

  /**
   * The acceptor's dispatch: connections go to the reactors in turn, the acceptor's own first; a
   * share that has stopped listening is skipped, and when every other share has, the acceptor
   * serves the connection itself. Acceptor's thread only.
   */
  private static final class RoundRobin implements TcpListeningPort.Dispatch {
    private final List<HandOffPort> shares;
    private int next;

    RoundRobin(List<HandOffPort> shares) {
      this.shares = List.copyOf(shares);
    }

    @Override
    public boolean handOff(SocketChannel accepted) {
      int slots = shares.size() + 1;
      for (int tries = 0; tries < slots; tries++) {
        int slot = next;
        next = (next + 1) % slots;
        if (slot == 0) {
          return false; // the acceptor's turn: served there
        }
        if (shares.get(slot - 1).offer(accepted)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Runs {@code work} for reactor {@code index}: at once on this thread before the group runs,
   * otherwise on the reactor's thread, waiting for it.
   */
  private <T> T onMember(int index, Callable<T> work) {
    if (state.get() == State.NEW) {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    reactors
        .get(index)
        .callFromThread(
            () -> {
              try {
                result.complete(work.call());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    try {
      return result.get(LISTEN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "braid-reactor-" + (index + 1) + " did not answer within " + LISTEN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a reactor of the group", e);
    }
  }

  /**
   * Runs {@code work} for reactor {@code index} without waiting: at once before the group runs,
   * otherwise handed to the reactor's thread.
   */
  void onMemberLater(int index, Runnable work) {
    if (state.get() == State.NEW) {
      work.run();
    } else {
      reactors.get(index).callFromThread(work);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorCore

  /**
   * {@inheritDoc}
   *
   * <p>Unlike a single reactor's, the loops run on threads of their own, {@code braid-reactor-1} to
   * {@code braid-reactor-N}; the calling thread waits until every one has ended. If a reactor's
   * loop failed, the first such failure is thrown (the others added to it as suppressed) once all
   * have ended.
   *
   * @throws IllegalStateException if the group is running or has run
   * @throws ReactorFailedException if a reactor's selector failed (the whole group shut down)
   */
  @Override
  public void run() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          state.get() == State.STOPPED
              ? "this reactor group has already run and cannot be restarted"
              : "this reactor group is already running");
    }
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> started = new ArrayList<>(reactors.size());
    for (int i = 0; i < reactors.size(); i++) {
      SelectorReactor reactor = reactors.get(i);
      Thread thread =
          new Thread(
              () -> {
                try {
                  reactor.run();
                } catch (Throwable t) {
                  failures.add(t);
                } finally {
                  barriers.departed();
                }
              },
              "braid-reactor-" + (i + 1));
      thread.setDaemon(true);
      started.add(thread);
    }
    threads = List.copyOf(started);
    for (Thread thread : started) {
      thread.start();
    }
    boolean interrupted = false;
    for (Thread thread : started) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // as a reactor's loop: stop() stops it, not an interrupt
        }
      }
    }
    state.set(State.STOPPED);
    finished.countDown();
    removeShutdownHook();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      for (Throwable other : failures.subList(1, failures.size())) {
        first.addSuppressed(other);
      }
      if (first instanceof RuntimeException r) {
        throw r;
      }
      if (first instanceof Error e) {
        throw e;
      }
      throw new ReactorFailedException("a reactor of the group failed: " + first, first);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Stops every reactor of the group, each on its own thread; {@link #run()} returns once all
   * have stopped.
   *
   * @throws IllegalStateException if the group is not running (not started, already stopping or
   *     stopped)
   */
  @Override
  public void stop() {
    if (!beginStopping()) {
      throw new IllegalStateException(
          switch (state.get()) {
            case NEW -> "the reactor group is not running: run() has not been called";
            case STOPPING -> "the reactor group is not running: it is already stopping";
            default -> "the reactor group is not running: it has stopped";
          });
    }
  }

  /** Stops every reactor if the group runs; false if it was not running. Any thread. */
  private boolean beginStopping() {
    if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
      return false;
    }
    for (SelectorReactor reactor : reactors) {
      // Handed over, so that a reactor whose loop has not started yet stops once it has.
      reactor.callFromThread(reactor::stopIfRunning);
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The group's first reactor runs {@code call}, as its own {@code callWhenRunning} does.
   */
  @Override
  public void callWhenRunning(Runnable call) {
    reactors.get(0).callWhenRunning(call);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The trigger is the group's first reactor's, and runs on its thread; since shutdown waits for
   * every reactor between phases, a {@code BEFORE} trigger runs while every reactor still serves,
   * and an {@code AFTER} trigger once every one has closed its ports and connections.
   */
  @Override
  public Object addSystemEventTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger) {
    return reactors.get(0).addSystemEventTrigger(phase, trigger);
  }

  @Override
  public void removeSystemEventTrigger(Object handle) {
    reactors.get(0).removeSystemEventTrigger(handle);
  }

  /** {@inheritDoc} True when every reactor of the group runs. */
  @Override
  public boolean isRunning() {
    if (state.get() != State.RUNNING) {
      return false;
    }
    for (SelectorReactor reactor : reactors) {
      if (!reactor.isRunning()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stops the group gracefully when the JVM begins to shut down (SIGINT, SIGTERM, {@code
   * System.exit}), as {@link SelectorReactor#installShutdownHook} does for one reactor: the hook
   * stops the group and waits up to {@code maxWait} for every reactor to finish. Removed when
   * {@link #run()} returns. Any thread.
   *
   * @param maxWait how long the JVM's shutdown may wait for the group's
   * @throws IllegalStateException if a hook is already installed
   */
  public synchronized void installShutdownHook(Duration maxWait) {
    Objects.requireNonNull(maxWait, "maxWait");
    if (shutdownHook != null) {
      throw new IllegalStateException("a shutdown hook is already installed");
    }
    Thread hook =
        new Thread(
            () -> {
              if (state.get() == State.NEW || state.get() == State.STOPPED) {
                return;
              }
              beginStopping();
              try {
                if (!finished.await(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                  LOG.warn("{} did not stop within {}", this, maxWait);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "braid-reactor-group-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  private synchronized void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it sees the group stopped
      }
    }
  }

  @Override
  public String toString() {
    return "ReactorGroup{" + reactors.size() + " reactors, " + state.get() + "}";
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown across the group

  /**
   * The group's side of its reactors' shutdown: stops them all when one stops, and holds each
   * between phases until every one has reached the same point. A reactor whose loop has ended
   * counts as having reached every point, so that one that failed to start holds nobody up.
   */
  private final class Barriers implements GroupMembership {
    private final Object lock = new Object();
    private final int[] arrived = new int[2];
    private final List<List<Runnable>> waiting = List.of(new ArrayList<>(), new ArrayList<>());
    private int departed;

    @Override
    public void memberStopping(SelectorReactor member) {
      beginStopping();
    }

    @Override
    public Deferred<Void> arrive(SelectorReactor member, SystemEventPhase phase) {
      int point = phase == SystemEventPhase.BEFORE ? 0 : 1;
      Deferred<Void> released = Deferred.create();
      Runnable release = () -> member.callFromThread(() -> released.callback(null));
      List<Runnable> toRelease = null;
      synchronized (lock) {
        arrived[point]++;
        waiting.get(point).add(release);
        if (arrived[point] + departed >= reactors.size()) {
          toRelease = takeWaiting(point);
        }
      }
      if (toRelease != null) {
        toRelease.forEach(Runnable::run);
      }
      return released;
    }

    /** A reactor's loop has ended: it holds nobody up any more. Its own thread. */
    void departed() {
      List<Runnable> toRelease = new ArrayList<>();
      synchronized (lock) {
        departed++;
        for (int point = 0; point < arrived.length; point++) {
          if (arrived[point] + departed >= reactors.size()) {
            toRelease.addAll(takeWaiting(point));
          }
        }
      }
      toRelease.forEach(Runnable::run);
      beginStopping(); // a reactor that ended on its own takes the others with it
    }

    private List<Runnable> takeWaiting(int point) {
      List<Runnable> taken = new ArrayList<>(waiting.get(point));
      waiting.get(point).clear();
      return taken;
    }
  }
}
