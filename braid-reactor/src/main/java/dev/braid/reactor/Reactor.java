package dev.braid.reactor;

/**
 * A whole reactor: timers, threads, TCP and the event loop. Code should ask for the narrowest of
 * the interfaces it extends, so that tests can substitute the test kit's fakes.
 *
 * <p>Threading: one thread runs the loop, the <em>reactor thread</em>; everything but {@link
 * #callFromThread} and {@link #stop()} must be called on it, and a reactor-only method called
 * elsewhere fails with an {@link IllegalStateException} that says so.
 */
public interface Reactor extends ReactorCore, ReactorTime, ReactorThreads, ReactorTcp {}
