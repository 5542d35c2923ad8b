import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers a simulated fleet with inventory, one POST /api/v1/clusters per entry of the simulator's fleet.json,
 * for `bin/meridian demo`. Run in source-file mode with the simulator's libraries (Jackson) on the class path:
 *
 * <pre>java -cp 'tools/fleet-sim/target/lib/*' bin/lib/RegisterFleet.java FLEET_JSON INVENTORY_URL TOKEN NAMES_FILE</pre>
 *
 * A cluster of the same name left registered by an earlier demo run points at an API server port that no longer
 * exists, so it is deregistered and registered again. Clusters listed in NAMES_FILE by an earlier run that are not
 * part of this fleet are deregistered; NAMES_FILE is then rewritten with this fleet's names.
 */
public final class RegisterFleet {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String inventory;
    private final String token;

    private RegisterFleet(String inventory, String token) {
        this.inventory = inventory.replaceAll("/+$", "");
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: RegisterFleet FLEET_JSON INVENTORY_URL TOKEN NAMES_FILE");
            System.exit(2);
        }
        List<Map<String, Object>> fleet = JSON.readValue(Path.of(args[0]).toFile(), new TypeReference<>() {});
        RegisterFleet registrar = new RegisterFleet(args[1], args[2]);
        Path namesFile = Path.of(args[3]);
        try {
            registrar.forgetStale(namesFile, fleet);
            registrar.registerAll(fleet);
        } catch (Failure e) {
            System.err.println();
            System.err.println("meridian: " + e.getMessage());
            System.exit(1);
        }
        List<String> names = new ArrayList<>();
        fleet.forEach(c -> names.add((String) c.get("name")));
        Files.write(namesFile, names);
    }

    private void registerAll(List<Map<String, Object>> fleet) throws IOException, InterruptedException {
        int done = 0;
        int replaced = 0;
        for (Map<String, Object> cluster : fleet) {
            String name = (String) cluster.get("name");
            String body = JSON.writeValueAsString(cluster);
            HttpResponse<String> response = send("POST", "/api/v1/clusters", body);
            if (response.statusCode() == 409) {
                expect(send("DELETE", "/api/v1/clusters/" + name, null), 204, "deregister the old " + name);
                response = send("POST", "/api/v1/clusters", body);
                replaced++;
            }
            expect(response, 201, "register " + name);
            done++;
            System.out.printf(
                    "\rfleet: registered %d/%d clusters (%s %s)%-20s",
                    done, fleet.size(), cluster.get("cloud"), name, "");
            System.out.flush();
        }
        System.out.printf(
                "\rfleet: registered %d/%d clusters through POST %s/api/v1/clusters%s%-20s%n",
                done,
                fleet.size(),
                inventory,
                replaced == 0 ? "" : " (" + replaced + " left over from an earlier demo were replaced)",
                "");
    }

    private void forgetStale(Path namesFile, List<Map<String, Object>> fleet) throws IOException, InterruptedException {
        if (!Files.exists(namesFile)) {
            return;
        }
        Set<String> current = new LinkedHashSet<>();
        fleet.forEach(c -> current.add((String) c.get("name")));
        for (String old : Files.readAllLines(namesFile)) {
            if (old.isBlank() || current.contains(old)) {
                continue;
            }
            int status = send("DELETE", "/api/v1/clusters/" + old, null).statusCode();
            if (status == 204) {
                System.out.println("fleet: deregistered " + old + " (left over from an earlier demo with another fleet)");
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(inventory + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("cannot reach inventory at " + inventory + ": " + e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new Failure("could not " + what + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }
}
