package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meadow download} against a gateway that lies: a listing without end, more images than the batch has, a
 * picture without end. Each stops with one line that says why, exit code 2, and a bounded disk.
 */
class HostileGatewayTest {

    @TempDir
    Path dir;

    private HttpServer gateway;
    private final AtomicInteger pages = new AtomicInteger();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    /** A gateway whose batch {@code b1} announces {@code total} and whose listing pages are {@code page}. */
    private String gateway(int total, PageMaker page, long pictureBytes) throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext(
                "/api/batches/b1",
                exchange -> json(
                        exchange,
                        "{\"batchId\":\"b1\",\"total\":" + total + ",\"generated\":" + total
                                + ",\"queued\":0,\"embedded\":0,\"failed\":0,\"cancelled\":0,\"done\":" + total + "}"));
        gateway.createContext("/api/images", exchange -> json(exchange, page.make(pages.incrementAndGet())));
        gateway.createContext("/api/images/", exchange -> {
            if (!exchange.getRequestURI().getPath().endsWith("/png")) {
                json(exchange, "{}");
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < pictureBytes; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException clientLeft) {
                // The client stopped reading: what this test wants.
            }
        });
        gateway.start();
        return "http://127.0.0.1:" + gateway.getAddress().getPort() + "/";
    }

    interface PageMaker {
        String make(int number);
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String item(String jobId) {
        return "{\"jobId\":\"" + jobId + "\",\"index\":0,\"prompt\":\"a cow\",\"seed\":1}";
    }

    private UpCommandTest.Run download(String url) {
        return UpCommandTest.run(
                "download",
                "b1",
                "--out",
                dir.resolve("out").toString(),
                "--gateway",
                url,
                "--data",
                dir.resolve("data").toString());
    }

    private long filesWritten() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            return files.filter(p -> p.toString().endsWith(".png")).count();
        }
    }

    @Test
    void aListingThatRepeatsItsPagesIsRefused() throws Exception {
        // Always the same next cursor, with a new image each time: a listing that would never end.
        String url =
                gateway(1000, n -> "{\"items\":[" + item(String.format("b1-%06d", n)) + "],\"next\":\"same\"}", 10);
        UpCommandTest.Run run = download(url);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("repeats a page");
        assertThat(pages.get()).isLessThanOrEqualTo(2);
        assertThat(filesWritten()).isLessThanOrEqualTo(2);
    }

    @Test
    void imagesPastTheBatchsTotalAreRefused() throws Exception {
        String url = gateway(
                2,
                n -> "{\"items\":[" + item(String.format("b1-%06d", 2 * n)) + ","
                        + item(String.format("b1-%06d", 2 * n + 1)) + "],\"next\":\"page-" + n + "\"}",
                10);
        UpCommandTest.Run run = download(url);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("b1-000002", "not one of its images");
        assertThat(filesWritten()).isLessThanOrEqualTo(2);
    }

    @Test
    void imagesOfAnotherBatchAreRefused() throws Exception {
        String url = gateway(5, n -> "{\"items\":[" + item("other-000001") + "]}", 10);
        UpCommandTest.Run run = download(url);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("not one of its images");
    }

    @Test
    void aPictureWithoutEndIsCutAtTheCapAndNotKept() throws Exception {
        String url = gateway(1, n -> "{\"items\":[" + item("b1-000000") + "]}", 40L * 1024 * 1024);
        UpCommandTest.Run run = download(url);
        assertThat(run.err()).contains("larger than 33554432 bytes");
        assertThat(run.exitCode()).isNotZero();
        assertThat(filesWritten()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".part")))
                    .as("no partial picture left behind")
                    .isEmpty();
        }
    }
}
