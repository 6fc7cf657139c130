package dev.braid.defer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The optional scheduler of coroutine bodies that mounts a body's virtual thread on the thread that
 * hands it the turn, so that a hand-off is a continuation switch on one OS thread instead of a
 * wake-up of another: {@link Async}'s <em>driver-carried</em> mode.
 *
 * <p>The JDK has no public API for a virtual thread's scheduler. This class uses the constructor
 * the JDK keeps for its own tests ({@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)})
 * and two other members of {@code java.lang}, so it works only when the application opens {@code
 * java.lang} to Braid ({@code --add-opens java.base/java.lang=dev.braid.defer}, or {@code
 * =ALL-UNNAMED} on the class path) <em>and</em> asks for the mode with the system property {@code
 * braid.async.carrier=driver}. Otherwise {@link #INSTANCE} is null and bodies run on the JDK's
 * scheduler, with the same behaviour.
 *
 * <h2>How a hand-off runs</h2>
 *
 * A virtual thread's scheduler is asked to run its continuation when the thread starts or is
 * unparked. The side that gives the turn away marks the hand-off ({@link Loop#handing} on a
 * platform thread, {@link LockStepCoroutine#handingOff} on a body), unparks the other side, and
 * clears the mark. {@link #execute} called during that window, on that thread, queues the
 * continuation on the {@link Loop} of the platform thread at the bottom of the lock-step chain (one
 * continuation at a most: the side that queued it parks at once); the platform thread runs it in
 * {@link LockStepCoroutine}'s wait for its turn. Every other request (a body woken by a timer, by
 * I/O, by an interrupt; a thread a body started, which inherits this scheduler) goes to the JDK's
 * own scheduler, so a body that blocks on something else than an await continues there.
 *
 * <p>Limits: a body that parks while <em>pinned</em> (an await inside a class initializer or a
 * native call-back into Java) blocks the OS thread it is mounted on, which here is the thread
 * waiting for it: the firing thread deadlocks, where the JDK's scheduler would only lose a carrier
 * thread for a while. An interrupt sent to the firing thread while a body is mounted on it is lost
 * (the JDK clears a carrier's interrupt status when a virtual thread unmounts); one already pending
 * when the hand-off starts is kept.
 */
final class DriverCarrier implements Executor {
  private static final System.Logger LOG = System.getLogger(Async.class.getName());

  /** The JDK members this class uses, or what went wrong looking them up. */
  private static final Object HOOKS = findHooks();

  /** {@code Thread.currentCarrierThread()}; a constant, so that calls to it compile to a load. */
  private static final MethodHandle CURRENT_CARRIER_THREAD =
      HOOKS instanceof Hooks hooks ? hooks.currentCarrierThread() : null;

  /** The scheduler when the mode is asked for and available, else null. */
  static final DriverCarrier INSTANCE = create(System.getProperty("braid.async.carrier", "jdk"));

  private static final ThreadLocal<Loop> LOOPS = new ThreadLocal<>();

  private final Executor jdkScheduler;
  private final ThreadFactory bodyThreads;

  private DriverCarrier(Hooks hooks) throws Throwable {
    this.jdkScheduler = hooks.jdkScheduler();
    Thread.Builder.OfVirtual builder =
        (Thread.Builder.OfVirtual) hooks.builderConstructor().invoke(this);
    this.bodyThreads = builder.name("braid-async").factory();
  }

  /** The JDK's scheduler, {@code Thread.currentCarrierThread()} and the builder's constructor. */
  private record Hooks(
      Executor jdkScheduler, MethodHandle currentCarrierThread, MethodHandle builderConstructor) {}

  private static Object findHooks() {
    try {
      MethodHandles.Lookup here = MethodHandles.lookup();
      Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
      Executor jdk =
          (Executor)
              MethodHandles.privateLookupIn(virtualThread, here)
                  .findStaticGetter(
                      virtualThread, "DEFAULT_SCHEDULER", java.util.concurrent.ForkJoinPool.class)
                  .invoke();
      MethodHandle carrier =
          MethodHandles.privateLookupIn(Thread.class, here)
              .findStatic(
                  Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
      Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
      MethodHandle builderConstructor =
          MethodHandles.privateLookupIn(builderClass, here)
              .findConstructor(builderClass, MethodType.methodType(void.class, Executor.class));
      return new Hooks(jdk, carrier, builderConstructor);
    } catch (Throwable e) {
      return e; // java.lang not opened to Braid, or a JDK without these members
    }
  }

  /**
   * Builds the scheduler for {@code mode} ({@code jdk} or {@code driver}); null for {@code jdk}, or
   * (with a warning) when {@code java.lang} is not open to Braid or the mode is unknown.
   */
  static DriverCarrier create(String mode) {
    if (!mode.equals("driver")) {
      if (!mode.equals("jdk")) {
        LOG.log(
            System.Logger.Level.WARNING,
            "braid.async.carrier=" + mode + " is neither 'jdk' nor 'driver'; using 'jdk'");
      }
      return null;
    }
    Throwable failure;
    if (HOOKS instanceof Hooks hooks) {
      try {
        return new DriverCarrier(hooks);
      } catch (Throwable e) {
        failure = e;
      }
    } else {
      failure = (Throwable) HOOKS;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "braid.async.carrier=driver needs --add-opens java.base/java.lang=dev.braid.defer (or"
            + " =ALL-UNNAMED on the class path); coroutine bodies run on the JDK's scheduler: "
            + failure);
    return null;
  }

  /** {@return the factory of body threads scheduled by this carrier} */
  ThreadFactory bodyThreads() {
    return bodyThreads;
  }

  /**
   * {@return the calling platform thread's loop, created on first use}
   *
   * <p>Call only on a platform thread.
   */
  static Loop loopOfCurrentPlatformThread() {
    Loop loop = LOOPS.get();
    if (loop == null) {
      loop = new Loop(Thread.currentThread());
      LOOPS.set(loop);
    }
    return loop;
  }

  /** {@return whether the calling virtual thread is mounted on {@code loop}'s thread} */
  boolean isMountedOn(Loop loop) {
    return currentCarrier() == loop.thread;
  }

  /** {@return the OS thread the caller runs on: itself, or a virtual thread's carrier} */
  Thread currentCarrier() {
    try {
      return (Thread) CURRENT_CARRIER_THREAD.invokeExact();
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void execute(Runnable task) {
    Thread current = Thread.currentThread();
    if (current.isVirtual()) {
      LockStepCoroutine<?> self = LockStepCoroutine.currentOrNull();
      if (self != null && self.handingOff) {
        Loop loop = self.loop;
        if (loop != null && isMountedOn(loop)) {
          self.handingOff = false;
          loop.queue(task);
          return;
        }
      }
    } else {
      Loop loop = LOOPS.get();
      if (loop != null && loop.handing) {
        loop.handing = false;
        loop.queue(task);
        return;
      }
    }
    jdkScheduler.execute(task);
  }

  /**
   * A platform thread that carries the bodies it drives: the one continuation waiting to run on it.
   * Confined to its thread (bodies mounted on the thread run on that same OS thread).
   */
  static final class Loop {
    final Thread thread;

    /** Set by the thread around the unpark of a body it hands the turn to. */
    boolean handing;

    private Runnable next;

    Loop(Thread thread) {
      this.thread = thread;
    }

    void queue(Runnable task) {
      if (next != null) {
        throw new IllegalStateException("two continuations queued on " + thread.getName());
      }
      next = task;
    }

    /**
     * Runs the queued continuation, if any, on this thread; returns false if there was none. The
     * thread's interrupt status survives, although the JDK clears it when the body unmounts.
     */
    boolean runNext() {
      Runnable task = next;
      if (task == null) {
        return false;
      }
      next = null;
      boolean interrupted = Thread.interrupted();
      try {
        task.run();
      } finally {
        if (interrupted) {
          thread.interrupt();
        }
      }
      return true;
    }
  }
}
