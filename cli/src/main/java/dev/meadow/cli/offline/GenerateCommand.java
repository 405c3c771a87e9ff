package dev.meadow.cli.offline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.Inputs;
import dev.meadow.cli.UserError;
import dev.meadow.image.GenerationMetadata;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images for a prompt with a decoder and the CLIP model it was trained against.")
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

    @Override
    public Integer call() throws IOException {
        if (prompt.isBlank()) {
            throw new UserError("--prompt must not be empty");
        }
        Inputs.positive(count, "--count");
        Inputs.existingDirectory(model, "model");
        Inputs.existingDirectory(clip, "CLIP model");
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " is a file, not a directory");
        }
        PrintWriter console = spec.commandLine().getOut();
        try (Decoder decoder = Inputs.asUserInput(() -> Decoder.load(model));
                ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            checkCompatible(decoder, clipModel);
            float[] embedding = clipModel.encodeText(prompt);
            float[] conditions = new float[count * embedding.length];
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                System.arraycopy(embedding, 0, conditions, i * embedding.length, embedding.length);
                seeds[i] = seed + i;
            }
            List<BufferedImage> images = decoder.decodeImages(conditions, seeds);
            Files.createDirectories(out);
            String stem = slug(prompt);
            for (int i = 0; i < count; i++) {
                GenerationMetadata metadata = new GenerationMetadata(prompt, seeds[i], decoder.imageSize(),
                        decoder.imageSize(), decoder.card().modelId(), clipModel.modelId(),
                        decoder.card().conditioning().id(), null);
                Path file = out.resolve(String.format(Locale.ROOT, "%s-%d.png", stem, seeds[i]));
                Files.write(file, Png.encode(images.get(i), metadata.textChunks()));
                console.println(file);
            }
        }
        return 0;
    }

    static void checkCompatible(Decoder decoder, ClipModel clip) {
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
