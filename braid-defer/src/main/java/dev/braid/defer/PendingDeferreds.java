package dev.braid.defer;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Deferreds of one thread that are still to deliver something: "what is my program waiting
 * on?". In {@linkplain Deferred#setDebugging debug mode} ({@code -Dbraid.debug=true}) every new
 * Deferred is tracked, weakly, in the registry of the thread it belongs to ({@link
 * Async#ownerThread()}: inside a coroutine body, the thread the body runs in lock-step with). A
 * tracked Deferred is <em>pending</em> while it has not fired, is paused, or waits on another
 * Deferred; a collected one simply disappears. Outside debug mode nothing is tracked and nothing is
 * paid: a Deferred created then is never tracked.
 *
 * <pre>{@code
 * System.err.println(PendingDeferreds.of(reactorThread).dump());
 * }</pre>
 *
 * <p>{@link #dump()} lists each pending Deferred with its age, where it was created, the callbacks
 * still in its chain (named by the line that added them) and what it waits on: the inner Deferred a
 * callback returned, or what its creator {@linkplain #noteWaitingOn noted}, such as a connection or
 * a delayed call. Deferreds waited on by another pending one are drawn inside it ({@link
 * ChainPicture}); many created at one site are folded into one entry. A reactor adds what it knows
 * itself (its connections and delayed calls) and offers the whole over JMX.
 *
 * <p>Threading: tracking happens on the Deferred's own thread; the registry is thread-safe, and a
 * dump may be taken from any thread. Taken on the owner thread it is exact; from another thread it
 * reads the Deferreds without locks and may show a state a moment old (a reactor hands the dump to
 * its own thread for that reason).
 */
public final class PendingDeferreds {
  private static final Map<Thread, PendingDeferreds> REGISTRIES = new ConcurrentHashMap<>();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** A group of more than this many Deferreds created at one site is folded. */
  static final int FOLD_AT = 3;

  /** At most this many names of the folded Deferreds of a group are listed. */
  private static final int FOLDED_NAMES = 8;

  private final Thread thread;
  private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
  private final ReferenceQueue<Deferred<?>> collected = new ReferenceQueue<>();

  private PendingDeferreds(Thread thread) {
    this.thread = thread;
  }

  /** A tracked Deferred, held weakly; the order of creation sorts a dump. */
  private static final class Entry extends WeakReference<Deferred<?>> {
    final long sequence = SEQUENCE.incrementAndGet();

    Entry(Deferred<?> deferred, ReferenceQueue<Deferred<?>> queue) {
      super(deferred, queue);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tracking (called by Deferred in debug mode)

  static void track(Deferred<?> deferred) {
    of(Async.ownerThread()).add(deferred);
  }

  private void add(Deferred<?> deferred) {
    Reference<? extends Deferred<?>> gone;
    while ((gone = collected.poll()) != null) {
      entries.remove(gone);
    }
    entries.add(new Entry(deferred, collected));
  }

  // ---------------------------------------------------------------------------------------------
  // API

  /**
   * Returns the registry of the Deferreds that belong to {@code thread}: those created in debug
   * mode on it, or in a coroutine body running in lock-step with it.
   *
   * @param thread a thread, such as a reactor's
   * @return its registry, empty if it has created no Deferred in debug mode
   */
  public static PendingDeferreds of(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    PendingDeferreds known = REGISTRIES.get(thread);
    if (known != null) {
      return known;
    }
    forgetFinishedThreads();
    return REGISTRIES.computeIfAbsent(thread, PendingDeferreds::new);
  }

  /**
   * {@return the registries of every thread that has Deferreds pending now, by thread name} A dump
   * of the whole JVM is {@link #dumpAll()}.
   */
  public static List<PendingDeferreds> all() {
    List<PendingDeferreds> result = new ArrayList<>();
    for (PendingDeferreds registry : REGISTRIES.values()) {
      if (!registry.pending().isEmpty()) {
        result.add(registry);
      }
    }
    result.sort(Comparator.comparing(PendingDeferreds::threadName));
    return result;
  }

  /**
   * Notes, in debug mode, that {@code deferred} waits on {@code what}, so that a dump can say so: a
   * connection or a connection attempt, a delayed call, a task on a thread pool, or another
   * Deferred (drawn inside it). Code that creates a Deferred fired by something the chain cannot
   * show calls this; the reactor does for {@code deferToThread} and {@code deferLater}, and {@link
   * Deferred#addTimeout} notes its timer. {@code what} is held weakly and described when a dump is
   * taken (by its {@code toString()} unless the dump's describer knows it). Does nothing, and costs
   * next to nothing, when {@code deferred} was created outside debug mode.
   *
   * @param deferred the waiting Deferred
   * @param what what it waits on
   */
  public static void noteWaitingOn(Deferred<?> deferred, Object what) {
    DebugInfo info = deferred.debugInfo();
    if (info != null && info.createdNanos != 0 && what != null && what != deferred) {
      info.noteWaitingOn(what);
    }
  }

  /**
   * {@return a dump of the pending Deferreds of every thread, one section per thread} When debug
   * mode is off and nothing is tracked, it says how to turn it on.
   */
  public static String dumpAll() {
    List<PendingDeferreds> registries = all();
    if (registries.isEmpty()) {
      return noneTracked("this JVM");
    }
    StringBuilder out = new StringBuilder();
    for (PendingDeferreds registry : registries) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(registry.dump()).append('\n');
    }
    return out.toString().stripTrailing();
  }

  /** {@return the name of the thread whose Deferreds these are, as it is now} */
  public String threadName() {
    return thread.getName();
  }

  /**
   * {@return true if {@code candidate} is the thread whose Deferreds these are} Threads are told
   * apart by identity, not by name.
   *
   * @param candidate a thread
   */
  public boolean isOf(Thread candidate) {
    return candidate == thread;
  }

  /**
   * {@return the tracked Deferreds that are pending now (unfired, paused, or waiting on another
   * Deferred), oldest first}
   */
  public List<Deferred<?>> pending() {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(e -> e.sequence));
    List<Deferred<?>> result = new ArrayList<>();
    for (Entry entry : sorted) {
      Deferred<?> d = entry.get();
      if (d != null && d.isPending()) {
        result.add(d);
      }
    }
    return result;
  }

  /**
   * {@return the pending Deferreds as text} See {@link #dump(Function)}; things waited on are
   * described by their {@code toString()}.
   */
  public String dump() {
    return dump(what -> null);
  }

  /**
   * Describes the pending Deferreds: how many, then one entry per Deferred that no other pending
   * Deferred waits on, oldest first, with the Deferreds it waits on drawn inside it ({@link
   * ChainPicture#text}). More than {@value #FOLD_AT} created at the same site are folded into one
   * entry that names them all and draws the oldest. Outside debug mode, with nothing tracked, it
   * says how to turn tracking on.
   *
   * @param describer describes a thing a Deferred waits on (a connection, a delayed call); returns
   *     null to fall back on its {@code toString()}
   * @return the dump, several lines, no trailing newline
   */
  public String dump(Function<Object, String> describer) {
    Objects.requireNonNull(describer, "describer");
    List<Deferred<?>> pending = pending();
    String who = "thread \"" + threadName() + "\"";
    if (pending.isEmpty()) {
      return entries.isEmpty() && !Deferred.isDebugging()
          ? noneTracked(who)
          : "No pending Deferreds on " + who + ".";
    }
    long now = System.nanoTime();
    StringBuilder out = new StringBuilder();
    out.append(pending.size())
        .append(pending.size() == 1 ? " pending Deferred" : " pending Deferreds")
        .append(" on ")
        .append(who);
    DebugInfo oldest = pending.get(0).debugInfo();
    if (oldest != null && oldest.createdNanos != 0) {
      out.append(", the oldest created ")
          .append(ChainPicture.seconds(now - oldest.createdNanos))
          .append(" ago");
    }
    out.append(":\n");
    ChainPicture.TextRenderer renderer = new ChainPicture.TextRenderer(out, describer, now);
    Map<String, List<Deferred<?>>> groups = new LinkedHashMap<>();
    for (Deferred<?> root : roots(pending)) {
      groups.computeIfAbsent(site(root), key -> new ArrayList<>()).add(root);
    }
    for (Map.Entry<String, List<Deferred<?>>> group : groups.entrySet()) {
      List<Deferred<?>> members = group.getValue();
      out.append('\n');
      if (members.size() > FOLD_AT) {
        out.append(members.size())
            .append(" Deferreds created at ")
            .append(group.getKey())
            .append(", ")
            .append(ages(members, now))
            .append(" old: ");
        List<String> names = new ArrayList<>();
        for (Deferred<?> member : members.subList(0, Math.min(FOLDED_NAMES, members.size()))) {
          names.add(ChainPicture.name(member));
        }
        out.append(String.join(", ", names));
        if (members.size() > FOLDED_NAMES) {
          out.append(" and ").append(members.size() - FOLDED_NAMES).append(" more");
        }
        out.append(". The oldest:\n");
        renderer.draw(members.get(0), "  ", 0);
      } else {
        for (Deferred<?> member : members) {
          renderer.draw(member, "", 0);
        }
      }
    }
    return out.toString().stripTrailing();
  }

  /**
   * Draws the pending Deferreds that no other pending one waits on, and those they wait on, as one
   * Graphviz DOT graph ({@link ChainPicture#dot(java.util.Collection, Function)}).
   *
   * @param describer describes a thing a Deferred waits on; returns null to fall back on its {@code
   *     toString()}
   * @return a {@code digraph}
   */
  public String dot(Function<Object, String> describer) {
    return ChainPicture.dot(roots(pending()), describer);
  }

  @Override
  public String toString() {
    return "PendingDeferreds{thread=" + threadName() + "}";
  }

  /** How many Deferreds are tracked, pending or not, after forgetting the collected ones. */
  int trackedCount() {
    Reference<? extends Deferred<?>> gone;
    while ((gone = collected.poll()) != null) {
      entries.remove(gone);
    }
    return entries.size();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The pending Deferreds that no other pending Deferred waits on (through a callback that returned
   * it, {@code chainDeferred}, or a note), in the order given; if all of them wait on each other in
   * a cycle, the oldest of each cycle.
   */
  private static List<Deferred<?>> roots(List<Deferred<?>> pending) {
    Map<Deferred<?>, Boolean> waitedOn = new IdentityHashMap<>();
    for (Deferred<?> d : pending) {
      Deferred<?> inner = d.waitingOn();
      if (inner != null && inner != d) {
        waitedOn.put(inner, Boolean.TRUE);
      }
      for (Object what : ChainPicture.waits(d)) {
        if (what instanceof Deferred<?> other && other != d) {
          waitedOn.put(other, Boolean.TRUE);
        }
      }
    }
    List<Deferred<?>> roots = new ArrayList<>();
    for (Deferred<?> d : pending) {
      if (!waitedOn.containsKey(d)) {
        roots.add(d);
      }
    }
    // Cycles: those not reachable from a root get the oldest of theirs drawn as a root.
    Map<Deferred<?>, Boolean> reached = new IdentityHashMap<>();
    for (Deferred<?> root : roots) {
      reach(root, reached, 0);
    }
    for (Deferred<?> d : pending) {
      if (!reached.containsKey(d)) {
        roots.add(d);
        reach(d, reached, 0);
      }
    }
    return roots;
  }

  private static void reach(Deferred<?> d, Map<Deferred<?>, Boolean> reached, int depth) {
    if (reached.put(d, Boolean.TRUE) != null || depth > ChainPicture.MAX_DEPTH) {
      return;
    }
    Deferred<?> inner = d.waitingOn();
    if (inner != null) {
      reach(inner, reached, depth + 1);
    }
    for (Object what : ChainPicture.waits(d)) {
      if (what instanceof Deferred<?> other) {
        reach(other, reached, depth + 1);
      }
    }
  }

  private static String site(Deferred<?> d) {
    DebugInfo info = d.debugInfo();
    StackTraceElement frame = info == null ? null : info.creationFrame();
    return CallSite.format(frame);
  }

  private static String ages(List<Deferred<?>> members, long now) {
    List<Long> ages = new ArrayList<>();
    for (Deferred<?> member : members) {
      DebugInfo info = member.debugInfo();
      if (info != null && info.createdNanos != 0) {
        ages.add(now - info.createdNanos);
      }
    }
    if (ages.isEmpty()) {
      return "of unknown age";
    }
    return ChainPicture.seconds(Collections.min(ages))
        + " to "
        + ChainPicture.seconds(Collections.max(ages));
  }

  private static String noneTracked(String where) {
    return "Pending Deferreds are not tracked in "
        + where
        + ": debug mode is off. Start the JVM with -Dbraid.debug=true (or call"
        + " Deferred.setDebugging(true)) to track the Deferreds created from then on.";
  }

  /** Drops the registries of threads that have ended and hold no Deferred any more. */
  private static void forgetFinishedThreads() {
    REGISTRIES
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().isAlive()) {
                return false;
              }
              for (Entry entry : e.getValue().entries) {
                if (entry.get() != null) {
                  return false;
                }
              }
              return true;
            });
  }
}
