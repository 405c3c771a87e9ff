package dev.meadow.gateway.web;

import java.net.URI;

import dev.meadow.gateway.rest.ApiKeyFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** Ends the gallery's session: the browser drops the cookie. */
@Path("/logout")
public class LogoutPage {

    @POST
    public Response logout() {
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
