package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.Poems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without native access (a launcher that forgot {@code --enable-native-access}, a
 * library user who never heard of it) runs the reactor on {@code java.nio} and says so in one log
 * line naming the flag, without the JDK's warning about restricted methods.
 */
@Tag("loopback")
class TransportFallbackProcessTest {
  @TempDir Path dir;

  @Test
  void withoutNativeAccessAServerRunsOnJavaNioAndSaysWhyInOneLine() throws Exception {
    Path poem = Files.write(dir.resolve("poem.txt"), Poems.named("deferred").bytes());
    try (PoetryProcess server = PoetryProcess.startWithOnly(List.of(), "serve", poem.toString())) {
      server.port();
      String line = server.awaitErr("the native transport is not available");
      assertThat(line)
          .contains("native access is not enabled: run java with --enable-native-access=")
          .endsWith("reactors use java.nio");
      List<String> err = server.err().lines().toList();
      assertThat(err).filteredOn(l -> l.contains("native transport")).containsExactly(line);
      assertThat(err).noneMatch(l -> l.startsWith("WARNING"));
    }
  }
}
