/**
 * The reactor: Twisted's {@code twisted.internet.reactor}. One thread runs an event loop over a
 * {@link java.nio.channels.Selector}, multiplexing non-blocking TCP connections and timers.
 *
 * <p>{@link dev.braid.reactor.Reactor} is the sum of small capability interfaces ({@link
 * dev.braid.reactor.ReactorCore}, {@link dev.braid.defer.Clock} for time, {@link
 * dev.braid.reactor.ReactorThreads}, {@link dev.braid.reactor.ReactorTcp}); code asks for the
 * narrowest one it needs, so tests can hand it a fake. {@link dev.braid.reactor.SelectorReactor} is
 * the implementation. Nothing here is a JVM-wide singleton: a program may run several reactors.
 *
 * <p>Also here, as in Twisted's {@code twisted.internet.task} and {@code endpoints}: {@link
 * dev.braid.reactor.LoopingCall}, {@link dev.braid.reactor.Tasks#deferLater} and {@link
 * dev.braid.reactor.Tasks#react}, and {@link dev.braid.reactor.Endpoints}. {@link
 * dev.braid.reactor.LockStep} is the hook through which coroutine bodies running in lock-step with
 * the reactor thread are accepted as running on it.
 */
package dev.braid.reactor;
