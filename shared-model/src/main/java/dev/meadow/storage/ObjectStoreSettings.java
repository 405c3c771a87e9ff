package dev.meadow.storage;

/** How to reach the object store. Built from each service's configuration; never hard-coded. */
public record ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String region,
        String bucketPrefix) {

    public ObjectStoreSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("object store endpoint is not configured");
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("object store credentials are not configured");
        }
    }
}
