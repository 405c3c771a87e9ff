package dev.meadow.gateway.service.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadChecksTest {

    @TempDir
    Path dir;

    private static DatasetUpload upload(String name, Path archive, long archiveSize, Path annotations) {
        return new DatasetUpload(
                name, archive, archiveSize, annotations, List.of(), null, null, null, null, null, null, false, null);
    }

    @Test
    void namesAnUnnamedUploadAndStripsAGivenName() {
        Path zip = dir.resolve("a.zip");
        assertThat(UploadChecks.check(upload(null, zip, 10, null), TrainingRequestsTest.SETTINGS))
                .isEqualTo("upload");
        assertThat(UploadChecks.check(upload("  hills ", zip, 10, null), TrainingRequestsTest.SETTINGS))
                .isEqualTo("hills");
    }

    @Test
    void refusesWhatIsMissingOrTooLarge() throws IOException {
        Path zip = dir.resolve("a.zip");
        assertThatThrownBy(() -> UploadChecks.check(upload("x", null, 0, null), TrainingRequestsTest.SETTINGS))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("needs a zip archive");
        assertThatThrownBy(
                        () -> UploadChecks.check(upload("x", zip, (1 << 20) + 1, null), TrainingRequestsTest.SETTINGS))
                .hasMessage("the archive is 1048577 bytes; the limit is 1048576");
        assertThatThrownBy(
                        () -> UploadChecks.check(upload("n".repeat(201), zip, 10, null), TrainingRequestsTest.SETTINGS))
                .hasMessage("the name is longer than 200 characters");
        Path annotations = Files.write(dir.resolve("captions.json"), new byte[(1 << 20) + 5]);
        assertThatThrownBy(() -> UploadChecks.check(upload("x", zip, 10, annotations), TrainingRequestsTest.SETTINGS))
                .hasMessageStartingWith("the annotations are 1048581 bytes; the limit is 1048576");
    }

    @Test
    void trainingNeedsABatchAndImagesToValidateOn() {
        TrainingRequest training =
                new TrainingRequest("tiny-32", ConditioningMode.IMAGE, 3, 8, 0.001, 1L, 0.1, false, null);
        UploadChecks.requireEnoughImages(10, training);
        assertThatThrownBy(() -> UploadChecks.requireEnoughImages(9, training))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("only 9 images remain; training with batch size 8 needs at least 10");
    }
}
