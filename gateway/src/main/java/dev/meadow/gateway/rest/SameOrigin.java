package dev.meadow.gateway.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Whether a request came from a page of this gateway: its Origin, or without one its Referer, names this gateway's
 * scheme, host and port (as the request reached it, forwarded headers included where the proxy is trusted).
 * SameSite cookies alone let other ports of the same host through; this does not.
 */
final class SameOrigin {

    private SameOrigin() {}

    static boolean of(ContainerRequestContext request) {
        URI own = request.getUriInfo().getBaseUri();
        String origin = request.getHeaderString("Origin");
        if (origin != null) {
            return matches(origin, own);
        }
        String referer = request.getHeaderString("Referer");
        return referer != null && matches(referer, own);
    }

    static boolean matches(String presented, URI own) {
        try {
            URI uri = new URI(presented.strip());
            return uri.getScheme() != null
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getScheme().equalsIgnoreCase(own.getScheme())
                    && uri.getHost()
                            .toLowerCase(Locale.ROOT)
                            .equals(own.getHost().toLowerCase(Locale.ROOT))
                    && port(uri) == port(own);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
