package dev.braid.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionDoneTest {
  @Test
  void cleanCloseCarriesNoStackTrace() {
    assertThat(new ConnectionDone().getStackTrace()).isEmpty();
    assertThat(new ConnectionDone("peer finished").getStackTrace()).isEmpty();
  }

  @Test
  void cleanCloseKeepsItsMessageAndHasNoCause() {
    ConnectionDone done = new ConnectionDone();

    assertThat(done).hasMessage("Connection was closed cleanly.").hasNoCause();
    assertThat(done).isInstanceOf(ConnectionEnd.class);
  }

  @Test
  void lostConnectionStillRecordsWhereItWasDetected() {
    assertThat(new ConnectionLost("reset", null).getStackTrace()).isNotEmpty();
  }
}
