package dev.braid.poetry.cli;

import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemCacheProvider;
import dev.braid.poetry.PoetryClientFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The command line's value converters; each error message is one line naming the value. */
final class Converters {
  private Converters() {}

  /** A poetry or transform server to connect to: {@code [host:]port}, port 1–65535. */
  static final class ServerAddress implements ITypeConverter<Address> {
    @Override
    public Address convert(String value) {
      try {
        return Address.parse(value, false);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * A shared cache's URL ({@code proxy --cache}): checked, without connecting, by the installed
   * {@link PoemCacheProvider} of its scheme ({@code redis://} and {@code rediss://} from
   * braid-poetry-redis).
   */
  static final class CacheUrl implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      PoemCacheProvider provider = provider(value);
      try {
        provider.check(value, System.getenv());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return value;
    }

    static PoemCache open(String url, PoemCacheProvider.Settings settings) {
      return provider(url).open(url, settings);
    }

    private static PoemCacheProvider provider(String value) {
      return PoemCacheProvider.find(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "invalid cache '"
                          + redact(value)
                          + "': expected redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]"
                          + (value.startsWith("redis") && value.contains("://")
                              ? " (braid-poetry-redis, which opens them, is not installed)"
                              : "")));
    }

    /** The URL without whatever sits between {@code //} and {@code @}: no password shows. */
    static String redact(String url) {
      int start = url.indexOf("//");
      int at = url.indexOf('@', Math.max(start, 0));
      return start >= 0 && at > start
          ? url.substring(0, start + 2) + "***" + url.substring(at)
          : url;
    }
  }

  /** A port to listen on: 0 (any free port) to 65535. */
  static final class ListenPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Address.parsePort(value, value.strip(), true);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "invalid port '" + value + "': the port must be a number from 0 to 65535");
      }
    }
  }

  /** A number of seconds, not negative, decimals allowed: {@code 0.5}, {@code 10}. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return seconds(value);
    }
  }

  /** A positive number of seconds, decimals allowed: {@code 0.5}, {@code 30}. */
  static final class PositiveSeconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = seconds(value);
      } catch (TypeConversionException e) {
        d = null;
      }
      if (d == null || d.isZero()) {
        throw new TypeConversionException(
            "invalid number of seconds '"
                + value
                + "': expected a positive number, e.g. 0.5 or 30");
      }
      return d;
    }
  }

  /** A positive whole number (bytes, connections). */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("invalid number '" + value + "': expected 1 or more");
    }
  }

  /** A number of reactors: from 1 to {@link Listen#MAX_REACTORS}. */
  static final class Reactors implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1 && n <= Listen.MAX_REACTORS) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException(
          "invalid number of reactors '"
              + value
              + "': expected 1 to "
              + Listen.MAX_REACTORS
              + " (one thread each)");
    }
  }

  /**
   * A number of bytes: plain ({@code 1048576}) or with a unit, K, M or G (powers of 1024; {@code
   * KiB}, {@code MiB}, {@code GiB} too, in any case): {@code 500K}, {@code 64M}, {@code 1G}. From 1
   * byte to {@link PoetryClientFactory#MAX_POEM_BYTES}, the largest poem a client can hold.
   */
  static final class PoemSize implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg](?:i?b)?|b)?");

    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (m.matches()) {
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        long scale =
            switch (unit) {
              case "k" -> 1L << 10;
              case "m" -> 1L << 20;
              case "g" -> 1L << 30;
              default -> 1;
            };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(scale));
        if (bytes.compareTo(BigDecimal.ONE) >= 0
            && bytes.compareTo(BigDecimal.valueOf(PoetryClientFactory.MAX_POEM_BYTES)) <= 0) {
          return bytes.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        }
      }
      throw new TypeConversionException(
          "invalid size '"
              + value
              + "': expected bytes or a number with K, M or G (powers of 1024), e.g. 64M, from 1"
              + " byte to 2 GiB");
    }
  }

  /**
   * A duration: {@code 2h}, {@code 90m}, {@code 30s}, {@code 1h30m}, {@code 500ms}, an ISO-8601
   * duration ({@code PT2H}), or plain seconds ({@code 7200}); zero ({@code 0}, {@code 0s}) is
   * allowed, for "none". Never negative.
   */
  static final class Ttl implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s|d)");

    @Override
    public Duration convert(String value) {
      Duration d = parse(value.strip().toLowerCase(Locale.ROOT));
      if (d == null || d.isNegative()) {
        throw new TypeConversionException(
            "invalid duration '" + value + "': expected e.g. 2h, 30m, 90s, 1h30m, 7200 or 0");
      }
      return d;
    }

    private static Duration parse(String s) {
      if (s.isEmpty()) {
        return null;
      }
      if (s.startsWith("pt") || s.startsWith("p")) {
        try {
          return Duration.parse(s.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      if (s.matches("\\d+(\\.\\d+)?")) {
        return ofSeconds(new BigDecimal(s));
      }
      Matcher m = PART.matcher(s);
      Duration total = Duration.ZERO;
      int at = 0;
      while (m.find()) {
        if (m.start() != at) {
          return null;
        }
        BigDecimal n = new BigDecimal(m.group(1));
        BigDecimal unitSeconds =
            switch (m.group(2)) {
              case "ms" -> new BigDecimal("0.001");
              case "s" -> BigDecimal.ONE;
              case "m" -> BigDecimal.valueOf(60);
              case "h" -> BigDecimal.valueOf(3600);
              default -> BigDecimal.valueOf(86400);
            };
        total = total.plus(ofSeconds(n.multiply(unitSeconds)));
        at = m.end();
      }
      return at == s.length() ? total : null;
    }
  }

  static Duration seconds(String value) {
    String s = value.strip();
    if (s.matches("\\d+(\\.\\d+)?|\\.\\d+")) {
      Duration d = ofSeconds(new BigDecimal(s));
      if (d != null) {
        return d;
      }
    }
    throw new TypeConversionException(
        "invalid number of seconds '" + value + "': expected e.g. 0, 0.5 or 10");
  }

  private static Duration ofSeconds(BigDecimal seconds) {
    if (seconds.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
      return null;
    }
    BigDecimal nanos = seconds.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP);
    return Duration.ofNanos(nanos.longValueExact());
  }
}
