package io.meridian.policy.persistence;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Policy's bundle table becomes the declarer's table with every generation where it was. */
class DesiredBundleMigrationTest {

    @Test
    void declaredBundlesKeepTheirGenerationsAndEmptyOnesStayDeclaredUntilATombstoneReplacesThem() throws SQLException {
        DataSource db = PostgresDatabase.freshDatabase("policy_migration").dataSource();
        flyway(db, "11").migrate();
        execute(
                db,
                "INSERT INTO policy.desired_bundle (cluster_id, generation, content_hash, object_count, declared_at)"
                        + " VALUES ('prod-1', 5, 'abc', 2, now()), ('quiet-1', 3, 'empty', 0, now())");

        flyway(db, "latest").migrate();

        assertThat(rows(
                        db,
                        "SELECT owner, cluster_id, generation, content_hash, object_count, drift_policy, adopt,"
                                + " tombstoned FROM policy.desired_bundle ORDER BY cluster_id"))
                .containsExactly("policy|prod-1|5|abc|2|repair|f|f", "policy|quiet-1|3|empty|0|repair|f|f");
        // Keyed by owner and cluster now, like every owner's table.
        assertThat(rows(
                        db,
                        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'policy.desired_bundle'::regclass"
                                + " AND i.indisprimary ORDER BY a.attname"))
                .containsExactly("cluster_id", "owner");
    }

    private static Flyway flyway(DataSource db, String target) {
        return Flyway.configure()
                .dataSource(db)
                .schemas("policy")
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
