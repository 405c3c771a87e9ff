package dev.meadow.service.config;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What distinguishes this running instance: where it keeps local files and what it is called. */
@ConfigMapping(prefix = "meadow.service")
public interface ServiceConfig {

    /** Local working directory (model cache, training checkpoints). {@code MEADOW_WORK_DIR} in deployments. */
    @WithDefault("${MEADOW_WORK_DIR:${java.io.tmpdir}/meadow-work}")
    Path workDir();

    /**
     * A name unique among running instances: transactional ids derive from it, so two instances must never share
     * one. {@code MEADOW_INSTANCE_ID}, else the host name (unique per container), else the application name.
     */
    @WithDefault("${MEADOW_INSTANCE_ID:${HOSTNAME:${quarkus.application.name}}}")
    String instanceId();
}
