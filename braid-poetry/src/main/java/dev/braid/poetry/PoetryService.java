package dev.braid.poetry;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a poetry server serves: one poem, as UTF-8 bytes, and the {@link Pacing} to send it with.
 * The service part of the tutorial's service / protocol / factory split; {@link
 * PoetryServerFactory} builds the protocol that uses it.
 *
 * <p>Immutable and thread-safe: the poem is copied when the service is made and never handed out
 * for writing.
 */
public final class PoetryService {
  private final byte[] poem;
  private final Pacing pacing;

  private PoetryService(byte[] poem, Pacing pacing) {
    this.poem = poem;
    this.pacing = pacing;
  }

  /**
   * Serves {@code poem} with {@code pacing}.
   *
   * @param poem the poem's bytes (UTF-8 text, sent as they are); copied
   * @param pacing all at once, or in timed pieces
   * @return the service
   */
  public static PoetryService of(byte[] poem, Pacing pacing) {
    Objects.requireNonNull(poem, "poem");
    Objects.requireNonNull(pacing, "pacing");
    return new PoetryService(poem.clone(), pacing);
  }

  /**
   * Serves {@code poem}, encoded as UTF-8, with {@code pacing}.
   *
   * @param poem the poem's text
   * @param pacing all at once, or in timed pieces
   * @return the service
   */
  public static PoetryService of(String poem, Pacing pacing) {
    return of(poem.getBytes(StandardCharsets.UTF_8), pacing);
  }

  /** {@return the length of the poem in bytes, which each client receives} */
  public int length() {
    return poem.length;
  }

  /**
   * Returns {@code length} bytes of the poem from {@code offset}, as a new array.
   *
   * @param offset where the piece starts
   * @param length how many bytes; cut at the end of the poem
   * @return the piece
   */
  byte[] piece(int offset, int length) {
    int end = (int) Math.min(poem.length, (long) offset + length);
    byte[] piece = new byte[end - offset];
    System.arraycopy(poem, offset, piece, 0, piece.length);
    return piece;
  }

  /** The poem itself, not copied: for writing to transports, which never change it. */
  byte[] bytes() {
    return poem;
  }

  /** {@return the pacing: how the poem is sent} */
  public Pacing pacing() {
    return pacing;
  }

  @Override
  public String toString() {
    return "PoetryService{" + poem.length + " bytes, " + pacing + "}";
  }
}
