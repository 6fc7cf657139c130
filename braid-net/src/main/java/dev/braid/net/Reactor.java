package dev.braid.net;

import dev.braid.defer.Clock;

/**
 * A whole reactor: the event loop, time, threads and TCP. Code should ask for the narrowest of the
 * interfaces it extends, so that tests can substitute the test kit's fakes: a {@link Clock} for
 * time (Twisted's {@code IReactorTime}; a {@code VirtualClock} in tests), {@link ReactorTcp},
 * {@link ReactorCore}, {@link ReactorThreads}.
 *
 * <p>Threading: one thread runs the loop, the <em>reactor thread</em>; everything but {@link
 * #callFromThread} and {@link #stop()} must be called on it, and a reactor-only method called
 * elsewhere fails with an {@link IllegalStateException} that says so.
 */
public interface Reactor extends ReactorCore, Clock, ReactorThreads, ReactorTcp {}
