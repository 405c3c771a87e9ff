package dev.meadow.cli.eval;

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
        html.append("</table><h2>Samples</h2><div class=\"grid\">");
        for (EvalReport.Sample s : r.samples()) {
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
        return html.append("</div></body></html>\n").toString();
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
