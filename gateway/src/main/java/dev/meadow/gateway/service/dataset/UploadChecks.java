package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import dev.meadow.contracts.TrainingRequest;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.UploadRejectedException;

/** What an upload must satisfy before anything of it is opened: its parts, their sizes, its name. */
public final class UploadChecks {

    /** Longest dataset name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    private UploadChecks() {}

    /**
     * @return the dataset's name, stripped ("upload" when none was given)
     * @throws UploadRejectedException naming the first thing that is wrong
     */
    public static String check(DatasetUpload upload, GatewayConfig.Datasets limits) {
        if (upload.archive() == null) {
            throw UploadRejectedException.invalid("the upload needs a zip archive of images (field 'images')");
        }
        if (upload.archiveSize() > limits.maxArchiveBytes()) {
            throw UploadRejectedException.tooLarge(
                    "the archive is " + upload.archiveSize() + " bytes; the limit is " + limits.maxArchiveBytes());
        }
        String name = upload.name() == null || upload.name().isBlank()
                ? "upload"
                : upload.name().strip();
        if (name.length() > MAX_NAME_LENGTH) {
            throw UploadRejectedException.invalid("the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (upload.annotations() != null) {
            long size = size(upload);
            if (size > limits.maxAnnotationsBytes()) {
                throw UploadRejectedException.tooLarge("the annotations are " + size + " bytes; the limit is "
                        + limits.maxAnnotationsBytes() + " (meadow.gateway.datasets.max-annotations-bytes)");
            }
        }
        return name;
    }

    /** Training needs a batch, plus images to validate on. */
    public static void requireEnoughImages(int images, TrainingRequest training) {
        int minimum = training.batchSize() + 2;
        if (images < minimum) {
            throw UploadRejectedException.invalid("only " + images + " images remain; training with batch size "
                    + training.batchSize() + " needs at least " + minimum);
        }
    }

    private static long size(DatasetUpload upload) {
        try {
            return Files.size(upload.annotations());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
