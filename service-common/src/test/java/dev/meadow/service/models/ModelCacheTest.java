package dev.meadow.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {

    @TempDir
    Path models;

    private Path publication(String name) throws IOException {
        Path dir = Files.createDirectories(models.resolve(name));
        Files.writeString(dir.resolve("saved_model.pb"), "x");
        return dir;
    }

    @Test
    void aNewPublicationReplacesTheCopiesOfEarlierOnesAndOfDeadDownloads() throws IOException {
        publication("1700000000000");
        Path unknown = publication("unknown");
        publication("1700000000001.partial-" + Long.MAX_VALUE);
        Path live =
                publication("1700000000002.partial-" + ProcessHandle.current().pid());
        Path kept = publication("1700000000003");
        Path later = publication("1700000000004");

        ModelCache.pruneEarlierPublications(kept);

        try (Stream<Path> left = Files.list(models)) {
            assertThat(left).containsExactlyInAnyOrder(kept, live, later, unknown);
        }
        assertThat(kept.resolve("saved_model.pb")).exists();
    }
}
