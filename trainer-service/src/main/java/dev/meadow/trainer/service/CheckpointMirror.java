package dev.meadow.trainer.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import dev.meadow.storage.StoredObject;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Keeps a run's checkpoint directory in the object store, so that a trainer that dies, or moves to another
 * machine, resumes where the run stopped. {@code state.json} is uploaded last: the copy in the store is always a
 * complete checkpoint.
 */
@ApplicationScoped
public class CheckpointMirror {

    private static final String STATE = "state.json";

    private final ObjectStore store;

    public CheckpointMirror(ObjectStore store) {
        this.store = store;
    }

    @Retry(maxRetries = 20, delay = 1000, maxDuration = 180_000, retryOn = ObjectStoreException.class)
    @ExponentialBackoff(maxDelay = 15_000)
    public void upload(String runId, Path workDir) {
        String prefix = store.layout().checkpointPrefix(runId);
        Set<String> uploaded = new HashSet<>();
        for (Path file : files(workDir)) {
            String relative = workDir.relativize(file).toString().replace('\\', '/');
            if (!relative.equals(STATE) && !relative.endsWith(".tmp")) {
                store.putFile(Bucket.MODELS, prefix + relative, file, "application/octet-stream");
                uploaded.add(relative);
            }
        }
        store.putFile(Bucket.MODELS, prefix + STATE, workDir.resolve(STATE), "application/json");
        uploaded.add(STATE);
        for (StoredObject old : store.list(Bucket.MODELS, prefix)) {
            if (!uploaded.contains(old.key().substring(prefix.length()))) {
                store.delete(Bucket.MODELS, old.key());
            }
        }
    }

    /** Downloads the run's checkpoint into {@code workDir}; false when the store has none. */
    @Retry(maxRetries = 20, delay = 1000, maxDuration = 180_000, retryOn = ObjectStoreException.class)
    @ExponentialBackoff(maxDelay = 15_000)
    public boolean download(String runId, Path workDir) {
        String prefix = store.layout().checkpointPrefix(runId);
        if (!store.exists(Bucket.MODELS, prefix + STATE)) {
            return false;
        }
        store.downloadDirectory(Bucket.MODELS, prefix, workDir);
        return true;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
