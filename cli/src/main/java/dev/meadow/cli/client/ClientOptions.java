package dev.meadow.cli.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import picocli.CommandLine.Option;

/**
 * Where the gateway is and which API key to use: the options, else {@code MEADOW_GATEWAY} and
 * {@code MEADOW_API_KEY}, else what {@code meadow up} wrote to {@code client.properties} in its data directory.
 */
public final class ClientOptions {

    @Option(names = "--gateway", description = "Gateway URL (default: from meadow up, or http://localhost:8080/).")
    String gateway;

    @Option(names = "--api-key", description = "API key for writes (default: from meadow up).")
    String apiKey;

    @Option(names = "--data", description = "Data directory of meadow up (default: ~/.meadow).")
    Path data = Path.of(System.getProperty("user.home"), ".meadow");

    public GatewayClient client() {
        Properties saved = saved();
        String url = first(gateway, System.getenv("MEADOW_GATEWAY"), saved.getProperty("gateway"),
                "http://localhost:8080/");
        String key = first(apiKey, System.getenv("MEADOW_API_KEY"), saved.getProperty("api-key"), null);
        return new GatewayClient(url.endsWith("/") ? url : url + "/", key);
    }

    /** What meadow up saved (gateway, api-key, kafka, s3); empty when it has not run. */
    public Properties saved() {
        Properties p = new Properties();
        Path file = data.resolve("client.properties");
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new dev.meadow.cli.UserError("cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    public Path data() {
        return data;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
