package dev.braid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The mapper behind {@link Response#json}: Jackson's defaults. Immutable once built and safe to
 * share between threads and reactors (it holds no reactor state).
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
