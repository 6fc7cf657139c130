package dev.braid.poetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The poems bundled with Braid: short texts written for the project, UTF-8 with non-ASCII
 * characters, used by {@code poetry demo} and the tests.
 *
 * <p>Thread-safe.
 */
public final class Poems {
  private static final List<String> NAMES =
      List.of("the_reactor", "deferred", "cafe_at_midnight", "single_flight");

  private Poems() {}

  /**
   * A bundled poem.
   *
   * @param name its file name without {@code .txt}, e.g. {@code the_reactor}
   * @param text its text, whose first line is the title
   */
  public record Poem(String name, String text) {
    /** {@return the title, the first line of the text} */
    public String title() {
      int end = text.indexOf('\n');
      return end < 0 ? text : text.substring(0, end);
    }

    /** {@return the text as UTF-8, as it goes on the wire, in a new array} */
    public byte[] bytes() {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** {@return every bundled poem, the longest last (a fixed order)} */
  public static List<Poem> bundled() {
    List<Poem> poems = new ArrayList<>();
    for (String name : NAMES) {
      poems.add(named(name));
    }
    return List.copyOf(poems);
  }

  /**
   * Returns one bundled poem.
   *
   * @param name its name, e.g. {@code deferred}
   * @return the poem
   * @throws IllegalArgumentException if there is no such poem
   */
  public static Poem named(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no bundled poem named " + name + "; there are " + NAMES);
    }
    try (InputStream in = Poems.class.getResourceAsStream("poems/" + name + ".txt")) {
      if (in == null) {
        throw new IllegalStateException("the bundled poem " + name + " is missing from the jar");
      }
      return new Poem(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled poem " + name, e);
    }
  }
}
