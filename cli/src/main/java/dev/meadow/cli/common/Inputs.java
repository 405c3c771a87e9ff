package dev.meadow.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.meadow.dataset.InvalidSnapshotException;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.ConditionNoise;

/** Checks of command-line inputs that turn mistakes into one clear {@link UserError}. */
public final class Inputs {

    private Inputs() {}

    public static Path existingDirectory(Path path, String what) {
        if (!Files.isDirectory(path)) {
            throw new UserError(what + " " + path + (Files.exists(path) ? " is not a directory" : " does not exist"));
        }
        return path;
    }

    /** A directory that may be created or replaced: missing, empty, or holding {@code marker} from an earlier run. */
    public static Path outputDirectory(Path path, String marker) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserError("output " + path + " is a file, not a directory");
        }
        if (Files.isDirectory(path) && !Files.exists(path.resolve(marker)) && !isEmpty(path)) {
            throw new UserError("output directory " + path + " is not empty; choose a new directory");
        }
        return path;
    }

    public static void positive(int value, String option) {
        if (value < 1) {
            throw new UserError(option + " must be at least 1");
        }
    }

    public static void candidates(int value) {
        if (value < 1 || value > ClipReranker.MAX_CANDIDATES) {
            throw new UserError("--candidates must be between 1 and " + ClipReranker.MAX_CANDIDATES);
        }
    }

    /** {@code --condition-noise}, when given: in range. */
    public static void conditionNoise(Float value) {
        if (value == null) {
            return;
        }
        try {
            ConditionNoise.check(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("--condition-noise must be between 0 and " + ConditionNoise.MAX, e);
        }
    }

    /** Runs {@code action}, turning the domain's "bad input" exceptions into user errors. */
    public static <T> T asUserInput(Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidModelException | InvalidSnapshotException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
