package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.meadow.cli.up.Credentials;
import dev.meadow.cli.up.UpCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpCommandTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Meadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void refusesAnImpossibleNumberOfGenerators() {
        Run run = run("up", "--data", dir.toString(), "--generators", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--generators must be between 1 and 24");
    }

    @Test
    void refusesToListenOnAnAddressThatIsNotThisMachines() {
        Run run = run("up", "--data", dir.toString(), "--listen", "192.0.2.1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("meadow: --listen 192.0.2.1 is not an address of this machine");
        Run garbage = run("up", "--data", dir.toString(), "--listen", "not an address");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).startsWith("meadow: --listen not an address is not an address");
    }

    @Test
    void servicesListenOnThisMachineOnlyUnlessToldOtherwise() throws IOException {
        Path app = Files.createDirectories(dir.resolve("gateway/target/quarkus-app"));
        Files.write(app.resolve("quarkus-run.jar"), new byte[0]);
        Path work = dir.resolve("data/work");
        var service = dev.meadow.cli.up.StackLauncher.service(
                dir, "gateway", "gateway", 18080, "512m", work, java.util.Map.of());
        assertThat(service.environment()).containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1");
        assertThat(service.address()).isEqualTo("http://127.0.0.1:18080");
        var open = dev.meadow.cli.up.StackLauncher.service(
                dir, "gateway", "gateway", 18080, "512m", work, java.util.Map.of("QUARKUS_HTTP_HOST", "0.0.0.0"));
        assertThat(open.environment()).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        assertThat(open.address()).as("probed on loopback").isEqualTo("http://127.0.0.1:18080");
        // The first start records the classes it loads, beside the data; later starts share them.
        assertThat(service.command()).contains("-XX:ArchiveClassesAtExit=" + work.resolve("class-data/gateway.jsa"));
        assertThat(service.command()).as("the gateway on C1").contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void namesAPortThatIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run("up", "--data", dir.toString(), "--kafka-port", String.valueOf(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("port " + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    void credentialsAreCreatedOnceAndReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("credentials.properties");
        Credentials first = Credentials.loadOrCreate(file);
        Credentials second = Credentials.loadOrCreate(file);
        assertThat(second).isEqualTo(first);
        assertThat(first.secretKey()).hasSize(40);
        assertThat(first.apiKey()).startsWith("mdw_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.database().reader()).isNotEqualTo(first.database().writer());
    }

    @Test
    void credentialsOfAnEarlierMeadowGainTheDatabasePasswordsAndKeepTheirKeys() throws IOException {
        Path file = dir.resolve("credentials.properties");
        Files.writeString(file, "s3.access-key=meadow-0001\ns3.secret-key=s3cr3t\napi-key=mdw_kept\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Credentials upgraded = Credentials.loadOrCreate(file);
        assertThat(upgraded.accessKey()).isEqualTo("meadow-0001");
        assertThat(upgraded.apiKey()).isEqualTo("mdw_kept");
        assertThat(upgraded.database().admin()).hasSize(40);
        assertThat(Credentials.loadOrCreate(file)).isEqualTo(upgraded);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void theClientConfigurationHoldingTheApiKeyIsReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("client.properties");
        UpCommand.writeClientConfig(
                dir,
                "http://localhost:8080/",
                "mdw_secret",
                "127.0.0.1:9092",
                "127.0.0.1:39092",
                "http://127.0.0.1:9000",
                "jdbc:postgresql://127.0.0.1:5432/meadow",
                "postgres");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file))
                .contains("api-key=mdw_secret")
                .contains("database=jdbc\\:postgresql\\://127.0.0.1\\:5432/meadow");

        // One written by an earlier version, readable by everyone, is tightened when written again.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        UpCommand.writeClientConfig(
                dir,
                "http://localhost:8080/",
                "mdw_secret",
                "127.0.0.1:9092",
                "127.0.0.1:39092",
                "http://127.0.0.1:9000",
                "jdbc:postgresql://127.0.0.1:5432/meadow",
                "postgres");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsRefusedBeforeAnythingStarts() {
        Run run = run("up", "--data", dir.toString(), "--database-url", "mysql://db/meadow");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--database-url must be a PostgreSQL JDBC URL");
        assertThat(dir.resolve("logs")).doesNotExist();
    }

    @Test
    void unknownCommandsAreUsageErrors() {
        Run run = run("fly");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument");
    }
}
