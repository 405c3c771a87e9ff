package dev.meadow.gateway.rest;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.meadow.gateway.api.FieldProblem;
import dev.meadow.gateway.api.Problem;
import dev.meadow.gateway.service.errors.BatchTooLargeException;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.storage.ObjectNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API returns is an RFC 9457 problem+json body. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return problem(new Problem("about:blank", "Invalid request", 400, e.getMessage(), e.problems()));
    }

    @ServerExceptionMapper
    public Response tooLarge(BatchTooLargeException e) {
        return problem(Problem.of(413, "Batch Too Large", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response uploadRejected(UploadRejectedException e) {
        return problem(
                Problem.of(e.status(), e.status() == 413 ? "Upload Too Large" : "Invalid Upload", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        return Response.fromResponse(problem(Problem.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "30")
                .build();
    }

    /** An object the gallery names but the store has lost (or never had): the request's target is not there. */
    @ServerExceptionMapper
    public Response objectNotFound(ObjectNotFoundException e, UriInfo uri) {
        return problem(Problem.of(404, "Not Found", "not in the object store: " + e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(Problem.of(404, "Not Found", e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return problem(Problem.of(409, "Conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String name = field.isEmpty() ? "the body" : field;
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field '" + unknown.getPropertyName() + "'; fields are "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "));
        } else {
            message = expected(e.getTargetType())
                    .map(type -> name + " must be " + type)
                    .orElseGet(() -> e.getOriginalMessage().lines().findFirst().orElse("wrong type"));
        }
        return problem(new Problem(
                "about:blank",
                "Invalid request",
                400,
                "the request body does not fit the schema",
                List.of(new FieldProblem(field.isEmpty() ? "body" : field, message))));
    }

    /** What a field of this type takes, in words a client understands (Jackson's own message names Java types). */
    private static Optional<String> expected(Class<?> type) {
        if (type == null) {
            return Optional.empty();
        }
        if (type == String.class) {
            return Optional.of("a string");
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return Optional.of("a whole number");
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return Optional.of("a number");
        }
        if (type == Boolean.class || type == boolean.class) {
            return Optional.of("true or false");
        }
        if (type.isRecord()) {
            return Optional.of("a JSON object");
        }
        return Optional.empty();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        if (e.getLocation() != null) {
            detail += " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        // A number too large for its field, say: name the field the parser was in.
        String field = e.getProcessor() instanceof JsonParser parser ? currentField(parser) : null;
        return problem(new Problem(
                "about:blank",
                "Malformed JSON",
                400,
                detail,
                field == null ? List.of() : List.of(new FieldProblem(field, detail))));
    }

    private static String currentField(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (RuntimeException | IOException e) {
            return null;
        }
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        // The JSON reader reports a parse error as a bare 400; say what was wrong with the body instead.
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return problem(Problem.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                // The broker is down or unreachable (a write waited for it): an outage to retry, not a bug.
                LOG.warnf("Broker unavailable: %s", cause.getMessage());
                return unavailable(new ServiceUnavailableException(
                        "the message broker is unavailable (" + cause.getMessage() + "); try again shortly"));
            }
        }
        LOG.error("Unhandled error", e);
        return problem(Problem.of(500, "Internal Server Error", "an unexpected error occurred; see the gateway log"));
    }

    static Response problem(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    /** Gallery routes answer browsers with a page; the API answers with problem+json. */
    private static Response problem(Problem problem, UriInfo uri) {
        if (uri != null && !uri.getPath().startsWith("/api/") && !uri.getPath().startsWith("/q/")) {
            return Response.status(problem.status())
                    .type(MediaType.TEXT_HTML)
                    .entity(ErrorPage.Templates.error(problem.title(), problem.detail()))
                    .build();
        }
        return problem(problem);
    }
}
