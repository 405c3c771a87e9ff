package dev.meadow.dataset;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.Json;
import dev.meadow.image.ImageArrays;
import dev.meadow.image.ImageFiles;

/**
 * A dataset snapshot on disk: {@code manifest.json}, {@code captions.jsonl} and {@code images/}. The same layout
 * is used in the object store, under the snapshot's prefix.
 */
public record Snapshot(Path directory, SnapshotManifest manifest, Map<String, List<String>> captionsByImage) {

    public static final String MANIFEST = "manifest.json";
    public static final String CAPTIONS = "captions.jsonl";
    public static final String IMAGES = "images";

    /** Writes manifest and captions; the images must already be under {@code images/}. */
    public static Snapshot write(Path directory, SnapshotManifest manifest, List<CaptionLine> captions) {
        try {
            Files.createDirectories(directory.resolve(IMAGES));
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(directory.resolve(MANIFEST).toFile(), manifest);
            try (BufferedWriter out = Files.newBufferedWriter(directory.resolve(CAPTIONS), StandardCharsets.UTF_8)) {
                for (CaptionLine line : captions) {
                    out.write(Json.mapper().writeValueAsString(line));
                    out.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot to " + directory, e);
        }
        return read(directory);
    }

    /** Reads and checks a snapshot directory: every image exists and has at least one caption. */
    public static Snapshot read(Path directory) {
        return read(directory, true);
    }

    /**
     * Reads the manifest and captions of a snapshot whose images are not on disk yet (they are fetched a chunk at a
     * time into {@link #imagePath}): every listed image must have a caption.
     */
    public static Snapshot readListing(Path directory) {
        return read(directory, false);
    }

    private static Snapshot read(Path directory, boolean withImages) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidSnapshotException(directory + " is not a directory");
        }
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidSnapshotException(directory + " is not a dataset snapshot: " + MANIFEST + " is missing");
        }
        SnapshotManifest manifest;
        try {
            manifest = Json.mapper().readValue(manifestFile.toFile(), SnapshotManifest.class);
        } catch (IOException e) {
            throw new InvalidSnapshotException(manifestFile + " is not a valid manifest: " + e.getMessage(), e);
        }
        if (manifest.formatVersion() != SnapshotManifest.FORMAT_VERSION) {
            throw new InvalidSnapshotException(
                    manifestFile + ": unsupported format version " + manifest.formatVersion());
        }
        if (manifest.images() == null || manifest.images().isEmpty()) {
            throw new InvalidSnapshotException(manifestFile + " lists no images");
        }
        Map<String, List<String>> captions = new LinkedHashMap<>();
        for (ImageEntry entry : manifest.images()) {
            if (withImages && !Files.isRegularFile(directory.resolve(IMAGES).resolve(entry.file()))) {
                throw new InvalidSnapshotException("image " + entry.file() + " is listed but missing");
            }
            captions.put(entry.file(), new ArrayList<>());
        }
        readCaptions(directory.resolve(CAPTIONS), captions);
        captions.forEach((file, list) -> {
            if (list.isEmpty()) {
                throw new InvalidSnapshotException("image " + file + " has no caption");
            }
        });
        return new Snapshot(directory, manifest, captions);
    }

    private static void readCaptions(Path file, Map<String, List<String>> captions) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSnapshotException(CAPTIONS + " is missing");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                CaptionLine caption;
                try {
                    caption = Json.mapper().readValue(line, CaptionLine.class);
                } catch (JsonProcessingException e) {
                    throw new InvalidSnapshotException(CAPTIONS + " line " + number + " is not valid JSON");
                }
                List<String> list = captions.get(caption.image());
                if (list == null) {
                    throw new InvalidSnapshotException(
                            CAPTIONS + " line " + number + " names unknown image " + caption.image());
                }
                if (caption.caption() == null || caption.caption().isBlank()) {
                    throw new InvalidSnapshotException(CAPTIONS + " line " + number + " has an empty caption");
                }
                list.add(caption.caption().strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public List<String> imageFiles() {
        return manifest.images().stream().map(ImageEntry::file).toList();
    }

    public Path imagePath(String file) {
        return directory.resolve(IMAGES).resolve(file);
    }

    public int size() {
        return manifest.images().size();
    }

    /**
     * Pictures are decoded to at least this many pixels on their shorter side, no more: above every training size
     * and CLIP's 224, and small enough that a huge upload never needs its full raster.
     */
    public static final int DECODED_SIDE = 512;

    /** The picture, subsampled on decoding to no less than {@link #DECODED_SIDE} pixels on its shorter side. */
    public BufferedImage readImage(String file) {
        try {
            BufferedImage image = ImageFiles.read(imagePath(file), DECODED_SIDE);
            if (image == null) {
                throw new InvalidSnapshotException("image " + file + " is not a readable picture");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file, e);
        }
    }

    /** All images, centre-cropped and scaled to {@code size}, as one array of {@code N x size x size x 3} floats. */
    public float[] loadPixels(int size) {
        List<String> files = imageFiles();
        int stride = size * size * 3;
        float[] pixels = new float[files.size() * stride];
        IntStream.range(0, files.size())
                .parallel()
                .forEach(i -> ImageArrays.toFloats(
                        ImageArrays.squareResize(readImage(files.get(i)), size), pixels, i * stride));
        return pixels;
    }
}
