package dev.meadow.gateway.rest;

import java.util.Optional;

import dev.meadow.gateway.api.Problem;
import dev.meadow.gateway.service.Sessions;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * A form write that the login cookie authorises ({@link ApiKeyFilter}) carries the session's form token in its
 * {@value #FIELD} field, as every form of the gallery's pages does: a page of another site cannot know it. Runs once
 * the form has been read, and only on {@link FormWrite} actions.
 */
public class FormTokenFilter {

    /** The form field every gallery form posts the token in. */
    public static final String FIELD = "csrf";

    @FormWrite
    @ServerRequestFilter(readBody = true)
    public Optional<Response> checkFormToken(ResteasyReactiveContainerRequestContext request) {
        Object session = request.getProperty(ApiKeyFilter.SESSION);
        if (!(session instanceof String token)) {
            return Optional.empty();
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object field = context.getFormParameter(FIELD, true, false);
        String presented = field instanceof FormValue value ? value.getValue() : (String) field;
        if (Sessions.formTokenMatches(token, presented)) {
            return Optional.empty();
        }
        return Optional.of(ProblemMapper.problem(Problem.of(
                403,
                "Forbidden",
                "the form did not carry this session's form token: send it from the gallery's own page (reload"
                        + " the page and try again)")));
    }
}
