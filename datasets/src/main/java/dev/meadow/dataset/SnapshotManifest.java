package dev.meadow.dataset;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json} of a dataset snapshot.
 *
 * @param imageSize the side of the square images, or 0 when the images keep their own sizes (imported photos)
 */
public record SnapshotManifest(
        int formatVersion, String name, String source, int imageSize, Instant createdAt, List<ImageEntry> images) {

    public static final int FORMAT_VERSION = 1;
}
