package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes on the client commands' command line: each is one line that names the problem, exit code 2, and no
 * stack trace. None of them needs a gateway (the one it would talk to is not there).
 */
class ClientMistakesTest {

    @TempDir
    Path dir;

    /** With an empty data directory, so that a client.properties of a real meadow up is never read. */
    private UpCommandTest.Run meadow(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data";
        all[args.length + 1] = dir.resolve("data").toString();
        return UpCommandTest.run(all);
    }

    private static void assertOneLine(UpCommandTest.Run run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).as("the error output").isEqualTo("meadow: " + expected);
    }

    @Test
    void aGatewayThatIsNoUrl() throws Exception {
        Path prompts = Files.writeString(dir.resolve("f.txt"), "a cow\n");
        assertOneLine(
                meadow("submit", "--gateway=notaurl", prompts.toString()),
                "--gateway notaurl is not an http:// or https:// URL");
        assertOneLine(
                meadow("status", "--gateway=ftp://example.org/", "b-1"),
                "--gateway ftp://example.org/ is not an http:// or https:// URL");
        assertOneLine(
                meadow("status", "--gateway=http://[nope/", "b-1"),
                "--gateway http://[nope/ is not an http:// or https:// URL");
    }

    @Test
    void aGatewayThatIsNotThere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path prompts = Files.writeString(dir.resolve("f.txt"), "a cow\n");
        String gateway = "http://127.0.0.1:" + port + "/";
        assertOneLine(
                meadow("submit", "--gateway", gateway, prompts.toString()),
                "cannot reach the gateway at " + gateway + " (is meadow up running?)");
    }

    @Test
    void aRefusedKeyNamesWhereItCameFrom() throws Exception {
        com.sun.net.httpserver.HttpServer gateway =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            byte[] body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the API key is not valid\"}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gateway.start();
        try {
            String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/";
            Path data = Files.createDirectories(dir.resolve("data"));
            Files.writeString(data.resolve("client.properties"), "gateway=" + url + "\napi-key=mdw_stale\n");
            Path prompts = Files.writeString(dir.resolve("f.txt"), "a cow\n");
            assertOneLine(
                    meadow("submit", prompts.toString()),
                    "the API key is not valid; the key came from " + data.resolve("client.properties")
                            + " (a stack started with meadow up --data DIR wrote its own to DIR/client.properties:"
                            + " pass --data DIR) (HTTP 401)");
            assertThat(meadow("submit", "--api-key", "mdw_typo", prompts.toString())
                            .err())
                    .contains("the key came from --api-key (");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void aPromptsFileThatIsADirectoryOrMissing() {
        assertOneLine(meadow("submit", dir.toString()), "prompt file " + dir + " is a directory, not a file");
        assertOneLine(
                meadow("submit", dir.resolve("nope.txt").toString()),
                "prompt file " + dir.resolve("nope.txt") + " does not exist");
    }

    @Test
    void aBatchIdThatIsNoBatchId() {
        assertOneLine(
                meadow("status", "../../etc"), "'../../etc' is not a batch id (ids are letters, digits, '-' and '_')");
        assertOneLine(meadow("status", "a b"), "'a b' is not a batch id (ids are letters, digits, '-' and '_')");
    }

    @Test
    void annotationsThatAreNotJson() throws Exception {
        Path annotations = Files.writeString(dir.resolve("captions.json"), "this is not JSON");
        Path images = Files.createDirectories(dir.resolve("images"));
        UpCommandTest.Run run =
                meadow("import-coco", "--annotations", annotations.toString(), "--images", images.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip())
                .startsWith("meadow: annotations file " + annotations + " is not valid JSON: ")
                .doesNotContain("\n");
    }

    @Test
    void aPrecisionThatIsNoPrecision() {
        for (String[] bench : new String[][] {{"bench", "models"}, {"bench", "pipeline"}}) {
            UpCommandTest.Run run = meadow(bench[0], bench[1], "--precision", "fp16");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err())
                    .startsWith("Invalid value for option '--precision': unknown precision 'fp16': use fp32, bf16 or"
                            + " auto");
        }
    }
}
