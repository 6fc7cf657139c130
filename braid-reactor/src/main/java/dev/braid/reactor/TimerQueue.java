package dev.braid.reactor;

import dev.braid.defer.AlreadyCalledException;
import dev.braid.defer.AlreadyCancelledException;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.internal.CallSites;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The reactor's timers: a binary min-heap of {@link Timer}s ordered by (due time, sequence number),
 * each timer knowing its index in the heap so that cancel, reset and delay cost O(log n) and leave
 * nothing behind.
 *
 * <p>Times are nanoseconds on the reactor's monotonic clock. Timers scheduled (or moved) while
 * {@link #runDue} is running are held aside and join the heap only when it returns, so a timer that
 * keeps rescheduling itself with delay 0 runs once per loop iteration instead of starving I/O
 * (Twisted's {@code _newTimedCalls}).
 *
 * <p>Threading: reactor thread only; not thread-safe.
 */
final class TimerQueue {
  /** Where a timer was scheduled: the caller of the reactor. */
  private static final CallSites SITES =
      CallSites.skipping(TimerQueue.class, SelectorReactor.class);

  /** What the queue needs from its reactor. */
  interface Host {
    /** The current time in nanoseconds on the reactor's monotonic clock. */
    long nanoTime();

    /** Throws {@link IllegalStateException} unless called on the reactor thread. */
    void checkReactorThread(String what);

    /** Reports an exception thrown by a timer's function; the queue goes on. */
    void timerFailed(Runnable function, Throwable error);

    /** Times the timers' functions; null for none. */
    default LoopMonitor monitor() {
      return null;
    }
  }

  private final Host host;
  private Timer[] heap = new Timer[16];
  private int size;
  private long sequence;
  private boolean running;
  private final ArrayList<Timer> held = new ArrayList<>();

  TimerQueue(Host host) {
    this.host = host;
  }

  /**
   * Schedules {@code function} at {@code dueNanos}. In {@linkplain Deferred#isDebugging() debug
   * mode} the timer records where it was scheduled, for {@link Timer#toString()}.
   */
  Timer schedule(long dueNanos, Runnable function) {
    Timer timer = new Timer(this, dueNanos, Objects.requireNonNull(function, "call"));
    if (Deferred.isDebugging()) {
      timer.scheduledAt = callerSite();
    }
    enqueue(timer);
    return timer;
  }

  /**
   * The stack of the code that scheduled a timer, without the reactor's own frames (TimerQueue's
   * and SelectorReactor's, their nested classes' and lambdas').
   */
  private static List<StackTraceElement> callerSite() {
    return SITES.here();
  }

  /**
   * Describes a timer's function: a lambda or method reference as the class it was written in (its
   * own class name, {@code Foo$$Lambda/0x…}, says nothing more), anything else by its {@code
   * toString()}.
   */
  static String describe(Runnable function) {
    String name = function.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda < 0 ? String.valueOf(function) : "a lambda in " + name.substring(0, lambda);
  }

  /** A timer's function, and where it was scheduled in debug mode. */
  static String describe(Runnable function, Timer timer) {
    List<StackTraceElement> site = timer.scheduledAt;
    return site == null || site.isEmpty()
        ? describe(function)
        : describe(function) + ", scheduled at " + site.get(0);
  }

  private void enqueue(Timer timer) {
    timer.sequence = ++sequence;
    if (running) {
      timer.index = Timer.HELD;
      held.add(timer);
    } else {
      push(timer);
    }
  }

  /**
   * Returns the due time of the earliest pending timer, or {@link Long#MAX_VALUE} if there is none.
   */
  long nextDue() {
    return size == 0 ? Long.MAX_VALUE : heap[0].due;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size + held.size();
  }

  /** Runs every timer due at or before {@code now}, in (due, sequence) order. */
  void runDue(long now) {
    running = true;
    LoopMonitor monitor = host.monitor();
    try {
      while (size > 0 && heap[0].due <= now) {
        Timer timer = pop();
        timer.called = true;
        Runnable function = timer.function;
        timer.function = null;
        long start = monitor == null ? 0 : monitor.callbackStarts();
        try {
          function.run();
        } catch (Throwable t) {
          host.timerFailed(function, t);
        }
        if (start != 0) {
          monitor.callbackEnded(start, "delayed call", () -> describe(function, timer));
        }
      }
    } finally {
      running = false;
      int n = held.size();
      for (int i = 0; i < n; i++) {
        Timer timer = held.get(i);
        if (timer.index == Timer.HELD) {
          push(timer);
        }
      }
      held.clear();
    }
  }

  /** A snapshot of the pending timers, in no particular order. */
  List<DelayedCall> pending() {
    List<DelayedCall> result = new ArrayList<>(size + held.size());
    result.addAll(Arrays.asList(heap).subList(0, size));
    for (Timer timer : held) {
      if (timer.index == Timer.HELD) {
        result.add(timer);
      }
    }
    return result;
  }

  /** Forgets every pending timer (at shutdown); they stay active but will never run. */
  void clear() {
    Arrays.fill(heap, 0, size, null);
    size = 0;
    held.clear();
  }

  // --- the heap -------------------------------------------------------------------------------

  private void push(Timer timer) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    timer.index = size;
    heap[size++] = timer;
    siftUp(timer.index);
  }

  private Timer pop() {
    Timer top = heap[0];
    removeAt(0);
    return top;
  }

  private void removeAt(int i) {
    Timer removed = heap[i];
    removed.index = Timer.DETACHED;
    int last = --size;
    if (i != last) {
      Timer moved = heap[last];
      heap[i] = moved;
      moved.index = i;
      heap[last] = null;
      siftDown(i);
      if (heap[i] == moved) {
        siftUp(i);
      }
    } else {
      heap[last] = null;
    }
  }

  private void siftUp(int i) {
    Timer timer = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Timer p = heap[parent];
      if (!timer.before(p)) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = timer;
    timer.index = i;
  }

  private void siftDown(int i) {
    Timer timer = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Timer c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].before(c)) {
        child = right;
        c = heap[child];
      }
      if (!c.before(timer)) {
        break;
      }
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = timer;
    timer.index = i;
  }

  private void detach(Timer timer) {
    if (timer.index >= 0) {
      removeAt(timer.index);
    } else if (timer.index == Timer.HELD) {
      timer.index = Timer.DETACHED; // skipped when the held timers join the heap
    }
  }

  private void move(Timer timer, long newDue) {
    detach(timer);
    timer.due = newDue;
    enqueue(timer);
  }

  long now() {
    return host.nanoTime();
  }

  /** Converts seconds to nanoseconds, saturating. */
  static long toNanos(double seconds) {
    if (Double.isNaN(seconds)) {
      throw new IllegalArgumentException("delay is not a number");
    }
    double nanos = seconds * 1e9;
    if (nanos >= Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    if (nanos <= Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return Math.round(nanos);
  }

  /** Adds without overflowing. */
  static long plus(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }

  /** One scheduled call. */
  static final class Timer implements DelayedCall {
    static final int DETACHED = -1;
    static final int HELD = -2;

    private final TimerQueue queue;
    long due;
    long sequence;
    int index = DETACHED;
    Runnable function;
    boolean called;
    boolean cancelled;
    List<StackTraceElement> scheduledAt; // debug mode only

    Timer(TimerQueue queue, long due, Runnable function) {
      this.queue = queue;
      this.due = due;
      this.function = function;
    }

    boolean before(Timer other) {
      return due < other.due || (due == other.due && sequence < other.sequence);
    }

    @Override
    public double getTime() {
      return due / 1e9;
    }

    @Override
    public void cancel() {
      checkActive("cancel");
      cancelled = true;
      function = null;
      queue.detach(this);
    }

    @Override
    public void reset(double secondsFromNow) {
      checkActive("reset");
      queue.move(this, plus(queue.now(), toNanos(secondsFromNow)));
    }

    @Override
    public void delay(double seconds) {
      checkActive("delay");
      queue.move(this, plus(due, toNanos(seconds)));
    }

    private void checkActive(String what) {
      queue.host.checkReactorThread("DelayedCall." + what + "()");
      if (cancelled) {
        throw new AlreadyCancelledException("cannot " + what + " a call that was cancelled");
      }
      if (called) {
        throw new AlreadyCalledException("cannot " + what + " a call that has already run");
      }
    }

    @Override
    public boolean active() {
      return !(cancelled || called);
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }

    @Override
    public boolean called() {
      return called;
    }

    /**
     * Describes the call: its due time (seconds on the reactor's clock), its state, while pending
     * how long until it is due and its function, and in debug mode where it was scheduled
     * (Twisted's {@code DelayedCall.debug}). Safe from any thread, as the test janitor needs.
     */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("DelayedCall{time=").append(getTime());
      Runnable pending = function;
      if (cancelled) {
        out.append(", cancelled");
      } else if (called) {
        out.append(", called");
      } else if (pending != null) {
        long now = queue.now();
        long millis = due > now ? (due - now) / 1_000_000 : 0;
        out.append(
                millis > 0 ? ", due in " + Clock.describe(Duration.ofMillis(millis)) : ", due now")
            .append(", ")
            .append(describe(pending));
      }
      out.append('}');
      if (scheduledAt != null) {
        out.append(" scheduled at:");
        for (StackTraceElement frame : scheduledAt) {
          out.append(System.lineSeparator()).append("\tat ").append(frame);
        }
      }
      return out.toString();
    }
  }
}
