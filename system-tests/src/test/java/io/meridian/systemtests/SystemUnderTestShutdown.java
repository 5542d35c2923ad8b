package io.meridian.systemtests;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops the system when the test plan ends, while the test JVM still has time (the JVM shutdown hook is only the
 * fallback). Registered in META-INF/services.
 */
public final class SystemUnderTestShutdown implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        SystemUnderTest.stopIfStarted();
    }
}
