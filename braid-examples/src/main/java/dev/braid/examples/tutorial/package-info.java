/**
 * The programs of Dave Peticolas's <i>An Introduction to Asynchronous Programming and Twisted</i>,
 * the parts about Deferreds (8, 13 and 14), with their exercises, one package per part; and the
 * {@link dev.braid.examples.tutorial.Address} their command lines take. Where the tutorial's
 * classes have grown into the poetry library ({@code dev.braid.poetry}), the later parts use the
 * library's.
 */
package dev.braid.examples.tutorial;
