package dev.braid.bench.load;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A load generator for TLS request-per-connection servers that shares no code with Braid: the JDK's
 * blocking {@link SSLSocket}, one platform thread per connection in flight. Each request is a full
 * handshake (a new {@link SSLContext} per connection, so no session is ever resumed), the server's
 * certificate verified against {@code --ca} for {@code --host}, then read to the end of the stream,
 * which must end with TLS's {@code close_notify} (a truncated stream is an error), then close. It
 * checks the byte count of every reply and prints one line:
 *
 * <pre>
 * requests=2000 errors=0 seconds=3.10 rps=645 p50_us=... p99_us=... server_cpu_us_per_req=...
 *   loadgen_cpu_share=... mib_per_s=... tls=TLSv1.3/TLS_AES_128_GCM_SHA256
 * </pre>
 *
 * <p>{@code --cipher} and {@code --protocol} restrict what the client offers, so that every server
 * measured negotiates the same suite. The rest as {@link LoadGenerator}.
 *
 * <p>Usage: {@code TlsLoadGenerator --port P [--host H] --ca CA.pem --requests N --concurrency C
 * --expect-bytes B [--server-pid PID] [--protocol TLSv1.3] [--cipher SUITE]}
 */
public final class TlsLoadGenerator {
  private TlsLoadGenerator() {}

  /**
   * Runs one load and prints its line; exits 1 if any request failed.
   *
   * @param args see the class comment
   * @throws Exception if the load cannot run at all
   */
  public static void main(String[] args) throws Exception {
    String host = "localhost";
    int port = -1;
    int requests = 1000;
    int concurrency = 8;
    long expect = -1;
    int pid = -1;
    String ca = null;
    String protocol = "TLSv1.3";
    String cipher = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--expect-bytes" -> expect = Long.parseLong(value);
        case "--server-pid" -> pid = Integer.parseInt(value);
        case "--ca" -> ca = value;
        case "--protocol" -> protocol = value;
        case "--cipher" -> cipher = value;
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (port < 0 || expect < 0 || ca == null) {
      throw new IllegalArgumentException("--port, --ca and --expect-bytes are required");
    }
    TrustManager[] trust = trustManagers(ca);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    long[] latencies = new long[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicReference<String> negotiated = new AtomicReference<>();
    String sniHost = host;
    String[] protocols = {protocol};
    String[] ciphers = cipher == null ? null : new String[] {cipher};
    long expectBytes = expect;
    int total = requests;

    long cpuBefore = pid > 0 ? ProcessCpu.nanos(pid) : 0;
    long ownBefore = ProcessCpu.nanos((int) ProcessHandle.current().pid());
    long start = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(concurrency);
    for (int t = 0; t < concurrency; t++) {
      threads.execute(
          () -> {
            byte[] buffer = new byte[64 * 1024];
            for (int i; (i = next.getAndIncrement()) < total; ) {
              long begin = System.nanoTime();
              try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust, null);
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                  var parameters = socket.getSSLParameters();
                  parameters.setProtocols(protocols);
                  if (ciphers != null) {
                    parameters.setCipherSuites(ciphers);
                  }
                  parameters.setEndpointIdentificationAlgorithm("HTTPS");
                  parameters.setServerNames(List.of(new SNIHostName(sniHost)));
                  socket.setSSLParameters(parameters);
                  socket.connect(address, 30_000);
                  socket.setSoTimeout(60_000);
                  socket.startHandshake();
                  long received = 0;
                  InputStream in = socket.getInputStream();
                  for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                  }
                  if (received != expectBytes) {
                    throw new IOException(
                        "received " + received + " bytes, expected " + expectBytes);
                  }
                  negotiated.compareAndSet(
                      null,
                      socket.getSession().getProtocol()
                          + "/"
                          + socket.getSession().getCipherSuite());
                }
                latencies[i] = System.nanoTime() - begin;
              } catch (Exception e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e.toString());
                latencies[i] = System.nanoTime() - begin;
              }
            }
          });
    }
    threads.shutdown();
    if (!threads.awaitTermination(1, TimeUnit.HOURS)) {
      throw new IllegalStateException("the load did not finish within an hour");
    }
    long elapsed = System.nanoTime() - start;
    long cpu = pid > 0 ? ProcessCpu.nanos(pid) - cpuBefore : -1;
    long own = ProcessCpu.nanos((int) ProcessHandle.current().pid()) - ownBefore;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    double seconds = elapsed / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "requests=%d errors=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d"
                + " server_cpu_us_per_req=%.1f loadgen_cpu_share=%.2f mib_per_s=%.1f tls=%s",
            requests,
            errors.get(),
            seconds,
            requests / seconds,
            sorted[sorted.length / 2] / 1000,
            sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * 0.99))] / 1000,
            cpu < 0 ? -1.0 : cpu / 1e3 / requests,
            own / (double) elapsed,
            expectBytes * (double) (requests - errors.get()) / (1 << 20) / seconds,
            negotiated.get()));
    if (firstError.get() != null) {
      System.out.println("first error: " + firstError.get());
    }
    System.exit(errors.get() == 0 ? 0 : 1);
  }

  private static TrustManager[] trustManagers(String caFile) throws Exception {
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    try (InputStream in = new FileInputStream(caFile)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.setCertificateEntry("ca-" + i++, c);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(roots);
    return factory.getTrustManagers();
  }
}
