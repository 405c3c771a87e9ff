package dev.meadow.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Json;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The gateway's HTTP API, for the meadow client commands. Problems come back as one-line {@link UserError}s. */
public final class GatewayClient {

    private final String base;
    private final String apiKey;
    private final String keySource;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param keySource where {@code apiKey} came from, named when the gateway refuses it; null without a key */
    public GatewayClient(String base, String apiKey, String keySource) {
        this.base = base;
        this.apiKey = apiKey;
        this.keySource = keySource;
    }

    public String base() {
        return base;
    }

    /** POSTs a body of the given type and returns the JSON answer. */
    public JsonNode post(String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(body);
        return send(authorised(request).build());
    }

    public JsonNode delete(String path) {
        return send(authorised(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json")
                        .DELETE())
                .build());
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .GET()
                .build());
    }

    /**
     * GETs a binary answer (a PNG, say) into {@code target}, refusing one larger than {@code maxBytes}: a gateway
     * that sends without end fills no disk. Problems come back as {@link UserError}s.
     */
    public void download(String path, Path target, long maxBytes) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(2))
                .GET()
                .build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = response.body()) {
                if (response.statusCode() >= 400) {
                    answer(response.statusCode(), new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8));
                }
                long declared =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge(request, maxBytes);
                }
                // A body that trickles or stalls is cut off once the picture's time is up: closing it ends the read.
                java.util.concurrent.ScheduledFuture<?> deadline =
                        BODY_DEADLINES.schedule(() -> closeQuietly(body), 2, java.util.concurrent.TimeUnit.MINUTES);
                try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(target)) {
                    body.transferTo(new LimitedOutput(out, maxBytes));
                } catch (LimitedOutput.LimitReached e) {
                    throw tooLarge(request, maxBytes);
                } finally {
                    deadline.cancel(false);
                }
            }
        } catch (UserError e) {
            deleteQuietly(target);
            throw e;
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            deleteQuietly(target);
            throw new UserError("the request to " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    private static final java.util.concurrent.ScheduledExecutorService BODY_DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "download-deadline");
                t.setDaemon(true);
                return t;
            });

    private static void closeQuietly(java.io.InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }

    private static UserError tooLarge(HttpRequest request, long maxBytes) {
        return new UserError(request.uri() + " is larger than " + maxBytes + " bytes, more than any picture; not kept");
    }

    private static void deleteQuietly(Path target) {
        try {
            java.nio.file.Files.deleteIfExists(target);
        } catch (IOException ignored) {
            // The next run finds a stray .part file and overwrites it.
        }
    }

    /** Passes bytes on until a limit, then refuses the rest. */
    private static final class LimitedOutput extends java.io.FilterOutputStream {
        static final class LimitReached extends IOException {
            LimitReached() {
                super("limit reached");
            }
        }

        private final long limit;
        private long written;

        LimitedOutput(java.io.OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                throw new LimitReached();
            }
            out.write(b, off, len);
            written += len;
        }
    }

    /** A multipart form with files and fields (dataset uploads), through OkHttp. */
    public JsonNode postMultipart(String path, Map<String, Path> files, Map<String, String> fields) {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM);
        files.forEach((name, file) -> form.addFormDataPart(
                name,
                file.getFileName().toString(),
                RequestBody.create(file.toFile(), MediaType.get("application/octet-stream"))));
        fields.forEach((name, value) -> {
            if (value != null) {
                form.addFormDataPart(name, value);
            }
        });
        Request.Builder request = new Request.Builder().url(base + path).post(form.build());
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        OkHttpClient client = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMinutes(10))
                .writeTimeout(Duration.ofMinutes(10))
                .build();
        try (Response response = client.newCall(request.build()).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            return answer(response.code(), body);
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new UserError("the upload to " + base + " failed: " + e.getMessage(), e);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder request) {
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return answer(response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new UserError("the request to " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    private JsonNode answer(int status, String body) throws IOException {
        JsonNode json = body.isBlank()
                ? Json.mapper().createObjectNode()
                : Json.mapper().readTree(body);
        if (status >= 400) {
            StringBuilder message = new StringBuilder(
                    json.path("detail").asText(json.path("title").asText("HTTP " + status)));
            for (JsonNode error : json.path("errors")) {
                String text = error.path("message").asText();
                if (!message.toString().contains(text)) {
                    message.append("; ").append(text);
                }
            }
            if (status == 401 && keySource != null) {
                // The usual cause: a stack started with meadow up --data DIR, whose key is in DIR.
                message.append("; the key came from ")
                        .append(keySource)
                        .append(" (a stack started with meadow up --data DIR wrote its own to DIR/client.properties:"
                                + " pass --data DIR)");
            }
            throw new UserError(message + " (HTTP " + status + ")");
        }
        return json;
    }

    private UserError unreachable(Exception e) {
        return new UserError("cannot reach the gateway at " + base + " (is meadow up running?)", e);
    }

    public static HttpRequest.BodyPublisher stream(InputStream in) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> in);
    }
}
