package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Naming and choosing a reactor's I/O backend, without opening anything. */
class IoBackendTest {
  @Test
  void namesAreParsedInAnyCaseAndUnknownOnesSayWhichAreKnown() {
    assertThat(IoBackend.parse("nio")).isEqualTo(IoBackend.NIO);
    assertThat(IoBackend.parse(" Native ")).isEqualTo(IoBackend.NATIVE);
    assertThat(IoBackend.NATIVE.cliName()).isEqualTo("native");
    assertThatThrownBy(() -> IoBackend.parse("epoll"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown transport 'epoll': expected native or nio");
  }

  @Test
  void javaNioIsAvailableEverywhereAndAReactorMadeOnItSaysSo() {
    assertThat(IoBackend.NIO.unavailableReason()).isEmpty();
    SelectorReactor reactor = SelectorReactor.create(IoBackend.NIO);
    assertThat(reactor.ioBackend()).isEqualTo(IoBackend.NIO);
    assertThat(reactor.toString()).endsWith("{new, nio}");
  }

  @Test
  void theNativeBackendWhereItCannotLoadIsRefusedSayingWhy() {
    IoBackend.NATIVE
        .unavailableReason()
        .ifPresentOrElse(
            why ->
                assertThatThrownBy(() -> SelectorReactor.create(IoBackend.NATIVE))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("the native transport is not available here: " + why),
            () ->
                assertThat(SelectorReactor.create(IoBackend.NATIVE).ioBackend())
                    .isEqualTo(IoBackend.NATIVE));
  }
}
