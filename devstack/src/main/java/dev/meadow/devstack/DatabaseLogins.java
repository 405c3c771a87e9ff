package dev.meadow.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the gateway logs in to the gallery's database: one role per job, so that a leak of one does not hand out
 * the others. The owner migrates the schema (Flyway), the writer is the projection's and the submissions', and
 * the reader answers the pages and the API. An external database given as one user serves all three.
 */
public record DatabaseLogins(String jdbcUrl, Login owner, Login writer, Login reader) {

    /** A role and its password (null: none, for a database that asks for none). */
    public record Login(String user, String password) {

        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    /** One user for every job: an external database the user set up with a single role. */
    public static DatabaseLogins single(String jdbcUrl, String user, String password) {
        Login login = new Login(user, password);
        return new DatabaseLogins(jdbcUrl, login, login, login);
    }

    /** As Quarkus configuration properties, for a test resource. */
    public Map<String, String> properties() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        put(config, "quarkus.datasource.", reader);
        put(config, "quarkus.datasource.writer.", writer);
        put(config, "quarkus.flyway.", owner);
        return config;
    }

    /** As environment variables, for a gateway process. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        properties()
                .forEach((key, value) ->
                        env.put(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
        return env;
    }

    private static void put(Map<String, String> config, String prefix, Login login) {
        config.put(prefix + "username", login.user());
        if (login.password() != null) {
            config.put(prefix + "password", login.password());
        }
    }
}
