package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.model.InvalidModelException;
import dev.meadow.model.prior.Prior;

/**
 * A decoder made to draw through a prior: its files under a new model id, whose card names the prior. A new id,
 * because the same id and seed would otherwise draw another picture than before; a request that skips the prior
 * draws the old decoder's pictures, pixel for pixel.
 */
public final class DecoderPairing {

    private DecoderPairing() {}

    /**
     * Names {@code priorModelId} in the card of a decoder just exported to {@code directory}, before it is published
     * under its id: a decoder trained with its prior draws through it from its first picture.
     */
    public static DecoderCard nameInCard(Path directory, String priorModelId) {
        DecoderCard card = Decoder.readCard(directory);
        return DecoderExport.writeCard(directory, card.pairedWith(card.modelId(), priorModelId));
    }

    /**
     * Writes the paired decoder to {@code out} (absent or empty).
     *
     * @throws InvalidModelException when either directory is not a valid model, or the prior does not fit the decoder
     *     (another CLIP, another size, or a decoder trained on text embeddings)
     */
    public static DecoderCard pair(Path decoderDirectory, Path priorDirectory, String modelId, Path out) {
        if (Decoder.readCard(decoderDirectory).modelId().equals(modelId)) {
            // Published, the same id would start drawing other pictures for the same seeds, silently.
            throw new IllegalArgumentException("the paired decoder needs an id of its own, not " + modelId
                    + ", the id of the decoder it is made from");
        }
        DecoderCard card;
        try (Decoder decoder = Decoder.load(decoderDirectory);
                Prior prior = Prior.load(priorDirectory);
                Decoder paired = decoder.withPrior(prior)) {
            card = decoder.card().pairedWith(modelId, prior.modelId());
        }
        try {
            if (Files.exists(out)) {
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(out + " is not empty");
                    }
                }
            }
            List<Path> files;
            try (var walk = Files.walk(decoderDirectory)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Path relative = decoderDirectory.relativize(file);
                if (relative.toString().equals(DecoderCard.FILE_NAME)) {
                    continue;
                }
                Path target = out.resolve(relative.toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return DecoderExport.writeCard(out, card);
    }
}
