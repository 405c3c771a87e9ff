package dev.meadow.service.health;

import dev.meadow.service.config.ObjectStoreConfig;
import dev.meadow.service.storage.BucketSetup;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers an authenticated request and Meadow's buckets exist. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore store;
    private final BucketSetup buckets;
    private final ObjectStoreConfig config;

    public ObjectStoreHealthCheck(ObjectStore store, BucketSetup buckets, ObjectStoreConfig config) {
        this.store = store;
        this.buckets = buckets;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = buckets.ensure() && store.isReachable(Bucket.IMAGES);
        return HealthCheckResponse.named("Object store connection")
                .status(up)
                .withData("endpoint", config.endpoint())
                .withData("buckets", config.bucketPrefix() + "*")
                .build();
    }
}
