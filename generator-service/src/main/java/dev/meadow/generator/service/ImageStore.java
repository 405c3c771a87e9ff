package dev.meadow.generator.service;

import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

/** Writes generated PNGs; an object store that is briefly down delays the write instead of failing it. */
@ApplicationScoped
public class ImageStore {

    private final ObjectStore store;

    public ImageStore(ObjectStore store) {
        this.store = store;
    }

    @Retry(maxRetries = 40, delay = 250, maxDuration = 120_000, jitter = 100, retryOn = ObjectStoreException.class)
    @ExponentialBackoff(maxDelay = 5000)
    public void put(String key, byte[] png) {
        store.put(Bucket.IMAGES, key, png, "image/png");
    }

    public String imageKey(String jobId) {
        return store.layout().imageKey(jobId);
    }
}
