/**
 * The examples of Twisted's "Asynchronous Programming with Twisted": a Deferred from {@code
 * getPage}, its callbacks and its errback ({@link dev.braid.examples.asynchronous.GetPage}).
 */
package dev.braid.examples.asynchronous;
