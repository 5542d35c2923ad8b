package io.meridian.systemtests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/** Hands the one {@link SystemUnderTest} of the JVM to scenarios and shows the service logs when one fails. */
public final class SystemUnderTestExtension implements ParameterResolver, TestWatcher {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SystemUnderTest.get();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.println("[system-under-test] " + context.getDisplayName() + " failed: " + cause);
        SystemUnderTest.get().printLogTails();
    }
}
