package io.meridian.systemtests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a scenario class that runs against the whole system: its constructor or test methods may take a
 * {@link SystemUnderTest} parameter, and a failing test prints the tail of every service's log.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SystemUnderTestExtension.class)
public @interface SystemTest {}
