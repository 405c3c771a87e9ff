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

    record Run(int exitCode, String out, String err) {
    }

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
        java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                }).flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no network address besides loopback");
        try (java.net.Socket socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                    new java.net.InetSocketAddress(external, stack.gatewayPort), 2000))
                    .as("the gateway on " + external).isInstanceOf(java.net.ConnectException.class);
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                    stack.gatewayPort), 2000);
        }
    }

    @Test
    void submitFollowsABatchToTheEndAndStatusReportsIt() throws Exception {
        LocalStack stack = LocalStack.get();
        Path prompts = Files.writeString(dir.resolve("prompts.txt"),
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
        assertThat(invalid.err()).contains("line 2: count must be between 1 and 16").contains("HTTP 400");
        // A picture renamed .txt is refused, not queued as garbage prompts.
        Path picture = Files.write(dir.resolve("cow.txt"), dev.meadow.image.Png.encode(
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)));
        Run binary = meadow(stack, "submit", picture.toString());
        assertThat(binary.exitCode()).isEqualTo(2);
        assertThat(binary.err().strip()).isEqualTo(
                "meadow: line 1: not valid UTF-8; save the file as UTF-8 text (HTTP 400)");
    }

    @Test
    void importCocoUploadsAFixtureMadeHereFilteredByKeyword(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.get();
        CocoFixture.Written coco = CocoFixture.write(dir, 16);
        Run run = meadow(stack, "import-coco", "--annotations", coco.annotations().toString(), "--images",
                coco.images().toString(), "--keywords", "cow,sheep,horse,grass,field,snow,sky,hill",
                "--batch-size", "4", "--epochs", "2", "--name", "fixture pastoral");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Snapshot ds-").contains("queued for small-64 training");
    }

    @Test
    void importCocoUploadsTheRealFilesFilteredByKeyword() throws Exception {
        LocalStack stack = LocalStack.get();
        Path coco = Path.of(System.getProperty("meadow.shared", "../../shared")).resolve("datasets/coco-mini");
        Assumptions.assumeTrue(Files.isDirectory(coco), "the real COCO sample is not beside the project: " + coco);
        Run run = meadow(stack, "import-coco", "--annotations",
                coco.resolve("annotations/captions_val2017.json").toString(), "--images",
                coco.resolve("val2017").toString(), "--keywords", "cow,sheep,horse,grass,field,snow,sky,hill",
                "--batch-size", "8", "--epochs", "2", "--name", "coco val pastoral");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Snapshot ds-").contains("queued for small-64 training");
    }

    @Test
    void aRestartedGatewayShowsEverythingItShowedBefore() throws Exception {
        LocalStack stack = LocalStack.get();
        String job = Results.submit(stack, "a cow before the restart", 77);
        Results.await(stack, java.util.List.of(job), Duration.ofMinutes(2));
        String batch = job.substring(0, job.lastIndexOf('-'));
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.get("/api/batches/" + batch).body()
                .contains("\"finished\":true"));
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
