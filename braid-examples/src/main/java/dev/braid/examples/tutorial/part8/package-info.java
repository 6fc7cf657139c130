/**
 * Part 8, "Deferred Poetry": client 4.0, whose {@code getPoetry} returns a Deferred ({@link
 * dev.braid.examples.tutorial.part8.GetPoetry}); the part's two exercises, a timeout and the failed
 * server's address ({@link dev.braid.examples.tutorial.part8.GetPoetryTimeout}); a blocking
 * callback that blocks the reactor ({@link dev.braid.examples.tutorial.part8.DeferBlock}); and the
 * stack under a callback ({@link dev.braid.examples.tutorial.part8.GetPoetryStack}).
 */
package dev.braid.examples.tutorial.part8;
