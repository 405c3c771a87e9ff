package dev.meadow.service.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import dev.meadow.contracts.ModelPublished;
import dev.meadow.files.Directories;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Local copies of published models: downloaded once per publication into the work directory (into a temporary directory that is
 * renamed when complete, so a half-downloaded model is never used) and reused afterwards.
 */
@ApplicationScoped
public class ModelCache {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private static final String PARTIAL = ".partial-";

    private final ObjectStore store;
    private final ServiceConfig config;

    public ModelCache(ObjectStore store, ServiceConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The model's files on local disk, downloading them if needed. Retries while the store is unreachable. */
    @Retry(
            maxRetries = 20,
            delay = 500,
            maxDuration = 120_000,
            retryOn = dev.meadow.storage.ObjectStoreException.class,
            abortOn = dev.meadow.storage.ObjectNotFoundException.class)
    @ExponentialBackoff(maxDelay = 8000)
    public Path fetch(ModelPublished model) {
        // Keyed by publication too: a model id published again with other files must not be served from a stale copy.
        String publication = model.publishedAt() == null
                ? "unknown"
                : Long.toString(model.publishedAt().toEpochMilli());
        Path target = config.workDir()
                .resolve("models")
                .resolve(model.kind().id())
                .resolve(model.modelId())
                .resolve(publication);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path partial = target.resolveSibling(
                publication + PARTIAL + ProcessHandle.current().pid());
        try {
            Directories.deleteRecursively(partial);
            store.downloadDirectory(Bucket.MODELS, model.objectPrefix(), partial);
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            pruneEarlierPublications(target);
        } catch (IOException e) {
            if (Files.isDirectory(target)) {
                return target; // another thread finished first
            }
            throw new UncheckedIOException("cannot store model " + model.modelId() + " locally", e);
        }
        return target;
    }

    /**
     * Removes the copies of a model's earlier publications, and downloads left half-done by processes that have
     * died: a model republished every day would otherwise fill the disk. Best effort: a copy that cannot be removed
     * stays. A later publication, or another live process's download, is never touched.
     */
    static void pruneEarlierPublications(Path kept) {
        long keptAt = publishedAt(kept.getFileName().toString());
        try (var siblings = Files.list(kept.getParent())) {
            for (Path sibling : siblings.toList()) {
                String name = sibling.getFileName().toString();
                int partial = name.indexOf(PARTIAL);
                boolean stale =
                        partial >= 0 ? isDead(name.substring(partial + PARTIAL.length())) : publishedAt(name) < keptAt;
                if (stale) {
                    Directories.deleteRecursively(sibling);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Could not remove earlier copies beside %s: %s", kept, e.getMessage());
        }
    }

    /** The publication time a copy's directory is named by; {@code Long.MAX_VALUE} (never earlier) if unknown. */
    private static long publishedAt(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean isDead(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
