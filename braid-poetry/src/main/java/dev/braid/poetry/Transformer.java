package dev.braid.poetry;

import dev.braid.defer.Deferred;

/**
 * Something that transforms poems by name and answers later: a local {@link TransformService}, or a
 * {@link TransformProxy} that asks a transform server over the network. The transform server's
 * protocol serves any {@code Transformer} ({@link TransformServerFactory}), which is how {@code
 * poetry transform-proxy} forwards requests (Part 14's exercise 4).
 *
 * <p>Threading: reactor thread only.
 */
@FunctionalInterface
public interface Transformer {
  /**
   * Transforms {@code poem} with the transform called {@code name}.
   *
   * @param name the transform's name, e.g. {@code cummingsify}
   * @param poem the poem's text
   * @return a Deferred of the transformed poem; it fails with {@link TransformException} when the
   *     transform is unknown or fails, or with a network error; cancelling it abandons the request
   */
  Deferred<String> xform(String name, String poem);
}
