package dev.meadow.cli.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What {@code meadow up} leaves in its data directory for the other commands: {@code client.properties} (gateway,
 * API key, broker and object store addresses) and {@code credentials.properties} (the object store's keys, the
 * database's and Kafka's passwords). Only
 * read here; a directory {@code meadow up} has not used reads as empty.
 */
public record UpData(Path directory) {

    public static final String CLIENT = "client.properties";
    public static final String CREDENTIALS = "credentials.properties";

    /** ~/.meadow, where {@code meadow up} keeps its data unless told otherwise. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".meadow");
    }

    /** The key in {@link #CREDENTIALS} of a Kafka user's password ({@code admin}, {@code gateway}, …). */
    public static String kafkaPasswordKey(String user) {
        return "kafka." + user + "-password";
    }

    public Properties client() {
        return read(directory.resolve(CLIENT));
    }

    public Properties credentials() {
        return read(directory.resolve(CREDENTIALS));
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UserError("cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }
}
