package dev.braid.examples;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java honest, as {@code TutorialDocTest} does for the tutorial: every region of
 * the examples' sources tagged {@code // tag::readme-NAME[]} ... {@code // end::readme-NAME[]}
 * appears in {@code README.md} verbatim as a {@code java} code block (its common indentation
 * removed), and the README has no {@code java} block that is not one of them. The regions are in
 * programs that the build compiles and {@code ExamplesIT} runs, so the README shows code that
 * works.
 */
class ReadmeSnippetsTest {
  static final Path SOURCES = Path.of("src/main/java");
  static final Path README = Path.of("../README.md");
  private static final Pattern TAG = Pattern.compile("^\\s*// tag::([a-z0-9-]+)\\[\\]\\s*$");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /** The tagged regions of every source file, by name, their common indentation removed. */
  static Map<String, String> snippets() throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = TAG.matcher(lines.get(i));
        if (m.matches()) {
          String name = m.group(1);
          assertThat(result).as("tag %s in %s is used once", name, file).doesNotContainKey(name);
          result.put(name, region(lines, i + 1, name, file));
        }
      }
    }
    return result;
  }

  private static String region(List<String> lines, int start, String name, Path file) {
    List<String> body = new ArrayList<>();
    int j = start;
    while (!lines.get(j).strip().equals("// end::" + name + "[]")) {
      body.add(lines.get(j));
      j++;
      assertThat(j).as("end::%s[] in %s", name, file).isLessThan(lines.size());
    }
    while (!body.isEmpty() && body.getLast().isBlank()) {
      body.removeLast();
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
    return sb.toString();
  }

  @Test
  void everyReadmeSnippetAppearsInTheReadmeVerbatim() throws IOException {
    Map<String, String> snippets = snippets();
    assertThat(snippets.keySet())
        .contains(
            "readme-deferred",
            "readme-async",
            "readme-reactor",
            "readme-getpage",
            "readme-request");
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    snippets.forEach(
        (name, code) -> {
          if (name.startsWith("readme-")) {
            assertThat(readme).as("snippet %s", name).contains("```java\n" + code + "```");
          }
        });
  }

  @Test
  void theReadmeHasNoJavaThatIsNotAnExample() throws IOException {
    Map<String, String> snippets = snippets();
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    Matcher m = JAVA_BLOCK.matcher(readme);
    int blocks = 0;
    while (m.find()) {
      blocks++;
      assertThat(snippets.values()).as("java block %d of README.md", blocks).contains(m.group(1));
    }
    assertThat(blocks)
        .isEqualTo(snippets.keySet().stream().filter(n -> n.startsWith("readme-")).count());
  }
}
