package dev.meadow.service.models;

import java.time.Duration;

import dev.meadow.messaging.ModelCatalog;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** One catalog per service instance, following the {@code models} topic for as long as the service runs. */
public class ModelCatalogProducer {

    private static final Logger LOG = Logger.getLogger(ModelCatalogProducer.class);

    @Produces
    @ApplicationScoped
    ModelCatalog catalog(KafkaTopicsConfig kafka, ServiceConfig service) {
        ModelCatalog catalog = new ModelCatalog(kafka.connection(), service.instanceId() + "-models").start();
        try {
            if (!catalog.awaitCaughtUp(Duration.ofSeconds(20))) {
                LOG.warn("The models topic was not read to its end within 20 s; continuing, models arrive later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return catalog;
    }

    void close(@Disposes ModelCatalog catalog) {
        catalog.close();
    }
}
