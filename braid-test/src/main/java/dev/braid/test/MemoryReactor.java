package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ClientFactory;
import dev.braid.net.Factory;
import dev.braid.net.ReactorCore;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.reactor.ReactorResources;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A reactor that does no I/O: Twisted's {@code MemoryReactorClock}. Its time is a {@link
 * VirtualClock}; {@code listenTCP} and {@code connectTCP} are recorded, and the test decides what
 * happens to them.
 *
 * <pre>{@code
 * MemoryReactor reactor = MemoryReactor.create();
 * Deferred<String> poem = PoetryClient.getPoetry(reactor, "poetry.example", 10000);
 * MemoryConnector attempt = reactor.connectors().get(0);
 * StringTransport t = attempt.complete();          // the factory builds the protocol
 * ((Protocol) t.protocol()).dataReceived(bytes("Roses are red"));
 * t.connectionLost(new ConnectionDone());
 * assertThat(poem).succeedsWith("Roses are red");
 * }</pre>
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>Time: {@link #seconds()}, {@link #callLater} and {@link #getDelayedCalls()} are the
 *       clock's; {@link #advance} moves it.
 *   <li>{@link #listenTCP} returns a {@link MemoryPort}; port 0 gets a made-up port number. A test
 *       opens connections on it with {@link MemoryPort#accept()}.
 *   <li>{@link #connectTCP} returns a {@link MemoryConnector}: the factory is told {@code
 *       startedConnecting}, and the attempt waits until the test calls {@link
 *       MemoryConnector#complete()} or {@link MemoryConnector#fail}, or its timeout passes on the
 *       clock (then {@link dev.braid.net.ConnectTimeoutError}).
 *   <li>A factory is started before its first port or attempt and stopped after its last, as the
 *       {@link Factory} contract says.
 *   <li>{@link #run()} runs the {@link #callWhenRunning} calls and stops (Twisted's {@code
 *       MemoryReactor.run}); {@link #stop()} runs the shutdown triggers in phase order. It does not
 *       wait for Deferreds returned by {@code BEFORE} triggers.
 * </ul>
 *
 * <p>It does not implement {@link dev.braid.net.ReactorThreads}: code that needs threads needs a
 * real reactor.
 *
 * <p>Threading: not thread-safe; use it from the test's thread.
 */
public final class MemoryReactor implements ReactorCore, Clock, ReactorTcp, ReactorResources {
  private final VirtualClock clock;
  private final List<MemoryPort> ports = new ArrayList<>();
  private final List<MemoryConnector> connectors = new ArrayList<>();
  private final List<StringTransport> connections = new ArrayList<>();
  private final Map<Factory, Integer> factoryUsers = new IdentityHashMap<>();
  private final List<Runnable> whenRunning = new ArrayList<>();
  private final Map<SystemEventPhase, Map<Object, Supplier<Deferred<?>>>> triggers =
      new EnumMap<>(SystemEventPhase.class);
  private boolean running;
  private boolean hasRun;
  private boolean hasStopped;
  private int nextEphemeralPort = 32768;

  private MemoryReactor(VirtualClock clock) {
    this.clock = clock;
    for (SystemEventPhase phase : SystemEventPhase.values()) {
      triggers.put(phase, new LinkedHashMap<>());
    }
  }

  /**
   * Creates a reactor with a new {@link VirtualClock} at 0 seconds.
   *
   * @return a new reactor
   */
  public static MemoryReactor create() {
    return new MemoryReactor(VirtualClock.create());
  }

  /**
   * Creates a reactor whose time is {@code clock}.
   *
   * @param clock the clock to share
   * @return a new reactor
   */
  public static MemoryReactor create(VirtualClock clock) {
    return new MemoryReactor(Objects.requireNonNull(clock, "clock"));
  }

  /** {@return this reactor's clock, given to or made by {@link #create}} */
  public VirtualClock clock() {
    return clock;
  }

  /**
   * Advances the clock; see {@link VirtualClock#advance(double)}.
   *
   * @param seconds how far to move
   */
  public void advance(double seconds) {
    clock.advance(seconds);
  }

  /**
   * Advances the clock; see {@link VirtualClock#advance(Duration)}.
   *
   * @param duration how far to move
   */
  public void advance(Duration duration) {
    clock.advance(duration);
  }

  // ---------------------------------------------------------------------------------------------
  // Clock

  @Override
  public double seconds() {
    return clock.seconds();
  }

  @Override
  public DelayedCall callLater(double delaySeconds, Runnable call) {
    return clock.callLater(delaySeconds, call);
  }

  @Override
  public List<DelayedCall> getDelayedCalls() {
    return clock.getDelayedCalls();
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorCore

  /**
   * Runs the {@link #callWhenRunning} calls in order, then stops (Twisted's {@code
   * MemoryReactor.run}).
   *
   * @throws IllegalStateException if it has already run
   */
  @Override
  public void run() {
    if (hasRun) {
      throw new IllegalStateException("this MemoryReactor has already run");
    }
    running = true;
    hasRun = true;
    List<Runnable> calls = new ArrayList<>(whenRunning);
    whenRunning.clear();
    for (Runnable call : calls) {
      call.run();
    }
    if (running) {
      stop();
    }
  }

  /**
   * Runs the shutdown triggers in phase order and marks the reactor stopped.
   *
   * @throws IllegalStateException if it is not running
   */
  @Override
  public void stop() {
    if (!running) {
      throw new IllegalStateException("the reactor is not running");
    }
    running = false;
    hasStopped = true;
    for (SystemEventPhase phase : SystemEventPhase.values()) {
      for (Supplier<Deferred<?>> trigger : List.copyOf(triggers.get(phase).values())) {
        trigger.get();
      }
    }
  }

  @Override
  public void callWhenRunning(Runnable call) {
    Objects.requireNonNull(call, "call");
    if (running) {
      call.run();
    } else {
      whenRunning.add(call);
    }
  }

  @Override
  public Object addSystemEventTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger) {
    Object handle = new Object();
    triggers.get(phase).put(handle, Objects.requireNonNull(trigger, "trigger"));
    return handle;
  }

  @Override
  public void removeSystemEventTrigger(Object handle) {
    for (Map<Object, Supplier<Deferred<?>>> phase : triggers.values()) {
      if (phase.remove(handle) != null) {
        return;
      }
    }
    throw new IllegalArgumentException("unknown system event trigger: " + handle);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** {@return true once {@link #run()} has been called} */
  public boolean hasRun() {
    return hasRun;
  }

  /** {@return true once {@link #stop()} has been called} */
  public boolean hasStopped() {
    return hasStopped;
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorTcp

  /**
   * Records the call, on all interfaces with the default backlog; see {@link #listenTCP(int,
   * Factory, int, String)}.
   *
   * @return a {@link MemoryPort}
   */
  @Override
  public MemoryPort listenTCP(int port, Factory factory) {
    return listenTCP(port, factory, DEFAULT_BACKLOG, "");
  }

  /**
   * Records the call, with the default timeout; see {@link #connectTCP(String, int, ClientFactory,
   * Duration, InetSocketAddress)}.
   *
   * @return a {@link MemoryConnector}
   */
  @Override
  public MemoryConnector connectTCP(String host, int port, ClientFactory factory) {
    return connectTCP(host, port, factory, DEFAULT_CONNECT_TIMEOUT, null);
  }

  /**
   * Records the call and returns a port that is listening until {@link MemoryPort#stopListening()}.
   *
   * @return a {@link MemoryPort}
   */
  @Override
  public MemoryPort listenTCP(int port, Factory factory, int backlog, String iface) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(iface, "iface");
    int actual = port == 0 ? nextEphemeralPort++ : port;
    MemoryPort listening = new MemoryPort(this, port, actual, factory, backlog, iface);
    ports.add(listening);
    factoryStarted(factory);
    return listening;
  }

  /**
   * Records the call and returns the attempt, which waits for the test; its timeout runs on the
   * clock.
   *
   * @return a {@link MemoryConnector}
   */
  @Override
  public MemoryConnector connectTCP(
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress) {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(timeout, "timeout");
    MemoryConnector connector =
        new MemoryConnector(this, host, port, factory, timeout, bindAddress);
    connectors.add(connector);
    connector.connect();
    return connector;
  }

  /** {@return a snapshot of every port made by {@link #listenTCP}, in order, listening or not} */
  public List<MemoryPort> ports() {
    return List.copyOf(ports);
  }

  /** {@return a snapshot of every connector made by {@link #connectTCP}, in order} */
  public List<MemoryConnector> connectors() {
    return List.copyOf(connectors);
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorResources

  /**
   * {@inheritDoc}
   *
   * <p>The ports made by {@link #listenTCP} whose {@code stopListening()} has not been called.
   */
  @Override
  public List<MemoryPort> listeningPorts() {
    return ports.stream().filter(MemoryPort::isListening).toList();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The connectors made by {@link #connectTCP} whose attempt neither {@linkplain
   * MemoryConnector#complete() completed} nor failed yet.
   */
  @Override
  public List<MemoryConnector> connectionAttempts() {
    return connectors.stream().filter(c -> c.state() == MemoryConnector.State.CONNECTING).toList();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The transports of the connections this reactor made (accepted or completed) that are neither
   * disconnecting nor disconnected.
   */
  @Override
  public List<StringTransport> openConnections() {
    return connections.stream().filter(t -> !t.isDisconnecting() && !t.isDisconnected()).toList();
  }

  /**
   * Describes what a finished test should not leave behind: pending delayed calls, listening ports,
   * connection attempts still in progress and open connections (trial's dirty reactor), as {@link
   * BraidExtension}'s janitor does for every reactor.
   *
   * @return one line per leftover; empty when clean
   */
  public List<String> leftovers() {
    return Janitor.leftovers(this);
  }

  // ---------------------------------------------------------------------------------------------
  // For MemoryPort and MemoryConnector

  void connectionMade(StringTransport transport) {
    connections.add(transport);
  }

  void factoryStarted(Factory factory) {
    int users = factoryUsers.getOrDefault(factory, 0);
    if (users == 0) {
      factory.startFactory();
    }
    factoryUsers.put(factory, users + 1);
  }

  void factoryStopped(Factory factory) {
    int users = factoryUsers.getOrDefault(factory, 0);
    if (users <= 1) {
      factoryUsers.remove(factory);
      if (users == 1) {
        factory.stopFactory();
      }
    } else {
      factoryUsers.put(factory, users - 1);
    }
  }

  int nextClientPort() {
    return nextEphemeralPort++;
  }
}
