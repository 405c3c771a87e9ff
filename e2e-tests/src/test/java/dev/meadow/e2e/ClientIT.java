package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.meadow.cli.Meadow;
import dev.meadow.testing.CocoFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The meadow client against the running gateway; and a gateway restart that loses nothing. */
class ClientIT {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run meadow(LocalStack stack, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Meadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--gateway";
        all[args.length + 1] = "http://localhost:" + stack.gatewayPort + "/";
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = LocalStack.API_KEY;
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void theGatewayListensOnThisMachineOnly() throws Exception {
        LocalStack stack = LocalStack.get();
        java.net.InetAddress external =
                java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                        .filter(i -> {
                            try {
                                return i.isUp() && !i.isLoopback();
                            } catch (java.net.SocketException e) {
                                return false;
                            }
                        })
                        .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                        .filter(a -> a instanceof java.net.Inet4Address)
                        .findFirst()
                        .orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no network address besides loopback");
        try (java.net.Socket socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> socket.connect(new java.net.InetSocketAddress(external, stack.gatewayPort), 2000))
                    .as("the gateway on " + external)
                    .isInstanceOf(java.net.ConnectException.class);
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), stack.gatewayPort), 2000);
        }
    }

    @Test
    void submitFollowsABatchToTheEndAndStatusReportsIt() throws Exception {
        LocalStack stack = LocalStack.get();
        Path prompts = Files.writeString(
                dir.resolve("prompts.txt"),
                "# a small batch\ntwo brown cows on green grass\n--seed 9 --count 2 a black horse at night\n");
        Run submit = meadow(stack, "submit", prompts.toString(), "--seed", "5");
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        assertThat(submit.out()).contains("3 images accepted in").contains("3 generated, 0 failed, 0 cancelled of 3");
        String batchId = submit.out().substring(6, submit.out().indexOf(':'));

        Run status = meadow(stack, "status", batchId);
        assertThat(status.out()).contains("Batch " + batchId + ": 100.0% done").contains("3 generated");
        assertThat(meadow(stack, "status").out()).contains(batchId);

        Run missing = meadow(stack, "submit", dir.resolve("nope.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("prompt file").contains("does not exist");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "a cow\n--count 500 sheep\n");
        Run invalid = meadow(stack, "submit", bad.toString());
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err())
                .contains("line 2: count must be between 1 and 16")
                .contains("HTTP 400");
        // A picture renamed .txt is refused, not queued as garbage prompts.
        Path picture = Files.write(
                dir.resolve("cow.txt"),
                dev.meadow.image.Png.encode(
                        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)));
        Run binary = meadow(stack, "submit", picture.toString());
        assertThat(binary.exitCode()).isEqualTo(2);
        assertThat(binary.err().strip())
                .isEqualTo("meadow: line 1: not valid UTF-8; save the file as UTF-8 text (HTTP 400)");
    }

    @Test
    void aBatchGoesHomeAsPngsWithAManifestResumingAnInterruptedDownloadAndAsOneZip() throws Exception {
        LocalStack stack = LocalStack.get();
        Path prompts = Files.writeString(dir.resolve("home.txt"), "a cow to take home\n--count 3 sheep to take home\n");
        Path out = dir.resolve("out");
        Run submit = meadow(stack, "submit", prompts.toString(), "--seed", "3", "--out", out.toString());
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        assertThat(submit.out()).contains("4 images written to " + out).contains("(0 were there already)");
        String batchId = submit.out().substring(6, submit.out().indexOf(':'));
        Path manifest = out.resolve("manifest.jsonl");
        java.util.List<String> lines = Files.readAllLines(manifest);
        assertThat(lines).hasSize(4);
        var first = dev.meadow.contracts.Json.mapper().readTree(lines.get(0));
        assertThat(first.path("prompt").asText()).endsWith("to take home");
        assertThat(first.path("modelVersion").asText()).isNotBlank();
        assertThat(first.has("seed")).isTrue();
        try (var pngs = Files.list(out)) {
            assertThat(pngs.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(4);
        }

        // An interrupted download: one PNG never arrived, and the manifest's last line was cut in half.
        String gone = dev.meadow.contracts.Json.mapper()
                .readTree(lines.get(0))
                .path("file")
                .asText();
        Files.delete(out.resolve(gone));
        String whole = String.join("\n", lines) + "\n";
        Files.writeString(manifest, whole.substring(0, whole.length() - 20));
        Run resume = meadow(stack, "download", batchId, "--out", out.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("2 images written").contains("(2 were there already)");
        java.util.List<String> after = Files.readAllLines(manifest);
        assertThat(after).hasSize(4);
        assertThat(after.stream()
                        .map(l -> {
                            try {
                                return dev.meadow.contracts.Json.mapper()
                                        .readTree(l)
                                        .path("jobId")
                                        .asText();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .distinct()
                        .count())
                .isEqualTo(4);
        assertThat(out.resolve(gone)).exists();
        Run again = meadow(stack, "download", batchId, "--out", out.toString());
        assertThat(again.out()).contains("0 images written").contains("(4 were there already)");

        // The same batch as one ZIP: the PNGs byte for byte, and the manifest.
        HttpResponse<byte[]> zip = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + stack.gatewayPort
                                        + "/api/batches/" + batchId + "/images.zip"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).hasSize(5).containsKey("manifest.jsonl");
        assertThat(new String(entries.get("manifest.jsonl"), java.nio.charset.StandardCharsets.UTF_8).lines())
                .hasSize(4)
                .allMatch(l -> l.contains("to take home"));
        for (String line : after) {
            String file = dev.meadow.contracts.Json.mapper()
                    .readTree(line)
                    .path("file")
                    .asText();
            assertThat(entries.get(file)).as(file).isEqualTo(Files.readAllBytes(out.resolve(file)));
        }
        HttpResponse<String> unknown = stack.get("/api/batches/no-such-batch/images.zip");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no batch no-such-batch");
        Run missing = meadow(
                stack, "download", "no-such-batch", "--out", dir.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no batch no-such-batch").contains("HTTP 404");
    }

    @Test
    void importCocoUploadsAFixtureMadeHereFilteredByKeyword(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.get();
        CocoFixture.Written coco = CocoFixture.write(dir, 16);
        Run run = meadow(
                stack,
                "import-coco",
                "--annotations",
                coco.annotations().toString(),
                "--images",
                coco.images().toString(),
                "--keywords",
                "cow,sheep,horse,grass,field,snow,sky,hill",
                "--batch-size",
                "4",
                "--epochs",
                "2",
                "--name",
                "fixture pastoral");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Snapshot ds-").contains("queued for small-64 training");
    }

    @Test
    void importCocoUploadsTheRealFilesFilteredByKeyword() throws Exception {
        LocalStack stack = LocalStack.get();
        Path coco = Path.of(System.getProperty("meadow.shared", "../../shared")).resolve("datasets/coco-mini");
        Assumptions.assumeTrue(Files.isDirectory(coco), "the real COCO sample is not beside the project: " + coco);
        Run run = meadow(
                stack,
                "import-coco",
                "--annotations",
                coco.resolve("annotations/captions_val2017.json").toString(),
                "--images",
                coco.resolve("val2017").toString(),
                "--keywords",
                "cow,sheep,horse,grass,field,snow,sky,hill",
                "--batch-size",
                "8",
                "--epochs",
                "2",
                "--name",
                "coco val pastoral");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Snapshot ds-").contains("queued for small-64 training");
    }

    @Test
    void aRestartedGatewayShowsEverythingItShowedBefore() throws Exception {
        LocalStack stack = LocalStack.get();
        String job = Results.submit(stack, "a cow before the restart", 77);
        Results.await(stack, java.util.List.of(job), Duration.ofMinutes(2));
        String batch = job.substring(0, job.lastIndexOf('-'));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.get("/api/batches/" + batch).body().contains("\"finished\":true"));
        String batchesBefore = stack.get("/api/batches/" + batch).body();
        String imagesBefore = stack.get("/api/images?size=200").body();

        stack.kill("gateway");
        stack.restart("gateway");

        HttpResponse<String> batchesAfter = stack.get("/api/batches/" + batch);
        assertThat(batchesAfter.statusCode()).isEqualTo(200);
        assertThat(batchesAfter.body()).isEqualTo(batchesBefore);
        assertThat(stack.get("/api/images?size=200").body()).isEqualTo(imagesBefore);
    }
}
