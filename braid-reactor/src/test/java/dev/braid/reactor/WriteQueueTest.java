package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteQueueTest {
  private final WriteQueue queue = new WriteQueue();

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Drains the queue through a buffer of {@code capacity}, taking {@code take} bytes per round. */
  private String drain(int capacity, int take) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(capacity);
    while (!queue.isEmpty()) {
      buffer.clear();
      queue.fill(buffer);
      buffer.flip();
      int n = Math.min(take, buffer.remaining());
      out.write(buffer.array(), 0, n);
      queue.consume(n);
    }
    return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void keepsOrderAcrossArraysAndPartialConsumption() {
    queue.add(bytes("hello "), 0);
    queue.add(bytes("wide "), 0);
    queue.add(bytes("world"), 0);
    assertThat(queue.bytes()).isEqualTo(16);
    assertThat(drain(7, 3)).isEqualTo("hello wide world");
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void theFirstArrayMayStartAtAnOffset() {
    queue.add(bytes("xxabc"), 2);
    queue.add(bytes("def"), 0);
    assertThat(queue.bytes()).isEqualTo(6);
    assertThat(drain(64, 64)).isEqualTo("abcdef");
  }

  @Test
  void growsPastItsInitialRing() {
    StringBuilder expected = new StringBuilder();
    Random random = new Random(42);
    for (int i = 0; i < 1_000; i++) {
      String piece = "p" + i + ";";
      expected.append(piece);
      queue.add(bytes(piece), 0);
      if (random.nextInt(3) == 0) {
        // interleave some draining so the ring wraps
        ByteBuffer buffer = ByteBuffer.allocate(5);
        queue.fill(buffer);
        buffer.flip();
        String got = new String(buffer.array(), 0, buffer.remaining());
        assertThat(expected.substring(0, got.length())).isEqualTo(got);
        expected.delete(0, got.length());
        queue.consume(got.length());
      }
    }
    assertThat(drain(13, 11)).isEqualTo(expected.toString());
  }

  @Test
  void clearDropsEverything() {
    queue.add(bytes("abc"), 0);
    queue.clear();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.bytes()).isZero();
  }
}
