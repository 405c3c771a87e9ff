package dev.meadow.gateway.web;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;

import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.rest.ApiKeyFilter;
import dev.meadow.gateway.rest.LoginRedirects;
import dev.meadow.gateway.service.ApiKeys;
import dev.meadow.gateway.service.Sessions;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Where an operator gives the API key once; the gallery keeps a session for it in an HttpOnly cookie. */
@Path("/login")
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String error);
    }

    private final ApiKeys keys;
    private final Sessions sessions;
    private final GatewayConfig config;

    public LoginPage(ApiKeys keys, Sessions sessions, GatewayConfig config) {
        this.keys = keys;
        this.sessions = sessions;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("next") String next) {
        return Templates.login(LoginRedirects.safe(next), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(
            @FormParam("key") String key,
            @FormParam("next") String next,
            @CookieParam(ApiKeyFilter.COOKIE) String previous,
            @Context UriInfo uri) {
        if (!keys.valid(key)) {
            return Response.status(401)
                    .type(MediaType.TEXT_HTML)
                    .entity(Templates.login(LoginRedirects.safe(next), "That key is not valid."))
                    .build();
        }
        NewCookie cookie = new NewCookie.Builder(ApiKeyFilter.COOKIE)
                .value(openReplacing(key, previous))
                .path("/")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .secure(config.secureCookies()
                        .orElse("https".equals(uri.getBaseUri().getScheme())))
                .maxAge((int) config.sessionLifetime().toSeconds())
                .build();
        return Response.seeOther(URI.create(LoginRedirects.safe(next)))
                .cookie(cookie)
                .build();
    }

    /** A new session; the one this browser held before, if any, ends (no session is left behind a new login). */
    private String openReplacing(String key, String previous) {
        try {
            if (previous != null && !previous.isBlank()) {
                sessions.revoke(previous, Instant.now());
            }
            return sessions.open(key, Instant.now());
        } catch (SQLException e) {
            throw new ServiceUnavailableException(
                    "logging in needs the gallery's database, which is unavailable; API clients can still write with"
                            + " Authorization: Bearer <key>");
        }
    }
}
