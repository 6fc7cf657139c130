package dev.braid.reactor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed endpoint string in Twisted's syntax: {@code type:arg:arg:key=value:...}. Fields are
 * separated by {@code :}; a backslash makes the next character literal ({@code interface=\:\:1}); a
 * field with an unescaped {@code =} is a keyword argument, any other a positional one.
 *
 * <p>Public so that parsers of other endpoint types (TLS's {@code ssl:} and {@code tls:}, in
 * braid-tls) read the same syntax and hand their TCP part to {@link Endpoints}: see {@link
 * #narrowed}. Immutable.
 *
 * @param text the string as given, for error messages
 * @param type the endpoint type, lower-cased ("tcp")
 * @param args the positional arguments, in order
 * @param kwargs the keyword arguments, in order
 */
public record EndpointDescription(
    String text, String type, List<String> args, Map<String, String> kwargs) {

  /**
   * Copies the arguments, so the description cannot change.
   *
   * @param text the string as given, for error messages
   * @param type the endpoint type, lower-cased
   * @param args the positional arguments, in order
   * @param kwargs the keyword arguments, in order
   */
  public EndpointDescription {
    args = List.copyOf(args);
    kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
  }

  /**
   * The same description as another type with only some keyword arguments, keeping the text as
   * given for error messages: how a TLS parser hands {@code ssl:10000:privateKey=k.pem} to {@link
   * Endpoints#serverFromDescription} as {@code tcp:10000}.
   *
   * @param newType the type of the narrowed description, e.g. "tcp"
   * @param keep the names of the keyword arguments to keep
   * @return the narrowed description
   */
  public EndpointDescription narrowed(String newType, Set<String> keep) {
    Map<String, String> kept = new LinkedHashMap<>();
    kwargs.forEach(
        (key, value) -> {
          if (keep.contains(key)) {
            kept.put(key, value);
          }
        });
    return new EndpointDescription(text, newType, args, kept);
  }

  /**
   * Parses an endpoint string.
   *
   * @param text the string, e.g. {@code tcp:10000:interface=127.0.0.1}
   * @return its parts
   * @throws IllegalArgumentException if it is empty, has no type, ends with a lone backslash or
   *     names a keyword argument twice
   */
  public static EndpointDescription parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty endpoint description");
    }
    List<String> fields = new ArrayList<>();
    List<Integer> equalsAt = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int firstEquals = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 == text.length()) {
          throw new IllegalArgumentException(
              "endpoint description ends with a lone backslash: '" + text + "'");
        }
        field.append(text.charAt(++i));
      } else if (c == ':') {
        fields.add(field.toString());
        equalsAt.add(firstEquals);
        field.setLength(0);
        firstEquals = -1;
      } else {
        if (c == '=' && firstEquals < 0) {
          firstEquals = field.length();
        }
        field.append(c);
      }
    }
    fields.add(field.toString());
    equalsAt.add(firstEquals);

    String type = fields.get(0).toLowerCase(Locale.ROOT);
    if (type.isEmpty() || equalsAt.get(0) >= 0) {
      throw new IllegalArgumentException(
          "endpoint description must start with a type such as 'tcp:': '" + text + "'");
    }
    List<String> args = new ArrayList<>();
    Map<String, String> kwargs = new LinkedHashMap<>();
    for (int i = 1; i < fields.size(); i++) {
      String f = fields.get(i);
      int eq = equalsAt.get(i);
      if (eq < 0) {
        args.add(f);
      } else {
        String key = f.substring(0, eq);
        if (key.isEmpty()) {
          throw new IllegalArgumentException("empty parameter name in '" + text + "'");
        }
        if (kwargs.put(key, f.substring(eq + 1)) != null) {
          throw new IllegalArgumentException(
              "parameter '" + key + "' given twice in '" + text + "'");
        }
      }
    }
    return new EndpointDescription(text, type, args, kwargs);
  }
}
