package io.meridian.contracts.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Makes a broker's SCRAM users and ACLs those of the {@link AclCatalog}: every principal but the super user gets its
 * SCRAM-SHA-512 credential (from {@link UserPasswords}) and exactly its catalog ACLs; ACLs of these principals that
 * the catalog does not have are deleted. Idempotent, and it waits until the broker serves what it changed, so a
 * client started afterwards logs in and is authorized at once.
 */
public final class AclBootstrap {

    /** SCRAM's PBKDF2 iterations; Kafka accepts 4096 and more for SCRAM-SHA-512. */
    static final int ITERATIONS = 8192;

    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(30);

    /** What the bootstrap did for one principal. */
    public record PrincipalResult(KafkaPrincipal principal, int aclsCreated, int aclsDeleted, int aclsKept) {

        @Override
        public String toString() {
            return principal.userName() + ": scram-sha-512 credential set, acls created=" + aclsCreated + " deleted="
                    + aclsDeleted + " unchanged=" + aclsKept;
        }
    }

    private final Admin admin;
    private final Function<KafkaPrincipal, ScramLogin> logins;

    /**
     * @param logins the login of each principal whose credential is set (never called for the super user)
     */
    public AclBootstrap(Admin admin, Function<KafkaPrincipal, ScramLogin> logins) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.logins = Objects.requireNonNull(logins, "logins");
    }

    /** Sets every catalog user's credential and ACLs, then waits until the broker serves them. */
    public List<PrincipalResult> run() throws InterruptedException, ExecutionException {
        List<KafkaGrants> managed = AclCatalog.all().stream()
                .filter(g -> g.principal().kind() != KafkaPrincipal.Kind.SUPER_USER)
                .toList();

        // Upserted every time: the password file is the truth, and a credential the broker has cannot be compared.
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (KafkaGrants grants : managed) {
            ScramLogin login = logins.apply(grants.principal());
            upserts.add(new UserScramCredentialUpsertion(
                    login.user(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), login.password()));
        }
        admin.alterUserScramCredentials(upserts).all().get();

        List<PrincipalResult> results = new ArrayList<>();
        List<AclBinding> toCreate = new ArrayList<>();
        List<AclBindingFilter> toDelete = new ArrayList<>();
        Map<KafkaPrincipal, Set<AclBinding>> wanted = new LinkedHashMap<>();
        for (KafkaGrants grants : managed) {
            Set<AclBinding> want = new HashSet<>(grants.aclBindings());
            Set<AclBinding> have = new HashSet<>(describe(grants.principal()));
            wanted.put(grants.principal(), want);
            List<AclBinding> missing =
                    want.stream().filter(b -> !have.contains(b)).toList();
            List<AclBinding> extra =
                    have.stream().filter(b -> !want.contains(b)).toList();
            toCreate.addAll(missing);
            extra.forEach(b -> toDelete.add(b.toFilter()));
            results.add(new PrincipalResult(
                    grants.principal(), missing.size(), extra.size(), want.size() - missing.size()));
        }
        if (!toDelete.isEmpty()) {
            admin.deleteAcls(toDelete).all().get();
        }
        if (!toCreate.isEmpty()) {
            admin.createAcls(toCreate).all().get();
        }
        awaitServed(managed, wanted);
        return results;
    }

    /** Every ACL that names the principal, whatever resource, operation or permission. */
    private Collection<AclBinding> describe(KafkaPrincipal principal) throws InterruptedException, ExecutionException {
        return admin.describeAcls(filterOf(principal)).values().get();
    }

    static AclBindingFilter filterOf(KafkaPrincipal principal) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal.principal(), null, AclOperation.ANY, AclPermissionType.ANY));
    }

    /**
     * Changes go to the controller; a broker serves them once it has applied the metadata. Both the users and the
     * ACLs are described through the broker, so their showing up there means clients see them.
     */
    private void awaitServed(List<KafkaGrants> managed, Map<KafkaPrincipal, Set<AclBinding>> wanted)
            throws InterruptedException, ExecutionException {
        Set<String> users = managed.stream().map(g -> g.principal().userName()).collect(Collectors.toSet());
        long deadline = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        String lacking = null;
        while (System.nanoTime() < deadline) {
            lacking = lacking(users, wanted);
            if (lacking == null) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the broker did not serve the new users and ACLs within "
                + CONVERGENCE_TIMEOUT.toSeconds() + " s: " + lacking);
    }

    private String lacking(Set<String> users, Map<KafkaPrincipal, Set<AclBinding>> wanted)
            throws InterruptedException, ExecutionException {
        Map<String, UserScramCredentialsDescription> described =
                admin.describeUserScramCredentials().all().get();
        for (String user : users) {
            UserScramCredentialsDescription description = described.get(user);
            if (description == null
                    || description.credentialInfos().stream()
                            .noneMatch(i -> i.mechanism() == ScramMechanism.SCRAM_SHA_512)) {
                return "no SCRAM-SHA-512 credential of " + user;
            }
        }
        for (Map.Entry<KafkaPrincipal, Set<AclBinding>> entry : wanted.entrySet()) {
            if (!new HashSet<>(describe(entry.getKey())).equals(entry.getValue())) {
                return "the ACLs of " + entry.getKey().userName();
            }
        }
        return null;
    }

    /**
     * {@code --bootstrap-servers HOST:PORT --command-config FILE --users-dir DIR}: connects with the admin client
     * settings of FILE (the super user's), makes the password of every catalog user that has none in DIR, sets their
     * credentials and ACLs, and prints one line per user (never a password). Exits 2 on bad arguments, 1 when Kafka
     * fails.
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        Properties props;
        try {
            arguments = Arguments.parse(args);
            props = adminProperties(arguments.bootstrapServers(), arguments.commandConfig(), "meridian-acl-bootstrap");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("usage: AclBootstrap --bootstrap-servers HOST:PORT --command-config FILE --users-dir DIR");
            return 2;
        }
        UserPasswords passwords = new UserPasswords(arguments.usersDir());
        try (Admin admin = Admin.create(props)) {
            for (PrincipalResult result : new AclBootstrap(admin, passwords::ensure).run()) {
                out.println(result);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println("ACL bootstrap against " + arguments.bootstrapServers() + " failed: " + cause);
            return 1;
        }
    }

    /**
     * The settings of an admin client of the tools: the bootstrap servers, a client id, a long API timeout (a broker
     * that has just started may still be settling), and what the command-config file adds (how to log in), as Kafka's
     * own tools read {@code --command-config}.
     */
    static Properties adminProperties(String bootstrapServers, Path commandConfig, String clientId) {
        Properties props = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --command-config " + commandConfig + ": " + e);
            }
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return props;
    }

    /** The command line of {@link #main(String[])}. */
    record Arguments(String bootstrapServers, Path commandConfig, Path usersDir) {

        static Arguments parse(String[] args) {
            String bootstrapServers = null;
            Path commandConfig = null;
            Path usersDir = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--bootstrap-servers" -> bootstrapServers = value;
                    case "--command-config" -> commandConfig = Path.of(value);
                    case "--users-dir" -> usersDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("--bootstrap-servers is required");
            }
            if (commandConfig == null) {
                throw new IllegalArgumentException("--command-config is required (the super user's client settings)");
            }
            if (usersDir == null) {
                throw new IllegalArgumentException("--users-dir is required");
            }
            return new Arguments(bootstrapServers, commandConfig, usersDir);
        }
    }
}
