package dev.meadow.gateway.service.gallery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;

/**
 * Writes what the projection read to the gallery's tables, on one connection, each chunk in one transaction
 * together with the offsets it reaches. Every write is an upsert whose counters move by the difference it makes,
 * so a record read twice changes nothing.
 */
public final class GalleryWriter {

    /** An embedding was published for this job (only its key is read). */
    public record Embedded(String jobId, String batchId, int index) {}

    /** Where one partition's reading stands: the offset of the next record to read. */
    public record Offset(String topic, int partition, long next) {}

    private static final String WRITE_RESULTS = """
            WITH incoming AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::text[],
                        ?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
                        ?::timestamptz[], ?::jsonb[], ?::int[], ?::text[])
                    AS t(job_id, batch_id, idx, status, prompt, seed, image_key, width, height, model_version,
                        clip_model_id, embed_ms, decode_ms, end_to_end_ms, failure_reason, completed_at, towards,
                        candidates, prior_model_id)),
            previous AS (
                SELECT j.job_id, j.status FROM jobs j JOIN incoming USING (job_id)),
            written AS (
                INSERT INTO jobs AS j (job_id, batch_id, idx, status, prompt, seed, image_key, width, height,
                        model_version, clip_model_id, embed_ms, decode_ms, end_to_end_ms, failure_reason,
                        completed_at, towards, candidates, prior_model_id)
                SELECT * FROM incoming
                ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, prompt = excluded.prompt,
                    seed = excluded.seed, image_key = excluded.image_key, width = excluded.width,
                    height = excluded.height, model_version = excluded.model_version,
                    clip_model_id = excluded.clip_model_id, embed_ms = excluded.embed_ms,
                    decode_ms = excluded.decode_ms, end_to_end_ms = excluded.end_to_end_ms,
                    failure_reason = excluded.failure_reason, completed_at = excluded.completed_at,
                    towards = excluded.towards, candidates = excluded.candidates,
                    prior_model_id = excluded.prior_model_id
                RETURNING j.job_id, j.batch_id, j.status),
            changes AS (
                SELECT w.batch_id,
                    count(*) FILTER (WHERE w.status = 'SUCCEEDED') - count(*) FILTER (WHERE p.status = 'SUCCEEDED')
                        AS generated,
                    count(*) FILTER (WHERE w.status = 'FAILED') - count(*) FILTER (WHERE p.status = 'FAILED')
                        AS failed,
                    count(*) FILTER (WHERE w.status = 'CANCELLED') - count(*) FILTER (WHERE p.status = 'CANCELLED')
                        AS cancelled
                FROM written w LEFT JOIN previous p USING (job_id)
                GROUP BY w.batch_id),
            totals AS (
                UPDATE gallery_totals SET images = images + (SELECT coalesce(sum(generated), 0) FROM changes))
            INSERT INTO batches (batch_id, generated, failed, cancelled)
            SELECT batch_id, generated, failed, cancelled FROM changes
            ON CONFLICT (batch_id) DO UPDATE SET generated = batches.generated + excluded.generated,
                failed = batches.failed + excluded.failed, cancelled = batches.cancelled + excluded.cancelled
            """;

    private static final String WRITE_EMBEDDED = """
            WITH written AS (
                INSERT INTO jobs AS j (job_id, batch_id, idx, embedded)
                SELECT job_id, batch_id, idx, true FROM unnest(?::text[], ?::text[], ?::int[])
                    AS t(job_id, batch_id, idx)
                ON CONFLICT (job_id) DO UPDATE SET embedded = true WHERE NOT j.embedded
                RETURNING j.batch_id)
            INSERT INTO batches (batch_id, embedded)
            SELECT batch_id, count(*) FROM written GROUP BY batch_id
            ON CONFLICT (batch_id) DO UPDATE SET embedded = batches.embedded + excluded.embedded
            """;

    /** A batch is submitted once: a second submission record for it (replayed or forged) changes nothing. */
    private static final String WRITE_SUBMITTED = """
            INSERT INTO batches (batch_id, total, source, first_prompt, submitted_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (batch_id) DO UPDATE SET total = coalesce(batches.total, excluded.total),
                source = coalesce(batches.source, excluded.source),
                first_prompt = coalesce(batches.first_prompt, excluded.first_prompt),
                submitted_at = coalesce(batches.submitted_at, excluded.submitted_at)
            """;

    private static final String WRITE_CANCELLED = """
            INSERT INTO batches (batch_id, cancelled_at) VALUES (?, ?)
            ON CONFLICT (batch_id) DO UPDATE SET cancelled_at = excluded.cancelled_at
            """;

    private static final String WRITE_OFFSET = """
            INSERT INTO projection_offsets (topic, partition, next_offset) VALUES (?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset
            """;

    private final Connection connection;

    public GalleryWriter(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
    }

    /**
     * Writes a submission's batch row at once, as the gateway that accepted it: whoever submitted can look at it
     * before the projection reads it. Idempotent, and it touches no counter, so the projection's own write of the same
     * record later changes nothing.
     */
    public static void recordSubmitted(DataSource dataSource, BatchSubmitted submitted) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            new GalleryWriter(connection).write(List.of(), List.of(), List.of(submitted), List.of());
        }
    }

    /** The totals of those of {@code batchIds} whose submission the gallery has read. */
    public Map<String, Integer> totals(Collection<String> batchIds) throws SQLException {
        Map<String, Integer> totals = new HashMap<>();
        if (batchIds.isEmpty()) {
            return totals;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT batch_id, total FROM batches WHERE batch_id = ANY (?) AND total IS NOT NULL")) {
            select.setArray(1, array("text", batchIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    totals.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return totals;
    }

    /** The offsets stored with the gallery: where reading resumes. */
    public Map<String, Map<Integer, Long>> offsets() throws SQLException {
        Map<String, Map<Integer, Long>> offsets = new HashMap<>();
        try (PreparedStatement select =
                        connection.prepareStatement("SELECT topic, partition, next_offset FROM projection_offsets");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                offsets.computeIfAbsent(rows.getString(1), t -> new HashMap<>()).put(rows.getInt(2), rows.getLong(3));
            }
        }
        connection.commit();
        return offsets;
    }

    /**
     * Writes one chunk and the offsets it reaches in one transaction. Each job may appear once in {@code results}
     * and once in {@code embedded} (the caller keeps the latest record per key).
     */
    public void write(
            Collection<GenerationResult> results,
            Collection<Embedded> embedded,
            List<BatchEvent> batches,
            Collection<Offset> offsets)
            throws SQLException {
        try {
            if (!results.isEmpty()) {
                writeResults(results);
            }
            if (!embedded.isEmpty()) {
                writeEmbedded(embedded);
            }
            if (!batches.isEmpty()) {
                writeBatches(batches);
            }
            try (PreparedStatement statement = connection.prepareStatement(WRITE_OFFSET)) {
                for (Offset offset : offsets) {
                    statement.setString(1, offset.topic());
                    statement.setInt(2, offset.partition());
                    statement.setLong(3, offset.next());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    private void writeResults(Collection<GenerationResult> results) throws SQLException {
        int n = results.size();
        String[] jobIds = new String[n];
        String[] batchIds = new String[n];
        Integer[] indexes = new Integer[n];
        String[] statuses = new String[n];
        String[] prompts = new String[n];
        Long[] seeds = new Long[n];
        String[] imageKeys = new String[n];
        Integer[] widths = new Integer[n];
        Integer[] heights = new Integer[n];
        String[] models = new String[n];
        String[] clips = new String[n];
        Long[] embedMillis = new Long[n];
        Long[] decodeMillis = new Long[n];
        Long[] endToEndMillis = new Long[n];
        String[] failures = new String[n];
        String[] completed = new String[n];
        String[] towards = new String[n];
        Integer[] candidates = new Integer[n];
        String[] priors = new String[n];
        int i = 0;
        for (GenerationResult r : results) {
            jobIds[i] = r.jobId();
            batchIds[i] = r.batchId();
            indexes[i] = r.index();
            statuses[i] = r.status().name();
            prompts[i] = r.prompt();
            seeds[i] = r.seed();
            imageKeys[i] = r.imageKey();
            widths[i] = r.width();
            heights[i] = r.height();
            models[i] = r.modelVersion();
            clips[i] = r.clipModelId();
            if (r.timings() != null) {
                embedMillis[i] = r.timings().embedMillis();
                decodeMillis[i] = r.timings().decodeMillis();
                endToEndMillis[i] = r.timings().endToEndMillis();
            }
            failures[i] = r.failureReason();
            completed[i] = r.completedAt().toString();
            towards[i] = r.towards() == null ? null : json(r.towards());
            candidates[i] = r.candidates();
            priors[i] = r.priorModelId();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(WRITE_RESULTS)) {
            Object[][] columns = {
                jobIds,
                batchIds,
                indexes,
                statuses,
                prompts,
                seeds,
                imageKeys,
                widths,
                heights,
                models,
                clips,
                embedMillis,
                decodeMillis,
                endToEndMillis,
                failures,
                completed,
                towards,
                candidates,
                priors
            };
            String[] types = {
                "text", "text", "int4", "text", "text", "int8", "text", "int4", "int4", "text", "text", "int8", "int8",
                "int8", "text", "text", "text", "int4", "text"
            };
            for (int c = 0; c < columns.length; c++) {
                statement.setArray(c + 1, array(types[c], columns[c]));
            }
            statement.execute();
        }
    }

    private void writeEmbedded(Collection<Embedded> embedded) throws SQLException {
        int n = embedded.size();
        String[] jobIds = new String[n];
        String[] batchIds = new String[n];
        Integer[] indexes = new Integer[n];
        int i = 0;
        for (Embedded e : embedded) {
            jobIds[i] = e.jobId();
            batchIds[i] = e.batchId();
            indexes[i] = e.index();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(WRITE_EMBEDDED)) {
            statement.setArray(1, array("text", jobIds));
            statement.setArray(2, array("text", batchIds));
            statement.setArray(3, array("int4", indexes));
            statement.execute();
        }
    }

    private void writeBatches(List<BatchEvent> events) throws SQLException {
        try (PreparedStatement submitted = connection.prepareStatement(WRITE_SUBMITTED);
                PreparedStatement cancelled = connection.prepareStatement(WRITE_CANCELLED)) {
            for (BatchEvent event : events) {
                if (event instanceof BatchSubmitted s) {
                    submitted.setString(1, s.batchId());
                    submitted.setInt(2, s.total());
                    submitted.setString(3, s.source());
                    submitted.setString(4, s.firstPrompt());
                    submitted.setObject(5, utc(s.submittedAt()));
                    submitted.addBatch();
                } else if (event instanceof BatchCancelled c) {
                    cancelled.setString(1, c.batchId());
                    cancelled.setObject(2, utc(c.cancelledAt()));
                    cancelled.addBatch();
                }
            }
            submitted.executeBatch();
            cancelled.executeBatch();
        }
    }

    /** An instant as PostgreSQL takes it unambiguously, whatever this JVM's time zone. */
    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Whether PostgreSQL refused the values rather than failed (data exceptions and integrity violations). */
    public static boolean isBadData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Whether PostgreSQL can hold this result: times within its range, no NUL characters in text. */
    public static boolean isStorable(GenerationResult r) {
        return storable(r.completedAt())
                && storable(r.prompt())
                && storable(r.failureReason())
                && storable(r.modelVersion())
                && storable(r.clipModelId())
                && storable(r.imageKey())
                && storable(r.jobId())
                && storable(r.batchId());
    }

    public static boolean isStorable(BatchEvent event) {
        if (event instanceof BatchSubmitted s) {
            return storable(s.submittedAt())
                    && storable(s.firstPrompt())
                    && storable(s.source())
                    && storable(s.batchId());
        }
        return event instanceof BatchCancelled c && storable(c.cancelledAt()) && storable(c.batchId());
    }

    /** Years 1 to 9999: what both PostgreSQL and ISO-8601 text hold. */
    public static boolean storable(Instant instant) {
        return instant != null && !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
    }

    public static boolean storable(String text) {
        return text == null || text.indexOf('\u0000') < 0;
    }

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
