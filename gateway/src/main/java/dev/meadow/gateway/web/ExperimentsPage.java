package dev.meadow.gateway.web;

import java.util.List;

import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.EvalReportSummary;
import dev.meadow.gateway.service.ExperimentService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Evaluation reports: what each decoder understands, in numbers. */
@Path("/experiments")
@Blocking
public class ExperimentsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance experiments(List<EvalReport> reports);

        static native TemplateInstance experiment(
                EvalReport report,
                String description,
                List<EvalReportSummary.Metric> metrics,
                List<EvalReportSummary.Detector> detectors,
                List<EvalReport.Sample> misread);
    }

    private final ExperimentService experiments;

    public ExperimentsPage(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance experiments() {
        return Templates.experiments(experiments.list());
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance experiment(@PathParam("id") String id) {
        EvalReport report = experiments.get(id);
        return Templates.experiment(
                report,
                EvalReportSummary.description(report),
                EvalReportSummary.metrics(report),
                EvalReportSummary.detectors(report),
                EvalReportSummary.misreadExamples(report));
    }
}
