package dev.meadow.gateway.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import dev.meadow.gateway.api.Problem;
import dev.meadow.gateway.service.ApiKeys;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When API keys are configured, every write needs one: {@code Authorization: Bearer <key>} from API clients, or
 * the HttpOnly session cookie that the gallery's login form sets. Reads stay open. It runs before routing, so that a
 * request without a key learns that first, whatever else is wrong with it.
 */
public class ApiKeyFilter {

    /** The session cookie's name (kept from when it held the key, so that old cookies are simply refused). */
    public static final String COOKIE = "meadow_api_key";

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authorise(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!keys.required()
                || READS.contains(request.getMethod())
                || path.equals("/login")
                || path.equals("/logout")) {
            return Optional.empty();
        }
        String presented = bearer(request);
        Cookie session = request.getCookies().get(COOKIE);
        if (keys.valid(presented)
                || (presented == null && session != null && keys.validSession(session.getValue(), Instant.now()))) {
            return Optional.empty();
        }
        if (path.startsWith("/api/")) {
            String why = presented != null
                    ? "the API key is not valid"
                    : session != null
                            ? "the login session has expired or is not valid; log in again at /login"
                            : "writes need an API key: Authorization: Bearer <key>";
            return Optional.of(Response.fromResponse(ProblemMapper.problem(Problem.of(401, "Unauthorized", why)))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meadow\"")
                    .build());
        }
        String next = LoginRedirects.returnTo(
                path, request.getHeaderString("Referer"), request.getUriInfo().getBaseUri());
        return Optional.of(
                Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                        .build());
    }

    private static String bearer(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }
}
