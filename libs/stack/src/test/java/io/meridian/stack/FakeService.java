package io.meridian.stack;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Stands in for a packaged service in {@link ServiceProcessTest}: prints what it was started with, then listens on its
 * {@code quarkus.http.port} (where, as in Meridian's services, nothing under {@code /q} answers) and answers
 * {@code /q/health/ready} on its {@code quarkus.management.port} as Quarkus' management interface does, or fails to
 * start as a service can ({@code fake.mode}: ready, exit, never-ready; {@code fake.taken-port}: a port it behaves as
 * if another process held).
 */
public final class FakeService {

    private FakeService() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("quarkus.http.port");
        int managementPort = Integer.getInteger("quarkus.management.port");
        String mode = System.getProperty("fake.mode", "ready");
        System.out.println("fake.greeting=" + System.getProperty("fake.greeting"));
        System.out.println("FAKE_SECRET=" + System.getenv("FAKE_SECRET"));
        System.out.println("jvm=" + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("cwd=" + Path.of("").toAbsolutePath());
        System.out.flush();
        if (mode.equals("exit")) {
            System.exit(3);
        }
        String taken = System.getProperty("fake.taken-port");
        if (Integer.toString(port).equals(taken)
                || Integer.toString(managementPort).equals(taken)) {
            // Quarkus's own words when its HTTP or management port is taken.
            System.out.println("Port " + taken + " seems to be in use by another process. Quarkus may already be"
                    + " running or the port is used by another application.");
            System.out.flush();
            System.exit(1);
        }
        long readyAfterMillis = Long.getLong("fake.ready-after-ms", 0);
        long started = System.nanoTime();
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        HttpServer management = HttpServer.create(new InetSocketAddress("127.0.0.1", managementPort), 0);
        management.createContext("/q/health/ready", exchange -> {
            boolean ready =
                    !mode.equals("never-ready") && (System.nanoTime() - started) / 1_000_000 >= readyAfterMillis;
            if (ready) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                // As Quarkus answers: the checks, the one that is down with its data.
                byte[] body = ("{\n  \"status\": \"DOWN\",\n  \"checks\": [ { \"name\": \"fake-view\","
                                + " \"status\": \"DOWN\", \"data\": { \"reading\": \"fleet.resources.v1\" } } ]\n}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopped gracefully");
            System.out.flush();
        }));
        api.start();
        management.start();
    }
}
