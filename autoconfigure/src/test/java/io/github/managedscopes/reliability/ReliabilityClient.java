package io.github.managedscopes.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Plays plans against the application over real HTTP and checks each request once it has
 * settled: {@link HttpClient} for ordinary requests, a raw socket that reads the start of the
 * response and hangs up for disconnects.
 */
public final class ReliabilityClient {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(Long.getLong("reliability.settle-seconds", 30));

    private final HttpClient http;

    private final int port;

    private final Ledger ledger;

    private final Figures figures;

    ReliabilityClient(HttpClient http, int port, Ledger ledger, Figures figures) {
        this.http = http;
        this.port = port;
        this.ledger = ledger;
        this.figures = figures;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    }

    /**
     * Plays a plan and checks what happened.
     * @return the problems found, each prefixed with the plan
     */
    List<String> play(FaultPlan plan) throws IOException, InterruptedException {
        RequestRecord record;
        if (plan.special() == FaultPlan.Special.DISCONNECT) {
            long hungUpAt = disconnect(plan);
            record = this.ledger.awaitSettled(plan.id(), SETTLE_TIMEOUT);
            record.hungUpAt = hungUpAt;
        }
        else if (plan.special() == FaultPlan.Special.STUCK) {
            try (Socket socket = request(plan)) {
                // Keeps the socket open and reads nothing until the scope has ended and the record
                // is checked: once the socket closes, the producer's next write fails and the
                // application's error handler sees that failure, after the scope, as it should.
                record = this.ledger.awaitSettled(plan.id(), SETTLE_TIMEOUT);
                return check(plan, record);
            }
        }
        else {
            send(plan.kind().path(), plan.encode());
            record = this.ledger.awaitSettled(plan.id(), SETTLE_TIMEOUT);
        }
        if (plan.special() == FaultPlan.Special.LATE) {
            send("/rel/late?of=" + plan.id(), null);
        }
        return check(plan, record);
    }

    private List<String> check(FaultPlan plan, RequestRecord record) {
        Expectation expectation = Expectation.of(plan);
        List<String> problems = expectation.check(record);
        this.ledger.remove(plan.id());
        if (problems.isEmpty()) {
            this.figures.count(expectation, record);
            return problems;
        }
        return problems.stream().map((problem) -> plan.encode() + ": " + problem).toList();
    }

    private void send(String path, String plan) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(30));
        if (plan != null) {
            request.header(FaultPlan.HEADER, plan);
        }
        this.http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Sends the request, reads as many bytes of the streamed response as its {@link Hangup}
     * says, and hangs up as it says (reset or FIN).
     * @return when it hung up ({@link System#nanoTime()})
     */
    private long disconnect(FaultPlan plan) throws IOException {
        Hangup hangup = Hangup.of(plan.id());
        try (Socket socket = request(plan)) {
            if (hangup.reset()) {
                socket.setSoLinger(true, 0);
            }
            if (hangup.bytesBeforeHangUp() == 0) {
                // Right after the request, once the server has it (else it may never see it).
                org.awaitility.Awaitility.await()
                    .dontCatchUncaughtExceptions()
                    .atMost(SETTLE_TIMEOUT)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> this.ledger.get(plan.id()) != null);
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            int total = 0;
            while (total < hangup.bytesBeforeHangUp()) {
                int read = in.read(buffer, 0, Math.min(buffer.length, hangup.bytesBeforeHangUp() - total));
                if (read < 0) {
                    break;
                }
                total += read;
            }
        }
        return System.nanoTime();
    }

    private Socket request(FaultPlan plan) throws IOException {
        Socket socket = new Socket("127.0.0.1", this.port);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + plan.kind().path() + " HTTP/1.1\r\nHost: localhost\r\n" + FaultPlan.HEADER + ": "
                + plan.encode() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

}
