package dev.braid.poetry.redis;

import java.io.IOException;
import java.io.Serial;

/**
 * The fetch that another proxy of the fleet made for the clients of this one failed: the proxy that
 * held the lease said so when it gave the lease up. Its clients fail as the fetching proxy's own
 * clients did, and nothing is cached.
 */
public final class SharedFetchException extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param message what the fetching proxy's fetch failed with
   */
  public SharedFetchException(String message) {
    super("the fetch by another proxy of the fleet failed: " + message);
  }
}
