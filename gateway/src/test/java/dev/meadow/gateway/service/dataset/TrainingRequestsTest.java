package dev.meadow.gateway.service.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import org.junit.jupiter.api.Test;

class TrainingRequestsTest {

    /** The configured values, as application.properties would give them. */
    static final GatewayConfig.Datasets SETTINGS = new GatewayConfig.Datasets() {
        public long maxArchiveBytes() {
            return 1 << 20;
        }

        public long maxAnnotationsBytes() {
            return 1 << 20;
        }

        public long maxExtractedBytes() {
            return 1 << 24;
        }

        public int maxCompressionRatio() {
            return 100;
        }

        public int maxEntries() {
            return 1000;
        }

        public long maxImageBytes() {
            return 1 << 20;
        }

        public int maxImageSide() {
            return 4096;
        }

        public int defaultEpochs() {
            return 7;
        }

        public int maxEpochs() {
            return 50;
        }

        public String defaultPreset() {
            return "tiny-32";
        }

        public String defaultConditioning() {
            return "text";
        }

        public int defaultBatchSize() {
            return 16;
        }

        public double defaultLearningRate() {
            return 2e-3;
        }

        public long defaultSeed() {
            return 9;
        }

        public double validationFraction() {
            return 0.2;
        }
    };

    static DatasetUpload upload(
            String preset, String conditioning, Integer epochs, Integer batchSize, Double learningRate, Long seed) {
        return new DatasetUpload(
                "cows",
                Path.of("images.zip"),
                100,
                null,
                List.of(),
                preset,
                conditioning,
                epochs,
                batchSize,
                learningRate,
                seed,
                true,
                null);
    }

    @Test
    void whatTheFormLeavesOutComesFromConfiguration() {
        TrainingRequest request = TrainingRequests.of(upload(null, " ", null, null, null, null), SETTINGS);

        assertThat(request)
                .isEqualTo(new TrainingRequest("tiny-32", ConditioningMode.TEXT, 7, 16, 2e-3, 9, 0.2, true, null));
    }

    @Test
    void whatTheFormSaysIsKept() {
        TrainingRequest request = TrainingRequests.of(upload("small-64", "image", 3, 8, 1e-4, 1L), SETTINGS);

        assertThat(request)
                .isEqualTo(new TrainingRequest("small-64", ConditioningMode.IMAGE, 3, 8, 1e-4, 1, 0.2, true, null));
    }

    @Test
    void eachMistakeIsNamed() {
        assertThatThrownBy(() -> TrainingRequests.of(upload("huge-512", null, null, null, null, null), SETTINGS))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("huge-512");
        assertThatThrownBy(() -> TrainingRequests.of(upload(null, "sound", null, null, null, null), SETTINGS))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("unknown conditioning mode 'sound'");
        assertThatThrownBy(() -> TrainingRequests.of(upload(null, null, 51, null, null, null), SETTINGS))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("epochs must be between 1 and 50");
        assertThatThrownBy(() -> TrainingRequests.of(upload(null, null, null, 0, null, null), SETTINGS))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("batchSize");
    }
}
