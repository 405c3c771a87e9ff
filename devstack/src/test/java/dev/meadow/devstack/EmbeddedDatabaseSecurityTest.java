package dev.meadow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The embedded database on its own terms: passwords for every connection, a role per job, never root, binaries
 * nobody else can swap, and a server that dies with the process that started it.
 */
@Tag("integration")
class EmbeddedDatabaseSecurityTest {

    private static Path data;
    private static DatabasePasswords passwords;
    private static EmbeddedDatabase database;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("meadow-db-security-");
        // A server run as its own account must pass through (as DevStack lets it).
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
        passwords = DatabasePasswords.generate();
        database = EmbeddedDatabase.start(
                data.resolve("database"),
                0,
                passwords,
                ProcessBuilder.Redirect.appendTo(data.resolve("postgres.log").toFile()));
        try (Connection owner = login(EmbeddedDatabase.OWNER, passwords.owner());
                Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS pictures (id text PRIMARY KEY)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
        }
        org.apache.commons.io.FileUtils.deleteQuietly(data.toFile());
    }

    private static Connection login(String user, String password) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), user, password);
    }

    @Test
    void everyConnectionNeedsItsPassword() {
        for (String user : List.of(EmbeddedDatabase.ADMIN, EmbeddedDatabase.READER, EmbeddedDatabase.OWNER)) {
            assertThatThrownBy(() -> login(user, null).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> login(user, "not-the-password").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void eachRoleHasOnlyItsOwnRights() throws Exception {
        try (Connection writer = login(EmbeddedDatabase.WRITER, passwords.writer());
                Statement s = writer.createStatement()) {
            s.execute("INSERT INTO pictures VALUES ('written-" + System.nanoTime() + "') ON CONFLICT DO NOTHING");
            assertThatThrownBy(() -> s.execute("CREATE TABLE elsewhere (id text)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("DROP TABLE pictures")).hasMessageContaining("must be owner");
        }
        try (Connection reader = login(EmbeddedDatabase.READER, passwords.reader());
                Statement s = reader.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM pictures").next()).isTrue();
            assertThatThrownBy(() -> s.execute("INSERT INTO pictures VALUES ('read-only')"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("DELETE FROM pictures")).hasMessageContaining("permission denied");
            // What a superuser session gave anyone before: the machine's files and its commands.
            assertThatThrownBy(() -> s.executeQuery("SELECT pg_read_file('/etc/passwd')"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("COPY pictures TO PROGRAM 'id'"))
                    .hasMessageContaining("must be superuser");
        }
    }

    @Test
    void theServerNeverRunsAsRoot() throws Exception {
        List<Long> servers = serverPids(database.processHandle());
        assertThat(servers).isNotEmpty();
        for (long pid : servers) {
            assertThat(uidOf(pid)).as("uid of postgres pid %d", pid).isNotZero();
        }
    }

    @Test
    void theBinariesAndTheDataArePrivate() throws Exception {
        Path home = database.home();
        assertThat(others(home)).isEmpty();
        try (Stream<Path> binaries =
                Files.list(home).filter(p -> p.getFileName().toString().startsWith("pgsql-"))) {
            Path bin = binaries.findFirst().orElseThrow();
            for (Path p : List.of(bin, bin.resolve("bin"), bin.resolve("bin/postgres"))) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
                assertThat(others(p)).as("others' rights on %s", p).isEmpty();
                assertThat(permissions).as("group write on %s", p).doesNotContain(PosixFilePermission.GROUP_WRITE);
                // The server's account may run them, never change them.
                assertThat(Files.getOwner(p).getName()).isNotEqualTo(ServerAccount.DEFAULT_NAME);
            }
        }
        assertThat(Files.getPosixFilePermissions(home.resolve("data")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(others(home.resolve("pg_hba.conf"))).isEmpty();
    }

    @Test
    void theServerDiesWithItsWrapperAndANewWrapperStartsAgain() throws Exception {
        Path dir = data.resolve("wrapped");
        Process wrapper = startWrapper(dir);
        List<Long> servers = serverPids(wrapper.toHandle());
        assertThat(servers).isNotEmpty();

        wrapper.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (servers.stream().anyMatch(EmbeddedDatabaseSecurityTest::alive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(servers).noneMatch(EmbeddedDatabaseSecurityTest::alive);

        Process again = startWrapper(dir);
        try {
            assertThat(serverPids(again.toHandle())).isNotEmpty();
        } finally {
            again.destroy();
            again.waitFor();
        }
    }

    @Test
    void aClusterOfAnEarlierMeadowGetsPasswordsAndRolesAndKeepsItsRows() throws Exception {
        // As zonky left it: the cluster in the directory itself, every connection trusted, the superuser owning all.
        Path dir = data.resolve("earlier");
        Files.createDirectories(dir);
        Path binaries =
                PostgresBinaries.install(Files.createTempDirectory(data, "bin-"), ServerAccount.forThisProcess());
        run(
                List.of(binaries + "/bin/initdb", "-D", dir.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8"),
                "");
        run(
                List.of(binaries + "/bin/postgres", "--single", "-D", dir.toString(), "postgres"),
                "CREATE DATABASE meadow\n");
        run(
                List.of(binaries + "/bin/postgres", "--single", "-D", dir.toString(), "meadow"),
                "CREATE TABLE jobs (job_id text PRIMARY KEY)\nINSERT INTO jobs VALUES ('kept')\n");

        DatabasePasswords upgraded = DatabasePasswords.generate();
        try (EmbeddedDatabase earlier = EmbeddedDatabase.start(
                dir,
                0,
                upgraded,
                ProcessBuilder.Redirect.appendTo(data.resolve("earlier.log").toFile()))) {
            assertThatThrownBy(() -> DriverManager.getConnection(earlier.jdbcUrl(), "postgres", null)
                            .close())
                    .hasMessageContaining("password");
            try (Connection reader =
                            DriverManager.getConnection(earlier.jdbcUrl(), EmbeddedDatabase.READER, upgraded.reader());
                    Statement s = reader.createStatement()) {
                var rows = s.executeQuery(
                        "SELECT job_id, (SELECT tableowner FROM pg_tables WHERE tablename = 'jobs')" + " FROM jobs");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
                assertThat(rows.getString(2)).isEqualTo(EmbeddedDatabase.OWNER);
                assertThatThrownBy(() -> s.execute("INSERT INTO jobs VALUES ('nope')"))
                        .hasMessageContaining("permission denied");
            }
            assertThat(Files.getOwner(earlier.home().resolve("data/PG_VERSION")).getName())
                    .isEqualTo(earlier.account().name());
        }
    }

    /** Runs a PostgreSQL tool as zonky ran them: as root too, in a user namespace where it does not look like root. */
    private static void run(List<String> command, String input) throws Exception {
        List<String> full = new ArrayList<>();
        if (ServerAccount.forThisProcess().switched()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
    }

    private static Process startWrapper(Path dir) throws Exception {
        int port = FreePorts.pick();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DevStackMain.class.getName(),
                        "database",
                        dir.toString(),
                        String.valueOf(port))
                .redirectErrorStream(true);
        builder.environment().putAll(passwords.environment());
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("READY ")) {
                // Keep draining its output, so that the wrapper never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException gone) {
                        // The wrapper ended.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new AssertionError("the wrapper ended before it was ready: " + String.join("\n", lines));
    }

    /** The postgres processes under {@code parent}. */
    private static List<Long> serverPids(ProcessHandle parent) {
        return parent.descendants()
                .filter(p ->
                        p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int uidOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line for " + pid);
    }

    private static Set<PosixFilePermission> others(Path p) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
        permissions.retainAll(Set.of(
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
        return permissions;
    }
}
