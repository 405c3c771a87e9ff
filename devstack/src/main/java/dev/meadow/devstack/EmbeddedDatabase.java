package dev.meadow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries inside zonky's jars, its data in a directory of our own, so that it
 * survives a restart on the same directory and port. It listens on this machine only.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database Meadow's tables live in (created at first start). */
    public static final String DATABASE = "meadow";

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /** Starts the server on {@code dataDir} (created and initialised when empty); {@code port} 0 picks one. */
    public static EmbeddedDatabase start(Path dataDir, int port) throws Exception {
        Files.createDirectories(dataDir);
        int chosen = port == 0 ? FreePorts.pick() : port;
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(chosen)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky turns both off for speed; a user's gallery is worth a flush per commit.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (ResultSet exists =
                    c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!exists.next()) {
                    c.createStatement().execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            postgres.close();
            throw e;
        }
        return new EmbeddedDatabase(postgres, chosen);
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() throws Exception {
        postgres.close();
    }
}
