package dev.meadow.cli.eval;

import java.util.List;

import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.EvalReportSummary;

/**
 * The static page written beside {@code report.json}, for reading a report without the gallery. Its words and
 * numbers come from {@link EvalReportSummary}, as the gallery's experiment page does; only the page around them is
 * this class's.
 */
final class ReportPage {

    private ReportPage() {}

    static String render(EvalReport r) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Meadow evaluation ")
                .append(escape(r.id()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
                        + ".grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{width:160px;margin:0}"
                        + ".grid img{width:160px;image-rendering:pixelated}figcaption{font-size:.8em}"
                        + ".miss{color:#a00}</style></head><body>");
        html.append("<h1>Evaluation ").append(escape(r.id())).append("</h1>");
        html.append("<p>").append(escape(EvalReportSummary.description(r))).append("</p>");
        html.append("<table>");
        for (EvalReportSummary.Metric m : EvalReportSummary.metrics(r)) {
            html.append("<tr><th>")
                    .append(escape(m.name()))
                    .append("</th><td>")
                    .append(escape(m.value()))
                    .append("</td></tr>");
        }
        html.append("</table><h2>Attribute detectors</h2><table><tr><th>Attribute</th><th>On unseen renders</th>"
                + "<th>On blurred renders</th><th>Used</th></tr>");
        for (EvalReportSummary.Detector d : EvalReportSummary.detectors(r)) {
            html.append("<tr><td>")
                    .append(escape(d.attribute()))
                    .append("</td><td>")
                    .append(d.onRenders())
                    .append("</td><td>")
                    .append(d.onBlurredRenders())
                    .append("</td><td>")
                    .append(escape(d.used()))
                    .append("</td></tr>");
        }
        html.append("</table><h2>Samples</h2>");
        figures(html, r.samples());
        List<EvalReport.Sample> misread = EvalReportSummary.misreadExamples(r);
        if (!misread.isEmpty()) {
            html.append("<h2>Misread by the detectors</h2><p>The first pictures of each misreading: is the decoder"
                    + " or the detector wrong?</p>");
            figures(html, misread);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void figures(StringBuilder html, List<EvalReport.Sample> samples) {
        html.append("<div class=\"grid\">");
        for (EvalReport.Sample s : samples) {
            html.append("<figure><img src=\"")
                    .append(escape(s.file()))
                    .append("\" alt=\"")
                    .append(escape(s.prompt()))
                    .append("\"><figcaption>")
                    .append(escape(s.prompt()))
                    .append("<br>rank ")
                    .append(s.rank());
            s.expected().forEach((key, value) -> {
                String found = s.detected().get(key);
                html.append("<br><span class=\"")
                        .append(value.equals(found) ? "" : "miss")
                        .append("\">")
                        .append(escape(key))
                        .append(": ")
                        .append(escape(found))
                        .append(" (want ")
                        .append(escape(value))
                        .append(")</span>");
            });
            html.append("</figcaption></figure>");
        }
        html.append("</div>");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
