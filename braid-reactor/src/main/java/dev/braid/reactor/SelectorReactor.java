package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.PendingDeferreds;
import dev.braid.defer.UnhandledFailures;
import dev.braid.defer.UnhandledFailures.UnhandledFailure;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorFailedException;
import dev.braid.net.SystemEventPhase;
import dev.braid.net.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reactor: one selector, run by one thread, multiplexing non-blocking TCP connections, timers
 * and calls handed over from other threads (Twisted's {@code SelectReactor}/{@code EPollReactor}).
 *
 * <pre>{@code
 * SelectorReactor reactor = SelectorReactor.create();
 * reactor.listenTCP(10000, address -> new Echo());
 * reactor.installShutdownHook(Duration.ofSeconds(10)); // Ctrl-C stops it gracefully
 * reactor.run();                                       // until stop()
 * }</pre>
 *
 * <h2>Two ways to do I/O</h2>
 *
 * The selector is either Braid's own, on Linux's epoll and socket system calls made directly
 * through the JDK's foreign-function API ({@link IoBackend#NATIVE}: {@code accept4}, {@code read},
 * {@code write} and {@code close} per connection, and nothing else where it can), or the JDK's
 * {@link Selector} and channels ({@link IoBackend#NIO}). {@link #create()} takes the native one
 * where it loads (Linux on x86-64 or aarch64, with native access enabled: see {@link IoBackend})
 * and falls back to {@code java.nio} elsewhere; {@link #create(IoBackend)} chooses. Everything
 * else, from the loop below to the transports' producers and closing, is the same code on both.
 *
 * <h2>Threading</h2>
 *
 * The thread that calls {@link #run()} becomes the <em>reactor thread</em>. Before {@code run()},
 * the reactor may be set up (listen, connect, schedule calls) from one thread, the one that then
 * calls {@code run()} or starts the thread that does. From then on every method except {@link
 * #callFromThread}, {@link #stop()}, {@link #seconds()} and {@link #isRunning()} must be called on
 * the reactor thread, or from code running in {@linkplain LockStep lock-step} with it; elsewhere
 * they throw {@link IllegalStateException} saying so. The same holds for the transports, ports,
 * connectors and delayed calls the reactor hands out.
 *
 * <h2>One iteration of the loop</h2>
 *
 * <ol>
 *   <li>Select, with a timeout up to the next timer (none if work is already waiting), handling
 *       ready keys as the selector reports them (accept, connect, write, then read).
 *   <li>Run the reactor's own deferred work (close notifications such as {@code connectionLost}),
 *       which therefore always follows a select that has released the closed sockets.
 *   <li>Run calls handed over with {@link #callFromThread}, at most 4096 per iteration.
 *   <li>Run the timers that are due. Timers scheduled meanwhile with a delay of 0 wait for the next
 *       iteration, so I/O is never starved.
 * </ol>
 *
 * Nothing in this loop allocates but the bytes read and what user code allocates: one direct buffer
 * serves every read and write, ready keys are visited with {@link Selector#select(Consumer, long)}
 * (no selected-key set, no iterator), timers live in an indexed binary heap.
 *
 * <h2>Errors</h2>
 *
 * An exception from a protocol's hook is logged (SLF4J, naming the connection) and that connection
 * is dropped; an exception from a timer, a {@code callFromThread} call or a shutdown trigger is
 * logged. The reactor keeps running in every case.
 *
 * <p>The one failure it cannot run through is its selector's: if {@code select} throws (an {@link
 * IOException} from the operating system, a {@link ClosedSelectorException}), no socket can be
 * served any more. The reactor then closes every connection at once, each protocol hearing {@code
 * connectionLost} with a {@link ConnectionLost} that carries the cause, fails every connection
 * attempt with a {@link dev.braid.net.ConnectError} that carries it, stops listening on every port,
 * and shuts down as {@link #stop()} does: the three phases of triggers run (timers and {@code
 * callFromThread} calls still run meanwhile, so a {@code BEFORE} trigger's Deferred can still
 * fire). Then {@link #run()} throws {@link ReactorFailedException} with the cause. From the failure
 * on, {@code listenTCP} and {@code connectTCP} throw {@link IllegalStateException}.
 *
 * <h2>Shutdown</h2>
 *
 * {@link #stop()} runs the {@link SystemEventPhase#BEFORE BEFORE} triggers and waits for the
 * Deferreds they return; then, in the {@link SystemEventPhase#DURING DURING} phase, closes every
 * listening port, fails every connection attempt still in progress and closes every connection
 * (their protocols see {@link ConnectionLost}), and once they have been told, runs the {@code
 * DURING} triggers; then the {@link SystemEventPhase#AFTER AFTER} triggers; then {@link #run()}
 * returns. Failed Deferreds produced on the reactor thread during the run and still unhandled are
 * logged then (Braid's decision 6). A reactor runs once.
 *
 * <h2>What is it waiting on?</h2>
 *
 * {@link #dumpPending()} describes the reactor's ports, connections, attempts and delayed calls
 * and, in debug mode ({@code -Dbraid.debug=true}), the pending Deferreds of its thread with what
 * each waits on. While it runs, the reactor is also a JMX MBean ({@link ReactorMXBean}, {@code
 * dev.braid:type=Reactor,name=<thread name>}), which {@code poetry pending PID} reads from outside.
 * In debug mode, a callback that keeps the loop busy longer than {@linkplain
 * #setSlowCallbackThreshold a threshold} is logged; flight recordings get the events listed in
 * {@code docs/debugging.md}.
 */
public final class SelectorReactor implements Reactor, ReactorResources {
  private static final Logger LOG = LoggerFactory.getLogger(SelectorReactor.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Size of the one direct buffer used for every read and write. */
  static final int IO_BUFFER_SIZE = 64 * 1024;

  /** At most this many {@code callFromThread} calls run per loop iteration. */
  static final int THREAD_CALL_BATCH = 4096;

  /** Threads of the pool behind {@code callInThread} and {@code deferToThread} (Twisted: 10). */
  static final int POOL_SIZE = 10;

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final int id = IDS.incrementAndGet();
  private final long origin = System.nanoTime();

  private final IoBackend backend;

  /**
   * Opened on first use, so that a reactor that never does I/O holds no file descriptors. Set on
   * the reactor thread only; volatile for {@link #callFromThread}'s wake-up.
   */
  private volatile Poller poller;

  /** Why the selector failed, once it has; the loop then waits by parking instead of selecting. */
  private volatile Throwable selectorFailure;

  private final TimerQueue timers;
  private final ByteBuffer ioBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
  private final Poller.Dispatcher dispatcher = this::dispatch;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch finished = new CountDownLatch(1);

  // Handed over from other threads.
  private final ConcurrentLinkedQueue<Runnable> threadCalls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sleeping = new AtomicBoolean();

  // Reactor thread only.
  private final ArrayDeque<Runnable> soon = new ArrayDeque<>();
  private final List<Runnable> startupCalls = new ArrayList<>();
  private final ThreePhaseEvent shutdown = new ThreePhaseEvent("shutdown", LOG);
  private final Set<ListeningPort> ports = new LinkedHashSet<>();
  private final Set<TcpConnector> connecting = new LinkedHashSet<>();
  private final Set<TcpTransport> connections = new LinkedHashSet<>();
  private final ReactorThreadPool pool;
  private boolean loopDone;
  private Thread shutdownHook;

  /** The group this reactor belongs to, or null; set before it runs. */
  private GroupMembership group;

  private volatile Thread thread;

  /** Slow callbacks and loop lag (debug mode, flight recordings). */
  final LoopMonitor monitor = new LoopMonitor();

  // Seams for tests.
  Consumer<UnhandledFailure> unhandledAtShutdown = SelectorReactor::logUnhandled;
  SelectStep selectStep = Poller::poll;
  StreamOpener streamOpener = Poller::openStream;
  NioPoller.ChannelOpener channelOpener = java.nio.channels.SocketChannel::open;
  final AtomicLong wakeups = new AtomicLong();

  private SelectorReactor(IoBackend backend) {
    this.backend = backend;
    this.timers = new TimerQueue(new TimerHost());
    this.pool = new ReactorThreadPool("braid-reactor-" + id, POOL_SIZE, this::callFromThread);
  }

  /**
   * Creates a reactor, not yet running, on the {@linkplain IoBackend#preferred() preferred} I/O
   * backend: the native one where it loads, otherwise {@code java.nio} (saying why, once per JVM,
   * in one log line). It opens its selector when first needed (the first listen or connect, or
   * {@link #run()}), so a reactor that is never used holds nothing.
   *
   * @return a new reactor
   * @throws UnsupportedOperationException if the system property {@value IoBackend#PROPERTY} asks
   *     for the native backend where it cannot load
   */
  public static SelectorReactor create() {
    return new SelectorReactor(IoBackend.preferred());
  }

  /**
   * Creates a reactor, not yet running, on the given I/O backend; see {@link #create()}.
   *
   * @param backend {@link IoBackend#NIO} for the JDK's channels, {@link IoBackend#NATIVE} for epoll
   * @return a new reactor
   * @throws UnsupportedOperationException if {@code backend} cannot run here, saying why
   */
  public static SelectorReactor create(IoBackend backend) {
    return new SelectorReactor(Objects.requireNonNull(backend, "backend").require());
  }

  /** {@return the I/O backend this reactor runs on} */
  public IoBackend ioBackend() {
    return backend;
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorCore

  /**
   * {@inheritDoc}
   *
   * <p>The calling thread becomes the reactor thread. Unhandled failed Deferreds left by the run
   * are logged when it returns.
   *
   * @throws IllegalStateException if this reactor is running or has run
   * @throws ReactorFailedException if the selector failed: every connection was closed and the
   *     reactor shut down, triggers included, before this is thrown (see the class comment)
   */
  @Override
  public void run() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          state.get() == State.STOPPED
              ? "this reactor has already run and cannot be restarted"
              : "this reactor is already running");
    }
    Thread current = Thread.currentThread();
    thread = current;
    long failureMark = UnhandledFailures.mark();
    monitor.reactorStarts(current.getName());
    ReactorJmx jmx = ReactorJmx.register(this, current, id);
    try {
      poller();
      List<Runnable> calls = new ArrayList<>(startupCalls);
      startupCalls.clear();
      for (Runnable call : calls) {
        runTimed(call, "a callWhenRunning call", "startup call");
      }
      while (!loopDone) {
        iterate();
      }
    } finally {
      try {
        releaseResources();
      } finally {
        state.set(State.STOPPED);
        jmx.unregister();
        finished.countDown();
        reportUnhandledFailures(failureMark, current);
      }
    }
    Throwable failure = selectorFailure;
    if (failure != null) {
      throw new ReactorFailedException(
          "the reactor shut down because its selector failed: " + failure, failure);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the reactor is not running (not started, already stopping or
   *     stopped)
   */
  @Override
  public void stop() {
    if (!stopIfRunning()) {
      throw new IllegalStateException(
          switch (state.get()) {
            case NEW -> "the reactor is not running: run() has not been called";
            case STOPPING -> "the reactor is not running: it is already stopping";
            default -> "the reactor is not running: it has stopped";
          });
    }
  }

  /**
   * Begins shutdown as {@link #stop()} does if the reactor is running. Any thread.
   *
   * @return false, changing nothing, if it is not running
   */
  boolean stopIfRunning() {
    if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
      return false;
    }
    callFromThread(this::beforeShutdown);
    GroupMembership g = group;
    if (g != null) {
      g.memberStopping(this);
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Before {@code run()}, calls are kept and run in order when it starts; while running, {@code
   * call} runs at once and its exceptions propagate to the caller; once shutdown has begun, it is
   * ignored (it would never run).
   */
  @Override
  public void callWhenRunning(Runnable call) {
    Objects.requireNonNull(call, "call");
    checkReactorThread("callWhenRunning()");
    switch (state.get()) {
      case NEW -> startupCalls.add(call);
      case RUNNING -> call.run();
      default -> LOG.debug("callWhenRunning ignored: the reactor is shutting down");
    }
  }

  @Override
  public Object addSystemEventTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(trigger, "trigger");
    checkReactorThread("addSystemEventTrigger()");
    return shutdown.addTrigger(phase, trigger);
  }

  @Override
  public void removeSystemEventTrigger(Object handle) {
    checkReactorThread("removeSystemEventTrigger()");
    shutdown.removeTrigger(handle);
  }

  @Override
  public boolean isRunning() {
    return state.get() == State.RUNNING;
  }

  /**
   * Stops this reactor gracefully when the JVM begins to shut down: on SIGINT (Ctrl-C), SIGTERM, or
   * {@code System.exit}. Java offers no portable signal handler outside {@code sun.misc}, so this
   * is a shutdown hook: it calls {@link #stop()} if the reactor is running and waits up to {@code
   * maxWait} for {@link #run()} to finish, since the JVM halts as soon as its hooks return. The
   * hook is removed when {@code run()} returns.
   *
   * <p>Do not call {@code System.exit} on the reactor thread while the hook is installed: the
   * reactor cannot finish while its thread waits in {@code exit}, so the hook waits the whole
   * {@code maxWait}. {@link Tasks#reactAndExit} exits only after {@code run()} returned.
   *
   * @param maxWait how long the JVM's shutdown may wait for the reactor's
   * @throws IllegalStateException if a hook is already installed, or not on the reactor thread
   */
  public void installShutdownHook(Duration maxWait) {
    Objects.requireNonNull(maxWait, "maxWait");
    checkReactorThread("installShutdownHook()");
    if (shutdownHook != null) {
      throw new IllegalStateException("a shutdown hook is already installed");
    }
    Thread hook =
        new Thread(
            () -> {
              State s = state.get();
              if (s == State.NEW || s == State.STOPPED) {
                return;
              }
              try {
                stop();
              } catch (IllegalStateException alreadyStopping) {
                // fine: wait for it
              }
              try {
                if (!finished.await(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                  LOG.warn("{} did not stop within {}", this, maxWait);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "braid-reactor-" + id + "-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  /** The installed shutdown hook, or null (for tests). */
  Thread shutdownHookThread() {
    return shutdownHook;
  }

  // ---------------------------------------------------------------------------------------------
  // Clock (Twisted's IReactorTime)

  /**
   * {@inheritDoc}
   *
   * <p>Monotonic ({@link System#nanoTime()}), 0 when the reactor was created. Safe from any thread.
   */
  @Override
  public double seconds() {
    return nanoTime() / 1e9;
  }

  @Override
  public DelayedCall callLater(double delaySeconds, Runnable call) {
    checkReactorThread("callLater()");
    return timers.schedule(TimerQueue.plus(nanoTime(), TimerQueue.toNanos(delaySeconds)), call);
  }

  @Override
  public DelayedCall callLater(Duration delay, Runnable call) {
    checkReactorThread("callLater()");
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return timers.schedule(TimerQueue.plus(nanoTime(), nanos), call);
  }

  @Override
  public List<DelayedCall> getDelayedCalls() {
    checkReactorThread("getDelayedCalls()");
    return timers.pending();
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorThreads

  /**
   * {@inheritDoc}
   *
   * <p>Wakes the selector only if the reactor thread is waiting in it and nobody has woken it yet,
   * so a burst of calls costs one wake-up. Calls made after the reactor stopped never run.
   */
  @Override
  public void callFromThread(Runnable call) {
    threadCalls.offer(Objects.requireNonNull(call, "call"));
    // Only the reactor thread sets `sleeping`, after opening the selector: reading it true makes
    // the selector visible here.
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      wakeups.incrementAndGet();
      if (selectorFailure == null) {
        poller.wakeup();
      } else {
        LockSupport.unpark(thread);
      }
    }
  }

  @Override
  public void callInThread(Runnable call) {
    Objects.requireNonNull(call, "call");
    checkReactorThread("callInThread()");
    pool.callInThread(call);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The pool has {@value #POOL_SIZE} daemon threads, started on demand. If the reactor stops
   * before the work finishes, the Deferred never fires; after it stopped, the Deferred fails at
   * once with {@link RejectedExecutionException}.
   */
  @Override
  public <T> Deferred<T> deferToThread(Callable<? extends T> work) {
    Objects.requireNonNull(work, "work");
    checkReactorThread("deferToThread()");
    return pool.deferToThread(work);
  }

  /**
   * {@inheritDoc}
   *
   * <p>True on the thread running {@link #run()}, and on a thread in {@linkplain LockStep
   * lock-step} with it.
   */
  @Override
  public boolean isReactorThread() {
    Thread owner = thread;
    return owner != null && LockStep.actsAs(owner);
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorTcp

  /**
   * {@inheritDoc}
   *
   * <p>{@code SO_REUSEADDR} is set, as Twisted does on POSIX. {@code iface} may be a host name,
   * which is then resolved on the calling thread (blocking); prefer an address.
   *
   * @throws IllegalArgumentException if the port is out of range or the backlog is neither positive
   *     nor {@link #DEFAULT_BACKLOG}
   */
  @Override
  public ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
    checkReactorThread("listenTCP()");
    checkNotStopped();
    return TcpListeningPort.open(this, port, factory, backlog, iface);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The attempt starts at once: {@code startedConnecting} is called before this method returns,
   * and every outcome (connected, or {@code clientConnectionFailed} with a {@link
   * dev.braid.net.ConnectError} naming {@code host:port}) arrives later from the loop. An address
   * literal is used as is; a host name is resolved on the reactor's thread pool.
   *
   * @param timeout how long the attempt may take, name resolution included; null for no limit
   * @throws IllegalArgumentException if the host is empty, the port out of range or the timeout not
   *     positive
   */
  @Override
  public Connector connectTCP(
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress) {
    checkReactorThread("connectTCP()");
    checkNotStopped();
    TcpConnector connector = TcpConnector.create(this, host, port, factory, timeout, bindAddress);
    connector.connect();
    return connector;
  }

  /**
   * {@link #listenTCP(int, Factory, int, String)} with {@code SO_REUSEPORT}, for a {@link
   * ReactorGroup} whose reactors share one port through the kernel.
   */
  ListeningPort listenTCP(int port, Factory factory, int backlog, String iface, boolean reusePort) {
    checkReactorThread("listenTCP()");
    checkNotStopped();
    return TcpListeningPort.open(this, port, factory, backlog, iface, reusePort);
  }

  /** {@link #listenTCP(int, Factory, int, String)}, as the port itself, for a group's acceptor. */
  TcpListeningPort listenTcpPort(int port, Factory factory, int backlog, String iface) {
    checkReactorThread("listenTCP()");
    checkNotStopped();
    return TcpListeningPort.open(this, port, factory, backlog, iface, false);
  }

  /**
   * Makes this reactor a member of a group: its shutdown then waits for the group's other reactors
   * between phases (see {@link ReactorGroup}). Before {@link #run()} only, once.
   */
  void joinGroup(GroupMembership membership) {
    if (state.get() != State.NEW) {
      throw new IllegalStateException("a reactor joins a group before it runs: " + this);
    }
    if (group != null) {
      throw new IllegalStateException(this + " already belongs to a group");
    }
    group = Objects.requireNonNull(membership, "membership");
  }

  /** {@return true once {@link #run()} has been called} */
  boolean hasStarted() {
    return state.get() != State.NEW;
  }

  // ---------------------------------------------------------------------------------------------
  // ReactorResources (read-only, for test janitors and diagnostics)

  /**
   * {@inheritDoc}
   *
   * <p>Those opened with {@link #listenTCP} whose {@code stopListening()} has not been called, in
   * the order they were opened. Threading: reactor thread only (any thread before {@link #run()}).
   *
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  @Override
  public List<ListeningPort> listeningPorts() {
    checkReactorThread("listeningPorts()");
    return List.copyOf(ports);
  }

  /**
   * {@inheritDoc}
   *
   * <p>In the order the attempts began. Threading: reactor thread only (any thread before {@link
   * #run()}).
   *
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  @Override
  public List<Connector> connectionAttempts() {
    checkReactorThread("connectionAttempts()");
    return List.copyOf(connecting);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The TCP connections, in the order they opened. A connection leaves this list the moment its
   * socket is closed ({@code abortConnection()}, a {@code loseConnection()} whose buffer has
   * drained, a reset or end of stream), before its protocol's {@code connectionLost} runs from the
   * loop.
   *
   * <p>Threading: reactor thread only (any thread before {@link #run()}). The transports are the
   * live ones, reactor thread only as always.
   *
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  @Override
  public List<Transport> openConnections() {
    checkReactorThread("openConnections()");
    return List.copyOf(connections);
  }

  // ---------------------------------------------------------------------------------------------
  // What is it waiting on? (any thread; see ReactorDump, LoopMonitor, ReactorMXBean)

  /**
   * Describes what this reactor is waiting on: its listening ports, its connections (with their age
   * and the bytes they carried), its connection attempts, its delayed calls (soonest first, with
   * where they were scheduled in debug mode), then, in {@linkplain Deferred#setDebugging debug
   * mode}, the {@linkplain PendingDeferreds pending Deferreds} of its thread, each with its age,
   * creation site, the callbacks still in its chain and what it waits on (in the reactor's words
   * when that is one of its connections or delayed calls). Outside debug mode the dump says how to
   * turn tracking on. The same dump is the {@code dumpPending} operation of the reactor's {@link
   * ReactorMXBean}, and what {@code poetry pending PID} prints.
   *
   * <p>Any thread. The dump is taken on the reactor thread: from another thread it is handed over
   * and awaited for up to two seconds; if the loop does not answer (a callback blocks it), the dump
   * says so, shows the reactor thread's stack at that moment, and reads the rest from the calling
   * thread.
   *
   * @return the dump, several lines
   */
  public String dumpPending() {
    return ReactorDump.text(this);
  }

  /**
   * {@return the pending Deferreds of {@link #dumpPending()} as a Graphviz DOT graph} Any thread.
   */
  public String dumpPendingDot() {
    return ReactorDump.dot(this);
  }

  /**
   * Sets how long a callback run by this reactor's loop (I/O handling with the protocols' hooks, a
   * delayed call, a {@code callFromThread} call) may take before it is reported as slow: in debug
   * mode as a warning naming it and its duration, and as a {@code dev.braid.SlowCallback} flight
   * recorder event when a recording asks for those (asyncio's {@code slow_callback_duration}). The
   * default is 100 ms, or the system property {@code braid.slowCallbackMillis}. Any thread.
   *
   * @param threshold a positive duration
   * @throws IllegalArgumentException if it is zero or negative
   */
  public void setSlowCallbackThreshold(Duration threshold) {
    monitor.setThreshold(threshold);
  }

  /** {@return the slow-callback threshold: see {@link #setSlowCallbackThreshold}} Any thread. */
  public Duration slowCallbackThreshold() {
    return monitor.threshold();
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  private void iterate() {
    monitor.beforeWait();
    long timeoutMillis = selectTimeoutMillis();
    boolean mayWait = timeoutMillis != 0;
    if (mayWait) {
      sleeping.set(true);
      if (!threadCalls.isEmpty()) {
        timeoutMillis = 0;
      }
    }
    try {
      if (selectorFailure == null) {
        selectStep.select(poller, timeoutMillis, dispatcher);
      } else {
        park(timeoutMillis);
      }
    } catch (IOException | RuntimeException e) {
      selectorFailed(e);
    } finally {
      if (mayWait) {
        sleeping.set(false);
      }
    }
    if (mayWait && Thread.interrupted()) {
      // An interrupted thread's select returns at once: keeping the flag would spin the loop.
      LOG.warn("the reactor thread was interrupted; ignored (use stop() to stop the reactor)");
    }
    monitor.busy();
    runSoon();
    runThreadCalls();
    timers.runDue(nanoTime());
    monitor.iterationDone();
  }

  /** The loop's wait once the selector has failed: there is no I/O left to wait for. */
  private void park(long timeoutMillis) {
    if (timeoutMillis < 0) {
      LockSupport.park(this);
    } else if (timeoutMillis > 0) {
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }
  }

  /**
   * How the loop selects; a test replaces it to make the selector fail. Called on the reactor
   * thread with the reactor's poller, 0 (poll), -1 (block until woken) or the most milliseconds to
   * wait, and what to tell of each ready socket.
   */
  @FunctionalInterface
  interface SelectStep {
    void select(Poller poller, long timeoutMillis, Poller.Dispatcher dispatcher) throws IOException;
  }

  /**
   * The selector failed: nothing it served can be served any more. Closes every connection, attempt
   * and port with the cause, closes the selector and begins shutdown (unless it has begun); from
   * now on the loop parks instead of selecting, and {@link #run()} ends by throwing.
   */
  private void selectorFailed(Throwable cause) {
    if (selectorFailure != null) {
      LOG.debug("the closed selector failed again", cause);
      return;
    }
    selectorFailure = cause;
    LOG.error(
        "{}: the selector failed ({}); closing every connection and shutting down",
        this,
        cause.toString());
    String why = "the reactor's selector failed: " + cause;
    for (TcpTransport connection : new ArrayList<>(connections)) {
      connection.closeWith(new ConnectionLost("Connection lost: " + why, cause), false);
    }
    for (TcpConnector connector : new ArrayList<>(connecting)) {
      connector.abandon(why, cause);
    }
    for (ListeningPort port : new ArrayList<>(ports)) {
      port.stopListening();
    }
    poller.close(); // and anything else it held (closing twice does nothing)
    if (state.compareAndSet(State.RUNNING, State.STOPPING)) {
      soon(this::beforeShutdown); // after the connectionLost calls queued above
      if (group != null) {
        group.memberStopping(this);
      }
    }
  }

  /** 0 to poll, -1 to block until woken, otherwise milliseconds until the next timer. */
  private long selectTimeoutMillis() {
    if (!soon.isEmpty()) {
      return 0;
    }
    long due = timers.nextDue();
    if (due == Long.MAX_VALUE) {
      return -1;
    }
    long wait = due - nanoTime();
    if (wait <= 0) {
      return 0;
    }
    // Round up, so that the timer is due when the select returns.
    return wait / 1_000_000 + (wait % 1_000_000 == 0 ? 0 : 1);
  }

  private void dispatch(IoHandler handler, int readyOps) {
    monitor.busy();
    long start = monitor.callbackStarts();
    try {
      handler.handleReady(readyOps);
      if (start != 0) {
        monitor.callbackEnded(start, "I/O", () -> LoopMonitor.describeIo(handler, readyOps));
      }
    } catch (CancelledKeyException closedMeanwhile) {
      // the handler closed its channel while handling it
    } catch (Throwable t) {
      LOG.error("reactor error in {}; closing it", handler, t);
      try {
        handler.handlerFailed(t);
      } catch (Throwable t2) {
        LOG.error("closing {} failed", handler, t2);
      }
    }
  }

  private void runSoon() {
    for (int n = soon.size(); n > 0; n--) {
      runTimed(soon.poll(), "reactor work", "reactor work");
    }
  }

  private void runThreadCalls() {
    for (int i = 0; i < THREAD_CALL_BATCH; i++) {
      Runnable call = threadCalls.poll();
      if (call == null) {
        return;
      }
      runTimed(call, "a callFromThread call", "callFromThread call");
    }
  }

  /** {@link #runGuarded}, timed by the loop monitor when it watches (debug mode, recordings). */
  private void runTimed(Runnable call, String what, String kind) {
    long start = monitor.callbackStarts();
    runGuarded(call, what);
    if (start != 0) {
      monitor.callbackEnded(start, kind, () -> TimerQueue.describe(call));
    }
  }

  private static void runGuarded(Runnable call, String what) {
    try {
      call.run();
    } catch (Throwable t) {
      LOG.error("{} failed: {}", what, call, t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  private void beforeShutdown() {
    Deferred<?> before = shutdown.fireBefore();
    if (group != null) {
      // No reactor of the group closes anything before every one has run its BEFORE triggers.
      before = before.addCallbackDeferred(ignored -> group.arrive(this, SystemEventPhase.BEFORE));
    }
    before.addCallback(
        ignored -> {
          duringShutdown();
          return null;
        });
  }

  private void duringShutdown() {
    for (ListeningPort port : new ArrayList<>(ports)) {
      port.stopListening();
    }
    for (TcpConnector connector : new ArrayList<>(connecting)) {
      connector.abandonForShutdown();
    }
    for (TcpTransport connection : new ArrayList<>(connections)) {
      connection.closeWith(
          new ConnectionLost("Connection lost: the reactor is shutting down.", null), false);
    }
    // After the notifications (connectionLost, stopListening) that closing queued, as Twisted's
    // disconnectAll runs before the other DURING triggers.
    soon(
        () -> {
          shutdown.fireDuring();
          if (group == null) {
            soon(this::afterShutdown);
          } else {
            // The AFTER triggers run once every reactor of the group has run its DURING ones.
            group
                .arrive(this, SystemEventPhase.DURING)
                .addCallback(
                    ignored -> {
                      soon(this::afterShutdown);
                      return null;
                    });
          }
        });
  }

  private void afterShutdown() {
    shutdown.fireAfter();
    loopDone = true;
  }

  private void releaseResources() {
    if (poller == null || selectorFailure != null) {
      for (int round = 0; round < 3 && !soon.isEmpty(); round++) {
        runSoon();
      }
      timers.clear();
      shutDownPoolAndHook();
      return;
    }
    poller.releaseClosed(); // the sockets closed during shutdown
    for (int round = 0; round < 3 && !soon.isEmpty(); round++) {
      runSoon();
    }
    poller.close();
    timers.clear();
    shutDownPoolAndHook();
  }

  private void shutDownPoolAndHook() {
    pool.shutdown();
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it sees the reactor stopped
      }
    }
  }

  private void reportUnhandledFailures(long mark, Thread reactorThread) {
    for (UnhandledFailure unhandled : UnhandledFailures.pendingSince(mark)) {
      if (unhandled.isFrom(reactorThread)) {
        ReactorEvents.unhandledAtShutdown(this, unhandled);
        try {
          unhandledAtShutdown.accept(unhandled);
        } catch (Throwable t) {
          LOG.error("reporting an unhandled failure failed", t);
        }
      }
    }
  }

  private static void logUnhandled(UnhandledFailure unhandled) {
    LOG.error("still unhandled when the reactor stopped: {}", unhandled.describe());
  }

  // ---------------------------------------------------------------------------------------------
  // For the package

  /**
   * What a dump reads, copied: exact on the reactor thread; from another thread a copy that may be
   * a moment old (a copy that races with a change is retried, then given up as empty).
   */
  ReactorDump.Inside inside() {
    for (int attempt = 0; ; attempt++) {
      try {
        Thread t = thread;
        return new ReactorDump.Inside(
            t == null ? "(not running yet)" : t.getName(),
            stateName(),
            t,
            nanoTime(),
            List.copyOf(ports),
            List.copyOf(connecting),
            List.copyOf(connections),
            timers.pending());
      } catch (RuntimeException changedMeanwhile) {
        if (attempt == 3) {
          return new ReactorDump.Inside(
              String.valueOf(thread),
              stateName(),
              thread,
              nanoTime(),
              List.of(),
              List.of(),
              List.of(),
              List.of());
        }
      }
    }
  }

  /** True while the loop runs: from {@code run()} until shutdown has finished. */
  boolean isLooping() {
    State s = state.get();
    return (s == State.RUNNING || s == State.STOPPING) && thread != null;
  }

  /** The state in words: new, running, stopping, stopped. */
  String stateName() {
    return state.get().name().toLowerCase(Locale.ROOT);
  }

  /** The current time in nanoseconds since this reactor was created. */
  long nanoTime() {
    return System.nanoTime() - origin;
  }

  /**
   * Throws unless the caller may act as the reactor thread. Before {@code run()} every thread is
   * accepted (setup).
   */
  void checkReactorThread(String what) {
    Thread owner = thread;
    if (owner == null || LockStep.actsAs(owner)) {
      return;
    }
    throw new IllegalStateException(
        what
            + " must be called on the reactor thread ("
            + owner.getName()
            + "), not on "
            + Thread.currentThread().getName()
            + "; hand the work over with callFromThread()");
  }

  private void checkNotStopped() {
    if (state.get() == State.STOPPED) {
      throw new IllegalStateException("the reactor has stopped");
    }
    if (selectorFailure != null) {
      throw new IllegalStateException("the reactor is shutting down: its selector failed");
    }
  }

  /** Runs {@code work} on the reactor thread after the next select. Reactor thread only. */
  void soon(Runnable work) {
    soon.add(work);
  }

  /**
   * The poller, opened on first use.
   *
   * @throws UncheckedIOException if it cannot be opened
   */
  Poller poller() {
    Poller p = poller;
    if (p == null) {
      try {
        p =
            backend == IoBackend.NATIVE
                ? EpollPoller.open()
                : NioPoller.open(() -> channelOpener.open());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector", e);
      }
      poller = p;
    }
    return p;
  }

  /**
   * Opens the socket of an outgoing connection attempt.
   *
   * @throws IOException if it cannot be opened
   */
  StreamSocket openStream(java.net.InetAddress destination) throws IOException {
    return streamOpener.open(poller(), destination);
  }

  /** How the sockets of connection attempts are opened; a test's opener records or fails them. */
  @FunctionalInterface
  interface StreamOpener {
    StreamSocket open(Poller poller, java.net.InetAddress destination) throws IOException;
  }

  /** The JDK's selector of a reactor on {@link IoBackend#NIO}, for tests. */
  Selector selector() {
    return ((NioPoller) poller()).selector();
  }

  /** The reactor's one I/O buffer; free again as soon as the caller returns. */
  ByteBuffer ioBuffer() {
    return ioBuffer;
  }

  void portOpened(ListeningPort port) {
    ports.add(port);
  }

  void portClosed(ListeningPort port) {
    ports.remove(port);
  }

  void connectorStarted(TcpConnector connector) {
    connecting.add(connector);
  }

  void connectorFinished(TcpConnector connector) {
    connecting.remove(connector);
  }

  void connectionOpened(TcpTransport connection) {
    connections.add(connection);
  }

  void connectionClosed(TcpTransport connection) {
    connections.remove(connection);
  }

  @Override
  public String toString() {
    return "SelectorReactor#"
        + id
        + "{"
        + state.get().name().toLowerCase(Locale.ROOT)
        + ", "
        + backend.cliName()
        + "}";
  }

  private final class TimerHost implements TimerQueue.Host {
    @Override
    public long nanoTime() {
      return SelectorReactor.this.nanoTime();
    }

    @Override
    public void checkReactorThread(String what) {
      SelectorReactor.this.checkReactorThread(what);
    }

    @Override
    public void timerFailed(Runnable function, Throwable error) {
      LOG.error("Unhandled error in a delayed call: {}", TimerQueue.describe(function), error);
    }

    @Override
    public LoopMonitor monitor() {
      return monitor;
    }
  }
}
