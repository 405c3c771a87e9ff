package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttributeDetectorsTest {

    private static AttributeDetectors detectors;

    @BeforeAll
    static void train() {
        detectors = AttributeDetectors.train(8000, 1000, 11);
        System.out.println("detector accuracy on renders " + detectors.accuracyOnRenders() + ", blurred "
                + detectors.accuracyOnBlurredRenders());
    }

    @Test
    void skyGroundAndSnowDetectorsReach95PercentOnUnseenRenders() {
        for (Attribute attribute : java.util.List.of(Attribute.SKY, Attribute.GROUND, Attribute.SNOW)) {
            assertThat(detectors.accuracyOnRenders().get(attribute))
                    .as(attribute.key())
                    .isGreaterThanOrEqualTo(AttributeDetectors.REQUIRED_ACCURACY);
        }
    }

    @Test
    void onlyDetectorsAboveTheBarAreTrusted() {
        detectors
                .accuracyOnRenders()
                .forEach((attribute, accuracy) -> assertThat(detectors.trusted().contains(attribute))
                        .as(attribute.key())
                        .isEqualTo(accuracy >= AttributeDetectors.REQUIRED_ACCURACY));
        assertThat(detectors.trusted()).contains(Attribute.SKY, Attribute.GROUND);
    }

    @Test
    void detectsTheSceneOfAFreshRender() {
        int right = 0;
        int total = 0;
        for (int i = 0; i < 200; i++) {
            Scene scene = PastoralSynth.scene(99, i);
            Map<Attribute, String> found = detectors.detect(SceneRenderer.render(scene, 128));
            for (Attribute attribute : Attribute.readBy(Attribute.Reader.COLOURS)) {
                total++;
                if (found.get(attribute).equals(attribute.of(scene))) {
                    right++;
                }
            }
        }
        // Renders at another size than the training ones still read right.
        assertThat((double) right / total).isGreaterThan(0.93);
    }

    @Test
    void aFlatGreyPictureIsNotReadAsABlueSkyOverGrass() {
        var grey = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = grey.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        Map<Attribute, String> found = detectors.detect(grey);
        assertThat(found.get(Attribute.SKY).equals("blue")
                        && found.get(Attribute.GROUND).equals("grass"))
                .isFalse();
    }
}
