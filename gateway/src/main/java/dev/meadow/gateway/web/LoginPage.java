package dev.meadow.gateway.web;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import dev.meadow.gateway.service.ApiKeys;
import dev.meadow.gateway.rest.ApiKeyFilter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Where an operator gives the API key once; the gallery keeps it in an HttpOnly cookie for its forms. */
@Path("/login")
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String error);
    }

    @Inject
    ApiKeys keys;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("next") String next) {
        return Templates.login(LoginRedirects.safe(next), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("key") String key, @FormParam("next") String next) {
        if (!keys.valid(key)) {
            return Response.status(401).type(MediaType.TEXT_HTML)
                    .entity(Templates.login(LoginRedirects.safe(next), "That key is not valid.")).build();
        }
        NewCookie cookie = new NewCookie.Builder(ApiKeyFilter.COOKIE).value(key.strip()).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(30 * 24 * 3600).build();
        return Response.seeOther(URI.create(LoginRedirects.safe(next))).cookie(cookie).build();
    }
}
