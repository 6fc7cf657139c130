package dev.braid.defer;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What debug mode records about one Deferred (spec section 10, and the pending-Deferred dump):
 * where it was created and first fired, when it was created, the steps of its chain that have run,
 * and what it waits on.
 *
 * <p>Threading: written by the Deferred's thread; {@link PendingDeferreds} and {@link ChainPicture}
 * may read it from another thread for a best-effort picture, so the step history is read through a
 * copy taken under this object's lock.
 */
final class DebugInfo {
  /** At most this many steps are kept; older ones are counted, not kept. */
  static final int MAX_STEPS = 32;

  final CallSite.Stack creator;
  CallSite.Stack invoker = CallSite.Stack.NONE;
  int outers;

  /** {@link System#nanoTime()} at creation; 0 when the Deferred was created outside debug mode. */
  final long createdNanos;

  /** The value or failure it was first fired with, described; null before. */
  volatile String firedWith;

  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private long stepsDropped;
  private List<WeakReference<Object>> waitsOn;

  /** Notes that only describe (a timeout): held strongly, nobody else holds them. */
  private List<Object> descriptions;

  /** The thread that made the Deferred, the only one that may use it; null if unknown. */
  final Thread owner;

  DebugInfo(CallSite.Stack creator, long createdNanos, Thread owner) {
    this.creator = creator;
    this.createdNanos = createdNanos;
    this.owner = owner;
  }

  /** One step of the chain that has run. */
  record Step(
      CallSite site,
      String kind,
      String ran,
      String input,
      String output,
      WeakReference<Deferred<?>> inner,
      long nanos) {}

  /** {@return the stack of the code that called into Deferred now, for its sites} */
  static CallSite.Stack here() {
    return CallSite.stack();
  }

  /** The first frame of the creation stack a person would look for; null when none was recorded. */
  StackTraceElement creationFrame() {
    return creator.userFrame();
  }

  synchronized void addStep(Step step) {
    if (steps.size() == MAX_STEPS) {
      steps.removeFirst();
      stepsDropped++;
    }
    steps.addLast(step);
  }

  /** The last step, when an inner Deferred it waited on has handed over its result. */
  synchronized void innerFired(Deferred<?> inner, String value) {
    Step last = steps.peekLast();
    if (last != null && last.inner() != null && last.inner().get() == inner) {
      steps.removeLast();
      steps.addLast(
          new Step(
              last.site(),
              last.kind(),
              last.ran(),
              last.input(),
              last.output() + ", which fired with " + value,
              last.inner(),
              last.nanos()));
    }
  }

  synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  synchronized long stepsDropped() {
    return stepsDropped;
  }

  synchronized void noteWaitingOn(Object what) {
    if (waitsOn == null) {
      waitsOn = new ArrayList<>(2);
    }
    for (WeakReference<Object> known : waitsOn) {
      if (known.get() == what) {
        return;
      }
    }
    waitsOn.add(new WeakReference<>(what));
  }

  /** Notes a description of something it waits on, held as long as the Deferred is. */
  synchronized void noteDescription(Object description) {
    if (descriptions == null) {
      descriptions = new ArrayList<>(1);
    }
    descriptions.add(description);
  }

  /** What it was noted to wait on, still reachable, in the order noted, then the descriptions. */
  synchronized List<Object> waitsOn() {
    if (waitsOn == null && descriptions == null) {
      return List.of();
    }
    List<Object> live = new ArrayList<>();
    if (waitsOn != null) {
      for (WeakReference<Object> ref : waitsOn) {
        Object what = ref.get();
        if (what != null) {
          live.add(what);
        }
      }
    }
    if (descriptions != null) {
      live.addAll(descriptions);
    }
    return live;
  }

  /** How many of the things it was noted to wait on have been garbage-collected. */
  synchronized int waitsOnCollected() {
    if (waitsOn == null) {
      return 0;
    }
    int n = 0;
    for (WeakReference<Object> ref : waitsOn) {
      if (ref.get() == null) {
        n++;
      }
    }
    return n;
  }

  /** {@return where the Deferred was created, for a wrong-thread message} */
  String describeCreation() {
    StringBuilder out = new StringBuilder("\n C: Deferred was created:\n");
    for (StackTraceElement frame : creator.frames()) {
      out.append(" C:\t").append(frame).append('\n');
    }
    return out.toString();
  }

  String describeCalls() {
    StringBuilder out = new StringBuilder("\n C: Deferred was created:\n");
    for (StackTraceElement frame : creator.frames()) {
      out.append(" C:\t").append(frame).append('\n');
    }
    out.append(" I: First Invoker was:\n");
    for (StackTraceElement frame : invoker.frames()) {
      out.append(" I:\t").append(frame).append('\n');
    }
    return out.toString();
  }
}
