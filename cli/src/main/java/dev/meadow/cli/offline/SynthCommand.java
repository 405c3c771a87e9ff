package dev.meadow.cli.offline;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.dataset.ImageEntry;
import dev.meadow.dataset.Snapshot;
import dev.meadow.synth.PastoralSynth;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = "Render a Pastoral-Synth data set (images, captions, scene attributes) as a snapshot.")
public final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", required = true, description = "Number of images.")
    int count;

    @Option(names = "--size", defaultValue = "64", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "Data set seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Snapshot directory to write.")
    Path out;

    @Option(
            names = "--twins",
            description = "Every odd image is the image before it with its animals of other kinds (where it has"
                    + " animals): hard negatives for meadow train-clip --twins.")
    boolean twins;

    @Override
    public Integer call() {
        Inputs.positive(count, "--count");
        if (size < 16 || size > 1024) {
            throw new UserError("--size must be between 16 and 1024");
        }
        Inputs.outputDirectory(out, Snapshot.MANIFEST);
        long start = System.nanoTime();
        Snapshot snapshot;
        try (ProgressBar bar = Progress.bar("rendering", count)) {
            AtomicInteger done = new AtomicInteger();
            snapshot = PastoralSynth.generate(count, size, seed, twins, out, i -> bar.stepTo(done.incrementAndGet()));
        }
        Map<String, Integer> skies = new TreeMap<>();
        Map<String, Integer> grounds = new TreeMap<>();
        for (ImageEntry entry : snapshot.manifest().images()) {
            skies.merge(String.valueOf(entry.attributes().get("sky")), 1, Integer::sum);
            grounds.merge(String.valueOf(entry.attributes().get("ground")), 1, Integer::sum);
        }
        int captions = snapshot.captionsByImage().values().stream()
                .mapToInt(java.util.List::size)
                .sum();
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "Wrote %d images (%dx%d) and %d captions to %s in %.1f s%n  sky: %s%n  ground: %s%n",
                        count,
                        size,
                        size,
                        captions,
                        out,
                        (System.nanoTime() - start) / 1e9,
                        skies,
                        grounds);
        return 0;
    }
}
