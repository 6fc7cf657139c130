package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.braid.poetry.PoetryClient;
import dev.braid.reactor.IoBackend;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --transport native|nio}: every command takes it, before or after its name, and its reactor
 * runs on the transport named (a server's every reactor, with {@code --reactors}); without it the
 * reactor runs on the default one.
 */
@Tag("loopback")
class TransportOptionTest {
  @TempDir Path dir;

  /** Runs {@code get} against a port nobody listens on: it fails fast, having made its reactor. */
  private static SelectorReactor reactorOfAFailedGet(String... options) throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    TestEnv t = TestEnv.redirected();
    String[] args = new String[options.length + 1];
    System.arraycopy(options, 0, args, 0, options.length);
    args[options.length] = Integer.toString(port);
    assertThat(t.run(args)).as(t.err.text()).isEqualTo(Cli.FAILED);
    assertThat(t.err.text()).contains("refused");
    assertThat(t.reactors).hasSize(1);
    return t.reactors.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "NIO"})
  void transportNioRunsTheCommandOnJavaNio(String name) throws IOException {
    assertThat(reactorOfAFailedGet("get", "--transport", name).ioBackend())
        .isEqualTo(IoBackend.NIO);
  }

  @Test
  void theOptionMayComeBeforeTheCommandsName() throws IOException {
    assertThat(reactorOfAFailedGet("--transport", "nio", "get").ioBackend())
        .isEqualTo(IoBackend.NIO);
  }

  @Test
  void transportNativeRunsTheCommandOnTheNativeTransportWhereItLoads() throws IOException {
    if (IoBackend.NATIVE.isAvailable()) {
      assertThat(reactorOfAFailedGet("get", "--transport", "native").ioBackend())
          .isEqualTo(IoBackend.NATIVE);
    } else {
      TestEnv t = TestEnv.redirected();
      assertThat(t.run("get", "--transport", "native", "10000")).isEqualTo(Cli.USAGE);
      assertThat(t.err.text())
          .startsWith("poetry get: the native transport is not available here: ")
          .doesNotContain("Exception");
    }
  }

  @Test
  void withoutTheOptionTheReactorRunsOnTheDefaultTransport() throws IOException {
    assertThat(reactorOfAFailedGet("get").ioBackend()).isEqualTo(IoBackend.preferred());
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "transform-server", "get", "proxy", "transform-proxy", "demo"})
  void everyCommandDescribesTheOption(String command) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command, "--help")).isZero();
    assertThat(t.out.text()).contains("--transport=native|nio").contains("epoll");
  }

  @ParameterizedTest
  @EnumSource(IoBackend.class)
  void serveOnTwoReactorsRunsEachOnTheTransportNamed(IoBackend backend) throws IOException {
    assumeThat(backend.isAvailable()).as("%s loads here", backend).isTrue();
    Path file = Files.write(dir.resolve("poem.txt"), ServerCommandsTest.POEM.bytes());
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server =
        t.start("serve", "--reactors", "2", "--transport", backend.cliName(), file.toString());
    int port =
        ServerCommandsTest.port(
            server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) \\(2 reactors\\)\\.");
    try (RunningReactor client = RunningReactor.start()) {
      for (int i = 0; i < 20; i++) {
        assertThat(
                client.await(() -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, null)))
            .isEqualTo(ServerCommandsTest.POEM.bytes());
      }
    }
    assertThat(t.reactors).hasSize(2).extracting(SelectorReactor::ioBackend).containsOnly(backend);
    assertThat(server.stop()).isZero();
    assertThat(t.err.text()).isEmpty();
  }
}
