/**
 * The poetry suite simulated: {@link dev.braid.poetry.sim.PoetrySimulation} deploys servers,
 * proxies, a transform server and clients on a {@link dev.braid.sim.Simulation} with seeded faults
 * and checks, after each run, that no client got a cut poem as a success and that the proxies
 * behaved. {@code poetry simulate} runs it.
 *
 * <p>Threading: a run belongs to the thread that starts it.
 */
package dev.braid.poetry.sim;
