package dev.meadow.service.storage;

import dev.meadow.service.config.ObjectStoreConfig;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the configured object store injectable, and closes it when the service stops. */
public class ObjectStoreProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(ObjectStoreConfig config) {
        return new ObjectStore(new ObjectStoreSettings(
                config.endpoint(),
                config.accessKey(),
                config.secretKey(),
                config.region(),
                config.bucketPrefix(),
                config.publicEndpoint().orElse(null)));
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }
}
