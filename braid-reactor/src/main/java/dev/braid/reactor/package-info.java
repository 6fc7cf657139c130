/**
 * The reactor: Twisted's {@code twisted.internet.reactor}. One thread runs an event loop over a
 * {@link java.nio.channels.Selector}, multiplexing non-blocking TCP connections and timers.
 *
 * <p>{@link dev.braid.reactor.Reactor} is the sum of small capability interfaces ({@link
 * dev.braid.reactor.ReactorCore}, {@link dev.braid.reactor.ReactorTime}, {@link
 * dev.braid.reactor.ReactorThreads}, {@link dev.braid.reactor.ReactorTcp}); code asks for the
 * narrowest one it needs, so tests can hand it a fake. Nothing here is a JVM-wide singleton: a
 * program may run several reactors.
 */
package dev.braid.reactor;
