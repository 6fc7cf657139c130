package dev.braid.tls;

import dev.braid.tls.TlsException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the JDK's engine threw into a {@link TlsException} that names the peer and says what
 * went wrong in plain words, keeping the JDK's message in parentheses and the exception as the
 * cause. The JDK has no codes for most of these, so the classification reads exception types first
 * and messages second; anything unrecognised is {@link Kind#HANDSHAKE_FAILED} (during the
 * handshake) or {@link Kind#PROTOCOL_ERROR} (after).
 */
final class Failures {
  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");
  private static final Pattern ALERT_PREFIX = Pattern.compile("^\\(\\w+\\) ");
  private static final Pattern HTTP_METHOD =
      Pattern.compile("^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PRI) ");

  private Failures() {}

  /**
   * Classifies {@code error}.
   *
   * @param client whether this end is the client (so the peer is the server)
   * @param peer the peer's name for the message
   * @param handshakeDone whether the handshake had finished
   * @param firstBytes the first bytes the peer sent (for "not TLS"), possibly empty
   */
  static TlsException classify(
      Throwable error, boolean client, String peer, boolean handshakeDone, byte[] firstBytes) {
    String peerRole = client ? "server" : "client";
    String detail = detail(error);
    Kind kind = kind(error, handshakeDone);
    String why =
        switch (kind) {
          case UNTRUSTED_CERTIFICATE -> "the " + peerRole + "'s certificate is not trusted";
          case EXPIRED_CERTIFICATE ->
              "the " + peerRole + "'s certificate has expired or is not yet valid";
          case HOST_NAME_MISMATCH -> "the server's certificate is not valid for that host name";
          case CERTIFICATE_REJECTED -> "the " + peerRole + " rejected this end's certificate";
          case CLIENT_CERTIFICATE_REQUIRED ->
              client
                  ? "the server requires a client certificate"
                  : "the client presented no certificate, and one is required";
          case PROTOCOL_VERSION -> "no TLS version in common";
          case NO_APPLICATION_PROTOCOL -> "no application protocol (ALPN) in common";
          case NOT_TLS -> "the " + peerRole + " does not speak TLS" + notTls(firstBytes);
          case RENEGOTIATION_REFUSED -> "the " + peerRole + " tried to renegotiate; refused";
          default -> kind.description();
        };
    return create(kind, peer, handshakeDone, why + " (" + detail + ")", error);
  }

  /** A failure Braid detects itself (timeouts, closes, renegotiation). */
  static TlsException create(
      Kind kind, String peer, boolean handshakeDone, String why, Throwable cause) {
    String message =
        (handshakeDone ? "TLS with " : "TLS handshake with ") + peer + " failed: " + why;
    return new TlsException(kind, peer, message, cause);
  }

  private static Kind kind(Throwable error, boolean handshakeDone) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return Kind.EXPIRED_CERTIFICATE;
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return Kind.HOST_NAME_MISMATCH;
      }
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || m.contains("unable to find valid certification path")
          || m.contains("PKIX path")) {
        return Kind.UNTRUSTED_CERTIFICATE;
      }
    }
    String m = String.valueOf(error.getMessage());
    Matcher alert = ALERT.matcher(m);
    if (alert.find()) {
      return switch (alert.group(1)) {
        case "bad_certificate",
            "certificate_unknown",
            "unknown_ca",
            "certificate_expired",
            "certificate_revoked",
            "unsupported_certificate",
            "access_denied" ->
            Kind.CERTIFICATE_REJECTED;
        case "certificate_required" -> Kind.CLIENT_CERTIFICATE_REQUIRED;
        case "protocol_version" -> Kind.PROTOCOL_VERSION;
        case "no_application_protocol" -> Kind.NO_APPLICATION_PROTOCOL;
        default -> handshakeDone ? Kind.PROTOCOL_ERROR : Kind.HANDSHAKE_FAILED;
      };
    }
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("empty client certificate chain")
        || lower.contains("empty server certificate chain")) {
      return Kind.CLIENT_CERTIFICATE_REQUIRED;
    }
    if (lower.contains("no appropriate protocol")
        || lower.contains("protocol versions")
        || lower.contains("server preferences")
        || lower.contains("requested protocol")
        || lower.contains("selected protocol version")) {
      return Kind.PROTOCOL_VERSION;
    }
    if (lower.contains("application layer protocol") || lower.contains("application protocol")) {
      return Kind.NO_APPLICATION_PROTOCOL;
    }
    if (!handshakeDone
        && (lower.contains("unrecognized ssl message")
            || lower.contains("unsupported or unrecognized")
            || lower.contains("plaintext connection"))) {
      return Kind.NOT_TLS;
    }
    return handshakeDone ? Kind.PROTOCOL_ERROR : Kind.HANDSHAKE_FAILED;
  }

  /** The most telling message of the chain: the deepest one that says something. */
  private static String detail(Throwable error) {
    String best = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        best = t.getMessage();
        if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
          break;
        }
      }
    }
    if (best == null) {
      return error.getClass().getSimpleName();
    }
    // The JDK prefixes nested messages with their class names, and alerts with their names in
    // parentheses ("(certificate_unknown) Received fatal alert: ..."); keep the words.
    int colon = best.lastIndexOf("Exception: ");
    String words = colon >= 0 ? best.substring(colon + "Exception: ".length()) : best;
    return ALERT_PREFIX.matcher(words).replaceFirst("");
  }

  private static String notTls(byte[] firstBytes) {
    if (firstBytes.length == 0) {
      return "";
    }
    String ascii = new String(firstBytes, StandardCharsets.ISO_8859_1);
    if (HTTP_METHOD.matcher(ascii).find()) {
      return ": it sent a plaintext HTTP request";
    }
    return ": its first bytes are " + HexFormat.ofDelimiter(" ").formatHex(firstBytes);
  }
}
