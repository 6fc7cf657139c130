/**
 * The examples of Twisted's "Introduction to Deferreds": code that runs after an operation that has
 * not finished ({@link dev.braid.examples.deferreds.PodBayDoors}), each {@code try}/{@code
 * catch}/{@code finally} shape as a chain ({@link dev.braid.examples.deferreds.SyncToAsync}), and
 * {@code getUsers} with callbacks and as a coroutine ({@link
 * dev.braid.examples.deferreds.GetUsers}).
 */
package dev.braid.examples.deferreds;
