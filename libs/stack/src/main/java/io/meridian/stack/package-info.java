/**
 * The one launcher of Meridian's local stack and packaged services for code that runs them as processes: the system
 * tests and the benchmarks. {@link io.meridian.stack.LocalStack} drives {@code bin/meridian stack} with a home and
 * ports of its own; {@link io.meridian.stack.ServiceProcess} starts a service's {@code quarkus-run.jar}, waits until it
 * is ready, measures it and stops it. Only the JDK is needed at run time.
 */
package io.meridian.stack;
