package dev.meadow.gateway.service.gallery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.Towards;
import dev.meadow.gateway.api.BatchProgress;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Reads the gallery's tables: listings and search, single images, batches and their totals. */
@ApplicationScoped
public class GalleryQueries {

    private static final Logger LOG = Logger.getLogger(GalleryQueries.class);
    private static final String IMAGE_COLUMNS = "job_id, batch_id, idx, status, prompt, seed, image_key, width, "
            + "height, model_version, clip_model_id, embed_ms, decode_ms, end_to_end_ms, failure_reason, "
            + "completed_at, towards, candidates, prior_model_id";
    private static final String BATCH_COLUMNS = "batch_id, total, source, first_prompt, submitted_at, cancelled_at, "
            + "embedded, generated, failed, cancelled";

    private final DataSource dataSource;
    private final int maxCount;

    GalleryQueries(DataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        this.maxCount = config.gallery().maxCount();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return work.run(connection);
        } catch (SQLException e) {
            if (GalleryWriter.isBadData(e)) {
                throw new InvalidRequestException("query", "the search holds a value the gallery cannot compare");
            }
            LOG.warnf("The gallery's database failed a read: %s", e.getMessage());
            throw new ServiceUnavailableException("the gallery's database is unavailable; try again shortly");
        }
    }

    /**
     * A page of images, newest first: the first page, or the one after ({@code after}) or before ({@code before})
     * a cursor.
     */
    public ImagePage search(ImageQuery query, Cursor after, Cursor before, int size) {
        return read(c -> {
            ImageQuery effective = hasSearchTerms(c, query.words())
                    ? query
                    : new ImageQuery(
                            null, query.batchId(), query.modelVersion(), query.seed(), query.from(), query.to());
            Filter filter = Filter.of(effective);
            boolean backwards = before != null && after == null;
            Cursor at = backwards ? before : after;
            StringBuilder sql = new StringBuilder("SELECT ")
                    .append(IMAGE_COLUMNS)
                    .append(" FROM jobs")
                    .append(filter.where());
            List<Object> params = new ArrayList<>(filter.params());
            if (at != null) {
                sql.append(backwards ? " AND (completed_at, job_id) > (?, ?)" : " AND (completed_at, job_id) < (?, ?)");
                params.add(GalleryWriter.utc(at.completedAt()));
                params.add(at.jobId());
            }
            sql.append(
                            backwards
                                    ? " ORDER BY completed_at ASC, job_id ASC"
                                    : " ORDER BY completed_at DESC, job_id DESC")
                    .append(" LIMIT ?");
            params.add(size + 1);
            List<GenerationResult> rows = new ArrayList<>(size + 1);
            try (PreparedStatement statement = prepare(c, sql.toString(), params);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(result(rs));
                }
            }
            boolean more = rows.size() > size;
            if (more) {
                rows.remove(rows.size() - 1);
            }
            if (backwards) {
                Collections.reverse(rows);
            }
            List<ImageView> items = rows.stream().map(ImageView::of).toList();
            String next = null;
            String previous = null;
            if (!items.isEmpty()) {
                Cursor first = new Cursor(rows.get(0).completedAt(), rows.get(0).jobId());
                Cursor last = new Cursor(
                        rows.get(rows.size() - 1).completedAt(),
                        rows.get(rows.size() - 1).jobId());
                next = (backwards || more) ? last.encode() : null;
                previous = (backwards ? more : at != null) ? first.encode() : null;
            }
            if (at == null && !more) {
                // The whole listing is on this page: that is its count.
                return new ImagePage(items.size(), true, size, items, null, null);
            }
            long[] total = count(c, effective, filter);
            return new ImagePage(total[0], total[1] == 1, size, items, next, previous);
        });
    }

    /**
     * {total, 1 if exact}: kept totals where there are some; else the planner's estimate where that is beyond
     * {@code maxCount} (counting tens of thousands of matches costs more than the page itself), else the matches
     * counted up to {@code maxCount}.
     */
    private long[] count(Connection c, ImageQuery query, Filter filter) throws SQLException {
        if (query.isAll()) {
            try (PreparedStatement s = c.prepareStatement("SELECT images FROM gallery_totals");
                    ResultSet rs = s.executeQuery()) {
                return new long[] {rs.next() ? rs.getLong(1) : 0, 1};
            }
        }
        if (query.isBatchOnly()) {
            try (PreparedStatement s = c.prepareStatement("SELECT generated FROM batches WHERE batch_id = ?")) {
                s.setString(1, query.batchId());
                try (ResultSet rs = s.executeQuery()) {
                    return new long[] {rs.next() ? rs.getLong(1) : 0, 1};
                }
            }
        }
        long estimate = estimate(c, filter);
        if (estimate > maxCount) {
            return new long[] {estimate, 0};
        }
        List<Object> params = new ArrayList<>(filter.params());
        params.add(maxCount + 1);
        try (PreparedStatement s = prepare(
                        c,
                        "SELECT count(*) FROM (SELECT 1 FROM jobs" + filter.where() + " LIMIT ?) AS matches",
                        params);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            return n > maxCount ? new long[] {maxCount, 0} : new long[] {n, 1};
        }
    }

    /** The rows the planner expects the filter to match (from the table's statistics; no rows are read). */
    private static long estimate(Connection c, Filter filter) throws SQLException {
        try (PreparedStatement s =
                        prepare(c, "EXPLAIN (FORMAT JSON) SELECT 1 FROM jobs" + filter.where(), filter.params());
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return 0;
            }
            try {
                return Json.mapper()
                        .readTree(rs.getString(1))
                        .path(0)
                        .path("Plan")
                        .path("Plan Rows")
                        .asLong();
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable plan: " + e.getMessage(), e);
            }
        }
    }

    /** Whether {@code words} holds anything to search for (stop words alone do not). */
    private static boolean hasSearchTerms(Connection c, String words) throws SQLException {
        if (words == null) {
            return false;
        }
        try (PreparedStatement s =
                c.prepareStatement("SELECT numnode(websearch_to_tsquery('english', translate(?, '<>', '  '))) > 0")) {
            s.setString(1, words);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private record Filter(String where, List<Object> params) {

        static Filter of(ImageQuery q) {
            StringBuilder where = new StringBuilder(" WHERE status = 'SUCCEEDED'");
            List<Object> params = new ArrayList<>();
            if (q.words() != null) {
                where.append(" AND search @@ websearch_to_tsquery('english', translate(?, '<>', '  '))");
                params.add(q.words());
            }
            if (q.batchId() != null) {
                where.append(" AND batch_id = ?");
                params.add(q.batchId());
            }
            if (q.modelVersion() != null) {
                where.append(" AND model_version = ?");
                params.add(q.modelVersion());
            }
            if (q.seed() != null) {
                where.append(" AND seed = ?");
                params.add(q.seed());
            }
            if (q.from() != null) {
                where.append(" AND completed_at >= ?");
                params.add(GalleryWriter.utc(q.from()));
            }
            if (q.to() != null) {
                where.append(" AND completed_at < ?");
                params.add(GalleryWriter.utc(q.to()));
            }
            return new Filter(where.toString(), params);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            statement.setObject(i + 1, params.get(i));
        }
        return statement;
    }

    /** A generated image (a job that succeeded). */
    public Optional<GenerationResult> image(String jobId) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + IMAGE_COLUMNS + " FROM jobs WHERE job_id = ? AND status = 'SUCCEEDED'")) {
                s.setString(1, jobId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(result(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Up to {@code limit} images of a batch completed after {@code after} (from the first when null), oldest first:
     * a long download reads them a page at a time, so that it never holds a connection (or a transaction) for long.
     */
    public List<GenerationResult> imagesOfBatch(String batchId, Cursor after, int limit) {
        return read(c -> {
            List<Object> params = new ArrayList<>(List.of(batchId));
            String from = "";
            if (after != null) {
                from = " AND (completed_at, job_id) > (?, ?)";
                params.add(GalleryWriter.utc(after.completedAt()));
                params.add(after.jobId());
            }
            params.add(limit);
            try (PreparedStatement s = prepare(
                    c,
                    "SELECT " + IMAGE_COLUMNS + " FROM jobs WHERE batch_id = ?" + " AND status = 'SUCCEEDED'" + from
                            + " ORDER BY completed_at, job_id LIMIT ?",
                    params)) {
                List<GenerationResult> page = new ArrayList<>(limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        page.add(result(rs));
                    }
                }
                return page;
            }
        });
    }

    /** A batch's totals, once its submission has been read. */
    public Optional<BatchProgress> batch(String batchId) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + BATCH_COLUMNS + " FROM batches WHERE batch_id = ? AND submitted_at IS NOT NULL")) {
                s.setString(1, batchId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(progress(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Submitted batches, newest first. */
    public List<BatchProgress> recentBatches(int limit) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + BATCH_COLUMNS + " FROM batches"
                    + " WHERE submitted_at IS NOT NULL ORDER BY submitted_at DESC, batch_id DESC LIMIT ?")) {
                s.setInt(1, limit);
                List<BatchProgress> batches = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        batches.add(progress(rs));
                    }
                }
                return batches;
            }
        });
    }

    private static BatchProgress progress(ResultSet rs) throws SQLException {
        Timestamp submitted = rs.getTimestamp("submitted_at");
        return BatchProgress.of(
                rs.getString("batch_id"),
                rs.getInt("total"),
                rs.getInt("embedded"),
                rs.getInt("generated"),
                rs.getInt("failed"),
                rs.getInt("cancelled"),
                rs.getTimestamp("cancelled_at") != null,
                rs.getString("source"),
                rs.getString("first_prompt"),
                submitted == null ? null : submitted.toInstant());
    }

    private static GenerationResult result(ResultSet rs) throws SQLException {
        long embed = rs.getLong("embed_ms");
        boolean timed = !rs.wasNull();
        GenerationResult.Timings timings = timed
                ? new GenerationResult.Timings(embed, rs.getLong("decode_ms"), rs.getLong("end_to_end_ms"))
                : null;
        String towards = rs.getString("towards");
        return new GenerationResult(
                GenerationResult.CURRENT_VERSION,
                rs.getString("job_id"),
                rs.getString("batch_id"),
                rs.getInt("idx"),
                GenerationResult.Status.valueOf(rs.getString("status")),
                rs.getString("prompt"),
                rs.getLong("seed"),
                rs.getString("image_key"),
                (Integer) rs.getObject("width"),
                (Integer) rs.getObject("height"),
                rs.getString("model_version"),
                rs.getString("clip_model_id"),
                timings,
                rs.getString("failure_reason"),
                rs.getTimestamp("completed_at").toInstant(),
                towards == null ? null : towards(towards),
                (Integer) rs.getObject("candidates"),
                rs.getString("prior_model_id"));
    }

    private static Towards towards(String json) {
        try {
            return Json.mapper().readValue(json, Towards.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable towards " + json, e);
        }
    }
}
