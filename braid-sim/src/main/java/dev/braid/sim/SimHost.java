package dev.braid.sim;

import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ClientFactory;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.SystemEventPhase;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One machine of a {@link Simulation}: a whole {@link Reactor} (time, TCP, shutdown, threads) on
 * the simulation's virtual clock and in-memory network, so that real protocols, factories and
 * services run on it unchanged: give it wherever a {@code Clock}, {@code ReactorTcp}, {@code
 * ReactorCore} or {@code Reactor} is asked for.
 *
 * <pre>{@code
 * SimHost server = sim.addHost("server");
 * server.boot(h -> h.listenTCP(10000, PoetryServerFactory.create(service, h)));
 * SimHost client = sim.addHost("client");
 * client.track("poem", PoetryClient.fetch(client, "server", 10000, null));
 * }</pre>
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>Time is the simulation's clock; calls scheduled here belong to the host and die with it.
 *   <li>{@code listenTCP} binds a port of this host (0: the next ephemeral one from 49152); binding
 *       a port in use throws at once. {@code connectTCP} reaches another host by its name (or
 *       {@code localhost}, or an address literal) through the network: refused when nothing listens
 *       there, timed out when nothing answers (a host down, a partition), a {@link
 *       dev.braid.net.DnsLookupError} for an unknown name. Connections follow the {@link
 *       dev.braid.net.Transport} contract, with backpressure and the network's faults.
 *   <li>The host is running from the start: {@link #isRunning()} is true, {@link #callWhenRunning}
 *       runs at once, and {@link #run()} throws, since the simulation drives every host ({@link
 *       Simulation#run()}). {@link #stop()} shuts it down as a real reactor does: the {@code
 *       BEFORE} triggers, waiting for their Deferreds (on virtual time); then its ports close, its
 *       attempts fail and its connections close (the peers see a clean close, as from a real
 *       process's exit); the {@code DURING} and {@code AFTER} triggers; then the host is down.
 *   <li>{@link #crash()} stops it at once, as a machine that loses power: its code is told nothing,
 *       its timers never run, its peers' connections are reset. {@link #restart()} boots a down
 *       host again: a new incarnation runs every {@link #boot} program, with nothing kept from the
 *       last one.
 *   <li>Threads: there are none. {@code callFromThread} must be called on the simulation's thread;
 *       {@code callInThread} and {@code deferToThread} run the work as an event of its own, on the
 *       simulation's thread, so it must not block.
 * </ul>
 *
 * <p>Errors: an exception thrown by the host's code from a protocol's hook, a factory, a timer or a
 * shutdown trigger is a violation of the run (a real reactor logs it at ERROR); the connection
 * whose protocol threw is closed, as a real reactor closes it.
 *
 * <p>Threading: the simulation's thread only.
 */
public final class SimHost implements Reactor {
  private enum State {
    UP,
    STOPPING,
    DOWN
  }

  private record Trigger(SystemEventPhase phase, Supplier<Deferred<?>> body) {}

  private final Simulation sim;
  private final int index;
  private final String name;
  private final InetAddress address;
  private final List<Consumer<? super SimHost>> programs = new ArrayList<>();
  private final LinkedHashSet<HostCall> calls = new LinkedHashSet<>();
  private final TreeMap<Integer, SimPort> ports = new TreeMap<>();
  private final List<SimConnector> connecting = new ArrayList<>();
  private final LinkedHashSet<SimTransport> connections = new LinkedHashSet<>();
  private final Map<Factory, Integer> factoryUsers = new IdentityHashMap<>();
  private final Map<SystemEventPhase, List<Trigger>> triggers =
      new EnumMap<>(SystemEventPhase.class);
  private State state = State.UP;
  private int incarnation;
  private int nextPort = FIRST_EPHEMERAL_PORT;
  private Runnable whenStopped;

  /** The first port that {@code listenTCP(0, ...)} and outgoing connections use. */
  public static final int FIRST_EPHEMERAL_PORT = 49152;

  SimHost(Simulation sim, int index, String name, InetAddress address) {
    this.sim = sim;
    this.index = index;
    this.name = name;
    this.address = address;
    for (SystemEventPhase phase : SystemEventPhase.values()) {
      triggers.put(phase, new ArrayList<>());
    }
  }

  /** {@return this host's name, by which other hosts connect to it} */
  public String name() {
    return name;
  }

  /** {@return this host's address on the simulated network (10.x.y.z), carrying its name} */
  public InetAddress address() {
    return address;
  }

  /** {@return the simulation this host belongs to} */
  public Simulation simulation() {
    return sim;
  }

  /** {@return how many times this host has booted again since it was made: 0 at first} */
  public int incarnation() {
    return incarnation;
  }

  /** {@return true unless the host has crashed or been stopped (and not restarted)} */
  public boolean isUp() {
    return state != State.DOWN;
  }

  /**
   * Adds a program to this host and runs it now: it sets the host up (listens, builds services). It
   * runs again each time the host {@linkplain #restart() restarts}, in the order added, and marks
   * the host as one that random crashes, restarts and partitions may strike ({@link Faults}).
   *
   * @param program what the host runs at boot, given the host
   * @return this host
   */
  public SimHost boot(Consumer<? super SimHost> program) {
    Objects.requireNonNull(program, "program");
    programs.add(program);
    if (isUp()) {
      sim.runGuarded(this, "a boot program", () -> program.accept(this));
    }
    return this;
  }

  /** {@return true if this host has a boot program, so that it can restart} */
  public boolean isBooted() {
    return !programs.isEmpty();
  }

  /**
   * Watches {@code deferred}, a result this host's code waits for: its outcome goes into the trace,
   * and if it has not fired when the run is checked, the run fails ("left pending") unless this
   * host crashed or stopped meanwhile (a dead process's Deferreds are not expected to fire).
   *
   * @param label what it is, e.g. {@code poem}
   * @param deferred the Deferred; its outcome passes on unchanged
   * @param <T> its result type
   * @return {@code deferred}
   */
  public <T> Deferred<T> track(String label, Deferred<T> deferred) {
    return sim.track(this, label, deferred);
  }

  /**
   * Adds a line to the trace, from this host.
   *
   * @param message what happened
   */
  public void note(String message) {
    sim.note(name, message);
  }

  /**
   * Crashes this host now, as a machine that loses power: every call it scheduled is cancelled, its
   * ports, attempts and connections vanish without a word to its code, and each peer of its
   * connections receives a reset (after the link's latency). Does nothing if it is down.
   */
  public void crash() {
    if (state == State.DOWN) {
      return;
    }
    sim.note(name, "crash");
    whenStopped = null;
    goDown();
    for (SimTransport t : List.copyOf(connections)) {
      t.vanish();
    }
    connections.clear();
  }

  /**
   * Boots this host again after a crash or a stop: a new incarnation runs every {@link #boot}
   * program.
   *
   * @throws IllegalStateException if the host is up
   */
  public void restart() {
    if (state != State.DOWN) {
      throw new IllegalStateException(name + " is " + state.name().toLowerCase() + ", not down");
    }
    state = State.UP;
    sim.note(name, "restart (incarnation " + incarnation + ")");
    for (Consumer<? super SimHost> program : List.copyOf(programs)) {
      if (state != State.UP) {
        break;
      }
      sim.runGuarded(this, "a boot program", () -> program.accept(this));
    }
  }

  /** {@return how many connections of this host are open} */
  public int connectionCount() {
    return connections.size();
  }

  /** {@return the ports this host listens on, in port order} */
  public List<Integer> listeningPorts() {
    return List.copyOf(ports.keySet());
  }

  // ---------------------------------------------------------------------------------------------
  // Clock

  @Override
  public double seconds() {
    return sim.clock().seconds();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The call belongs to this host: a crash cancels it. An exception it throws is a violation.
   *
   * @throws IllegalStateException if this host is down
   */
  @Override
  public DelayedCall callLater(double delaySeconds, Runnable call) {
    Objects.requireNonNull(call, "call");
    checkUp("callLater");
    HostCall hc = new HostCall(this, call);
    hc.scheduled(sim.clock().callLater(delaySeconds, hc));
    calls.add(hc);
    return hc;
  }

  /** {@return the calls this host scheduled that are still pending, in the order they will run} */
  @Override
  public List<DelayedCall> getDelayedCalls() {
    List<DelayedCall> pending = new ArrayList<>(calls);
    pending.sort(
        (a, b) -> Double.compare(a.getTime(), b.getTime())); // stable: equal times stay in order
    return pending;
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorCore

  /**
   * A simulated host runs as long as the simulation; {@link Simulation#run()} drives it.
   *
   * @throws IllegalStateException always: the host is already running (or down)
   */
  @Override
  public void run() {
    throw new IllegalStateException(
        name + " is a simulated host: it runs from the start, driven by Simulation.run()");
  }

  /**
   * Shuts this host down gracefully, as a real reactor's {@code stop()}; see the class comment. The
   * host is down once the {@code AFTER} triggers have run.
   *
   * @throws IllegalStateException if it is not running
   */
  @Override
  public void stop() {
    stopThen(null);
  }

  /** Stops gracefully; {@code whenDown}, if not null, runs once the host is down. */
  void stopThen(Runnable whenDown) {
    if (state != State.UP) {
      throw new IllegalStateException(name + " is not running");
    }
    state = State.STOPPING;
    this.whenStopped = whenDown;
    sim.note(name, "stop");
    int me = incarnation;
    List<Deferred<?>> waits = new ArrayList<>();
    for (Trigger t : List.copyOf(triggers.get(SystemEventPhase.BEFORE))) {
      Deferred<?> d = runTrigger(t);
      if (d != null) {
        waits.add(d);
      }
    }
    if (waits.isEmpty()) {
      soon(this::duringShutdown);
      return;
    }
    int[] remaining = {waits.size()};
    for (Deferred<?> d : waits) {
      d.addFinally(
          outcome -> {
            if (outcome instanceof dev.braid.defer.Outcome.Failed<?> failed) {
              sim.violation(
                  name + ": a BEFORE shutdown trigger's Deferred failed: " + failed.failure(),
                  failed.failure().value());
            }
            if (--remaining[0] == 0 && incarnation == me && state == State.STOPPING) {
              soon(this::duringShutdown);
            }
          });
    }
  }

  private void duringShutdown() {
    for (SimPort port : List.copyOf(ports.values())) {
      port.stopListening();
    }
    for (SimConnector c : List.copyOf(connecting)) {
      c.abandon("the reactor stopped before connecting");
    }
    for (SimTransport t : List.copyOf(connections)) {
      t.closeForShutdown();
    }
    soon(
        () -> {
          for (Trigger t : List.copyOf(triggers.get(SystemEventPhase.DURING))) {
            runTrigger(t);
          }
          soon(
              () -> {
                for (Trigger t : List.copyOf(triggers.get(SystemEventPhase.AFTER))) {
                  runTrigger(t);
                }
                sim.note(name, "stopped");
                goDown();
                Runnable then = whenStopped;
                whenStopped = null;
                if (then != null) {
                  then.run();
                }
              });
        });
  }

  private Deferred<?> runTrigger(Trigger t) {
    Deferred<?>[] result = {null};
    sim.runGuarded(this, "a " + t.phase() + " shutdown trigger", () -> result[0] = t.body().get());
    return result[0];
  }

  /** Runs {@code call} at once: a simulated host is always running while it is up. */
  @Override
  public void callWhenRunning(Runnable call) {
    Objects.requireNonNull(call, "call");
    checkUp("callWhenRunning");
    sim.runGuarded(this, "a callWhenRunning call", call);
  }

  @Override
  public Object addSystemEventTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger) {
    Trigger t =
        new Trigger(Objects.requireNonNull(phase, "phase"), Objects.requireNonNull(trigger, "t"));
    triggers.get(phase).add(t);
    return t;
  }

  @Override
  public void removeSystemEventTrigger(Object handle) {
    if (handle instanceof Trigger t && triggers.get(t.phase()).remove(t)) {
      return;
    }
    throw new IllegalArgumentException("unknown system event trigger: " + handle);
  }

  /** {@return true while the host is up and not shutting down} */
  @Override
  public boolean isRunning() {
    return state == State.UP;
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorThreads

  /**
   * Runs {@code call} as an event of its own, now on the virtual clock.
   *
   * @throws IllegalStateException if called from a thread other than the simulation's: another
   *     thread's timing would make the run depend on the machine
   */
  @Override
  public void callFromThread(Runnable call) {
    Objects.requireNonNull(call, "call");
    if (!isReactorThread()) {
      throw new IllegalStateException(
          "callFromThread on simulated host "
              + name
              + " from thread "
              + Thread.currentThread().getName()
              + ": a simulation takes calls from its own thread only");
    }
    soon(call);
  }

  /** Runs {@code call} as an event of its own on the simulation's thread: there is no pool. */
  @Override
  public void callInThread(Runnable call) {
    Objects.requireNonNull(call, "call");
    soon(call);
  }

  /**
   * Runs {@code work} as an event of its own on the simulation's thread (there is no pool), and
   * fires the Deferred with its result or exception.
   */
  @Override
  public <T> Deferred<T> deferToThread(Callable<? extends T> work) {
    Objects.requireNonNull(work, "work");
    Deferred<T> d = Deferred.create();
    soon(
        () -> {
          T value;
          try {
            value = work.call();
          } catch (Throwable t) {
            d.errback(t);
            return;
          }
          d.callback(value);
        });
    return d;
  }

  /** {@return true on the simulation's thread} */
  @Override
  public boolean isReactorThread() {
    return sim.isSimulationThread();
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorTcp

  /**
   * {@inheritDoc}
   *
   * <p>The backlog is ignored; {@code iface} may be "", this host's name or address, {@code
   * 0.0.0.0}, {@code 127.0.0.1} or {@code localhost}: every port is reachable from every host.
   *
   * @throws UncheckedIOException (a {@link BindException}) if the port is in use
   */
  @Override
  public ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(iface, "iface");
    checkUp("listenTCP");
    int actual = port == 0 ? nextPort() : port;
    if (ports.containsKey(actual)) {
      throw new UncheckedIOException(
          new BindException(name + ":" + actual + ": address already in use"));
    }
    SimPort p = new SimPort(this, actual, factory);
    ports.put(actual, p);
    factoryStarted(factory);
    sim.note(name, "listen " + actual);
    return p;
  }

  @Override
  public Connector connectTCP(
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(factory, "factory");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    checkUp("connectTCP");
    SimConnector c = new SimConnector(this, host, port, factory, timeout);
    c.connect();
    return c;
  }

  @Override
  public String toString() {
    return "SimHost{" + name + ", " + address.getHostAddress() + ", " + state + "}";
  }

  // ---------------------------------------------------------------------------------------------
  // For the simulation's other classes

  /** Schedules {@code call} now on the clock, as this host's event. */
  void soon(Runnable call) {
    if (state != State.DOWN) {
      callLater(0, call);
    }
  }

  void forget(HostCall call) {
    calls.remove(call);
  }

  int index() {
    return index;
  }

  SimPort port(int port) {
    return ports.get(port);
  }

  void portClosed(SimPort port) {
    if (ports.get(port.port()) == port) {
      ports.remove(port.port());
      sim.note(name, "stop listening " + port.port());
    }
  }

  int nextPort() {
    while (ports.containsKey(nextPort)) {
      nextPort++;
    }
    return nextPort++;
  }

  void connecting(SimConnector c) {
    connecting.add(c);
  }

  void connectingDone(SimConnector c) {
    connecting.remove(c);
  }

  void opened(SimTransport t) {
    connections.add(t);
  }

  void closed(SimTransport t) {
    connections.remove(t);
  }

  void factoryStarted(Factory factory) {
    int users = factoryUsers.getOrDefault(factory, 0);
    factoryUsers.put(factory, users + 1);
    if (users == 0) {
      sim.runGuarded(this, "startFactory", factory::startFactory);
    }
  }

  void factoryStopped(Factory factory) {
    Integer users = factoryUsers.get(factory);
    if (users == null) {
      return;
    }
    if (users == 1) {
      factoryUsers.remove(factory);
      sim.runGuarded(this, "stopFactory", factory::stopFactory);
    } else {
      factoryUsers.put(factory, users - 1);
    }
  }

  private void goDown() {
    state = State.DOWN;
    incarnation++;
    for (HostCall c : List.copyOf(calls)) {
      c.drop();
    }
    calls.clear();
    for (SimPort p : List.copyOf(ports.values())) {
      p.vanish();
    }
    ports.clear();
    for (SimConnector c : List.copyOf(connecting)) {
      c.vanish();
    }
    connecting.clear();
    factoryUsers.clear();
    for (List<Trigger> phase : triggers.values()) {
      phase.clear();
    }
    nextPort = FIRST_EPHEMERAL_PORT;
  }

  private void checkUp(String what) {
    if (state == State.DOWN) {
      throw new IllegalStateException(what + " on " + name + ", which is down");
    }
  }
}
