package dev.braid.poetry.cli;

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
import picocli.CommandLine;

/**
 * Keeps the {@code bin/poetry} command lines of the README and the tutorial honest: each one parses
 * (no option that does not exist, no bad value), the tutorial starts every server its {@code get}
 * lines talk to, and it uses the README's ports for the same servers.
 */
class DocCommandsTest {
  static final Path README = Path.of("../README.md");
  static final Path TUTORIAL = Path.of("../docs/tutorial.md");
  private static final Pattern INLINE = Pattern.compile("`(bin/poetry [^`]+)`");

  /** The command lines of a document: inline code, and lines of code blocks, comments dropped. */
  static List<List<String>> commands(Path doc) throws IOException {
    String text = Files.readString(doc, StandardCharsets.UTF_8).replace("\n  ", " ");
    List<List<String>> commands = new ArrayList<>();
    Matcher m = INLINE.matcher(text.replaceAll("\\s*\\n\\s*(?=[^`\\n]*`)", " "));
    while (m.find()) {
      commands.add(words(m.group(1)));
    }
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      if (line.startsWith("bin/poetry ")) {
        commands.add(words(line.replaceAll("\\s+#.*$", "")));
      }
    }
    // A placeholder is not a command line.
    commands.removeIf(c -> c.stream().anyMatch(w -> w.equals("COMMAND") || w.contains("...")));
    return commands;
  }

  private static List<String> words(String command) {
    List<String> w = new ArrayList<>(List.of(command.strip().split("\\s+")));
    w.remove(0); // bin/poetry
    w.replaceAll(word -> word.replace("$poems/", "poems/"));
    return w;
  }

  /** Parses {@code args} as {@code poetry} would, and returns the chosen command's object. */
  static Object parse(List<String> args) {
    CommandLine cl = Cli.commandLine(TestEnv.redirected().env());
    CommandLine.ParseResult result = cl.parseArgs(args.toArray(String[]::new));
    return result.hasSubcommand()
        ? result.subcommand().commandSpec().userObject()
        : result.commandSpec().userObject();
  }

  /** What each server command of a document starts: port to "command upstream". */
  static Map<Integer, String> servers(Path doc) throws IOException {
    Map<Integer, String> servers = new LinkedHashMap<>();
    for (List<String> c : commands(doc)) {
      switch (parse(c)) {
        case ServeCommand s ->
            servers.put(s.listen.port, s.delay.isZero() ? "serve" : "serve slow");
        case TransformServerCommand s -> servers.put(s.listen.port, "transform-server");
        case ProxyCommand p -> servers.put(p.listen.port, "proxy " + p.server);
        case TransformProxyCommand p -> servers.put(p.listen.port, "transform-proxy " + p.server);
        default -> {}
      }
    }
    servers.remove(0); // any free port
    return servers;
  }

  @Test
  void everyCommandLineInTheDocsParses() throws IOException {
    for (Path doc : List.of(README, TUTORIAL)) {
      List<List<String>> commands = commands(doc);
      assertThat(commands).as("%s has command lines", doc).hasSizeGreaterThan(5);
      for (List<String> c : commands) {
        try {
          parse(c);
        } catch (CommandLine.ParameterException e) {
          throw new AssertionError(doc + ": bin/poetry " + String.join(" ", c) + ": " + e, e);
        }
      }
    }
  }

  @Test
  void theTutorialStartsEveryServerItsGetLinesTalkTo() throws IOException {
    Map<Integer, String> started = servers(TUTORIAL);
    int gets = 0;
    for (List<String> c : commands(TUTORIAL)) {
      if (parse(c) instanceof GetCommand get) {
        gets++;
        List<Address> used = new ArrayList<>();
        for (String source : get.addressArgs) {
          used.add(Address.parse(source, false));
        }
        if (get.xformServer != null) {
          used.add(get.xformServer);
        }
        for (Address a : used) {
          assertThat(started)
              .as("bin/poetry %s: a server on %s is started in the tutorial", c, a)
              .containsKey(a.port());
        }
        if (get.xformServer != null) {
          assertThat(started.get(get.xformServer.port())).isEqualTo("transform-server");
        }
      }
    }
    assertThat(gets).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theTutorialUsesTheReadmesPorts() throws IOException {
    Map<Integer, String> readme = servers(README);
    Map<Integer, String> tutorial = servers(TUTORIAL);
    assertThat(tutorial).isNotEmpty();
    for (Map.Entry<Integer, String> server : tutorial.entrySet()) {
      assertThat(readme.get(server.getKey()))
          .as("the README's server on port %d", server.getKey())
          .isEqualTo(server.getValue());
    }
  }
}
