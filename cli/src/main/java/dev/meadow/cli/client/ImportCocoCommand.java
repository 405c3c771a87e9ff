package dev.meadow.cli.client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "import-coco",
        mixinStandardHelpOptions = true,
        description = {
            "Upload COCO images and captions as a dataset snapshot and queue its training.",
            "Only the images the annotations name are sent; the gateway filters them by keyword."
        })
public final class ImportCocoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--annotations", required = true, description = "COCO captions JSON (captions_*.json).")
    Path annotations;

    @Option(names = "--images", required = true, description = "Directory with the images (e.g. train2017).")
    Path images;

    @Option(names = "--keywords", split = ",", description = "Whole words a caption must contain, e.g. cow,sheep.")
    List<String> keywords = List.of();

    @Option(names = "--name", description = "Snapshot name (default: the annotations file name).")
    String name;

    @Option(names = "--preset", defaultValue = "small-64", description = "CVAE preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--conditioning", defaultValue = "image", description = "Conditioning mode (default: image).")
    String conditioning;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--activate", description = "Activate the model when it is trained.")
    boolean activate;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(annotations)) {
            throw new UserError("annotations file " + annotations + " does not exist");
        }
        Inputs.existingDirectory(images, "image directory");
        images = images.toAbsolutePath().normalize();
        JsonNode coco;
        try {
            coco = Json.mapper().readTree(annotations.toFile());
        } catch (JsonProcessingException e) {
            throw new UserError(
                    "annotations file " + annotations + " is not valid JSON: "
                            + e.getOriginalMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (!coco.path("images").isArray()) {
            throw new UserError(annotations + " is not a COCO captions file (no images array)");
        }
        Path zip = Files.createTempFile("meadow-coco-", ".zip");
        try {
            int packed = pack(coco, zip);
            if (packed == 0) {
                throw new UserError("none of the images the annotations name is in " + images);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", name != null ? name : annotations.getFileName().toString());
            fields.put("keywords", String.join(",", keywords));
            fields.put("preset", preset);
            fields.put("conditioning", conditioning);
            fields.put("epochs", Integer.toString(epochs));
            fields.put("batchSize", Integer.toString(batchSize));
            fields.put("activate", Boolean.toString(activate));
            JsonNode view = options.client()
                    .postMultipart("api/datasets", Map.of("images", zip, "annotations", annotations), fields);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "Snapshot %s: %d images and %d captions queued for %s training (%s conditioning, %d epochs)%n",
                    view.path("snapshotId").asText(),
                    view.path("images").asInt(),
                    view.path("captions").asInt(),
                    view.path("preset").asText(),
                    view.path("conditioning").asText(),
                    view.path("epochs").asInt());
            return 0;
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private int pack(JsonNode coco, Path zip) throws IOException {
        int packed = 0;
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (JsonNode image : coco.path("images")) {
                Path picture = images.resolve(image.path("file_name").asText()).normalize();
                if (picture.startsWith(images) && Files.isRegularFile(picture)) {
                    out.putNextEntry(new ZipEntry(picture.getFileName().toString()));
                    Files.copy(picture, out);
                    out.closeEntry();
                    packed++;
                }
            }
        }
        return packed;
    }
}
