package dev.meadow.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import dev.meadow.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured API keys: whether writes need one, and whether a presented key (or the key a login session was
 * opened with, {@link Sessions}) is one of them.
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

    /** How a key is named where it must not be stored: its SHA-256. */
    public static String hash(String key) {
        return Sessions.sha256(key.strip());
    }

    /** Whether {@code hash} is the hash of a key configured now. */
    public boolean isConfiguredHash(String hash) {
        byte[] given = hash.getBytes(StandardCharsets.US_ASCII);
        return keys().stream().anyMatch(k -> MessageDigest.isEqual(hash(k).getBytes(StandardCharsets.US_ASCII), given));
    }

    private List<String> keys() {
        return config.apiKeys().orElse(List.of()).stream()
                .filter(k -> !k.isBlank())
                .toList();
    }
}
