package dev.meadow.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.gateway.config.GatewayConfig;

/** The configured API keys: whether writes need one, and whether a presented key is one of them. */
@ApplicationScoped
public class ApiKeys {

    @Inject
    GatewayConfig config;

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

    private List<String> keys() {
        return config.apiKeys().orElse(List.of()).stream().filter(k -> !k.isBlank()).toList();
    }
}
