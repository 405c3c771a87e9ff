package dev.meadow.cli.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.ConditionNoiseOption;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.PriorOption;
import dev.meadow.cli.common.UserError;
import dev.meadow.cli.offline.GenerateCommand;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.Sampling;
import dev.meadow.model.prior.Prior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "figure",
        mixinStandardHelpOptions = true,
        description = {
            "Draw prompts with one or more decoders, side by side: a panel per decoder, a row per prompt, a column "
                    + "per seed, one draw each (no reranking), pixels scaled up unsmoothed.",
            "The same cell of every panel is the same prompt and seed, so decoders compare picture for picture.",
            "A decoder whose card names a prior draws through it (found beside the decoder's directory)."
        })
public final class FigureCommand implements Callable<Integer> {

    static final int MAX_MODELS = 4;

    /** Largest sheet side: what browsers and image viewers still open. */
    static final int MAX_SIDE = 16_384;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            description = "Decoder directory; repeat for panels side by side (up to " + MAX_MODELS + ").")
    List<Path> models;

    @Option(names = "--clip", required = true, description = "The CLIP model the decoders were trained against.")
    Path clip;

    @Option(
            names = "--prompts",
            required = true,
            description = "Text file: one prompt per line (blank lines and lines starting with # are skipped).")
    Path prompts;

    @Option(names = "--seeds", defaultValue = "6", description = "Seeds per prompt (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "First seed (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--scale", defaultValue = "2", description = "Screen pixels per pixel (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Mixin
    ConditionNoiseOption conditionNoise;

    @Override
    public Integer call() {
        if (models.size() > MAX_MODELS) {
            throw new UserError("at most " + MAX_MODELS + " --model panels");
        }
        if (seeds < 1 || seeds > 16) {
            throw new UserError("--seeds must be between 1 and 16");
        }
        if (scale < 1 || scale > 8) {
            throw new UserError("--scale must be between 1 and 8");
        }
        if (Files.isDirectory(out)) {
            throw new UserError("output " + out + " is a directory, not a file");
        }
        for (Path model : models) {
            Inputs.existingDirectory(model, "model");
        }
        Inputs.existingDirectory(clip, "CLIP model");
        Float noise = conditionNoise.value();
        List<String> lines = readPrompts();
        checkSheetSize(lines.size());
        List<List<List<BufferedImage>>> panels = new ArrayList<>();
        Map<String, String> chunks = new LinkedHashMap<>();
        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            float[][] embeddings = clipModel.encodeText(lines);
            int size = -1;
            for (Path model : models) {
                try (Decoder plain = Inputs.asUserInput(() -> Decoder.load(model));
                        Prior prior = PriorOption.beside(model, plain.card());
                        Decoder decoder = prior == null ? plain : Inputs.asUserInput(() -> plain.withPrior(prior))) {
                    GenerateCommand.checkCompatible(decoder, clipModel);
                    if (size != -1 && decoder.imageSize() != size) {
                        throw new UserError("the decoders draw different sizes (" + size + " and " + decoder.imageSize()
                                + "); panels need one size");
                    }
                    size = decoder.imageSize();
                    if (prior != null && noise != null) {
                        throw new UserError(
                                "--condition-noise and decoder " + plain.card().modelId() + "'s prior do"
                                        + " not go together: the prior draws each picture's condition");
                    }
                    Sampling sampling = decoder.sampling(noise);
                    panels.add(draw(decoder, embeddings, sampling));
                    chunks.put("model-" + panels.size(), decoder.card().modelId());
                    if (prior != null) {
                        chunks.put("prior-" + panels.size(), prior.modelId());
                    } else {
                        chunks.put(
                                "condition-noise-" + panels.size(),
                                String.format(Locale.ROOT, "%.4f", sampling.conditionNoise()));
                    }
                }
            }
            chunks.put("clip", clipModel.modelId());
        }
        chunks.put("prompts", String.join("\n", lines));
        chunks.put("seeds", firstSeed + ".." + (firstSeed + seeds - 1));
        BufferedImage sheet = ContactSheet.compose(panels, scale, 8 * scale);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, Png.encode(sheet, chunks));
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e, e);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "%s: %d panel(s) of %d prompts x %d seeds, %dx%d px%n",
                        out, panels.size(), lines.size(), seeds, sheet.getWidth(), sheet.getHeight());
        return 0;
    }

    /** Refuses, before any decoding, a sheet too large to open (or to allocate). */
    private void checkSheetSize(int prompts) {
        long side = 0;
        for (Path model : models) {
            int size = Inputs.asUserInput(() -> Decoder.readCard(model)).imageSize();
            side = Math.max(side, (long) size * scale);
        }
        long gap = 8L * scale;
        long width = models.size() * seeds * side + (models.size() - 1) * gap;
        long height = prompts * side + (prompts - 1) * (gap / 2);
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new UserError("the figure would be " + width + "x" + height + " px, more than " + MAX_SIDE
                    + " on a side; use fewer --seeds, prompts or --model panels, or a smaller --scale");
        }
    }

    private List<List<BufferedImage>> draw(Decoder decoder, float[][] embeddings, Sampling sampling) {
        int n = embeddings.length * seeds;
        float[][] conditions = new float[n][];
        long[] seedOf = new long[n];
        for (int p = 0; p < embeddings.length; p++) {
            for (int s = 0; s < seeds; s++) {
                conditions[p * seeds + s] = embeddings[p];
                seedOf[p * seeds + s] = firstSeed + s;
            }
        }
        List<BufferedImage> images = decoder.decodeImages(conditions, seedOf, sampling);
        List<List<BufferedImage>> rows = new ArrayList<>();
        for (int p = 0; p < embeddings.length; p++) {
            rows.add(images.subList(p * seeds, (p + 1) * seeds));
        }
        return rows;
    }

    private List<String> readPrompts() {
        List<String> lines;
        try {
            lines = Files.readAllLines(prompts).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UserError("cannot read prompts file " + prompts + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new UserError(prompts + " has no prompts");
        }
        if (lines.size() > 32) {
            throw new UserError(prompts + " has " + lines.size() + " prompts; a figure takes at most 32");
        }
        return lines;
    }
}
