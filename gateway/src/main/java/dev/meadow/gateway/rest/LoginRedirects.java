package dev.meadow.gateway.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the login page sends a browser afterwards: always a page of this gallery, never another site. */
public final class LoginRedirects {

    /** Gallery form actions that answer only POST, and the page each belongs to ($1: the page's own path). */
    private static final List<Pattern> ACTIONS = List.of(
            Pattern.compile("^(/images/[^/]+)/(?:more|towards|model)$"),
            Pattern.compile("^(/batches/[^/]+)/cancel$"),
            Pattern.compile("^(/models)/[^/]+/[^/]+/activate$"),
            Pattern.compile("^(/datasets)/[^/]+/cancel$"));

    private LoginRedirects() {}

    /**
     * {@code next} if it is a path on this origin, else "/". Browsers read a backslash as a slash and drop tabs and
     * line breaks, so {@code /\evil.example} or {@code /<TAB>/evil.example} would leave the site: refused.
     */
    public static String safe(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c)) {
                return "/";
            }
        }
        try {
            URI uri = new URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : "/";
        } catch (URISyntaxException e) {
            return "/";
        }
    }

    /**
     * The page to return to after logging in, for a write that needed the key: the page the form was on (the
     * Referer, when it is this site), else the page the action belongs to, since a GET of a POST-only action
     * would answer 405.
     */
    public static String returnTo(String path, String referer, URI base) {
        if (referer != null) {
            try {
                URI from = new URI(referer);
                if (base.getRawAuthority() != null
                        && base.getRawAuthority().equalsIgnoreCase(from.getRawAuthority())
                        && from.getRawPath() != null) {
                    String page = from.getRawPath() + (from.getRawQuery() == null ? "" : "?" + from.getRawQuery());
                    if (!safe(page).equals("/") || page.equals("/")) {
                        return page;
                    }
                }
            } catch (URISyntaxException e) {
                // Not a usable address: fall back to the action's page.
            }
        }
        for (Pattern action : ACTIONS) {
            Matcher m = action.matcher(path);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return safe(path);
    }
}
