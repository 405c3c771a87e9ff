package dev.meadow.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import dev.meadow.cli.common.UpData;
import dev.meadow.cli.common.UserError;
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
    Path data = UpData.defaultDirectory();

    public GatewayClient client() {
        Properties saved = saved();
        String url =
                first(gateway, System.getenv("MEADOW_GATEWAY"), saved.getProperty("gateway"), "http://localhost:8080/");
        String key = first(apiKey, System.getenv("MEADOW_API_KEY"), saved.getProperty("api-key"), null);
        String keySource = apiKey != null && !apiKey.isBlank()
                ? "--api-key"
                : first(System.getenv("MEADOW_API_KEY")) != null
                        ? "MEADOW_API_KEY"
                        : key != null ? data.resolve("client.properties").toString() : null;
        return new GatewayClient(checkedUrl(url.endsWith("/") ? url : url + "/", url), key, keySource);
    }

    private static String checkedUrl(String url, String given) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Refused below, like any other URL that is not one.
        }
        throw new UserError("--gateway " + given + " is not an http:// or https:// URL");
    }

    /** What meadow up saved (gateway, api-key, kafka, s3); empty when it has not run. */
    public Properties saved() {
        return new UpData(data).client();
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
