package dev.meadow.cli.common;

import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import picocli.CommandLine.Option;

/** Where the object store is, read from the same environment variables the services use. */
public final class StoreOptions {

    @Option(
            names = "--s3",
            defaultValue = "${env:MEADOW_S3_ENDPOINT:-http://localhost:9000}",
            description = "Object store (default: $MEADOW_S3_ENDPOINT or http://localhost:9000).")
    String endpoint;

    @Option(
            names = "--access-key",
            defaultValue = "${env:MEADOW_S3_ACCESS_KEY}",
            description = "Default: $MEADOW_S3_ACCESS_KEY.")
    String accessKey;

    @Option(
            names = "--secret-key",
            defaultValue = "${env:MEADOW_S3_SECRET_KEY}",
            description = "Default: $MEADOW_S3_SECRET_KEY.")
    String secretKey;

    /** Connects, creating Meadow's buckets where missing. */
    public ObjectStore open() {
        if (accessKey == null || secretKey == null) {
            throw new UserError("object store credentials are missing: set MEADOW_S3_ACCESS_KEY and "
                    + "MEADOW_S3_SECRET_KEY or pass --access-key and --secret-key");
        }
        ObjectStore store =
                new ObjectStore(new ObjectStoreSettings(endpoint, accessKey, secretKey, "us-east-1", "meadow-"));
        try {
            store.ensureBuckets();
        } catch (RuntimeException e) {
            store.close();
            throw new UserError("cannot reach the object store at " + endpoint + ": " + e.getMessage(), e);
        }
        return store;
    }
}
