/**
 * System tests: the packaged services as processes with the local stack and a simulated fleet, driven through the
 * public REST APIs and topics only. {@link io.meridian.systemtests.SystemUnderTest} is the harness; each scenario
 * is a {@code *IT} class annotated {@link io.meridian.systemtests.SystemTest}.
 */
package io.meridian.systemtests;
