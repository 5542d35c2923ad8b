package io.meridian.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server started from the embedded binaries on Maven Central, one per test JVM, and
 * a fresh database per caller of {@link #freshDatabase(String)}.
 */
public final class PostgresDatabase {

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final int port;
    private final String database;

    private PostgresDatabase(int port, String database) {
        this.port = port;
        this.database = database;
    }

    /** Creates a new, empty database on the JVM's PostgreSQL server (started on first use). */
    public static synchronized PostgresDatabase freshDatabase(String prefix) {
        EmbeddedPostgres pg = server();
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_"
                + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new PostgresDatabase(pg.getPort(), name);
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
                }
            }));
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** The URL form the Vert.x reactive PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://localhost:" + port + "/" + database;
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl());
        ds.setUser(username());
        ds.setPassword(password());
        return ds;
    }
}
