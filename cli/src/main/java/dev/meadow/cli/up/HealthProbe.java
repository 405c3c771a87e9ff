package dev.meadow.cli.up;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Tells whether a component serves. Probes never throw: a failure is simply "not yet". */
@FunctionalInterface
public interface HealthProbe {

    boolean healthy();

    HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A Quarkus service: its readiness endpoint answers 200. */
    static HealthProbe quarkusReady(String host, int port) {
        URI uri = URI.create("http://" + StackLauncher.urlHost(host) + ":" + port + "/q/health/ready");
        return () -> {
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** The object store answers HTTP (an anonymous request is refused, which proves it is up). */
    static HealthProbe httpAnswers(String endpoint) {
        URI uri = URI.create(endpoint + "/");
        return () -> {
            try {
                HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** PostgreSQL accepts a connection and answers a query. */
    static HealthProbe database(String jdbcUrl, String user, String password) {
        return () -> {
            java.util.Properties p = new java.util.Properties();
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
            p.setProperty("connectTimeout", "3");
            try (java.sql.Connection c = new org.postgresql.Driver().connect(jdbcUrl, p)) {
                return c != null && c.isValid(3);
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** The broker answers a metadata request. */
    static HealthProbe kafka(Map<String, Object> adminConnection) {
        return () -> {
            Map<String, Object> config = new java.util.HashMap<>(adminConnection);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
            try (Admin admin = Admin.create(config)) {
                return !admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        };
    }
}
