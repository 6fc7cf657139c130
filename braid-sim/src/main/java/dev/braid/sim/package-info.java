/**
 * Deterministic simulation of networked programs written on Braid: a {@link
 * dev.braid.sim.Simulation} of named {@link dev.braid.sim.SimHost hosts}, each a whole {@code
 * Reactor} on one virtual clock and an in-memory network, with {@link dev.braid.sim.Faults} drawn
 * from one seeded random source; a {@link dev.braid.sim.Trace} of every event; invariants checked
 * after each run ({@link dev.braid.sim.SimulationResult}); and {@link dev.braid.sim.Seeds} to run a
 * scenario over many seeds. Same seed, same run.
 *
 * <p>Threading: a simulation and everything in it belong to the thread that made it.
 */
package dev.braid.sim;
