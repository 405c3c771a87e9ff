package dev.meadow.cli.offline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.ConditionNoiseOption;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.PriorOption;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Towards;
import dev.meadow.image.GenerationMetadata;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.Slerp;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.Sampling;
import dev.meadow.model.prior.Prior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generate images for a prompt with a decoder and the CLIP model it was trained against.",
            "With --towards, one seed and a condition that slides from the prompt's embedding to the second "
                    + "prompt's along the sphere: --steps images and a strip of them side by side."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Decoder directory (from meadow train).")
    Path model;

    @Option(names = "--clip", required = true, description = "CLIP model directory.")
    Path clip;

    @Option(names = "--prompt", required = true, description = "What to draw.")
    String prompt;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the first image (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--count", defaultValue = "1", description = "Images, seeds seed..seed+count-1.")
    int count;

    @Option(names = "--out", required = true, description = "Directory for the PNGs.")
    Path out;

    @Option(
            names = "--candidates",
            defaultValue = "1",
            description = "Pictures drawn per image; the CLIP model "
                    + "keeps the one closest to the prompt, whose seed then names the file (1 to "
                    + ClipReranker.MAX_CANDIDATES + ", default: ${DEFAULT-VALUE}).")
    int candidates;

    @Mixin
    ConditionNoiseOption conditionNoise;

    @Mixin
    PriorOption priorOption;

    @Option(names = "--towards", description = "A second prompt to blend towards (same latent throughout).")
    String towards;

    @Option(
            names = "--steps",
            defaultValue = "5",
            description = "Images from the prompt to --towards, both included " + "(default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() throws IOException {
        if (prompt.isBlank()) {
            throw new UserError("--prompt must not be empty");
        }
        Inputs.positive(count, "--count");
        Inputs.candidates(candidates);
        Float noise = conditionNoise.value();
        Inputs.existingDirectory(model, "model");
        Inputs.existingDirectory(clip, "CLIP model");
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " is a file, not a directory");
        }
        if (towards != null) {
            if (towards.isBlank()) {
                throw new UserError("--towards must not be empty");
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--count")) {
                throw new UserError("--count and --towards exclude each other: a strip has --steps images of one seed");
            }
            if (candidates > 1) {
                throw new UserError("--candidates and --towards exclude each other: a strip keeps one latent");
            }
            if (steps < 2 || steps > 64) {
                throw new UserError("--steps must be between 2 and 64");
            }
        }
        PrintWriter console = spec.commandLine().getOut();
        try (Decoder plain = Inputs.asUserInput(() -> Decoder.load(model));
                Prior prior = priorOption.open(model, plain.card());
                Decoder decoder = prior == null ? plain : Inputs.asUserInput(() -> plain.withPrior(prior));
                ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            checkCompatible(decoder, clipModel);
            if (prior != null && noise != null) {
                throw new UserError("--condition-noise and a prior do not go together: the prior draws each picture's"
                        + " condition (--no-prior draws from the prompt's with noise)");
            }
            Sampling sampling = decoder.sampling(noise);
            int n = towards != null ? steps : count;
            float[] embedding = clipModel.encodeText(prompt);
            // A strip keeps one seed and slides the condition; variants keep the condition and change the seed.
            float[][] conditions =
                    towards != null ? Slerp.path(embedding, clipModel.encodeText(towards), steps) : new float[n][];
            long[] seeds = new long[n];
            for (int i = 0; i < n; i++) {
                if (towards == null) {
                    conditions[i] = embedding;
                }
                seeds[i] = towards != null ? seed : seed + i;
            }
            List<BufferedImage> images;
            if (towards != null) {
                images = decoder.decodeImages(conditions, seeds, sampling);
            } else {
                // Each kept picture is named and tagged with the seed that reproduces it alone.
                List<ClipReranker.Choice> choices =
                        new ClipReranker(decoder, clipModel).decode(conditions, seeds, sampling, candidates);
                images = ClipReranker.images(choices);
                for (int i = 0; i < n; i++) {
                    seeds[i] = choices.get(i).seed();
                }
            }
            Files.createDirectories(out);
            int size = decoder.imageSize();
            String stem = towards != null ? slug(prompt) + "-towards-" + slug(towards) : slug(prompt);
            for (int i = 0; i < n; i++) {
                Towards blend = towards != null ? new Towards(towards, (double) i / (steps - 1)) : null;
                Path file = out.resolve(
                        towards != null
                                ? String.format(Locale.ROOT, "%s-%d-%d.png", stem, seed, i)
                                : String.format(Locale.ROOT, "%s-%d.png", stem, seeds[i]));
                Files.write(
                        file,
                        Png.encode(
                                images.get(i),
                                metadata(decoder, clipModel, seeds[i], size, blend, sampling)
                                        .textChunks()));
                console.println(file);
            }
            if (towards != null) {
                BufferedImage strip = new BufferedImage(size * steps, size, BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = strip.createGraphics();
                for (int i = 0; i < steps; i++) {
                    g.drawImage(images.get(i), i * size, 0, null);
                }
                g.dispose();
                Map<String, String> chunks = new java.util.LinkedHashMap<>(
                        metadata(decoder, clipModel, seed, size * steps, new Towards(towards, 1), sampling)
                                .textChunks());
                chunks.put("steps", Integer.toString(steps));
                Path stripFile = out.resolve(String.format(Locale.ROOT, "%s-%d-strip.png", stem, seed));
                Files.write(stripFile, Png.encode(strip, chunks));
                console.println(stripFile);
            }
        }
        return 0;
    }

    private GenerationMetadata metadata(
            Decoder decoder, ClipModel clipModel, long imageSeed, int width, Towards blend, Sampling sampling) {
        return new GenerationMetadata(
                prompt,
                imageSeed,
                width,
                decoder.imageSize(),
                decoder.card().modelId(),
                clipModel.modelId(),
                decoder.card().conditioning().id(),
                null,
                blend,
                decoder.prior() == null ? (double) sampling.conditionNoise() : null,
                decoder.prior() == null ? null : decoder.prior().modelId());
    }

    public static void checkCompatible(Decoder decoder, ClipModel clip) {
        if (decoder.conditionDim() != clip.dimension()) {
            throw new UserError("decoder " + decoder.card().modelId() + " takes " + decoder.conditionDim()
                    + "-dimensional conditions but CLIP " + clip.modelId() + " makes " + clip.dimension());
        }
        if (!decoder.card().clipModelId().equals(clip.modelId())) {
            throw new UserError("decoder " + decoder.card().modelId() + " was trained against CLIP "
                    + decoder.card().clipModelId() + ", not " + clip.modelId());
        }
    }

    static String slug(String prompt) {
        String s = prompt.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "image" : s.substring(0, Math.min(60, s.length()));
    }
}
