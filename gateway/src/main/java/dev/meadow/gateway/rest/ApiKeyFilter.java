package dev.meadow.gateway.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.meadow.gateway.api.Problem;
import dev.meadow.gateway.config.GatewayConfig;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When API keys are configured, every write needs one: {@code Authorization: Bearer <key>} from API clients, or
 * the HttpOnly cookie that the gallery's login form sets. Reads stay open.
 */
public class ApiKeyFilter {

    public static final String COOKIE = "meadow_api_key";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    GatewayConfig config;

    @ServerRequestFilter
    public Optional<Response> authorise(ContainerRequestContext request) {
        List<String> keys = config.apiKeys().orElse(List.of()).stream().filter(k -> !k.isBlank()).toList();
        String path = request.getUriInfo().getPath();
        if (keys.isEmpty() || READS.contains(request.getMethod()) || path.equals("/login")) {
            return Optional.empty();
        }
        String presented = presented(request);
        if (presented != null && keys.stream().anyMatch(k -> matches(k, presented))) {
            return Optional.empty();
        }
        if (path.startsWith("/api/")) {
            return Optional.of(Response.fromResponse(ProblemMapper.problem(Problem.of(401, "Unauthorized",
                    presented == null ? "writes need an API key: Authorization: Bearer <key>"
                            : "the API key is not valid")))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meadow\"").build());
        }
        return Optional.of(Response.seeOther(URI.create("/login?next=" + java.net.URLEncoder.encode(path,
                StandardCharsets.UTF_8))).build());
    }

    private static String presented(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** Constant-time comparison, so that response times do not leak how much of a key was right. */
    static boolean matches(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
