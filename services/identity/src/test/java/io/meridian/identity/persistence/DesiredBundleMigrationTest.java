package io.meridian.identity.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.testsupport.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Identity's bundle bookkeeping moves into the declarer's table with every generation where it was. */
class DesiredBundleMigrationTest {

    @Test
    void bundlesAndTombstonesKeepTheirGenerationsInTheDeclarersTable() throws SQLException {
        DataSource db = PostgresDatabase.freshDatabase("identity_migration").dataSource();
        flyway(db, "13").migrate();
        execute(
                db,
                "INSERT INTO identity.cluster_bundle (cluster_id, generation, content_hash, object_count, declared_at)"
                        + " VALUES ('prod-1', 7, 'abc', 3, now()), ('gone-1', 4, NULL, 0, now())");

        flyway(db, "latest").migrate();

        assertThat(rows(
                        db,
                        "SELECT owner, cluster_id, generation, content_hash, object_count, drift_policy, adopt,"
                                + " tombstoned FROM identity.desired_bundle ORDER BY cluster_id"))
                .containsExactly("identity|gone-1|4|null|0|repair|f|t", "identity|prod-1|7|abc|3|repair|f|f");
        assertThat(rows(db, "SELECT to_regclass('identity.cluster_bundle')")).containsExactly("null");
        // A row that says "declared" without a content hash would be skipped as unchanged forever.
        assertThatThrownBy(() -> execute(
                        db,
                        "INSERT INTO identity.desired_bundle (owner, cluster_id, generation, object_count,"
                                + " declared_at, tombstoned) VALUES ('identity', 'x', 1, 0, now(), false)"))
                .hasMessageContaining("desired_bundle_tombstone_has_no_hash");
    }

    private static Flyway flyway(DataSource db, String target) {
        return Flyway.configure()
                .dataSource(db)
                .schemas("identity")
                .createSchemas(true)
                .locations("classpath:db/eventing", "classpath:db/migration")
                .target(target)
                .load();
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> rows(DataSource db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(r.getString(i)));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
