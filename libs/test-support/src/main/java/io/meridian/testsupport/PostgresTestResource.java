package io.meridian.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a Quarkus test at a fresh database on the JVM's real PostgreSQL server. The init argument
 * {@code schema} names the service's own schema (Flyway creates it; both datasources search it).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private String schema = "public";

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.getOrDefault("schema", schema);
    }

    @Override
    public Map<String, String> start() {
        PostgresDatabase db = PostgresDatabase.freshDatabase(schema);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password());
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        return config;
    }

    @Override
    public void stop() {
        // The server is shared by the JVM; the database is left for post-mortem inspection.
    }
}
