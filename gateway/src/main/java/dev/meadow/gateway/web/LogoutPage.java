package dev.meadow.gateway.web;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;

import dev.meadow.gateway.rest.ApiKeyFilter;
import dev.meadow.gateway.rest.FormWrite;
import dev.meadow.gateway.service.Sessions;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** Ends the gallery's session on every gateway, and the browser drops the cookie. */
@Path("/logout")
public class LogoutPage {

    private final Sessions sessions;

    public LogoutPage(Sessions sessions) {
        this.sessions = sessions;
    }

    @POST
    @FormWrite
    public Response logout(@CookieParam(ApiKeyFilter.COOKIE) String session) {
        if (session != null && !session.isBlank()) {
            try {
                sessions.revoke(session, Instant.now());
            } catch (SQLException e) {
                // The cookie stays: dropping it would look like a logout that did not happen everywhere.
                throw new ServiceUnavailableException(
                        "logging out needs the gallery's database, which is unavailable; try again shortly");
            }
        }
        NewCookie expired = new NewCookie.Builder(ApiKeyFilter.COOKIE)
                .value("")
                .path("/")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(0)
                .build();
        return Response.seeOther(URI.create("/")).cookie(expired).build();
    }
}
