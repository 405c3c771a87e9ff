package dev.meadow.gateway.config;

/**
 * The gateway's logins to the gallery's database, one role per job: the default datasource reads (pages and API),
 * {@link #WRITER} writes (the projection and the submissions' batch rows), and Flyway migrates as the schema's
 * owner ({@code quarkus.flyway.username}). Each falls back to the default datasource's login where none is given.
 */
public final class DataSources {

    /** The named datasource that writes: {@code quarkus.datasource.writer.*}. */
    public static final String WRITER = "writer";

    private DataSources() {}
}
