package dev.meadow.service.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the object store is. Set through {@code MEADOW_S3_*} environment variables in deployments. */
@ConfigMapping(prefix = "meadow.s3")
public interface ObjectStoreConfig {

    /** The S3 endpoint URL, e.g. {@code http://minio:9000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /**
     * Where browsers reach the store ({@code MEADOW_S3_PUBLIC_ENDPOINT}, e.g. {@code https://images.example.org}),
     * when that is not {@link #endpoint()}. Only with it does the gateway hand out presigned URLs.
     */
    Optional<String> publicEndpoint();

    /** Prefix of every bucket name, so that several Meadow installations can share one store. */
    @WithDefault("meadow-")
    String bucketPrefix();
}
