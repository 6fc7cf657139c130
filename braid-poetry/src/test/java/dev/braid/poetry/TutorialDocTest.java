package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/tutorial.md} honest: every snippet tagged in {@link TutorialSnippetsTest}
 * (which compiles and runs) appears in the document verbatim as a {@code java} code block, and the
 * document has no {@code java} code block that is not one of them.
 */
class TutorialDocTest {
  static final Path SNIPPETS = Path.of("src/test/java/dev/braid/poetry/TutorialSnippetsTest.java");
  static final Path DOC = Path.of("../docs/tutorial.md");
  private static final Pattern TAG = Pattern.compile("^\\s*// tag::([a-z0-9-]+)\\[\\]\\s*$");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /** The tagged regions of the snippet file, their common indentation removed, in file order. */
  static Map<String, String> snippets() throws IOException {
    List<String> lines = Files.readAllLines(SNIPPETS, StandardCharsets.UTF_8);
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = TAG.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      List<String> body = new ArrayList<>();
      int j = i + 1;
      while (!lines.get(j).strip().equals("// end::" + name + "[]")) {
        body.add(lines.get(j));
        j++;
      }
      while (!body.isEmpty() && body.get(body.size() - 1).isBlank()) {
        body.remove(body.size() - 1);
      }
      int indent =
          body.stream()
              .filter(l -> !l.isBlank())
              .mapToInt(l -> l.length() - l.stripLeading().length())
              .min()
              .orElse(0);
      StringBuilder sb = new StringBuilder();
      for (String l : body) {
        sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
      }
      result.put(name, sb.toString());
    }
    return result;
  }

  @Test
  void everySnippetAppearsInTheTutorialVerbatim() throws IOException {
    Map<String, String> snippets = snippets();
    assertThat(snippets)
        .containsKeys(
            "get-poetry",
            "client-4",
            "exercises-8",
            "client-6",
            "errback-recovers",
            "proxy-1",
            "proxy-2",
            "proxy-3");
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (Map.Entry<String, String> s : snippets.entrySet()) {
      assertThat(doc).as("snippet %s", s.getKey()).contains("```java\n" + s.getValue() + "```");
    }
  }

  @Test
  void theTutorialHasNoJavaThatIsNotRunByATest() throws IOException {
    Map<String, String> snippets = snippets();
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    Matcher m = JAVA_BLOCK.matcher(doc);
    int blocks = 0;
    while (m.find()) {
      blocks++;
      assertThat(snippets.values())
          .as("java block %d of docs/tutorial.md", blocks)
          .contains(m.group(1));
    }
    assertThat(blocks).isEqualTo(snippets.size());
  }
}
