package dev.meadow.devstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The passwords of the embedded database's roles: the bootstrap superuser, which only the database's own wrapper
 * uses, and the three roles the gateway logs in as ({@link DatabaseLogins}). Generated once per installation.
 */
public record DatabasePasswords(String admin, String owner, String writer, String reader) {

    /** The environment variables the database's wrapper reads them from, so that none shows in a process listing. */
    public static final String ADMIN_VARIABLE = "MEADOW_DATABASE_ADMIN_PASSWORD";

    public static final String OWNER_VARIABLE = "MEADOW_DATABASE_OWNER_PASSWORD";
    public static final String WRITER_VARIABLE = "MEADOW_DATABASE_WRITER_PASSWORD";
    public static final String READER_VARIABLE = "MEADOW_DATABASE_READER_PASSWORD";

    /** A plain alphabet, so that a password passes through properties files and environments unchanged. */
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_\\-]{16,128}");

    public DatabasePasswords {
        check("admin", admin);
        check("owner", owner);
        check("writer", writer);
        check("reader", reader);
    }

    private static void check(String role, String password) {
        if (password == null || !ALLOWED.matcher(password).matches()) {
            throw new IllegalArgumentException(
                    "the database's " + role + " password must be 16 to 128 letters, digits, '-' or '_'");
        }
    }

    public static DatabasePasswords generate() {
        return new DatabasePasswords(
                DevStack.randomHex(20), DevStack.randomHex(20), DevStack.randomHex(20), DevStack.randomHex(20));
    }

    /** Reads them from variables named as {@link #environment()} names them; a missing one is an error. */
    public static DatabasePasswords from(Function<String, String> variables) {
        return new DatabasePasswords(
                required(variables, ADMIN_VARIABLE),
                required(variables, OWNER_VARIABLE),
                required(variables, WRITER_VARIABLE),
                required(variables, READER_VARIABLE));
    }

    private static String required(Function<String, String> variables, String name) {
        String value = variables.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ADMIN_VARIABLE, admin);
        env.put(OWNER_VARIABLE, owner);
        env.put(WRITER_VARIABLE, writer);
        env.put(READER_VARIABLE, reader);
        return env;
    }

    @Override
    public String toString() {
        return "DatabasePasswords[****]";
    }
}
