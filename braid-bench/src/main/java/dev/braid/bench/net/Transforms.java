package dev.braid.bench.net;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Netty transform server's one transform, the same work as {@code braid-poetry}'s {@code
 * TransformService}: {@code cummingsify} lower-cases the poem ({@code toLowerCase(Locale.ROOT)}). A
 * request is {@code NAME.POEM} in UTF-8.
 */
final class Transforms {
  private Transforms() {}

  /**
   * Runs the transform on a sample request until the JIT has compiled it, before any framework code
   * runs: otherwise what else ran first in the process (logging set-up, the framework) shapes the
   * profile of the JDK's case mapping, and the shared transform costs one server more than the
   * other.
   */
  static void warmUp() {
    byte[] request =
        "cummingsify.Café-bright mornings — CRÊPES and Smörgåsbord, The Poem Travels"
            .getBytes(StandardCharsets.UTF_8);
    long sum = 0;
    for (int i = 0; i < 50_000; i++) {
      sum += answer(request).length;
    }
    if (sum == 0) {
      throw new AssertionError("the transform returned nothing");
    }
  }

  /**
   * Answers a request, or returns null when it has no {@code .} or names an unknown transform (the
   * server then closes without a reply).
   */
  static byte[] answer(byte[] request) {
    int dot = -1;
    for (int i = 0; i < request.length; i++) {
      if (request[i] == '.') {
        dot = i;
        break;
      }
    }
    if (dot < 0) {
      return null;
    }
    String name = new String(request, 0, dot, StandardCharsets.UTF_8);
    if (!name.equals("cummingsify")) {
      return null;
    }
    String poem = new String(request, dot + 1, request.length - dot - 1, StandardCharsets.UTF_8);
    return poem.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
  }
}
