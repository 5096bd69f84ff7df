package io.agentid.it.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A plain JDBC application, run in a forked JVM with agentid attached: it sets up a small database, then
 * makes every kind of JDBC call, allowed and forbidden, and prints what each returned as
 * {@code step.<name>=ok|blocked|error ...} and the state of the data as {@code check.<name>=value}.
 * {@code calls=} is the number of guarded calls it made (each must produce exactly one span).
 *
 * <p>Usage: {@code JdbcApp h2|sqlite|postgresql <jdbc-url> [user] [password]}, on a database prepared with
 * {@link #setUp}.
 */
public final class JdbcApp {
    private static int calls;

    public static void main(String[] args) throws Exception {
        String db = args[0];
        String url = args[1];
        String user = args.length > 2 ? args[2] : null;
        String password = args.length > 3 ? args[3] : null;
        try (Connection c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password)) {
            if (db.equals("sqlite")) {
                try (Statement s = c.createStatement()) {
                    exec(s, "ATTACH DATABASE '" + url.substring("jdbc:sqlite:".length()) + ".hr' AS hr");
                }
            }
            steps(db, c);
        }
        if (!db.equals("sqlite")) {
            pool(db, url, user, password);
        }
        System.out.println("calls=" + calls);
    }

    /**
     * Creates the tables and rows the steps use. Run by the test, without agentid: the guardrails policy
     * forbids writing payroll, which is the point.
     */
    public static void setUp(String db, String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            if (db.equals("sqlite")) {
                exec(s, "ATTACH DATABASE '" + url.substring("jdbc:sqlite:".length()) + ".hr' AS hr");
            } else {
                exec(s, "CREATE SCHEMA hr");
            }
            exec(s, "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40))");
            exec(s, "CREATE TABLE orders (id INT, item VARCHAR(40))");
            exec(s, "CREATE TABLE payroll (id INT, amount INT)");
            exec(s, "CREATE TABLE hr.salaries (id INT, amount INT)");
            exec(s, "INSERT INTO customers VALUES (1, 'ada'), (2, 'grace')");
            exec(s, "INSERT INTO payroll VALUES (1, 5000), (2, 7000)");
            exec(s, "INSERT INTO hr.salaries VALUES (1, 100)");
        }
    }

    private static void exec(Statement s, String sql) throws SQLException {
        calls++;
        s.execute(sql);
    }

    private static void steps(String db, Connection c) throws SQLException {
        Statement s = c.createStatement();
        step("select_customers", () -> {
            try (ResultSet rs = s.executeQuery("SELECT id, name FROM customers")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                return "rows " + n;
            }
        });
        step("drop_customers", () -> s.execute("DROP TABLE customers"));
        step("delete_payroll", () -> s.executeUpdate("DELETE FROM payroll"));
        if (!db.equals("sqlite")) {
            step("large_update_salaries", () -> s.executeLargeUpdate("UPDATE hr.salaries SET amount = 0"));
        }
        step("insert_generated_keys", () -> s.executeUpdate("INSERT INTO orders (id, item) VALUES (1, 'book')",
                Statement.RETURN_GENERATED_KEYS));
        step("execute_overload_drop", () -> s.execute("DROP TABLE orders", Statement.NO_GENERATED_KEYS));
        step("multi_statement", () -> s.execute("SELECT id FROM customers; DROP TABLE customers"));
        step("comments_case_quotes", () -> s.execute("/* harmless */ dRoP /* really */ TABLE \"customers\""));
        step("quoted_schema", () -> s.executeQuery("SELECT * FROM \"hr\" . \"salaries\""));
        step("join", () -> s.executeQuery("SELECT c.name FROM customers c JOIN payroll p ON p.id = c.id"));
        step("subquery", () -> s.executeQuery("SELECT name FROM customers WHERE id IN (SELECT id FROM payroll)"));
        step("cte", () -> s.executeQuery("WITH x AS (SELECT id FROM payroll) SELECT * FROM x"));
        step("insert_select", () -> s.executeUpdate("INSERT INTO orders (id, item) SELECT id, name FROM payroll"));
        step("unanalysable", () -> s.execute("SELEC id FROM customers"));

        step("prepared_select", () -> {
            PreparedStatement p = prepare(c, "SELECT name FROM customers WHERE id = ?");
            p.setInt(1, 1);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? "name " + rs.getString(1) : "none";
            }
        });
        step("prepared_payroll", () -> {
            PreparedStatement p = prepare(c, "SELECT amount FROM payroll WHERE id = ?");
            p.setInt(1, 1);
            return p.executeQuery();
        });
        step("prepared_update_payroll", () -> {
            PreparedStatement p = prepare(c, "UPDATE payroll SET amount = ? WHERE id = ?");
            p.setInt(1, 0);
            p.setInt(2, 1);
            return p.executeUpdate();
        });
        if (!db.equals("sqlite")) {
            step("callable_payroll", () -> {
                calls++;
                CallableStatement cs = c.prepareCall("SELECT amount FROM payroll");
                return cs.execute();
            });
        }
        step("batch_blocked", () -> {
            s.addBatch("INSERT INTO orders (id, item) VALUES (2, 'pen')");
            s.addBatch("DELETE FROM payroll");
            calls++;
            return s.executeBatch().length;
        });
        s.clearBatch();
        step("batch_allowed", () -> {
            s.addBatch("INSERT INTO orders (id, item) VALUES (3, 'ink')");
            s.addBatch("INSERT INTO orders (id, item) VALUES (4, 'nib')");
            calls++;
            return s.executeBatch().length;
        });
        step("prepared_batch", () -> {
            PreparedStatement p = prepare(c, "INSERT INTO orders (id, item) VALUES (?, ?)");
            for (int i = 10; i < 13; i++) {
                p.setInt(1, i);
                p.setString(2, "item" + i);
                p.addBatch();
            }
            return p.executeBatch().length;
        });
        if (!db.equals("sqlite")) {
            step("prepared_large_batch_payroll", () -> {
                PreparedStatement p = prepare(c, "UPDATE payroll SET amount = ? WHERE id = ?");
                p.setInt(1, 1);
                p.setInt(2, 1);
                p.addBatch();
                return p.executeLargeBatch().length;
            });
            schemaSteps(db, c, s);
        }
        s.close();
    }

    private static void schemaSteps(String db, Connection c, Statement s) throws SQLException {
        String use = db.equals("postgresql") ? "SET search_path TO hr" : "SET SCHEMA hr";
        String back = db.equals("postgresql") ? "SET search_path TO public" : "SET SCHEMA PUBLIC";
        step("set_schema_sql", () -> s.execute(use));
        step("unqualified_after_set_schema", () -> s.executeQuery("SELECT amount FROM salaries"));
        step("set_schema_back", () -> s.execute(back));
        c.setSchema(db.equals("postgresql") ? "hr" : "HR");
        step("unqualified_after_setSchema", () -> s.executeQuery("SELECT id FROM salaries"));
        c.setSchema(db.equals("postgresql") ? "public" : "PUBLIC");
        step("unqualified_after_setSchema_back", () -> s.executeQuery("SELECT id FROM customers"));
        step("use_then_read_in_one_call", () -> s.execute(use + "; SELECT amount FROM salaries"));
    }

    private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        calls++;
        return c.prepareStatement(sql);
    }

    /** The state of the data, read by the test without agentid after the application has run. */
    public static java.util.Map<String, String> checks(String db, String url) throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            if (db.equals("sqlite")) {
                s.execute("ATTACH DATABASE '" + url.substring("jdbc:sqlite:".length()) + ".hr' AS hr");
            }
            check(s, out, "customers", "SELECT COUNT(*) FROM customers");
            check(s, out, "payroll_sum", "SELECT SUM(amount) FROM payroll");
            check(s, out, "salaries_sum", "SELECT SUM(amount) FROM hr.salaries");
            check(s, out, "orders", "SELECT COUNT(*) FROM orders");
        }
        return out;
    }

    private static void check(Statement s, java.util.Map<String, String> out, String name, String sql) {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            out.put(name, String.valueOf(rs.getLong(1)));
        } catch (SQLException e) {
            out.put(name, "error " + e.getMessage());
        }
    }

    private static void pool(String db, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(config); Connection c = ds.getConnection()) {
            step("pool_prepared_select", () -> {
                PreparedStatement p = prepare(c, "SELECT name FROM customers WHERE id = ?");
                p.setInt(1, 2);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? "name " + rs.getString(1) : "none";
                }
            });
            step("pool_drop", () -> {
                try (Statement s = c.createStatement()) {
                    calls++;
                    return s.execute("DROP TABLE payroll");
                }
            });
            step("pool_select_payroll", () -> {
                try (Statement s = c.createStatement()) {
                    calls++;
                    return s.executeQuery("SELECT amount FROM payroll").next();
                }
            });
        } catch (SQLException e) {
            System.out.println("pool=error " + e);
        }
    }

    interface Step {
        Object run() throws Exception;
    }

    /** Runs one step; counts it as one guarded call unless the step counts its own. */
    private static void step(String name, Step step) {
        int before = calls;
        String outcome;
        try {
            Object r = step.run();
            outcome = "ok" + (r == null ? "" : " " + r);
        } catch (SQLException e) {
            outcome = e.getMessage() != null && e.getMessage().startsWith("agentid: ")
                    ? "blocked " + e.getSQLState() + " " + e.getMessage() + " class=" + e.getClass().getName()
                    : "error " + e.getSQLState() + " " + e.getMessage();
        } catch (Exception e) {
            outcome = "error " + e;
        }
        if (calls == before) {
            calls++;
        }
        System.out.println("step." + name + "=" + outcome);
    }
}
