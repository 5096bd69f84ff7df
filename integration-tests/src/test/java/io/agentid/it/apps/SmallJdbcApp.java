package io.agentid.it.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small H2 application for the configuration and export tests.
 *
 * <p>{@code basic}: creates a table, reads it, tries to drop it, and prints the outcomes.
 * {@code flood <n> <every>}: runs {@code n} allowed prepared reads, and a forbidden {@code DROP} after every
 * {@code every} of them, printing how many were blocked.
 */
public final class SmallJdbcApp {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:small"); Statement s = c.createStatement()) {
            System.out.println("setup=" + outcome(() -> {
                s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
                s.execute("INSERT INTO items VALUES (1, 'one')");
                return "done";
            }));
            if (args[0].equals("basic")) {
                System.out.println("select=" + outcome(() -> {
                    try (ResultSet rs = s.executeQuery("SELECT name FROM items")) {
                        return rs.next() ? rs.getString(1) : "none";
                    }
                }));
                System.out.println("drop=" + outcome(() -> s.execute("DROP TABLE items")));
                System.out.println("exists=" + outcome(() -> {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }));
            } else {
                int n = Integer.parseInt(args[1]);
                int every = Integer.parseInt(args[2]);
                int blocked = 0;
                try (PreparedStatement p = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                    for (int i = 1; i <= n; i++) {
                        p.setInt(1, 1);
                        try (ResultSet rs = p.executeQuery()) {
                            rs.next();
                        }
                        if (i % every == 0) {
                            try {
                                s.execute("DROP TABLE items");
                            } catch (SQLException e) {
                                blocked++;
                            }
                        }
                    }
                }
                System.out.println("blocked=" + blocked);
            }
        }
    }

    interface Call {
        Object run() throws Exception;
    }

    private static String outcome(Call call) {
        try {
            return "ok " + call.run();
        } catch (SQLException e) {
            return "error " + e.getSQLState() + " " + e.getMessage();
        } catch (Exception e) {
            return "error " + e;
        }
    }
}
