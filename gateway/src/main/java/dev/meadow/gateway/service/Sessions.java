package dev.meadow.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import dev.meadow.gateway.config.DataSources;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.gallery.GalleryWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.jboss.logging.Logger;

/**
 * The gallery's login sessions, kept in the database so that a logout ends a session on every gateway at once, and
 * removing an API key from the configuration ends the sessions opened with it. The cookie holds a random token that
 * nothing stores: the table keeps its SHA-256. Each session has its own form token (an HMAC of the session token),
 * which the pages put in their forms and a cross-site page cannot know.
 */
@ApplicationScoped
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a presented session token turned out to be. */
    public enum Check {
        VALID,
        /** Unknown, expired, logged out, or opened with a key that is no longer configured. */
        INVALID,
        /** The database could not say: writes that rest on a session wait for it. */
        UNAVAILABLE
    }

    private final DataSource reader;
    private final DataSource writer;
    private final ApiKeys keys;
    private final GatewayConfig config;

    public Sessions(
            @Default DataSource reader,
            @io.quarkus.agroal.DataSource(DataSources.WRITER) DataSource writer,
            ApiKeys keys,
            GatewayConfig config) {
        this.reader = reader;
        this.writer = writer;
        this.keys = keys;
        this.config = config;
    }

    /** Opens a session for a valid {@code key}; returns the token for the cookie. */
    public String open(String key, Instant now) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO sessions (token_hash, key_hash, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, sha256(token));
                insert.setString(2, ApiKeys.hash(key));
                insert.setObject(3, GalleryWriter.utc(now));
                insert.setObject(4, GalleryWriter.utc(now.plus(config.sessionLifetime())));
                insert.executeUpdate();
            }
            // Sessions long over go as new ones come: the table stays the size of the recent logins.
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM sessions WHERE expires_at < ?")) {
                prune.setObject(1, GalleryWriter.utc(now.minus(Duration.ofDays(1))));
                prune.executeUpdate();
            }
        }
        return token;
    }

    /** Whether {@code token} is a live session of a configured key. */
    public Check check(String token, Instant now) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Check.INVALID;
        }
        try (Connection c = reader.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT key_hash FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?")) {
            select.setString(1, sha256(token));
            select.setObject(2, GalleryWriter.utc(now));
            try (ResultSet row = select.executeQuery()) {
                return row.next() && keys.isConfiguredHash(row.getString(1)) ? Check.VALID : Check.INVALID;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not check a login session: %s", e.getMessage());
            return Check.UNAVAILABLE;
        }
    }

    /** Ends the session on every gateway. */
    public void revoke(String token, Instant now) throws SQLException {
        try (Connection c = writer.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")) {
            update.setObject(1, GalleryWriter.utc(now));
            update.setString(2, sha256(token));
            update.executeUpdate();
        }
    }

    /** The form token of a session: known to the pages it is shown, never to another site. */
    public static String formToken(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal("meadow-form-token".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Constant-time comparison of a presented form token with the session's. */
    public static boolean formTokenMatches(String sessionToken, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        formToken(sessionToken).getBytes(StandardCharsets.US_ASCII),
                        presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
