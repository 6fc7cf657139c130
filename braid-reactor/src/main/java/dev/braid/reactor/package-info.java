/**
 * The reactor: Twisted's {@code twisted.internet.reactor}. One thread runs an event loop over a
 * {@link java.nio.channels.Selector}, multiplexing non-blocking TCP connections and timers.
 *
 * <p>{@link dev.braid.reactor.SelectorReactor} is the implementation of {@link
 * dev.braid.net.Reactor}, the sum of the small capability interfaces that the module {@code
 * dev.braid.net} defines apart from any engine ({@link dev.braid.net.ReactorCore}, {@link
 * dev.braid.defer.Clock} for time, {@link dev.braid.net.ReactorThreads}, {@link
 * dev.braid.net.ReactorTcp}); code asks for the narrowest one it needs, so tests can hand it a
 * fake. Nothing here is a JVM-wide singleton: a program may run several reactors.
 *
 * <p>Also here, as in Twisted's {@code twisted.internet.task} and {@code endpoints}: {@link
 * dev.braid.reactor.Tasks#react} and {@link dev.braid.reactor.Endpoints}. ({@code LoopingCall} and
 * {@code deferLater} need a clock only and live beside it, in {@code dev.braid.defer}.) {@link
 * dev.braid.reactor.LockStep} is the hook through which coroutine bodies running in lock-step with
 * the reactor thread are accepted as running on it.
 */
package dev.braid.reactor;
