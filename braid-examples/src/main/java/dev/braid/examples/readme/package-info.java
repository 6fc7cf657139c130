/**
 * The README's snippets that are not one of the other examples: a Deferred's chain with an inner
 * Deferred ({@link dev.braid.examples.readme.DeferredChain}) and a poetry server on the reactor
 * ({@link dev.braid.examples.readme.PoemServer}). The README shows the code between their {@code
 * tag::} and {@code end::} comments, and {@code ReadmeSnippetsTest} fails the build if the two
 * differ.
 */
package dev.braid.examples.readme;
