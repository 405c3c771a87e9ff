package dev.meadow.gateway.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The page a browser gets instead of a problem+json body when a gallery route fails. */
public final class ErrorPage {

    private ErrorPage() {}

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance error(String title, String detail);
    }
}
