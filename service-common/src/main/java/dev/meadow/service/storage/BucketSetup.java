package dev.meadow.service.storage;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.meadow.storage.ObjectStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Creates Meadow's buckets. Tried at start; if the store is not up yet, the readiness check tries again, so a
 * service never refuses to start because the store came up later.
 */
@ApplicationScoped
public class BucketSetup {

    private static final Logger LOG = Logger.getLogger(BucketSetup.class);

    private final AtomicBoolean done = new AtomicBoolean();

    private final ObjectStore store;

    public BucketSetup(ObjectStore store) {
        this.store = store;
    }

    void onStart(@Observes StartupEvent event) {
        ensure();
    }

    /** Whether every bucket exists, creating the missing ones. */
    public boolean ensure() {
        if (done.get()) {
            return true;
        }
        try {
            store.ensureBuckets();
            done.set(true);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Object store buckets not ready yet: %s", e.getMessage());
            return false;
        }
    }
}
