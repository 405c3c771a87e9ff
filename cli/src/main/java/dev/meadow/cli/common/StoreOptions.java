package dev.meadow.cli.common;

import java.nio.file.Path;

import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import picocli.CommandLine.Option;

/**
 * Where the object store is: the options, else the environment variables the services read, else what {@code meadow
 * up} left in its data directory, so that a command against a local stack needs none of them.
 */
public final class StoreOptions {

    @Option(
            names = "--s3",
            defaultValue = "${env:MEADOW_S3_ENDPOINT}",
            description = "Object store (default: $MEADOW_S3_ENDPOINT, else meadow up's, else http://localhost:9000).")
    String endpoint;

    @Option(
            names = "--access-key",
            defaultValue = "${env:MEADOW_S3_ACCESS_KEY}",
            description = "Default: $MEADOW_S3_ACCESS_KEY, else meadow up's.")
    String accessKey;

    @Option(
            names = "--secret-key",
            defaultValue = "${env:MEADOW_S3_SECRET_KEY}",
            description = "Default: $MEADOW_S3_SECRET_KEY, else meadow up's.")
    String secretKey;

    @Option(
            names = "--data",
            description = "Data directory of meadow up, whose object store is used when none is given (default:"
                    + " ~/.meadow).")
    Path data = UpData.defaultDirectory();

    /** Connects, creating Meadow's buckets where missing. */
    public ObjectStore open() {
        UpData up = new UpData(data);
        String key = given(accessKey) ? accessKey : up.credentials().getProperty("s3.access-key");
        String secret = given(secretKey) ? secretKey : up.credentials().getProperty("s3.secret-key");
        if (!given(key) || !given(secret)) {
            throw new UserError("object store credentials are missing: pass --access-key and --secret-key, set"
                    + " MEADOW_S3_ACCESS_KEY and MEADOW_S3_SECRET_KEY, or give --data the data directory of a"
                    + " running meadow up (" + data.resolve(UpData.CREDENTIALS) + " does not exist)");
        }
        String url = given(endpoint) ? endpoint : up.client().getProperty("s3", "http://localhost:9000");
        ObjectStore store = new ObjectStore(new ObjectStoreSettings(url, key, secret, "us-east-1", "meadow-"));
        try {
            store.ensureBuckets();
        } catch (RuntimeException e) {
            store.close();
            throw new UserError("cannot reach the object store at " + url + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The broker of the stack whose object store this is, when {@code meadow up} wrote it down. */
    public java.util.Optional<String> upKafka() {
        return java.util.Optional.ofNullable(new UpData(data).client().getProperty("kafka"));
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
