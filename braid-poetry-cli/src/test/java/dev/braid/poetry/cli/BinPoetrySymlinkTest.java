package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/poetry} run through symlinks, as it is once linked onto the PATH: it finds the
 * repository from its real location. The test cannot rely on the build's jar (tests run before
 * {@code package}), so it accepts either outcome that proves the repository was found: {@code
 * --version} printed (the jar is there from an earlier build), or the "not built yet" message
 * naming the real repository. A script that looked next to the link says "not built yet" naming the
 * link's parent directory instead.
 */
class BinPoetrySymlinkTest {
  @TempDir Path dir;
  Path script;
  Path repository;
  final List<Path> links = new ArrayList<>();

  /** Makes a symlink, removed after the test (JUnit's TempDir warns about links leading out). */
  private Path link(Path link, Path target) throws IOException {
    links.add(link);
    return Files.createSymbolicLink(link, target);
  }

  @AfterEach
  void removeTheLinks() throws IOException {
    for (Path link : links.reversed()) {
      Files.deleteIfExists(link);
    }
  }

  @BeforeEach
  void findTheScript() throws IOException {
    assumeThat(Path.of("/bin/bash")).as("bin/poetry is a bash script").exists();
    script = Path.of("../bin/poetry").toRealPath();
    repository = script.getParent().getParent();
  }

  private void assertRunsFromTheRepository(Child child) {
    int status = child.waitFor();
    boolean built =
        Files.isRegularFile(repository.resolve("braid-poetry-cli/target/braid-poetry-cli.jar"))
            && Files.isDirectory(repository.resolve("braid-poetry-cli/target/lib"));
    if (built) {
      assertThat(status).as("stderr: %s", child.errText()).isZero();
      assertThat(child.outText()).startsWith("poetry (Braid) ");
    } else {
      assertThat(status).isEqualTo(1);
      assertThat(child.errText())
          .startsWith("poetry: not built yet; build it first, from " + repository + ":\n");
    }
  }

  @Test
  void anAbsoluteSymlinkInAnotherDirectoryRuns() throws IOException {
    Path link = link(dir.resolve("poetry"), script);
    assertRunsFromTheRepository(Child.start(List.of(link.toString(), "--version"), Map.of(), dir));
  }

  @Test
  void aRelativeSymlinkToASymlinkRuns() throws IOException {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b/bin"));
    link(a.resolve("poetry"), script);
    Path link = link(b.resolve("poetry"), Path.of("../../a/poetry"));
    assertRunsFromTheRepository(Child.start(List.of(link.toString(), "--version"), Map.of(), dir));
  }

  @Test
  void aSymlinkFoundOnThePathRuns() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    link(bin.resolve("poetry"), script);
    String path = bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    assertRunsFromTheRepository(
        Child.start(List.of("/bin/bash", "-c", "poetry --version"), Map.of("PATH", path), dir));
  }
}
