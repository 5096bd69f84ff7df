package io.agentid.interceptors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db:5432/app?user=bob&password=s3cret&ssl=true | jdbc:postgresql://db:5432/app?ssl=true",
        "jdbc:postgresql://db/app?ssl=true&password=s3cret | jdbc:postgresql://db/app?ssl=true",
        "jdbc:postgresql://db/app?password=s3cret | jdbc:postgresql://db/app",
        "jdbc:mysql://bob:s3cret@db:3306/app | jdbc:mysql://db:3306/app",
        "jdbc:h2:mem:t;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL | jdbc:h2:mem:t;MODE=PostgreSQL",
        "jdbc:sqlserver://db:1433;databaseName=app;user=bob;password=s3cret | jdbc:sqlserver://db:1433;databaseName=app",
        "jdbc:sqlite:/tmp/app.db | jdbc:sqlite:/tmp/app.db",
    })
    void removesCredentials(String url, String expected) {
        assertThat(JdbcUrls.sanitize(url)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "jdbc:postgresql://db.internal:6543/app | postgresql | db.internal | 6543",
        "jdbc:postgresql://db.internal/app | postgresql | db.internal | 5432",
        "jdbc:mysql://bob:pw@10.0.0.5/app | mysql | 10.0.0.5 | 3306",
        "jdbc:h2:tcp://localhost:9092/~/test | h2 | localhost | 9092",
        "jdbc:h2:mem:test | h2 | null | -1",
        "jdbc:sqlite::memory: | sqlite | null | -1",
        "jdbc:sqlserver://sql1:1434;databaseName=x | microsoft.sql_server | sql1 | 1434",
        "jdbc:postgresql://[::1]:5433/app | postgresql | ::1 | 5433",
    })
    void readsSystemHostAndPort(String url, String system, String host, int port) {
        assertThat(JdbcUrls.system(url)).isEqualTo(system);
        assertThat(JdbcUrls.host(url)).isEqualTo(host);
        assertThat(JdbcUrls.port(url, system)).isEqualTo(port);
    }

    @org.junit.jupiter.api.Test
    void h2InitIsReadFromTheUrlWithEscapedSemicolonsOrFromTheProperties() {
        org.assertj.core.api.Assertions.assertThat(JdbcUrls.h2Init(
                "jdbc:h2:mem:x;MODE=PostgreSQL;init=CREATE SCHEMA s\\;DROP TABLE t;DB_CLOSE_DELAY=-1", null))
                .isEqualTo("CREATE SCHEMA s;DROP TABLE t");
        org.assertj.core.api.Assertions.assertThat(JdbcUrls.h2Init("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1", null)).isNull();
        org.assertj.core.api.Assertions.assertThat(JdbcUrls.h2Init("jdbc:postgresql://h/db?init=x", null)).isNull();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("Init", "DROP TABLE t");
        org.assertj.core.api.Assertions.assertThat(JdbcUrls.h2Init("jdbc:h2:mem:x", p)).isEqualTo("DROP TABLE t");
    }
}
