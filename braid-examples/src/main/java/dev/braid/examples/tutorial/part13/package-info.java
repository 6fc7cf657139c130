/**
 * Part 13, "Deferred All The Way Down": a callback that returns a Deferred pauses the outer chain
 * until that inner Deferred fires ({@link dev.braid.examples.tutorial.part13.OuterInner}), which is
 * how client 6.0 waits for a transform made over the network ({@link
 * dev.braid.examples.tutorial.part13.TransformClient}, with exercises 1 to 3); an errback that
 * returns one does the same (exercise 4, {@link
 * dev.braid.examples.tutorial.part13.ErrbackReturnsDeferred}). Exercise 5 asks where Deferred
 * handles this: in Braid, {@code Deferred.runCallbacks}, which pauses the outer Deferred and adds a
 * link to the inner one's chain that resumes it, without recursion.
 */
package dev.braid.examples.tutorial.part13;
