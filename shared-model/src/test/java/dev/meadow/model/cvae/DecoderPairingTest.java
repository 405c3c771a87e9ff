package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.prior.Prior;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decoder paired with a prior: drawn through it by default, and as the decoder alone when a request skips it. */
@Tag("integration")
class DecoderPairingTest {

    @TempDir
    Path dir;

    @Test
    void skippingThePriorDrawsTheUnpairedDecodersPicturesPixelForPixel() {
        Path prior = TinyModels.get().prior("prior-pairing-test", 1);
        Path paired = TinyModels.get().decoderWithPrior("cvae-paired-test", prior);
        long[] seeds = {1, 2, 3, 4};
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip());
                Decoder alone = Decoder.load(TinyModels.get().decoder());
                Decoder base = Decoder.load(paired);
                Prior p = Prior.load(prior);
                Decoder throughPrior = base.withPrior(p)) {
            assertThat(base.card().priorModelId()).isEqualTo("prior-pairing-test");
            assertThat(base.card().modelId()).isEqualTo("cvae-paired-test");
            float[] text = clip.encodeText("two white sheep on green grass");
            float[][] conditions = {text, text, text, text};
            List<BufferedImage> skipped =
                    throughPrior.decodeImages(conditions, seeds, base.sampling().withPrior(false));
            List<BufferedImage> before = alone.decodeImages(conditions, seeds);
            List<BufferedImage> drawn = throughPrior.decodeImages(conditions, seeds);
            for (int i = 0; i < seeds.length; i++) {
                assertThat(rgb(skipped.get(i)))
                        .as("seed %d without the prior", seeds[i])
                        .isEqualTo(rgb(before.get(i)));
                assertThat(rgb(drawn.get(i)))
                        .as("seed %d through the prior", seeds[i])
                        .isNotEqualTo(rgb(before.get(i)));
            }
            // Deterministic per seed: drawn again, alone, the same picture.
            assertThat(rgb(throughPrior
                            .decodeImages(new float[][] {text}, new long[] {3})
                            .get(0)))
                    .isEqualTo(rgb(drawn.get(2)));
        }
    }

    @Test
    void aPriorOfAnotherClipOrATextConditionedDecoderIsRefused() throws Exception {
        Path prior = TinyModels.get().prior("prior-pairing-test", 1);
        Path otherClip = TinyModels.get().decoderCopyFor("cvae-pairing-other-clip", "clip-other");
        assertThatThrownBy(() -> DecoderPairing.pair(otherClip, prior, "cvae-x", dir.resolve("x")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("clip-other");
        Path text = TinyModels.get().decoderCopy("cvae-text-conditioned");
        Path card = text.resolve(DecoderCard.FILE_NAME);
        Files.writeString(
                card, Files.readString(card).replace("\"conditioning\" : \"image\"", "\"conditioning\" : \"text\""));
        assertThatThrownBy(() -> DecoderPairing.pair(text, prior, "cvae-y", dir.resolve("y")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("text embeddings");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void aCardWhosePriorIdIsAPathIsRefused() throws Exception {
        Path copy = TinyModels.get().decoderCopy("cvae-prior-path");
        Path card = copy.resolve(DecoderCard.FILE_NAME);
        String json = Files.readString(card);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.meadow.contracts.Json.mapper().readTree(json);
        Files.writeString(card, tree.put("priorModelId", "../../etc").toString());
        assertThatThrownBy(() -> Decoder.readCard(copy))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a model id");
        Files.writeString(card, json);
    }

    @Test
    void aDirectoryThatHoldsSomethingIsNotWrittenOver() throws Exception {
        Path prior = TinyModels.get().prior("prior-pairing-test", 1);
        Path out = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> DecoderPairing.pair(TinyModels.get().decoder(), prior, "cvae-z", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
        // The decoder's own id would make a published id draw other pictures.
        assertThatThrownBy(() -> DecoderPairing.pair(
                        TinyModels.get().decoder(), prior, TinyModels.DECODER_ID, dir.resolve("same")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an id of its own");
    }

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
