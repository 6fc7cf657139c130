/**
 * Every core: a server on a group of reactors ({@code ReactorGroup}, one thread each, one port),
 * and the two ways to share state across them, each a program. {@link
 * dev.braid.examples.cores.VisitorCounter}: an owner reactor that the others message, with {@code
 * Handoff.call} (the state is confined to one thread, the answers come back on each asker's
 * reactor). {@link dev.braid.examples.cores.SharedMemo}: a thread-safe structure that every reactor
 * uses on its own thread, whose results are delivered back on each caller's reactor with {@code
 * Deferred.fromFuture}.
 */
package dev.braid.examples.cores;
