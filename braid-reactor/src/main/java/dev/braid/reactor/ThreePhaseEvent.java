package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.net.SystemEventPhase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The triggers of one event in three phases, and their firing: Twisted's {@code _ThreePhaseEvent},
 * which a reactor's shutdown is (ADR 0040).
 *
 * <p>Firing goes through the phases in order, each a method the host calls:
 *
 * <ol>
 *   <li>{@link #fireBefore()} runs the {@link SystemEventPhase#BEFORE BEFORE} triggers in the order
 *       they were added, and returns a Deferred that fires once every Deferred they returned has
 *       fired (at once if none did);
 *   <li>{@link #fireDuring()} runs the {@link SystemEventPhase#DURING DURING} triggers;
 *   <li>{@link #fireAfter()} runs the {@link SystemEventPhase#AFTER AFTER} triggers.
 * </ol>
 *
 * The host may do its own work between them: {@link SelectorReactor} closes its ports and
 * connections after the BEFORE Deferreds have fired, and runs the DURING triggers once the
 * protocols have heard {@code connectionLost}. {@link #fire()} does the three in a row.
 *
 * <p>A phase's triggers are those registered when the phase begins: one removed before its turn
 * does not run, even if the phase has begun; one added to a phase that has begun does not run
 * (Twisted's would, in the same phase). A trigger that throws, and a BEFORE trigger's Deferred that
 * fails, is logged, and the others run all the same; a failed Deferred counts as fired. Each
 * trigger runs at most once, since the event fires once.
 *
 * <p>Threading: not thread-safe; the host's thread (the reactor thread) only.
 */
final class ThreePhaseEvent {
  private enum State {
    NOT_FIRED,
    BEFORE,
    BEFORE_DONE,
    DURING,
    AFTER,
    DONE
  }

  private final String name;
  private final Logger log;
  private final EnumMap<SystemEventPhase, List<Trigger>> triggers =
      new EnumMap<>(SystemEventPhase.class);
  private State state = State.NOT_FIRED;

  /**
   * An event with no triggers.
   *
   * @param name names the event in log messages ("a BEFORE shutdown trigger failed")
   * @param log where failed triggers are logged (the host's logger, so that its users find them
   *     where they look)
   */
  ThreePhaseEvent(String name, Logger log) {
    this.name = Objects.requireNonNull(name, "name");
    this.log = Objects.requireNonNull(log, "log");
    for (SystemEventPhase phase : SystemEventPhase.values()) {
      triggers.put(phase, new ArrayList<>());
    }
  }

  /**
   * Adds a trigger to a phase, after those already there.
   *
   * @param phase when it runs
   * @param trigger the work; in the BEFORE phase it may return a Deferred to wait for; otherwise
   *     (and null) its result is ignored
   * @return the handle for {@link #removeTrigger}
   */
  Object addTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(trigger, "trigger");
    Trigger handle = new Trigger(phase, trigger);
    triggers.get(phase).add(handle);
    return handle;
  }

  /**
   * Removes a trigger, so that it does not run if its turn has not come. Removing one that has run
   * is allowed (once).
   *
   * @param handle what {@link #addTrigger} returned
   * @throws IllegalArgumentException if the handle is not one of this event's, or was removed
   */
  void removeTrigger(Object handle) {
    if (!(handle instanceof Trigger t) || !triggers.get(t.phase).remove(t)) {
      throw new IllegalArgumentException("unknown system event trigger: " + handle);
    }
  }

  /**
   * Fires the whole event: the BEFORE triggers, then, once their Deferreds have fired, the DURING
   * and the AFTER triggers.
   *
   * @throws IllegalStateException if the event has fired already
   */
  void fire() {
    fireBefore()
        .addCallback(
            ignored -> {
              fireDuring();
              fireAfter();
              return null;
            });
  }

  /**
   * Runs the BEFORE triggers and returns a Deferred that fires (with null, never with a failure)
   * once every Deferred they returned has fired.
   *
   * @return fired at once if no trigger returned an unfired Deferred
   * @throws IllegalStateException if the event has fired already
   */
  Deferred<Void> fireBefore() {
    advance(State.NOT_FIRED, State.BEFORE);
    List<Deferred<?>> waits = new ArrayList<>();
    forEachTrigger(
        SystemEventPhase.BEFORE,
        trigger -> {
          Deferred<?> d = trigger.body.get();
          if (d != null) {
            waits.add(d);
          }
        });
    Deferred<Void> done = Deferred.create();
    if (waits.isEmpty()) {
      state = State.BEFORE_DONE;
      done.callback(null);
      return done;
    }
    int[] remaining = {waits.size()};
    Runnable arrived =
        () -> {
          if (--remaining[0] == 0) {
            state = State.BEFORE_DONE;
            done.callback(null);
          }
        };
    for (Deferred<?> d : waits) {
      await(d, arrived);
    }
    return done;
  }

  /**
   * Runs the DURING triggers.
   *
   * @throws IllegalStateException unless the Deferred of {@link #fireBefore()} has fired and this
   *     has not run
   */
  void fireDuring() {
    advance(State.BEFORE_DONE, State.DURING);
    forEachTrigger(SystemEventPhase.DURING, trigger -> trigger.body.get());
  }

  /**
   * Runs the AFTER triggers; the event is then over.
   *
   * @throws IllegalStateException unless {@link #fireDuring()} ran and this has not
   */
  void fireAfter() {
    advance(State.DURING, State.AFTER);
    forEachTrigger(SystemEventPhase.AFTER, trigger -> trigger.body.get());
    state = State.DONE;
  }

  private void advance(State from, State to) {
    if (state != from) {
      String where =
          switch (state) {
            case NOT_FIRED -> "it has not fired";
            case BEFORE -> "the BEFORE phase has not finished";
            case BEFORE_DONE -> "the BEFORE phase is over";
            case DURING -> "the DURING phase is over";
            case AFTER, DONE -> "it is over";
          };
      throw new IllegalStateException(
          "cannot begin the " + to + " phase of the " + name + " event: " + where);
    }
    state = to;
  }

  private <T> void await(Deferred<T> d, Runnable arrived) {
    d.addBoth(
        (Outcome<T> outcome) -> {
          if (outcome instanceof Outcome.Failed<T> failed) {
            Failure failure = failed.failure();
            log.error("a BEFORE {} trigger's Deferred failed", name, failure.value());
          }
          arrived.run();
          return null;
        });
  }

  /** Runs a phase's triggers, in order, skipping any removed meanwhile, logging any that throw. */
  private void forEachTrigger(SystemEventPhase phase, TriggerAction action) {
    List<Trigger> live = triggers.get(phase);
    for (Trigger trigger : new ArrayList<>(live)) {
      if (live.contains(trigger)) {
        try {
          action.run(trigger);
        } catch (Throwable t) {
          log.error(
              "{} {} {} trigger failed",
              phase == SystemEventPhase.AFTER ? "an" : "a",
              phase,
              name,
              t);
        }
      }
    }
  }

  @FunctionalInterface
  private interface TriggerAction {
    void run(Trigger trigger);
  }

  /** A trigger; its identity is the handle. */
  private static final class Trigger {
    final SystemEventPhase phase;
    final Supplier<Deferred<?>> body;

    Trigger(SystemEventPhase phase, Supplier<Deferred<?>> body) {
      this.phase = phase;
      this.body = body;
    }

    @Override
    public String toString() {
      return "SystemEventTrigger{" + phase + ", " + body + "}";
    }
  }
}
