package io.agentid.it.apps;

import java.sql.SQLException;
import java.sql.Statement;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.ExceptionMethod;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A "legacy driver" whose {@code Statement.getConnection()} throws {@code AbstractMethodError}, as drivers
 * compiled against an older JDBC do. agentid asks every statement for its connection, so this makes a fault
 * inside agentid's decision; the application must see either its call go through or, with
 * {@code on_internal_error=block}, the documented block, and nothing else.
 */
public final class LegacyDriverApp {
    public static void main(String[] args) throws Exception {
        Class<?> type = new ByteBuddy()
                .subclass(Object.class)
                .name("legacy.driver.LegacyStatement")
                .implement(Statement.class)
                .method(ElementMatchers.isAbstract()).intercept(StubMethod.INSTANCE)
                .method(ElementMatchers.named("getConnection"))
                .intercept(ExceptionMethod.throwing(AbstractMethodError.class, "getConnection"))
                .method(ElementMatchers.named("execute").and(ElementMatchers.takesArguments(String.class)))
                .intercept(FixedValue.value(true))
                .make()
                .load(LegacyDriverApp.class.getClassLoader(), ClassLoadingStrategy.Default.INJECTION)
                .getLoaded();
        Statement s = (Statement) type.getDeclaredConstructor().newInstance();
        for (int i = 0; i < 3; i++) {
            try {
                System.out.println("execute." + i + "=ok " + s.execute("SELECT 1"));
            } catch (SQLException e) {
                System.out.println("execute." + i + "=blocked " + e.getSQLState() + " " + e.getMessage());
            } catch (Throwable t) {
                System.out.println("execute." + i + "=leaked " + t);
            }
        }
    }
}
