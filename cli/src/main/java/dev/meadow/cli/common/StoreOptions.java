package dev.meadow.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import picocli.CommandLine.Option;

/**
 * Where the object store is: the options or the environment variables the services read, else, when none of them
 * is given, the stack {@code meadow up} left in its data directory, so that a command against a local stack needs
 * none of them. The two are never mixed: a local stack's keys must not go to another store.
 */
public final class StoreOptions {

    static final String DEFAULT_ENDPOINT = "http://localhost:9000";

    @Option(
            names = "--s3",
            defaultValue = "${env:MEADOW_S3_ENDPOINT}",
            description = "Object store (default: $MEADOW_S3_ENDPOINT, else meadow up's of --data, else "
                    + DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Option(
            names = "--access-key",
            defaultValue = "${env:MEADOW_S3_ACCESS_KEY}",
            description = "Default: $MEADOW_S3_ACCESS_KEY, else meadow up's of --data.")
    String accessKey;

    @Option(
            names = "--secret-key",
            defaultValue = "${env:MEADOW_S3_SECRET_KEY}",
            description = "Default: $MEADOW_S3_SECRET_KEY, else meadow up's of --data.")
    String secretKey;

    @Option(
            names = "--data",
            description = "Data directory of meadow up, whose object store (and broker) are used when no --s3,"
                    + " --access-key, --secret-key or MEADOW_S3_* is given (default: ~/.meadow).")
    Path data = UpData.defaultDirectory();

    /**
     * Where the store is, with which keys, and where that was read.
     *
     * @param kafka the broker of the same stack, when {@code meadow up} wrote it down
     */
    record Target(String endpoint, String accessKey, String secretKey, String source, Optional<String> kafka) {}

    /** Connects, creating Meadow's buckets where missing. */
    public ObjectStore open() {
        Target target = target(endpoint, accessKey, secretKey, new UpData(data));
        ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                target.endpoint(), target.accessKey(), target.secretKey(), "us-east-1", "meadow-"));
        try {
            store.ensureBuckets();
        } catch (RuntimeException e) {
            store.close();
            throw new UserError(
                    "cannot reach the object store at " + target.endpoint() + " (from " + target.source() + "): "
                            + e.getMessage(),
                    e);
        }
        return store;
    }

    /** Before hours of work whose end is an upload: fails now if the store cannot be reached. */
    public void requireReachable() {
        open().close();
    }

    /** The broker of the local stack whose object store this is; empty when the store was given another way. */
    public Optional<String> upKafka() {
        return target(endpoint, accessKey, secretKey, new UpData(data)).kafka();
    }

    /** The data of the local stack whose object store this is; empty when the store was given another way. */
    public Optional<UpData> up() {
        return upKafka().map(broker -> new UpData(data));
    }

    static Target target(String endpoint, String accessKey, String secretKey, UpData up) {
        if (given(endpoint) || given(accessKey) || given(secretKey)) {
            if (!given(accessKey) || !given(secretKey)) {
                throw new UserError("object store credentials are missing: pass --access-key and --secret-key or"
                        + " set MEADOW_S3_ACCESS_KEY and MEADOW_S3_SECRET_KEY (meadow up's are used only when no"
                        + " store is given at all)");
            }
            return new Target(
                    given(endpoint) ? endpoint : DEFAULT_ENDPOINT,
                    accessKey,
                    secretKey,
                    "the options and environment",
                    Optional.empty());
        }
        Path file = up.directory().resolve(UpData.CREDENTIALS);
        Properties credentials = up.credentials();
        String key = credentials.getProperty("s3.access-key");
        String secret = credentials.getProperty("s3.secret-key");
        if (!given(key) || !given(secret)) {
            throw new UserError("no object store given: pass --s3, --access-key and --secret-key, set"
                    + " MEADOW_S3_ENDPOINT, MEADOW_S3_ACCESS_KEY and MEADOW_S3_SECRET_KEY, or give --data the data"
                    + " directory of a running meadow up (" + file
                    + (Files.exists(file) ? " has no object store keys)" : " does not exist)"));
        }
        Properties client = up.client();
        return new Target(
                client.getProperty("s3", DEFAULT_ENDPOINT),
                key,
                secret,
                up.directory().toString(),
                Optional.ofNullable(client.getProperty("kafka")));
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
