package dev.meadow.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.io.FileUtils;
import org.postgresql.util.PasswordUtil;

/**
 * A real PostgreSQL server from the binaries inside zonky's jars, run and watched by this process. It asks every
 * connection for a password (SCRAM), listens on this machine only, never runs as root ({@link ServerAccount}),
 * and dies with the process that started it: the server is a child of a small shell that stops it as soon as this
 * process's end of a pipe closes, however this process ends.
 *
 * <p>Layout of its directory (the data directory's {@code database/}, or where {@link #home} puts it):
 * {@code pgsql-*} the binaries, {@code data/} the cluster, {@code run/} its socket, {@code pg_hba.conf} who may
 * connect. Meadow's tables live in the database {@value #DATABASE}, owned by {@value #OWNER}; the gateway writes
 * as {@value #WRITER} and reads as {@value #READER}; the superuser {@value #ADMIN} is this class's alone.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database Meadow's tables live in (created at first start). */
    public static final String DATABASE = "meadow";

    public static final String ADMIN = "postgres";
    public static final String OWNER = "meadow_owner";
    public static final String WRITER = "meadow_writer";
    public static final String READER = "meadow_reader";

    /** Where a root-run server's files go when the data directory is out of its account's reach. */
    static final Path RELOCATED = Path.of("/var/lib/meadow/databases");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Runs the server as a child and stops it (fast shutdown: open transactions roll back) when standard input
     * reaches its end, which happens when the starting process closes it or dies. Asynchronous lists read
     * /dev/null in a non-interactive shell, hence the descriptor 3.
     */
    private static final String WATCHER = """
            exec 3<&0
            "$@" </dev/null &
            server=$!
            { while read -r _ <&3; do :; done; kill -INT "$server" 2>/dev/null; } &
            watcher=$!
            wait "$server"
            status=$?
            kill "$watcher" 2>/dev/null
            exit "$status"
            """;

    private final Process process;
    private final int port;
    private final Path home;
    private final ServerAccount account;
    private final DatabasePasswords passwords;

    private EmbeddedDatabase(Process process, int port, Path home, ServerAccount account, DatabasePasswords passwords) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.account = account;
        this.passwords = passwords;
    }

    /**
     * Starts the server on {@code dir} (created and initialised when empty; a cluster of an earlier Meadow, which
     * trusted every local connection, is given passwords and roles); {@code port} 0 picks one. The server's own
     * output goes to {@code log}.
     */
    public static EmbeddedDatabase start(Path dir, int port, DatabasePasswords passwords, ProcessBuilder.Redirect log)
            throws Exception {
        ServerAccount account = ServerAccount.forThisProcess();
        Path home = prepareHome(dir, account);
        Path binaries = PostgresBinaries.install(home, account);
        Path data = home.resolve("data");
        Path run = home.resolve("run");
        privateTo(account, run);
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            privateTo(account, data);
            initialise(binaries, data, run, account, passwords);
        } else if (!Files.exists(home.resolve(SCRAM_MARKER))) {
            protectEarlierCluster(binaries, data, run, account, passwords);
        }
        Files.writeString(home.resolve(SCRAM_MARKER), "every connection asks for a password\n");
        writeHostRules(home.resolve("pg_hba.conf"), account);

        int chosen = port == 0 ? FreePorts.pick() : port;
        List<String> command = new ArrayList<>(account.commandPrefix());
        command.addAll(List.of("/bin/sh", "-c", WATCHER, "postgres-watcher"));
        command.addAll(List.of(
                binaries.resolve("bin/postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                String.valueOf(chosen),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + run,
                "-c",
                "hba_file=" + home.resolve("pg_hba.conf"),
                "-c",
                "password_encryption=scram-sha-256",
                // zonky's defaults, kept: UTC and room for several gateways' pools.
                "-c",
                "timezone=UTC",
                "-c",
                "max_connections=300",
                // A user's gallery is worth a flush per commit.
                "-c",
                "fsync=on",
                "-c",
                "synchronous_commit=on"));
        ProcessBuilder builder = plainEnvironment(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .redirectOutput(log);
        Process process = builder.start();
        EmbeddedDatabase database = new EmbeddedDatabase(process, chosen, home, account, passwords);
        try {
            database.awaitReady();
            database.setUpRoles();
        } catch (Exception e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** Marks a cluster whose superuser has its password: one of an earlier Meadow has none until given one. */
    private static final String SCRAM_MARKER = "scram";

    /**
     * Where the server's files live for {@code dir}: {@code dir} itself, unless the server runs as another account
     * that cannot reach it (root's home), in which case {@code dir} becomes a link to a directory of its own under
     * /var/lib/meadow/databases.
     */
    static Path placement(Path dir, ServerAccount account) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            return absolute.toRealPath();
        }
        if (account.canReach(absolute)) {
            return absolute;
        }
        return RELOCATED.resolve(shortHash(absolute.toString()));
    }

    /** Where the database's files are for {@code dir}, as {@link #start} will place them; for messages. */
    public static Path filesFor(Path dir) throws IOException {
        return placement(dir, ServerAccount.forThisProcess());
    }

    private static Path prepareHome(Path dir, ServerAccount account) throws IOException, InterruptedException {
        Path absolute = dir.toAbsolutePath().normalize();
        Path home = placement(absolute, account);
        // Nothing moves under a server that still runs: an earlier Meadow's wrapper left its server behind.
        awaitNoOtherServer(home);
        awaitNoOtherServer(home.resolve("data"));
        if (!home.equals(absolute) && !Files.isSymbolicLink(absolute)) {
            awaitNoOtherServer(absolute);
            // /var/lib/meadow and its databases/: passable by the server's account whatever root's umask.
            for (Path parent : List.of(home.getParent().getParent(), home.getParent())) {
                Files.createDirectories(parent);
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
            }
            if (Files.isDirectory(absolute)) {
                // A cluster of an earlier Meadow that ran as root: moved where its account can reach it (copied
                // and removed where /var is another file system).
                FileUtils.moveDirectory(absolute.toFile(), home.toFile());
            }
            Files.createDirectories(absolute.getParent());
            Files.createSymbolicLink(absolute, home);
        }
        Files.createDirectories(home);
        // Readable by the server's account through its group, by nobody else.
        Files.setPosixFilePermissions(
                home, PosixFilePermissions.fromString(account.switched() ? "rwxr-x---" : "rwx------"));
        account.shareWithGroup(home);
        if (!account.canReach(home)) {
            throw new IOException("the database's account " + account.name() + " cannot reach " + home
                    + ": let it pass through every directory above (chmod o+x)");
        }
        moveEarlierLayout(home);
        return home;
    }

    /**
     * An earlier Meadow kept the cluster itself in this directory: it moves to {@code data/}, through a directory
     * of a fixed name and with PG_VERSION last, so that a move cut short is finished at the next start rather than
     * mistaken for an empty cluster.
     */
    private static void moveEarlierLayout(Path home) throws IOException {
        Path moving = home.resolve(".data-moving");
        if (!Files.isRegularFile(home.resolve("PG_VERSION")) && !Files.isDirectory(moving)) {
            return;
        }
        Files.createDirectories(moving);
        try (Stream<Path> entries = Files.list(home)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!entry.equals(moving) && !name.equals("PG_VERSION")) {
                    Files.move(entry, moving.resolve(name));
                }
            }
        }
        if (Files.exists(home.resolve("PG_VERSION"))) {
            Files.move(home.resolve("PG_VERSION"), moving.resolve("PG_VERSION"));
        }
        Files.move(moving, home.resolve("data"));
    }

    private static void privateTo(ServerAccount account, Path dir) throws IOException {
        Files.createDirectories(dir);
        account.own(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void initialise(
            Path binaries, Path data, Path run, ServerAccount account, DatabasePasswords passwords)
            throws IOException, InterruptedException {
        Path passwordFile = run.resolve("initial-password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(
                passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, passwords.admin() + "\n");
            account.own(passwordFile);
            List<String> command = new ArrayList<>(account.commandPrefix());
            command.addAll(List.of(
                    binaries.resolve("bin/initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    ADMIN,
                    "--auth=scram-sha-256",
                    "--pwfile=" + passwordFile,
                    "-E",
                    "UTF8",
                    "--locale=C"));
            runToEnd(command, null, "initdb");
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    /**
     * A cluster of an earlier Meadow trusted every connection and its superuser has no password: PostgreSQL's
     * single-user mode, which needs no connection, gives it one before the server listens.
     */
    private static void protectEarlierCluster(
            Path binaries, Path data, Path run, ServerAccount account, DatabasePasswords passwords)
            throws IOException, InterruptedException, SQLException {
        // Files it made as root: the server's account takes them over.
        if (account.switched()) {
            try (Stream<Path> all = Files.walk(data)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    account.own(p);
                }
            }
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
        List<String> command = new ArrayList<>(account.commandPrefix());
        command.addAll(List.of(
                binaries.resolve("bin/postgres").toString(),
                "--single",
                "-D",
                data.toString(),
                "-c",
                "unix_socket_directories=" + run,
                ADMIN));
        String sql =
                PasswordUtil.genAlterUserPasswordSQL(ADMIN, passwords.admin().toCharArray(), "scram-sha-256");
        runToEnd(command, sql + "\n", "postgres --single");
    }

    private static void runToEnd(List<String> command, String input, String what)
            throws IOException, InterruptedException {
        Process process = plainEnvironment(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + " did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " failed (exit " + process.exitValue() + "): " + output.strip());
        }
    }

    /** The server and its tools see no secret of this process's environment. */
    private static ProcessBuilder plainEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        return builder;
    }

    private static void writeHostRules(Path file, ServerAccount account) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, """
                # Written by Meadow at every start: a password (SCRAM) for every connection, from this machine only.
                local   all   all                  scram-sha-256
                host    all   all   127.0.0.1/32   scram-sha-256
                host    all   all   ::1/128        scram-sha-256
                """);
        // The server reads it through its group; it cannot change who may connect.
        if (account.switched()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            account.shareWithGroup(file);
        }
    }

    /**
     * A server still running on this cluster was not started here: one whose watcher is stopping it goes within
     * moments; one that stays is refused, rather than reported ready as if it were this process's.
     */
    private static void awaitNoOtherServer(Path data) throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Optional<ProcessHandle> other = runningServer(pidFile);
            if (other.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL (pid " + other.get().pid() + ") already runs on " + data
                        + " and was not started by this process; stop it (kill -INT "
                        + other.get().pid()
                        + ") and start again");
            }
            Thread.sleep(100);
        }
    }

    private static Optional<ProcessHandle> runningServer(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().command().map(c -> c.endsWith("/postgres")).orElse(true));
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited while starting (exit code " + process.exitValue()
                        + "); its output is in the database's log");
            }
            try (Connection c = connectAsAdmin("postgres")) {
                return;
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState())) {
                    throw new IllegalStateException("PostgreSQL refused the superuser's password: the cluster in "
                            + home + " was made with other credentials than the ones given (meadow up keeps them in"
                            + " its data directory's credentials.properties)");
                }
                last = e;
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within " + STARTUP_TIMEOUT, last);
    }

    private Connection connectAsAdmin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(port, database), ADMIN, passwords.admin());
    }

    /**
     * Meadow's database, its roles and their rights ({@code roles.sql}, which the compose image runs too). Run at
     * every start, so that an earlier Meadow's cluster (one role, the superuser, owning everything) is brought to
     * the same state. The roles' passwords reach the server as SCRAM verifiers, never in clear.
     */
    private void setUpRoles() throws SQLException, IOException {
        try (Connection c = connectAsAdmin("postgres");
                Statement s = c.createStatement();
                ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!exists.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
        try (Connection c = connectAsAdmin(DATABASE);
                Statement s = c.createStatement()) {
            s.execute(rolesScript(Map.of(
                    "owner_password", verifier(passwords.owner()),
                    "writer_password", verifier(passwords.writer()),
                    "reader_password", verifier(passwords.reader()))));
        }
    }

    /** {@code roles.sql} with psql's {@code :'name'} variables as literals. */
    static String rolesScript(Map<String, String> variables) throws IOException {
        String script;
        try (var in = EmbeddedDatabase.class.getResourceAsStream("roles.sql")) {
            if (in == null) {
                throw new IOException("roles.sql is missing from the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            script = script.replace(
                    ":'" + variable.getKey() + "'", "'" + variable.getValue().replace("'", "''") + "'");
        }
        if (script.contains(":'")) {
            throw new IllegalArgumentException("roles.sql names a variable that was not given");
        }
        return script;
    }

    private static String verifier(String password) {
        return PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    public static String jdbcUrl(int port) {
        return jdbcUrl(port, DATABASE);
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public static DatabaseLogins logins(int port, DatabasePasswords passwords) {
        return logins(jdbcUrl(port), passwords);
    }

    /** The gateway's logins to an embedded database at {@code jdbcUrl} whose roles have {@code passwords}. */
    public static DatabaseLogins logins(String jdbcUrl, DatabasePasswords passwords) {
        return new DatabaseLogins(
                jdbcUrl,
                new DatabaseLogins.Login(OWNER, passwords.owner()),
                new DatabaseLogins.Login(WRITER, passwords.writer()),
                new DatabaseLogins.Login(READER, passwords.reader()));
    }

    /** Where the server's files are: the data directory's {@code database/}, or where it had to move. */
    public Path home() {
        return home;
    }

    /** The operating-system account the server runs as. */
    public ServerAccount account() {
        return account;
    }

    /** The process that runs (and watches) the server. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyClosed) {
            // The watcher has gone: so has the server.
        }
        if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("PostgreSQL did not stop within " + SHUTDOWN_TIMEOUT);
        }
    }
}
