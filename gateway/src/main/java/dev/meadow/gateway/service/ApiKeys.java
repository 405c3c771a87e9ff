package dev.meadow.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.meadow.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured API keys: whether writes need one, whether a presented key is one of them, and the gallery's
 * login sessions. A session is its expiry and an HMAC of it under one of the keys: it proves the key was given
 * without holding it, ends on its own, works on every gateway that has the key, and ends when the key is removed.
 */
@ApplicationScoped
public class ApiKeys {

    private final GatewayConfig config;

    public ApiKeys(GatewayConfig config) {
        this.config = config;
    }

    public boolean required() {
        return !keys().isEmpty();
    }

    /** Constant-time comparison, so that response times do not leak how much of a key was right. */
    public boolean valid(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] given = presented.strip().getBytes(StandardCharsets.UTF_8);
        return keys().stream().anyMatch(k -> MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8), given));
    }

    /** A session for {@code key}, valid for the configured lifetime from {@code now}. */
    public String session(String key, Instant now) {
        long expiry = now.plus(config.sessionLifetime()).getEpochSecond();
        return expiry + "." + signature(key.strip(), expiry);
    }

    public boolean validSession(String session, Instant now) {
        if (session == null) {
            return false;
        }
        int dot = session.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(session.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        // A minute of slack for gateways whose clocks differ a little.
        if (expiry <= now.getEpochSecond()
                || expiry > now.plus(config.sessionLifetime()).getEpochSecond() + 60) {
            return false;
        }
        byte[] given = session.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return keys().stream()
                .anyMatch(k -> MessageDigest.isEqual(signature(k, expiry).getBytes(StandardCharsets.US_ASCII), given));
    }

    private static String signature(String key, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("meadow-session." + expiry).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private List<String> keys() {
        return config.apiKeys().orElse(List.of()).stream()
                .filter(k -> !k.isBlank())
                .toList();
    }
}
