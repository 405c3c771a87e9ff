package dev.meadow.storage;

/**
 * How to reach the object store. Built from each service's configuration; never hard-coded.
 *
 * @param publicEndpoint where browsers reach the store, when that differs from {@code endpoint} (a container
 *     name, a loopback address); presigned URLs are made for it. Null: the same as {@code endpoint}.
 */
public record ObjectStoreSettings(
        String endpoint,
        String accessKey,
        String secretKey,
        String region,
        String bucketPrefix,
        String publicEndpoint) {

    public ObjectStoreSettings(
            String endpoint, String accessKey, String secretKey, String region, String bucketPrefix) {
        this(endpoint, accessKey, secretKey, region, bucketPrefix, null);
    }

    public ObjectStoreSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("object store endpoint is not configured");
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("object store credentials are not configured");
        }
    }
}
