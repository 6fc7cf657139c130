package dev.braid.poetry;

import dev.braid.defer.Deferred;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The transforms of the transform server (the tutorial's {@code TransformService}, Part 12):
 *
 * <ul>
 *   <li>{@code cummingsify}: lower-cases the poem, as the tutorial does;
 *   <li>{@code shout}: upper-cases it;
 *   <li>{@code reverse}: writes each line backwards (by code point, so no character is split);
 *   <li>{@code fail}: always fails, to show a client falling back to the original poem.
 * </ul>
 *
 * Case changes use {@link Locale#ROOT}, so the result does not depend on the machine's language.
 *
 * <p>Thread-safe: it holds no state.
 */
public final class TransformService implements Transformer {
  private final Map<String, Transform> transforms;

  private record Transform(String description, UnaryOperator<String> function) {}

  private TransformService(Map<String, Transform> transforms) {
    this.transforms = transforms;
  }

  /** {@return the service with the standard transforms listed in the class comment} */
  public static TransformService standard() {
    Map<String, Transform> t = new LinkedHashMap<>();
    t.put("cummingsify", new Transform("lower-case", p -> p.toLowerCase(Locale.ROOT)));
    t.put("shout", new Transform("UPPER-CASE", p -> p.toUpperCase(Locale.ROOT)));
    t.put("reverse", new Transform("each line backwards", TransformService::reverseLines));
    t.put(
        "fail",
        new Transform(
            "always fails",
            p -> {
              throw new IllegalStateException("the 'fail' transform always fails");
            }));
    return new TransformService(Collections.unmodifiableMap(t));
  }

  /**
   * {@return the transforms' names and what each does (name to description, unmodifiable), in a
   * stable order}
   */
  public Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    transforms.forEach((name, t) -> d.put(name, t.description()));
    return Collections.unmodifiableMap(d);
  }

  /**
   * Transforms {@code poem} now.
   *
   * @param name the transform's name
   * @param poem the poem's text
   * @return the transformed poem
   * @throws TransformException if there is no such transform, or it failed
   */
  public String transform(String name, String poem) throws TransformException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(poem, "poem");
    Transform t = transforms.get(name);
    if (t == null) {
      throw new TransformException("unknown transform: '" + name + "'");
    }
    try {
      return t.function().apply(poem);
    } catch (RuntimeException e) {
      throw new TransformException("the transform '" + name + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Transforms {@code poem} and returns an already-fired Deferred ({@code maybeDeferred} around
   * {@link #transform}), so a local service and a remote one look the same to their callers.
   *
   * @param name the transform's name
   * @param poem the poem's text
   * @return a fired Deferred of the transformed poem, or failed with {@link TransformException}
   */
  @Override
  public Deferred<String> xform(String name, String poem) {
    return Deferred.maybeDeferred(() -> transform(name, poem));
  }

  static String reverseLines(String poem) {
    StringBuilder out = new StringBuilder(poem.length());
    int start = 0;
    while (start <= poem.length()) {
      int end = poem.indexOf('\n', start);
      if (end < 0) {
        end = poem.length();
      }
      int lineEnd = end > start && poem.charAt(end - 1) == '\r' ? end - 1 : end;
      out.append(new StringBuilder(poem.substring(start, lineEnd)).reverse());
      out.append(poem, lineEnd, end);
      if (end == poem.length()) {
        break;
      }
      out.append('\n');
      start = end + 1;
    }
    return out.toString();
  }
}
