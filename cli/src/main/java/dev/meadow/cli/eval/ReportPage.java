package dev.meadow.cli.eval;

import java.util.Locale;
import java.util.Map;

import dev.meadow.contracts.EvalReport;

/** The small static HTML page written beside {@code report.json}: the numbers, then the samples. */
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
        html.append("<p>Decoder <b>")
                .append(escape(r.modelId()))
                .append("</b> (")
                .append(escape(r.preset()))
                .append(", ")
                .append(escape(r.conditioning()))
                .append(" conditioning, ")
                .append(r.imageSize())
                .append("px), prompted with text embeddings of CLIP ")
                .append(escape(r.clipModelId()))
                .append(", judged by CLIP ")
                .append(escape(r.judgeModelId()))
                .append(".</p>");
        html.append("<table><tr><th>metric</th><th>value</th></tr>");
        row(html, "images", Integer.toString(r.images()));
        row(html, "latent temperature", format(r.temperature()));
        row(html, "candidates per prompt (best by CLIP " + r.clipModelId() + ")", Integer.toString(r.candidates()));
        row(
                html,
                "R-precision R@1 (" + r.distractors() + " distractors, chance " + format(1.0 / (r.distractors() + 1))
                        + ")",
                format(r.rPrecision()));
        row(html, "R@5", format(r.rPrecisionAt5()));
        row(html, "mean cosine (judge)", format(r.meanCosine()));
        row(html, "CLIPScore 2.5·max(cos,0)", format(r.clipScore()));
        row(
                html,
                "Fréchet distance to " + r.realImages() + " real images",
                r.frechetDistance() == null ? "n/a" : format(r.frechetDistance()));
        row(
                html,
                "same, between two halves of the real images",
                r.realFrechetFloor() == null ? "n/a" : format(r.realFrechetFloor()));
        for (Map.Entry<String, EvalReport.AttributeScore> a : r.attributes().entrySet()) {
            row(
                    html,
                    a.getKey() + " accuracy (" + a.getValue().images() + " images)",
                    format(a.getValue().accuracy()));
        }
        if (r.bestValidationLoss() != null) {
            row(html, "best validation loss (epoch " + r.bestEpoch() + ")", format(r.bestValidationLoss()));
        }
        html.append("</table><h2>Attribute detectors</h2><table><tr><th>attribute</th><th>accuracy on renders</th>"
                + "<th>on blurred renders</th><th>used</th></tr>");
        r.detectors()
                .forEach((key, d) -> html.append("<tr><td>")
                        .append(escape(key))
                        .append("</td><td>")
                        .append(format(d.accuracyOnRenders()))
                        .append("</td><td>")
                        .append(format(d.accuracyOnBlurredRenders()))
                        .append("</td><td>")
                        .append(d.used() ? "yes" : "no (below " + EvalReport.REQUIRED_DETECTOR_ACCURACY + ")")
                        .append("</td></tr>"));
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

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><td>")
                .append(escape(name))
                .append("</td><td>")
                .append(escape(value))
                .append("</td></tr>");
    }

    static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3f", value);
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
