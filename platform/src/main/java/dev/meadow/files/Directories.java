package dev.meadow.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.io.file.PathUtils;

/** Local working directories: snapshots, checkpoints and uploads that are unpacked and then thrown away. */
public final class Directories {

    private Directories() {}

    /** Deletes {@code dir} and everything in it; nothing happens when it is null or does not exist. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || Files.notExists(dir)) {
            return;
        }
        try {
            PathUtils.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
        // commons-io leaves a directory that is not empty after its walk (a file written meanwhile) without a word.
        if (Files.exists(dir)) {
            throw new UncheckedIOException(new IOException("cannot delete " + dir + ": it is not empty"));
        }
    }
}
