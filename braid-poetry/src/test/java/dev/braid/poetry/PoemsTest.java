package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PoemsTest {
  @Test
  void fourBundledPoemsOfUtf8TextWithNonAsciiCharacters() {
    assertThat(Poems.bundled())
        .extracting(Poems.Poem::name)
        .containsExactly("the_reactor", "deferred", "cafe_at_midnight", "single_flight");
    for (Poems.Poem p : Poems.bundled()) {
      assertThat(p.text()).as(p.name()).matches("(?s).*[^\\x00-\\x7f].*").endsWith("\n");
      assertThat(new String(p.bytes(), StandardCharsets.UTF_8)).isEqualTo(p.text());
      assertThat(p.bytes().length).as("bytes, not chars").isGreaterThan(p.text().length());
    }
    assertThat(Poems.named("cafe_at_midnight").title()).isEqualTo("Café at Midnight");
    assertThat(Poems.named("single_flight").bytes()).hasSizeGreaterThan(800);
  }

  @Test
  void anUnknownNameIsRefused() {
    assertThatThrownBy(() -> Poems.named("ozymandias"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no bundled poem named ozymandias");
  }
}
