package io.github.managedscopes.reliability.reactive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.managedscopes.reliability.Figures;
import io.github.managedscopes.reliability.Hangup;
import io.github.managedscopes.reliability.reactive.ReactiveExpectation.Fate;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Plays plans against the reactive application over real HTTP and checks each exchange once
 * its scope has ended: {@link HttpClient} for ordinary requests, a raw socket that reads the
 * start of the stream and hangs up (reset or FIN, as the plan's {@link Hangup} says) for
 * disconnects.
 */
final class ReactiveClient {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(Long.getLong("reliability.settle-seconds", 30));

    private final HttpClient http;

    private final int port;

    private final ReactiveLedger ledger;

    private final Figures figures;

    ReactiveClient(HttpClient http, int port, ReactiveLedger ledger, Figures figures) {
        this.http = http;
        this.port = port;
        this.ledger = ledger;
        this.figures = figures;
    }

    /**
     * Plays a plan and checks what happened.
     * @return the problems found, each prefixed with the plan
     */
    List<String> play(ReactivePlan plan) throws IOException, InterruptedException {
        ReactiveExpectation expectation = ReactiveExpectation.of(plan);
        String response;
        long hungUpAt = 0;
        if (plan.disconnect()) {
            hungUpAt = disconnect(plan);
            response = "hung up";
        }
        else {
            response = send(plan);
        }
        ReactiveRecord record = this.ledger.awaitSettled(plan.id(), SETTLE_TIMEOUT);
        record.hungUpAt = hungUpAt;
        awaitLogs(expectation, record);
        List<String> problems = ReactiveChecks.check(expectation, record, response);
        this.ledger.remove(plan.id());
        if (problems.isEmpty()) {
            ReactiveFigures.count(this.figures, expectation, record);
            return problems;
        }
        return problems.stream().map((problem) -> plan.encode() + ": " + problem).toList();
    }

    /**
     * The scope logs right after it reports its end, on the same thread: waits (at most five
     * seconds) for what it must log; if that never comes, the checks say what differs.
     */
    private static void awaitLogs(ReactiveExpectation expectation, ReactiveRecord record) {
        int warnings = expectation.warned().size();
        boolean error = expectation.primaryFate() == Fate.LOGGED;
        if (warnings > 0 || error) {
            try {
                await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> record.warned.size() >= warnings && (!error || record.logged != null));
            }
            catch (ConditionTimeoutException ex) {
                // reported by the checks
            }
        }
    }

    /**
     * Sends the request on a connection of its own (the server closes each after one
     * exchange, see {@link ReactiveReliabilityTest}), so that an {@link IOException} can only
     * be the response cut off.
     */
    private String send(ReactivePlan plan) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + plan.kind().path()))
            .timeout(Duration.ofSeconds(30))
            .header(ReactivePlan.HEADER, plan.encode())
            .build();
        try {
            HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 500 && plan.streams()) {
                return "500";
            }
            return response.statusCode() + " " + response.body();
        }
        catch (HttpTimeoutException ex) {
            throw ex;
        }
        catch (IOException ex) {
            return "broken";
        }
    }

    /**
     * Sends the request, reads as many bytes of the stream as its {@link Hangup} says, and
     * hangs up as it says.
     * @return when it hung up ({@link System#nanoTime()})
     */
    private long disconnect(ReactivePlan plan) throws IOException {
        Hangup hangup = Hangup.of(plan.id());
        try (Socket socket = new Socket("127.0.0.1", this.port)) {
            socket.setSoTimeout(20_000);
            if (hangup.reset()) {
                socket.setSoLinger(true, 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + plan.kind().path() + " HTTP/1.1\r\nHost: localhost\r\n" + ReactivePlan.HEADER + ": "
                    + plan.encode() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (hangup.bytesBeforeHangUp() == 0) {
                // Right after the request, once the server has it (else it may never see it).
                await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(1))
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

}
