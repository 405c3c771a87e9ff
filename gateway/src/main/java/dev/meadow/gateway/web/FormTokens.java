package dev.meadow.gateway.web;

import dev.meadow.gateway.rest.ApiKeyFilter;
import dev.meadow.gateway.service.Sessions;
import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateGlobal;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code {csrf}} in every template: the form token of the request's login session, which each form posts as
 * {@code csrf}; empty without a session (the form then needs none, or leads to the login page).
 */
@TemplateGlobal
public final class FormTokens {

    private FormTokens() {}

    static String csrf() {
        RoutingContext current =
                Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        Cookie session = current == null ? null : current.request().getCookie(ApiKeyFilter.COOKIE);
        return session == null || session.getValue().isBlank() ? "" : Sessions.formToken(session.getValue());
    }
}
