/**
 * Part 14, "When a Deferred Isn't": a Deferred fired before it is returned, and callbacks added
 * after it fired ({@link dev.braid.examples.tutorial.part14.FiredDeferred}, with exercise 1), and
 * the caching proxy whose {@code getPoem} is asynchronous only some of the time ({@link
 * dev.braid.examples.tutorial.part14.PoetryProxy}). Exercises 2 to 4 (a time to live, a single
 * fetch for many clients, a transform proxy) are the poetry library's {@code ProxyService} and
 * {@code TransformProxy}, and the {@code poetry proxy} and {@code transform-proxy} commands.
 * Exercise 5 asks whether a Deferred can fire while callbacks are being added to it: not on its
 * own, since a Deferred belongs to the reactor's single thread, and the reactor runs nothing else
 * until the code adding the callbacks returns to it.
 */
package dev.braid.examples.tutorial.part14;
