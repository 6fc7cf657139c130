package dev.braid.sim;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Outcome;
import dev.braid.defer.UnhandledFailures;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.DnsLookupError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.random.RandomGenerator;

/**
 * A deterministic simulation of a networked program: one {@link VirtualClock}; named {@link SimHost
 * hosts} on an in-memory network, each a whole reactor on which real protocols, factories and
 * services run unchanged; and {@link Faults} (latency, chunking, resets, clean closes, hangs,
 * partitions, crashes, restarts) drawn from one random source seeded with {@link #seed()}. The idea
 * is FoundationDB's simulation, TigerBeetle's VOPR and tokio's turmoil, on Twisted's model: every
 * byte and every timer goes through the reactor, so the reactor can be a simulation.
 *
 * <pre>{@code
 * Simulation sim = Simulation.builder(seed).faults(Faults.standard()).build();
 * SimHost server = sim.addHost("server")
 *     .boot(h -> h.listenTCP(10000, PoetryServerFactory.create(service, h)));
 * SimHost client = sim.addHost("client");
 * Deferred<byte[]> poem = client.track("poem",
 *     PoetryClient.fetch(client, "server", 10000, null).addTimeout(Duration.ofSeconds(10), client));
 * sim.invariant("a poem is whole or a failure",
 *     () -> !poem.hasResult() || whole(poem) || failed(poem));
 * sim.run().assertPassed();   // on failure: the seed, what broke, and the command that replays it
 * }</pre>
 *
 * <h2>Same seed, same run</h2>
 *
 * Everything that decides the order of events comes from the clock (which runs calls due at the
 * same time in the order they were scheduled) and from {@link #random()}, drawn in event order:
 * never the wall clock, a hash table's iteration order or an identity hash code. Run the same
 * scenario with the same seed and the events, the {@link Trace} and the result are the same, byte
 * for byte. The scenario must keep to that too: draw from {@link #random()}, schedule on the hosts,
 * keep to the simulation's thread.
 *
 * <h2>Checks</h2>
 *
 * {@link #run()} runs until nothing is left to happen (or the time limit), then checks, in order:
 * what went wrong during the run ({@link #violation}, and any exception the hosts' code threw: a
 * real reactor logs those); that every {@linkplain #track tracked} Deferred fired (unless its host
 * died); that no failed Deferred made on this thread since the simulation began is left unhandled
 * ({@link UnhandledFailures}); that no connection is left open with nothing left to happen (unless
 * {@linkplain Builder#allowOpenConnections() allowed}); then the scenario's own {@link #invariant
 * invariants} and {@link #afterRun checks}. The {@link SimulationResult} says what failed, with the
 * seed and the command that replays it. (A failed Deferred that becomes garbage before the check,
 * and is collected, is reported as Braid reports it anywhere, logged at ERROR, rather than by the
 * check: garbage collection is the one thing here that the seed does not decide.)
 *
 * <p>Threading: one thread, the one that made the simulation, runs it and everything in it.
 */
public final class Simulation {
  /** The time limit of a run unless set: one hour on the virtual clock. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(1);

  /** How many times a SYN is sent again (1, 2, 4… s apart) before the attempt gives up. */
  static final int SYN_RETRIES = 6;

  /** The latency of a host's connections to itself. */
  static final double LOOPBACK_LATENCY = 10e-6;

  private record Tracked(SimHost host, int incarnation, String label, Deferred<?> deferred) {}

  private record Invariant(String name, BooleanSupplier holds) {}

  private final long seed;
  private final VirtualClock clock = VirtualClock.create();
  private final SplittableRandom random;
  private final Trace trace;
  private final Faults faults;
  private final Map<String, Faults> faultsTo;
  private final double timeLimit;
  private final boolean openConnectionsAllowed;
  private final LongFunction<String> replay;
  private final Thread thread = Thread.currentThread();
  private final long unhandledMark = UnhandledFailures.mark();

  // The hash tables are only looked up, never iterated: nothing here depends on their order.
  private final List<SimHost> hosts = new ArrayList<>();
  private final Map<String, SimHost> byName = new HashMap<>();
  private final Map<Long, Double> latencies = new HashMap<>();
  private final Set<Long> partitions = new HashSet<>();
  private final LinkedHashSet<Flow> held = new LinkedHashSet<>();
  private final List<Tracked> tracked = new ArrayList<>();
  private final List<Invariant> invariants = new ArrayList<>();
  private final List<Runnable> afterRun = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private Throwable firstError;
  private long nextConnection = 1;
  private long events;
  private boolean overTime;

  private Simulation(Builder b) {
    this.seed = b.seed;
    this.random = new SplittableRandom(b.seed);
    this.trace = b.trace ? Trace.on() : Trace.off();
    this.faults = b.faults;
    this.faultsTo = Map.copyOf(b.faultsTo);
    this.timeLimit = Clock.toSeconds(b.timeLimit);
    this.openConnectionsAllowed = b.openConnectionsAllowed;
    this.replay = b.replay;
    note("sim", "seed " + seed);
    new FaultSchedule(this).start();
  }

  /**
   * Makes a simulation with a perfect network ({@link Faults#none()}) and no trace.
   *
   * @param seed the seed of every random choice
   * @return the simulation, at time 0, with no hosts
   */
  public static Simulation create(long seed) {
    return builder(seed).build();
  }

  /**
   * Starts configuring a simulation.
   *
   * @param seed the seed of every random choice
   * @return a builder with the defaults
   */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** Options of a {@link Simulation}. */
  public static final class Builder {
    private final long seed;
    private Faults faults = Faults.none();
    private final Map<String, Faults> faultsTo = new HashMap<>();
    private boolean trace;
    private Duration timeLimit = DEFAULT_TIME_LIMIT;
    private boolean openConnectionsAllowed;
    private LongFunction<String> replay = s -> "-Dbraid.sim.seed=" + s;

    private Builder(long seed) {
      this.seed = seed;
    }

    /**
     * Sets the faults of the network (default: {@link Faults#none()}).
     *
     * @param faults what can go wrong, and how often
     * @return this builder
     */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Sets other faults for the connections to one port of one host: their chunking and cut (the
     * rest, latency, partitions, crashes, stays the network's). For example, no clean closes on a
     * protocol that cannot tell them from the end of a message, and some on one that can.
     *
     * @param host the host's name
     * @param port the port
     * @param faults the faults of the connections accepted there
     * @return this builder
     */
    public Builder faultsTo(String host, int port, Faults faults) {
      faultsTo.put(
          Objects.requireNonNull(host, "host") + ":" + port, Objects.requireNonNull(faults, "f"));
      return this;
    }

    /**
     * Records a {@link Trace} of the run (default: off, which is faster).
     *
     * @param on true to record one
     * @return this builder
     */
    public Builder trace(boolean on) {
      this.trace = on;
      return this;
    }

    /**
     * Sets the time limit: a run still busy then stops, and fails (default {@link
     * #DEFAULT_TIME_LIMIT}).
     *
     * @param limit positive, on the virtual clock
     * @return this builder
     */
    public Builder timeLimit(Duration limit) {
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("time limit must be positive: " + limit);
      }
      this.timeLimit = limit;
      return this;
    }

    /**
     * Lets a run end with connections open (by default that fails it: once nothing is left to
     * happen, an open connection waits forever).
     *
     * @return this builder
     */
    public Builder allowOpenConnections() {
      this.openConnectionsAllowed = true;
      return this;
    }

    /**
     * Says how to replay a seed, for the report of a failed run (default: {@code
     * -Dbraid.sim.seed=SEED}).
     *
     * @param command the command line that replays the given seed
     * @return this builder
     */
    public Builder replay(LongFunction<String> command) {
      this.replay = Objects.requireNonNull(command, "command");
      return this;
    }

    /**
     * Makes the simulation. It belongs to the calling thread.
     *
     * @return the simulation, at time 0, with no hosts
     */
    public Simulation build() {
      return new Simulation(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The world

  /** {@return the seed of this run} */
  public long seed() {
    return seed;
  }

  /**
   * {@return the clock; every host's time} Schedule on a host ({@link SimHost#callLater}) rather
   * than here, so that a crash cancels what the host scheduled.
   */
  public VirtualClock clock() {
    return clock;
  }

  /** {@return the current time on the virtual clock, in seconds} */
  public double seconds() {
    return clock.seconds();
  }

  /**
   * {@return the one random source of this run, seeded with {@link #seed()}} A scenario draws its
   * own choices (how many clients, which transform, when) from it too, on the simulation's thread.
   */
  public RandomGenerator random() {
    return random;
  }

  /** {@return the faults of the network} */
  public Faults faults() {
    return faults;
  }

  /** {@return the trace of this run; empty unless {@linkplain Builder#trace(boolean) asked for}} */
  public Trace trace() {
    return trace;
  }

  /**
   * Adds a host, up and running, with the next address: 10.0.0.1, 10.0.0.2, and so on.
   *
   * @param name its name, by which other hosts connect to it; not an address, not {@code localhost}
   * @return the host
   * @throws IllegalArgumentException if the name is taken or is not a valid host name
   */
  public SimHost addHost(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z][A-Za-z0-9-]*") || name.equalsIgnoreCase("localhost")) {
      throw new IllegalArgumentException(
          "a host name is a letter then letters, digits or '-', not localhost: '" + name + "'");
    }
    if (byName.containsKey(name)) {
      throw new IllegalArgumentException("there is already a host named " + name);
    }
    int index = hosts.size();
    byte[] ip = {10, 0, (byte) (index / 250), (byte) (index % 250 + 1)};
    InetAddress address;
    try {
      address = InetAddress.getByAddress(name, ip);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    SimHost host = new SimHost(this, index, name, address);
    hosts.add(host);
    byName.put(name, host);
    byName.put(address.getHostAddress(), host);
    note(name, "up at " + address.getHostAddress());
    return host;
  }

  /**
   * {@return the host named {@code name}}
   *
   * @param name a host's name
   * @throws IllegalArgumentException if there is none
   */
  public SimHost host(String name) {
    SimHost h = byName.get(name);
    if (h == null || !h.name().equals(name)) {
      throw new IllegalArgumentException("no host named " + name);
    }
    return h;
  }

  /** {@return every host, in the order added} */
  public List<SimHost> hosts() {
    return List.copyOf(hosts);
  }

  /**
   * Cuts {@code a} off from {@code b} until {@link #heal}: what they send each other waits.
   *
   * @param a one host
   * @param b another
   */
  public void partition(SimHost a, SimHost b) {
    if (a == b) {
      throw new IllegalArgumentException("cannot partition " + a.name() + " from itself");
    }
    if (partitions.add(pair(a, b))) {
      note("net", "partition " + a.name() + " | " + b.name());
    }
  }

  /**
   * Ends the partition between {@code a} and {@code b}: what waited is sent again, from now.
   *
   * @param a one host
   * @param b another
   */
  public void heal(SimHost a, SimHost b) {
    if (!partitions.remove(pair(a, b))) {
      return;
    }
    note("net", "heal " + a.name() + " | " + b.name());
    for (Flow f : List.copyOf(held)) {
      SimHost x = f.src.host();
      SimHost y = f.dst.host();
      if ((x == a && y == b) || (x == b && y == a)) {
        f.heal();
      }
    }
  }

  /**
   * Tells whether {@code a} and {@code b} are partitioned.
   *
   * @param a one host
   * @param b another
   * @return true while a partition separates them
   */
  public boolean partitioned(SimHost a, SimHost b) {
    return a != b && !partitions.isEmpty() && partitions.contains(pair(a, b));
  }

  // ---------------------------------------------------------------------------------------------
  // What the scenario watches and checks

  /**
   * Watches a Deferred that is not any one host's (see {@link SimHost#track} for one that is): its
   * outcome goes into the trace, and the run fails if it has not fired when checked.
   *
   * @param label what it is
   * @param deferred the Deferred; its outcome passes on unchanged
   * @param <T> its result type
   * @return {@code deferred}
   */
  public <T> Deferred<T> track(String label, Deferred<T> deferred) {
    return track(null, label, deferred);
  }

  <T> Deferred<T> track(SimHost host, String label, Deferred<T> deferred) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(deferred, "deferred");
    tracked.add(new Tracked(host, host == null ? 0 : host.incarnation(), label, deferred));
    String who = host == null ? "sim" : host.name();
    if (trace.enabled()) {
      deferred.addFinally(
          outcome ->
              note(
                  who,
                  "deferred "
                      + label
                      + ": "
                      + switch (outcome) {
                        case Outcome.Success<T> s -> "succeeded (" + describe(s.value()) + ")";
                        case Outcome.Failed<T> f -> "failed: " + describe(f.failure().value());
                      }));
    }
    return deferred;
  }

  /**
   * States an invariant, checked when the run is over: the run fails, naming it, if it does not
   * hold.
   *
   * @param name what must hold, in words
   * @param holds tells whether it holds
   */
  public void invariant(String name, BooleanSupplier holds) {
    invariants.add(
        new Invariant(Objects.requireNonNull(name, "name"), Objects.requireNonNull(holds, "h")));
  }

  /**
   * Adds a check that runs when the run is over and reports what is wrong with {@link
   * #violation(String)}.
   *
   * @param check the check
   */
  public void afterRun(Runnable check) {
    afterRun.add(Objects.requireNonNull(check, "check"));
  }

  /**
   * Records that something that must not happen did: the run fails with this message. Call it from
   * the scenario's observers during the run, or from an {@link #afterRun} check.
   *
   * @param message what went wrong, for the report
   */
  public void violation(String message) {
    violation(message, null);
  }

  /**
   * Adds a line to the trace.
   *
   * @param who a host's name, or what the scenario wants
   * @param message what happened
   */
  public void note(String who, String message) {
    if (trace.enabled()) {
      trace.add(clock.seconds(), who, message);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /**
   * Runs every event due within {@code seconds}, in time order, and leaves the clock that much
   * later.
   *
   * @param seconds how far to move, not negative
   */
  public void advance(double seconds) {
    checkThread();
    clock.advance(seconds);
  }

  /**
   * Runs events, in time order, until {@code done} says so (checked after each instant's events) or
   * nothing is left to happen or {@code limit} has passed.
   *
   * @param done the condition
   * @param limit how much virtual time it may take
   * @return true if {@code done} came true
   */
  public boolean runUntil(BooleanSupplier done, Duration limit) {
    checkThread();
    double end = clock.seconds() + Clock.toSeconds(limit);
    while (!done.getAsBoolean()) {
      if (!step(end)) {
        return done.getAsBoolean();
      }
    }
    return true;
  }

  /**
   * Runs until nothing is left to happen (or the time limit passes, which fails the run), then
   * checks the run; see the class comment.
   *
   * @return what happened
   */
  public SimulationResult run() {
    checkThread();
    while (step(timeLimit)) {
      // every event, in time order
    }
    if (!clock.getDelayedCalls().isEmpty() && !overTime) {
      overTime = true;
      violation(
          "still busy at the time limit of "
              + Clock.describe(Clock.toDuration(timeLimit))
              + ": "
              + clock.getDelayedCalls().size()
              + " calls pending");
    }
    return check();
  }

  /**
   * Checks the run now, without running anything; see the class comment. {@link #run()} calls it.
   *
   * @return what happened
   */
  public SimulationResult check() {
    checkThread();
    for (Tracked t : tracked) {
      boolean died = t.host() != null && t.host().incarnation() != t.incarnation();
      if (!t.deferred().isCalled() && !died) {
        violation((t.host() == null ? "" : t.host().name() + ": ") + t.label() + ": left pending");
      }
    }
    for (UnhandledFailures.UnhandledFailure u : UnhandledFailures.pendingSince(unhandledMark)) {
      if (u.isFrom(thread)) {
        violation(
            "an unhandled failure in a Deferred: " + describe(u.failure().value()),
            u.failure().value());
      }
    }
    if (!openConnectionsAllowed && clock.getDelayedCalls().isEmpty()) {
      for (SimHost h : hosts) {
        if (h.connectionCount() > 0) {
          violation(
              h.name()
                  + ": "
                  + h.connectionCount()
                  + " connection(s) left open with nothing left to happen");
        }
      }
    }
    for (Invariant i : invariants) {
      boolean holds;
      try {
        holds = i.holds().getAsBoolean();
      } catch (RuntimeException e) {
        violation("invariant '" + i.name() + "' threw " + describe(e), e);
        continue;
      }
      if (!holds) {
        violation("invariant does not hold: " + i.name());
      }
    }
    for (Runnable r : afterRun) {
      try {
        r.run();
      } catch (RuntimeException e) {
        violation("a check threw " + describe(e), e);
      }
    }
    return new SimulationResult(
        seed, clock.seconds(), events, violations, replay.apply(seed), trace, firstError);
  }

  /** Runs the events of the next instant; false if there are none before {@code end}. */
  private boolean step(double end) {
    List<DelayedCall> pending = clock.getDelayedCalls();
    if (pending.isEmpty()) {
      return false;
    }
    double next = pending.get(0).getTime();
    double now = clock.seconds();
    if (next > end) {
      return false;
    }
    double by = Math.max(0, next - now);
    if (now + by < next) {
      by = Math.nextUp(by);
    }
    clock.advance(by);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // For the hosts and the network

  boolean isSimulationThread() {
    return Thread.currentThread() == thread;
  }

  private void checkThread() {
    if (!isSimulationThread()) {
      throw new IllegalStateException(
          "a simulation runs on the thread that made it ("
              + thread.getName()
              + "), not on "
              + Thread.currentThread().getName());
    }
  }

  /** Schedules one of the network's own events. */
  DelayedCall schedule(double delay, Runnable event) {
    return clock.callLater(
        delay,
        () -> {
          events++;
          try {
            event.run();
          } catch (RuntimeException | Error e) {
            violation("the simulated network failed (a bug in the simulation): " + describe(e), e);
          }
        });
  }

  void countEvent() {
    events++;
  }

  /**
   * Runs the host's code; what it throws is a violation.
   *
   * @return what it threw, or null
   */
  Throwable guard(SimHost host, String what, Runnable code) {
    try {
      code.run();
      return null;
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
      violation(host.name() + ": " + what + " threw " + describe(t), t);
      return t;
    }
  }

  void runGuarded(SimHost host, String what, Runnable code) {
    guard(host, what, code);
  }

  void violation(String message, Throwable error) {
    violations.add(message);
    if (firstError == null && error != null) {
      firstError = error;
    }
    note("sim", "VIOLATION " + message);
  }

  Faults faultsFor(SimHost host, int port) {
    Faults f = faultsTo.isEmpty() ? null : faultsTo.get(host.name() + ":" + port);
    return f != null ? f : faults;
  }

  double latency(SimHost a, SimHost b) {
    if (a == b) {
      return LOOPBACK_LATENCY;
    }
    long key = pair(a, b);
    Double l = latencies.get(key);
    if (l == null) {
      double lo = faults.minLatency();
      double hi = faults.maxLatency();
      l = hi > lo ? lo + random.nextDouble() * (hi - lo) : lo;
      latencies.put(key, l);
    }
    return l;
  }

  void held(Flow f) {
    held.add(f);
  }

  void released(Flow f) {
    held.remove(f);
  }

  SimHost resolve(String name, SimHost from) {
    if (name.equalsIgnoreCase("localhost") || name.equals("127.0.0.1") || name.equals("::1")) {
      return from;
    }
    return byName.get(name);
  }

  List<SimHost> bootedHosts() {
    List<SimHost> booted = new ArrayList<>();
    for (SimHost h : hosts) {
      if (h.isBooted()) {
        booted.add(h);
      }
    }
    return booted;
  }

  /** A connection attempt: name lookup, then the SYN across the network. */
  void syn(SimConnector.Attempt a, SimHost from, String destination, int port) {
    SimHost to = resolve(destination, from);
    if (to == null) {
      from.soon(
          () -> a.fail(new DnsLookupError(destination + ":" + port + ": DNS lookup failed", null)));
      return;
    }
    sendSyn(a, from, to, port, 0);
  }

  private void sendSyn(SimConnector.Attempt a, SimHost from, SimHost to, int port, int tries) {
    double latency = latency(from, to);
    schedule(
        latency,
        () -> {
          if (!a.current()) {
            return;
          }
          if (partitioned(from, to) || !to.isUp()) {
            if (tries >= SYN_RETRIES) {
              a.fail(
                  new ConnectTimeoutError(
                      to.name() + ":" + port + ": connection timed out (no answer to the SYN)",
                      null));
              return;
            }
            schedule(
                Math.max(0, (1 << tries) - latency), () -> sendSyn(a, from, to, port, tries + 1));
            return;
          }
          SimPort listening = to.port(port);
          if (listening == null || !listening.isListening()) {
            schedule(
                latency,
                () ->
                    a.fail(
                        new ConnectionRefusedError(
                            to.name() + ":" + port + ": connection refused", null)));
            return;
          }
          accept(a, from, to, listening);
        });
  }

  private void accept(SimConnector.Attempt a, SimHost from, SimHost to, SimPort listening) {
    Connection c =
        new Connection(
            this, nextConnection++, from, from.nextPort(), a.connector(), to, listening.port());
    note(
        to.name(),
        c.label()
            + " accepted on "
            + listening.port()
            + " from "
            + from.name()
            + ":"
            + c.client.getHost().getPort());
    drawFaults(c, faultsFor(to, listening.port()));
    c.toClient.sendSynAck();
    Object[] built = {null};
    Throwable failed =
        guard(
            to,
            "buildProtocol",
            () -> built[0] = listening.factory().buildProtocol(c.server.getPeer()));
    c.server.start(failed == null ? (dev.braid.net.Protocol) built[0] : null);
  }

  private void drawFaults(Connection c, Faults f) {
    for (Flow flow : List.of(c.toServer, c.toClient)) {
      if (f.chunkedShare() > 0 && random.nextDouble() < f.chunkedShare()) {
        int limit = 1 + random.nextInt(f.maxChunk());
        flow.chunks(limit);
        note("net", c.label() + " chunks of 1 to " + limit + " bytes, " + flow.direction());
      }
    }
    double total = f.resetShare() + f.closeShare() + f.hangShare();
    if (total <= 0) {
      return;
    }
    double r = random.nextDouble();
    Connection.CutKind kind;
    if (r < f.resetShare()) {
      kind = Connection.CutKind.RESET;
    } else if (r < f.resetShare() + f.closeShare()) {
      kind = Connection.CutKind.CLOSE;
    } else if (r < total) {
      kind = Connection.CutKind.HANG;
    } else {
      return;
    }
    Flow flow = random.nextBoolean() ? c.toClient : c.toServer;
    long after = random.nextInt(f.cutWithin());
    flow.cut(new Connection.Cut(kind, after));
    note(
        "net",
        c.label() + " fault: " + kind.words + " after " + after + " bytes, " + flow.direction());
  }

  // ---------------------------------------------------------------------------------------------

  private static long pair(SimHost a, SimHost b) {
    long x = a.index();
    long y = b.index();
    return x < y ? (x << 32) | y : (y << 32) | x;
  }

  /**
   * Describes a value or an exception for a trace or a report, without identity hash codes: an
   * exception as its class's simple name and message, bytes and text by their length, numbers,
   * booleans and enums as themselves, anything else by its class's simple name.
   *
   * @param value what to describe
   * @return the description
   */
  static String describe(Object value) {
    return switch (value) {
      case null -> "null";
      case Throwable t ->
          t.getMessage() == null
              ? t.getClass().getSimpleName()
              : t.getClass().getSimpleName() + ": " + t.getMessage();
      case byte[] b -> b.length + " bytes";
      case CharSequence s -> s.length() + " chars";
      case Collection<?> c -> c.size() + " items";
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      case Enum<?> e -> e.name();
      default -> value.getClass().getSimpleName();
    };
  }
}
