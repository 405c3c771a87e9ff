package dev.meadow.service.models;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;

/**
 * How a service opens one kind of model and checks it before serving with it.
 *
 * @param open opens a model from its local files
 * @param brokenFiles which exceptions of {@code open} mean that the files are broken (a refusal, remembered until the
 *     model is published again); any other exception is taken as transient and the load is tried again later
 * @param declaredId the model id the opened files declare, which must be the one it was published under
 * @param verify what must hold between the files and their publication (a problem, or null); a failure is
 *     remembered as broken files are
 * @param fit why this model cannot serve here now (say, it was trained against another CLIP than the active one),
 *     or null when it can; not remembered, since what it must fit may change
 */
public record ModelType<T extends AutoCloseable>(
        ModelKind kind,
        Function<Path, T> open,
        Predicate<RuntimeException> brokenFiles,
        Function<T, String> declaredId,
        Check<T> verify,
        Check<T> fit) {

    /** Why a loaded model cannot serve, or null when it can. */
    @FunctionalInterface
    public interface Check<T> {
        String problem(T model, ModelPublished published);
    }

    public static <T extends AutoCloseable> ModelType<T> of(
            ModelKind kind,
            Function<Path, T> open,
            Predicate<RuntimeException> brokenFiles,
            Function<T, String> declaredId) {
        return new ModelType<>(kind, open, brokenFiles, declaredId, (m, p) -> null, (m, p) -> null);
    }

    public ModelType<T> verifiedBy(Check<T> check) {
        return new ModelType<>(kind, open, brokenFiles, declaredId, check, fit);
    }

    public ModelType<T> fittedBy(Check<T> check) {
        return new ModelType<>(kind, open, brokenFiles, declaredId, verify, check);
    }
}
