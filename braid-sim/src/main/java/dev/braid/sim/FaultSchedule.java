package dev.braid.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The faults that strike over time: partitions, crashes and graceful restarts, each a Poisson
 * process at its rate until the horizon, on booted hosts, drawn from the simulation's random
 * source. Threading: the simulation's thread.
 */
final class FaultSchedule {
  private final Simulation sim;
  private final Faults faults;

  FaultSchedule(Simulation sim) {
    this.sim = sim;
    this.faults = sim.faults();
  }

  void start() {
    every(faults.partitionsPerMinute(), this::partition);
    every(faults.crashesPerMinute(), this::crash);
    every(faults.restartsPerMinute(), this::restart);
  }

  private void every(double perMinute, Consumer<List<SimHost>> strike) {
    if (perMinute <= 0) {
      return;
    }
    double wait = -Math.log(1 - sim.random().nextDouble()) * 60 / perMinute;
    if (sim.seconds() + wait >= faults.horizon()) {
      return;
    }
    sim.schedule(
        wait,
        () -> {
          strike.accept(sim.bootedHosts());
          every(perMinute, strike);
        });
  }

  private void partition(List<SimHost> booted) {
    List<SimHost> all = sim.hosts();
    if (booted.isEmpty() || all.size() < 2) {
      return;
    }
    SimHost a = booted.get(sim.random().nextInt(booted.size()));
    List<SimHost> others = new ArrayList<>(all);
    others.remove(a);
    SimHost b = others.get(sim.random().nextInt(others.size()));
    if (sim.partitioned(a, b)) {
      return;
    }
    double lasts = between(faults.minPartition(), faults.maxPartition());
    sim.partition(a, b);
    sim.schedule(lasts, () -> sim.heal(a, b));
  }

  private void crash(List<SimHost> booted) {
    SimHost h = pick(booted, false);
    if (h != null) {
      h.crash();
      bootLater(h);
    }
  }

  private void restart(List<SimHost> booted) {
    SimHost h = pick(booted, true);
    if (h != null) {
      h.stopThen(() -> bootLater(h));
    }
  }

  private void bootLater(SimHost h) {
    int down = h.incarnation();
    sim.schedule(
        between(faults.minDowntime(), faults.maxDowntime()),
        () -> {
          if (!h.isUp() && h.incarnation() == down) {
            h.restart();
          }
        });
  }

  /** A host that is up (and, if {@code running}, not already stopping), or null. */
  private SimHost pick(List<SimHost> booted, boolean running) {
    List<SimHost> up = new ArrayList<>();
    for (SimHost h : booted) {
      if (running ? h.isRunning() : h.isUp()) {
        up.add(h);
      }
    }
    return up.isEmpty() ? null : up.get(sim.random().nextInt(up.size()));
  }

  private double between(double lo, double hi) {
    return hi > lo ? lo + sim.random().nextDouble() * (hi - lo) : lo;
  }
}
