package dev.meadow.gateway.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import dev.meadow.gateway.api.Problem;
import dev.meadow.gateway.service.ApiKeys;
import dev.meadow.gateway.service.Sessions;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When API keys are configured, every write needs one: {@code Authorization: Bearer <key>} from API clients, or
 * the HttpOnly session cookie that the gallery's login form sets. Reads stay open. It runs before routing, so that a
 * request without a key learns that first, whatever else is wrong with it.
 *
 * <p>A write that rests on the cookie must also come from the gallery's own pages: its Origin (or, without one, its
 * Referer) is this gateway's, and it carries the session's form token, in the form ({@link FormTokenFilter}) or,
 * for the API, in the {@value #FORM_TOKEN_HEADER} header. Sessions live in the database ({@link Sessions}): while
 * it is down, such writes answer 503, and bearer keys keep working.
 */
public class ApiKeyFilter {

    /** The session cookie's name (kept from when it held the key, so that old cookies are simply refused). */
    public static final String COOKIE = "meadow_api_key";

    /** The header that carries the session's form token on a cookie-authorised API write. */
    public static final String FORM_TOKEN_HEADER = "X-CSRF-Token";

    /** The request property that holds the session token of a cookie-authorised write, for the form check. */
    static final String SESSION = "meadow.session";

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiKeys keys;
    private final Sessions sessions;

    public ApiKeyFilter(ApiKeys keys, Sessions sessions) {
        this.keys = keys;
        this.sessions = sessions;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authorise(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!keys.required() || READS.contains(request.getMethod()) || path.equals("/login")) {
            return Optional.empty();
        }
        String presented = bearer(request);
        Cookie session = request.getCookies().get(COOKIE);
        if (presented == null && sessionCookies(request) > 1) {
            // Another site on this host (cookies ignore ports) may have planted one: which is the browser's own?
            return forbidden("the request carries more than one " + COOKIE + " cookie; log out and in again");
        }
        if (path.equals("/logout")) {
            // Anyone may drop the cookie; a live session is ended too, with its form token (checked after routing).
            if (session != null && sessions.check(session.getValue(), Instant.now()) == Sessions.Check.VALID) {
                request.setProperty(SESSION, session.getValue());
            }
            return Optional.empty();
        }
        if (presented != null) {
            return keys.valid(presented) ? Optional.empty() : unauthorised(request, path, "the API key is not valid");
        }
        if (session == null) {
            return unauthorised(request, path, "writes need an API key: Authorization: Bearer <key>");
        }
        switch (sessions.check(session.getValue(), Instant.now())) {
            case UNAVAILABLE -> {
                return Optional.of(Response.fromResponse(ProblemMapper.problem(Problem.of(
                                503,
                                "Service Unavailable",
                                "login sessions cannot be checked while the gallery's database is unavailable; "
                                        + "API clients can still write with Authorization: Bearer <key>")))
                        .header("Retry-After", "10")
                        .build());
            }
            case INVALID -> {
                return unauthorised(
                        request, path, "the login session has expired or is not valid; log in again at /login");
            }
            case VALID -> {
                // Below.
            }
        }
        if (!SameOrigin.of(request)) {
            return forbidden("a write with the login cookie must come from the gallery's own pages (its Origin or"
                    + " Referer is another site's, or it has neither)");
        }
        if (path.startsWith("/api/")
                && !Sessions.formTokenMatches(session.getValue(), request.getHeaderString(FORM_TOKEN_HEADER))) {
            return forbidden("a write to the API with the login cookie needs the session's " + FORM_TOKEN_HEADER
                    + " header; API clients use Authorization: Bearer <key>");
        }
        request.setProperty(SESSION, session.getValue());
        return Optional.empty();
    }

    private static Optional<Response> forbidden(String why) {
        return Optional.of(ProblemMapper.problem(Problem.of(403, "Forbidden", why)));
    }

    private static Optional<Response> unauthorised(ContainerRequestContext request, String path, String why) {
        if (path.startsWith("/api/")) {
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

    private static long sessionCookies(ContainerRequestContext request) {
        return request.getHeaders().getOrDefault(HttpHeaders.COOKIE, java.util.List.of()).stream()
                .flatMap(header -> java.util.Arrays.stream(header.split(";")))
                .filter(cookie -> cookie.strip().startsWith(COOKIE + "="))
                .count();
    }

    private static String bearer(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }
}
