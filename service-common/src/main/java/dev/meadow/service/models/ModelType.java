package dev.meadow.service.models;

import java.nio.file.Path;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;

/**
 * How a service opens one kind of model and checks it before serving with it.
 *
 * @param open opens a model from its local files; any exception it throws means the files are broken
 * @param declaredId the model id the opened files declare, which must be the one it was published under
 * @param check why this model cannot serve here (say, it was trained against another CLIP), or null when it can;
 *     asked again whenever the active models change
 */
public record ModelType<T extends AutoCloseable>(
        ModelKind kind, Function<Path, T> open, Function<T, String> declaredId, Check<T> check) {

    /** Why a loaded model cannot serve, or null when it can. */
    @FunctionalInterface
    public interface Check<T> {
        String problem(T model, ModelPublished published);
    }

    public static <T extends AutoCloseable> ModelType<T> of(
            ModelKind kind, Function<Path, T> open, Function<T, String> declaredId) {
        return new ModelType<>(kind, open, declaredId, (model, published) -> null);
    }

    public ModelType<T> checkedBy(Check<T> next) {
        return new ModelType<>(kind, open, declaredId, next);
    }
}
