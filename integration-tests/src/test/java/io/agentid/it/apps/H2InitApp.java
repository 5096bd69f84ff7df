package io.agentid.it.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * SQL hidden in a JDBC URL: H2 runs the {@code INIT} setting while it connects. Prints {@code name=ok ...} or
 * {@code name=blocked <SQLState> <message>} for each connection, then whether the table the INIT SQL would drop
 * still exists (read through a connection without INIT).
 */
public final class H2InitApp {
    public static void main(String[] args) throws Exception {
        String db = "jdbc:h2:mem:init;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(db)) {
            c.createStatement().execute("CREATE TABLE items(id INT)");
        }
        connect("create", db + ";INIT=CREATE TABLE IF NOT EXISTS notes(id INT)", null);
        connect("drop", db + ";INIT=CREATE TABLE IF NOT EXISTS notes(id INT)\\;DROP TABLE items", null);
        Properties p = new Properties();
        p.setProperty("init", "DROP TABLE items");
        connect("drop-in-properties", db, p);
        connect("runscript", db + ";INIT=RUNSCRIPT FROM 'classpath:/nothing.sql'", null);
        try (Connection c = DriverManager.getConnection(db);
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM items")) {
            rs.next();
            System.out.println("items=exists");
        } catch (SQLException e) {
            System.out.println("items=gone " + e.getMessage());
        }
    }

    private static void connect(String name, String url, Properties info) {
        try (Connection c = info == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, info)) {
            System.out.println(name + "=ok");
        } catch (SQLException e) {
            System.out.println(name + "=blocked " + e.getSQLState() + " " + e.getMessage());
        }
    }
}
