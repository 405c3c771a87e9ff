package dev.meadow.service.messaging;

import java.util.List;

import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.service.config.KafkaTopicsConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Creates Meadow's topics before the service's channels start consuming, unless switched off. */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    void onStart(@Observes @Priority(1) StartupEvent event, KafkaTopicsConfig config) {
        if (!config.provisionTopics()) {
            return;
        }
        try {
            List<String> created = TopicProvisioner.ensureTopics(config.connection(), config.replication());
            if (!created.isEmpty()) {
                LOG.infof("Created topics %s", created);
            }
        } catch (Exception e) {
            // The Kafka health check reports an unreachable broker; consumers wait for their topics.
            LOG.warnf("Could not provision topics on %s: %s", config.bootstrapServers(), e.getMessage());
        }
    }
}
