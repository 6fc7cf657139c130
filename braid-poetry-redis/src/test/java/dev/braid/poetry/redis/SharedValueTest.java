package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.Poems;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SharedValueTest {
  static final byte[] POEM = Poems.named("cafe_at_midnight").bytes();

  @Test
  void aPoemComesBackAsItWasStored() {
    assertThat(SharedValue.decode(SharedValue.encode(POEM))).isEqualTo(POEM);
  }

  @Test
  void aValueCutShortOrChangedIsNotAPoem() {
    byte[] stored = SharedValue.encode(POEM);
    for (int length = 0; length < stored.length; length++) {
      assertThat(SharedValue.decode(Arrays.copyOf(stored, length)))
          .as("cut at %d", length)
          .isNull();
    }
    for (int i = 0; i < stored.length; i++) {
      byte[] changed = stored.clone();
      changed[i] ^= 0x20;
      assertThat(SharedValue.decode(changed)).as("byte %d changed", i).isNull();
    }
  }

  @Test
  void anotherProgramsValueIsNotAPoem() {
    assertThat(SharedValue.decode("a poem".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(SharedValue.decode(null)).isNull();
  }
}
