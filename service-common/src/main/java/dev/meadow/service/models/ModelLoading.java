package dev.meadow.service.models;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.storage.ObjectNotFoundException;
import org.jboss.logging.Logger;

/**
 * Loads published models of one type, the one way every service does: fetch the files, open them, verify them, and
 * report the outcome on {@code model-events}.
 *
 * <p>The failure policy: files that are missing or broken, or that declare another model than they were published as,
 * are refused and not opened again until the model is published again (a new publication). A model that opens but does
 * not fit ({@link ModelType#check}) is refused too, and asked again when it is next loaded, since the models it must
 * fit may have changed. Anything transient (the object store away for longer than the fetch retries) is not a
 * refusal: it propagates, so that the work is retried.
 */
public final class ModelLoading<T extends AutoCloseable> {

    private static final Logger LOG = Logger.getLogger(ModelLoading.class);

    /** Where a service says what it loaded or refused. */
    public interface Reporter {
        void loaded(ModelKind kind, String modelId);

        void refused(ModelKind kind, String modelId, String reason);
    }

    private final ModelType<T> type;
    private final Function<ModelPublished, Path> fetch;
    private final Reporter reporter;
    private final Map<ModelPublished, String> broken = new ConcurrentHashMap<>();

    public ModelLoading(ModelType<T> type, Function<ModelPublished, Path> fetch, Reporter reporter) {
        this.type = type;
        this.fetch = fetch;
        this.reporter = reporter;
    }

    public ModelType<T> type() {
        return type;
    }

    /**
     * The published model, opened and verified.
     *
     * @throws ModelRefusedException when it is broken or does not fit
     */
    public T load(ModelPublished published) {
        String known = broken.get(published);
        if (known != null) {
            throw new ModelRefusedException(type.kind(), published.modelId(), known, null);
        }
        Path files;
        try {
            files = fetch.apply(published);
        } catch (ObjectNotFoundException e) {
            throw refuse(published, "its files are missing from the object store: " + e.getMessage(), e, true);
        }
        T model;
        try {
            model = type.open().apply(files);
        } catch (RuntimeException e) {
            // The files are on local disk by now: whatever keeps them from opening is in the files.
            throw refuse(published, e.getMessage(), e, true);
        }
        String declared = type.declaredId().apply(model);
        String problem = declared.equals(published.modelId())
                ? type.check().problem(model, published)
                : "the files published as " + published.modelId() + " hold " + declared;
        if (problem != null) {
            close(model);
            throw refuse(published, problem, null, !declared.equals(published.modelId()));
        }
        reporter.loaded(type.kind(), published.modelId());
        return model;
    }

    /** Verifies a model that is already open against the current state, as {@link #load} does after opening. */
    public String problem(T model, ModelPublished published) {
        return type.check().problem(model, published);
    }

    private ModelRefusedException refuse(ModelPublished published, String reason, Throwable cause, boolean remember) {
        if (remember) {
            broken.put(published, reason);
        }
        LOG.errorf("Refusing %s model %s: %s", type.kind().id(), published.modelId(), reason);
        reporter.refused(type.kind(), published.modelId(), reason);
        return new ModelRefusedException(type.kind(), published.modelId(), reason, cause);
    }

    private static void close(AutoCloseable model) {
        try {
            model.close();
        } catch (Exception e) {
            LOG.warn("Closing a refused model failed", e);
        }
    }
}
