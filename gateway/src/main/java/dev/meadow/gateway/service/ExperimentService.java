package dev.meadow.gateway.service;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.meadow.contracts.Checks;
import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Evaluation reports that {@code meadow eval --publish} and {@code meadow experiment} put in the object store. */
@ApplicationScoped
public class ExperimentService {

    private static final Logger LOG = Logger.getLogger(ExperimentService.class);

    private final ObjectStore store;

    public ExperimentService(ObjectStore store) {
        this.store = store;
    }

    /** Every readable report, newest first; a report that cannot be parsed is skipped and logged. */
    public List<EvalReport> list() {
        List<EvalReport> reports = new ArrayList<>();
        for (StoredObject object : store.list(Bucket.EXPERIMENTS, "")) {
            if (!object.key().endsWith("/" + EvalReport.FILE_NAME)) {
                continue;
            }
            try {
                reports.add(Json.mapper().readValue(store.get(Bucket.EXPERIMENTS, object.key()), EvalReport.class));
            } catch (Exception e) {
                LOG.warnf("skipping unreadable report %s: %s", object.key(), e.getMessage());
            }
        }
        reports.sort(Comparator.comparing(EvalReport::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return reports;
    }

    public EvalReport get(String id) {
        try {
            return Json.mapper()
                    .readValue(
                            store.get(
                                    Bucket.EXPERIMENTS,
                                    store.layout().experimentFileKey(checked(id), EvalReport.FILE_NAME)),
                            EvalReport.class);
        } catch (ObjectNotFoundException e) {
            throw new NotFoundException("no experiment '" + id + "'");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("report " + id + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** A sample image of a report; only files the report names are served. */
    public InputStream sample(String id, String file) {
        EvalReport report = get(id);
        if (!report.namesPicture(file)) {
            throw new NotFoundException("experiment " + id + " has no sample '" + file + "'");
        }
        return store.open(Bucket.EXPERIMENTS, store.layout().experimentFileKey(id, file));
    }

    private static String checked(String id) {
        if (id == null || !Checks.ID.matcher(id).matches()) {
            throw new NotFoundException("no experiment '" + id + "'");
        }
        return id;
    }
}
