package dev.braid.reactor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed endpoint string in Twisted's syntax: {@code type:arg:arg:key=value:...}. Fields are
 * separated by {@code :}; a backslash makes the next character literal ({@code interface=\:\:1}); a
 * field with an unescaped {@code =} is a keyword argument, any other a positional one.
 *
 * @param text the string as given, for error messages
 * @param type the endpoint type, lower-cased ("tcp")
 * @param args the positional arguments, in order
 * @param kwargs the keyword arguments, in order
 */
record EndpointDescription(
    String text, String type, List<String> args, Map<String, String> kwargs) {

  static EndpointDescription parse(String text) {
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
    return new EndpointDescription(text, type, List.copyOf(args), kwargs);
  }
}
