package dev.meadow.synth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import dev.meadow.dataset.CaptionLine;
import dev.meadow.dataset.ImageEntry;
import dev.meadow.dataset.Snapshot;
import dev.meadow.dataset.SnapshotManifest;
import dev.meadow.image.Png;

/** Writes Pastoral-Synth data sets in the snapshot format: renders, captions, and each image's scene attributes. */
public final class PastoralSynth {

    public static final int CAPTIONS_PER_IMAGE = 5;

    private PastoralSynth() {}

    /** The scene of image {@code index} of the data set drawn with {@code seed}. */
    public static Scene scene(long seed, int index) {
        return SceneSampler.sample(seed * 1_000_003L + index * 7_919L + 17);
    }

    /**
     * The scene of image {@code index} of a data set of twins: an odd image is the image before it with its
     * animals of other kinds ({@link SceneSampler#otherKinds}), or, where that one has no animals, a scene of its
     * own. A CLIP trained with each twin in its twin's batch must tell animals apart by kind to match captions.
     */
    public static Scene twinScene(long seed, int index) {
        if (index % 2 == 0) {
            return scene(seed, index);
        }
        Scene before = scene(seed, index - 1);
        return before.animals().isEmpty()
                ? scene(seed, index)
                : SceneSampler.otherKinds(before, seed * 1_000_003L + index * 7_919L + 29);
    }

    public static String fileName(int index) {
        return String.format(Locale.ROOT, "%06d.png", index);
    }

    /**
     * Renders {@code count} scenes at {@code size} pixels into {@code directory}. {@code progress} hears each
     * finished image (from several threads).
     */
    public static Snapshot generate(int count, int size, long seed, Path directory, IntConsumer progress) {
        return generate(count, size, seed, false, directory, progress);
    }

    /** As {@link #generate(int, int, long, Path, IntConsumer)}; with {@code twins}, scenes by {@link #twinScene}. */
    public static Snapshot generate(
            int count, int size, long seed, boolean twins, Path directory, IntConsumer progress) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (size < 16 || size > 1024) {
            throw new IllegalArgumentException("size must be between 16 and 1024 pixels");
        }
        Path images = directory.resolve(Snapshot.IMAGES);
        try {
            Files.createDirectories(images);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + images, e);
        }
        ImageEntry[] entries = new ImageEntry[count];
        List<List<String>> captions = new ArrayList<>(java.util.Collections.nCopies(count, null));
        IntStream.range(0, count).parallel().forEach(i -> {
            Scene scene = twins ? twinScene(seed, i) : scene(seed, i);
            BufferedImage picture = SceneRenderer.render(scene, size);
            try {
                Files.write(images.resolve(fileName(i)), Png.encode(picture));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            entries[i] = new ImageEntry(fileName(i), attributes(scene));
            captions.set(i, CaptionWriter.captions(scene, CAPTIONS_PER_IMAGE));
            progress.accept(i);
        });
        List<CaptionLine> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (String caption : captions.get(i)) {
                lines.add(new CaptionLine(fileName(i), caption));
            }
        }
        SnapshotManifest manifest = new SnapshotManifest(
                SnapshotManifest.FORMAT_VERSION,
                "pastoral-synth-" + seed + "-" + count + (twins ? "-twins" : ""),
                "pastoral-synth",
                size,
                Instant.now(),
                List.of(entries));
        return Snapshot.write(directory, manifest, lines);
    }

    /** The scene graph as manifest attributes, which the evaluation reads back as ground truth. */
    public static Map<String, Object> attributes(Scene scene) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("sceneSeed", scene.seed());
        a.put("sky", scene.sky().name().toLowerCase(Locale.ROOT));
        a.put("ground", scene.ground().name().toLowerCase(Locale.ROOT));
        a.put("snow", scene.snowPresent());
        a.put("animals", scene.animalsPresent());
        a.put(
                "animalGroups",
                scene.animals().stream()
                        .map(g -> Map.of(
                                "animal", g.animal().name().toLowerCase(Locale.ROOT),
                                "colour", g.colour().name().toLowerCase(Locale.ROOT),
                                "count", g.count()))
                        .toList());
        a.put("mountains", scene.mountains().name().toLowerCase(Locale.ROOT));
        a.put("hills", scene.hills());
        a.put("lake", scene.lake());
        a.put("trees", scene.trees().name().toLowerCase(Locale.ROOT));
        a.put("fence", scene.fence());
        a.put("barn", scene.barn());
        a.put("sun", scene.sun());
        a.put("moon", scene.moon());
        a.put("closeUp", scene.closeUp());
        return a;
    }
}
