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
 * report a refusal on {@code model-events} (a load is reported by whoever starts serving with it).
 *
 * <p>The failure policy: files that are missing or broken ({@link ModelType#brokenFiles}), that declare another model
 * than they were published as, or that fail {@link ModelType#verify}, are refused and not opened again until the model
 * is published again (a new publication). A model that opens but does not {@link ModelType#fit} is refused too, and
 * asked again when it is next loaded, since what it must fit may have changed. Anything transient (the object store
 * away for longer than the fetch retries, a native resource exhausted) is no refusal: it propagates, so that the load
 * is tried again.
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
            if (type.brokenFiles().test(e)) {
                throw refuse(published, e.getMessage(), e, true);
            }
            throw e;
        }
        try {
            String declared = type.declaredId().apply(model);
            String problem = declared.equals(published.modelId())
                    ? type.verify().problem(model, published)
                    : "the files published as " + published.modelId() + " hold " + declared;
            boolean permanent = true;
            if (problem == null) {
                problem = type.fit().problem(model, published);
                permanent = false;
            }
            if (problem != null) {
                throw refuse(published, problem, null, permanent);
            }
            return model;
        } catch (RuntimeException e) {
            close(model);
            throw e;
        }
    }

    /** Says that this instance now serves with the published model. */
    public void serving(ModelPublished published) {
        reporter.loaded(type.kind(), published.modelId());
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
